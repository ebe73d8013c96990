"""Make the README's fill-in walkthrough pictures from the workbooks the auditor itself writes.

    python docs/make_workbook_screenshots.py [OUT_DIR]     (default: docs/images)

Needs LibreOffice (`soffice`, e.g. Debian's libreoffice-calc-nogui) and pdftoppm (poppler-utils); CI does
not run it: the pictures are committed. Each picture is one sheet printed by LibreOffice headless with the
workbook's own print setup (A4 landscape, the columns fitted to the page width), so what the README shows
is the sheet a marketer sees and prints:

1. the zh-CN template, untouched (sheet Campaign);
2. the same template filled in, with one deliberate mistake: `30元` typed as the fee's amount (sheet Fees);
3. the annotated copy of that workbook: its Findings sheet, which lists the one finding.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> None:
    subprocess.run(args, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def auditor(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "auditor", *args], cwd=cwd, stdout=subprocess.DEVNULL)


def fill(path: Path, changes: dict) -> None:
    """What a marketer does: every example replaced by a value, then `changes` ({(sheet key, cell): value})."""
    import openpyxl

    from auditor.load.layout import split_label

    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("e.g. ", "例：")):
                    cell.value = cell.value[5:] if cell.value.startswith("e.g. ") else cell.value[2:]
                    cell.font = openpyxl.styles.Font()
    sheets = {split_label(n): workbook[n] for n in workbook.sheetnames}
    for (sheet, cell), value in changes.items():
        sheets[sheet][cell] = value
    workbook.save(path)


def picture(workbook_path: Path, sheet_key: str, target: Path, work: Path, height: int) -> None:
    """Print one sheet of the workbook with LibreOffice and keep the top of its first page (A4 landscape at
    150 dpi, without the margins; `height` pixels) as a PNG."""
    import openpyxl

    from auditor.load.layout import split_label

    workbook = openpyxl.load_workbook(workbook_path)
    for name in list(workbook.sheetnames):
        if split_label(name) != sheet_key:
            del workbook[name]
    single = work / f"{target.stem}.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    single.write_bytes(buffer.getvalue())
    profile = (work / "profile").as_uri()
    run("soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(work),
        str(single))
    run("pdftoppm", "-f", "1", "-l", "1", "-r", "150", "-x", "100", "-y", "140", "-W", "1560", "-H", str(height),
        "-png", "-singlefile", str(work / f"{target.stem}.pdf"), str(work / target.stem))
    shutil.copyfile(work / f"{target.stem}.png", target)
    print(f"wrote {target}")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "images"
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        print("needs LibreOffice (soffice) and pdftoppm", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        template = work / "spring.xlsx"
        auditor("template", "--lang", "zh-CN", str(template), cwd=ROOT)
        picture(template, "Campaign", out / "walkthrough-1-template-campaign.png", work, 900)
        fill(template, {("Fees", "C2"): "30元"})
        picture(template, "Fees", out / "walkthrough-2-filled-fees.png", work, 120)
        annotated = work / "spring-review.xlsx"
        auditor("check", str(template), "--lang", "zh-CN", "--annotate", str(annotated), cwd=ROOT)
        picture(annotated, "Findings", out / "walkthrough-3-findings.png", work, 120)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))

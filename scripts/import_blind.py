"""Bring a batch of blind evaluation campaigns into the corpus, splitting off a held-out part.

    python scripts/import_blind.py BATCH_FOLDER TUNING_FOLDER HELDOUT_FOLDER [--held-out 0.3] [--title TEXT]

A blind batch is written from the spec and the domain documents alone (never the rules or the corpus) with
an `expected.labels` file in the writers' format: per file `jurisdiction`, `workbook`, `compliant`, `traps`
and `expect: [{category, pointer?, why}]`. This script

- converts each label's `pointer` into `where` (the element at fault: a finding of that category at, under
  or above it counts — the writers chose the element without knowing where the rules report);
- converts the files marked `workbook: true` into .xlsx with `auditor convert`, keeping the written source
  under `workbook-sources/`;
- holds out a fixed share of each (jurisdiction, compliant) group, chosen by a hash of the file name so the
  split does not depend on anyone's judgement of which campaigns are easy; the held-out labels carry
  `# HELD OUT`, which `python -m auditor.evaluate` reports separately.

It copies; it never edits the batch, and it refuses to write into a folder that already has labels. With
`--held-out 1` the whole batch is held out (a batch that only measures the rules as they stand) and no tuning
folder is made.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HEADER = """# Labels (YAML) for blind evaluation campaigns ({title}), written from the spec and domain documents
# alone, without sight of the rules or the corpus, and committed before any rule changed. `where` = the
# element at fault: a finding of that category at, under or above it counts.
"""
HELD_OUT = "# HELD OUT: not looked at while tuning rules; its figures are reported separately.\n"


def label_for(raw: dict) -> dict:
    label: dict = {"jurisdiction": raw.get("jurisdiction")}
    if raw.get("compliant"):
        label["compliant"] = True
    if raw.get("traps"):
        label["traps"] = list(raw["traps"])
    expect = []
    for item in raw.get("expect") or []:
        entry = {"category": item["category"]}
        if item.get("pointer"):
            entry["where"] = item["pointer"]
        entry["why"] = item.get("why", "")
        expect.append(entry)
    if expect:
        label["expect"] = expect
    return label


def held_out_names(labels: dict, share: float) -> set[str]:
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name, raw in labels.items():
        groups[(raw.get("jurisdiction"), bool(raw.get("compliant")))].append(name)
    chosen: set[str] = set()
    for names in groups.values():
        names.sort(key=lambda n: hashlib.sha256(n.encode()).hexdigest())
        chosen.update(names[: round(len(names) * share)])
    return chosen


def place(batch: Path, name: str, raw: dict, target: Path) -> str:
    source = batch / name
    if not raw.get("workbook"):
        shutil.copy2(source, target / name)
        return name
    sources = target / "workbook-sources"
    sources.mkdir(exist_ok=True)
    shutil.copy2(source, sources / name)
    workbook = Path(name).with_suffix(".xlsx").name
    done = subprocess.run([sys.executable, "-m", "auditor", "convert", str(source), str(target / workbook)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name}: conversion to a workbook failed: {done.stdout}{done.stderr}")
    return workbook


def write_labels(folder: Path, labels: dict, title: str, held_out: bool) -> None:
    text = HEADER.format(title=title) + (HELD_OUT if held_out else "")
    text += yaml.safe_dump(labels, allow_unicode=True, sort_keys=True, width=110)
    (folder / "expected.labels").write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch", type=Path)
    parser.add_argument("tuning", type=Path)
    parser.add_argument("heldout", type=Path)
    parser.add_argument("--held-out", type=float, default=0.3)
    parser.add_argument("--title", default="a new batch")
    args = parser.parse_args()
    raw_labels = yaml.safe_load((args.batch / "expected.labels").read_text(encoding="utf-8"))
    missing = [name for name in raw_labels if not (args.batch / name).is_file()]
    if missing:
        raise SystemExit(f"labels without a file: {', '.join(missing)}")
    held = held_out_names(raw_labels, args.held_out)
    # --held-out 1 keeps a whole batch out of tuning (a batch that only measures): no tuning folder is made
    parts = {folder: [n for n in sorted(raw_labels) if (n in held) == (folder == args.heldout)]
             for folder in (args.tuning, args.heldout)}
    out: dict[Path, dict] = {folder: {} for folder, names in parts.items() if names}
    for folder in out:
        if (folder / "expected.labels").exists():
            raise SystemExit(f"{folder} already has labels; refusing to overwrite")
        folder.mkdir(parents=True, exist_ok=True)
    for folder in out:
        for name in parts[folder]:
            out[folder][place(args.batch, name, raw_labels[name], folder)] = label_for(raw_labels[name])
        write_labels(folder, out[folder], args.title, folder == args.heldout)
    out.setdefault(args.tuning, {})
    out.setdefault(args.heldout, {})
    print(f"{len(out[args.tuning])} campaigns to {args.tuning}, {len(out[args.heldout])} held out in {args.heldout}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

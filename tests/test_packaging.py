"""A plain `pip install .` works: schemas, checklists and report templates ship in the wheel;
the README's commands are the ones CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

from helpers import REPO


def test_wheel_carries_the_data_folders(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("campaign_auditor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "auditor/_data/schemas/campaign.schema.json" in names
    for own in ("config", "waivers", "checklist"):  # the project's own files' schemas, for editors and loaders
        assert f"auditor/_data/schemas/{own}.schema.json" in names
    assert "auditor/_data/checklists/fees.yaml" in names
    assert "auditor/_data/checklists/lexicons/competitors.yaml" in names
    assert "auditor/_data/checklists/bases/cn.yaml" in names
    assert "auditor/_data/checklists/preparsed.json" in names  # the checklists pre-parsed (auditor.preparsed)
    assert "auditor/_data/reports/report.html.j2" in names


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    first, second = blocks[0].strip(), blocks[1].strip()
    assert "auditor check examples/" in first and "--html" in first
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r'TEST_COMMAND="(.*)"', ci).group(1)
    assert second == command

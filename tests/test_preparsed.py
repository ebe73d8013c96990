"""The pre-parsed copy of the checklists (checklists/preparsed.json): current, equal to the YAML, used only
for a file whose text it was made from, and never a reason to skip a check that the copy did not pass."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from auditor import checklists as cl
from auditor import preparsed
from auditor.checklists import ChecklistError, load_checklist_dirs
from auditor.resources import data_dir


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(data_dir("checklists"), target)
    return target


def _same(a, b):
    assert a.digest == b.digest
    assert a.checklists == b.checklists
    assert [(r.params, r.examples, r.severity_by_jurisdiction) for r in a.rules] == \
           [(r.params, r.examples, r.severity_by_jurisdiction) for r in b.rules]
    assert a.register == b.register
    assert a.lexicons == b.lexicons
    # JSON and YAML give the same types (True is not 1, 1.0 is not 1): the repr tells them apart
    assert repr([(r.params, r.examples) for r in a.rules]) == repr([(r.params, r.examples) for r in b.rules])
    assert repr(a.lexicons) == repr(b.lexicons)


def test_the_committed_copy_is_current():
    """After a checklist, lexicon or register change: `python -m auditor.preparsed` (then commit the copy)."""
    target = data_dir("checklists") / preparsed.FILE
    assert target.read_bytes() == preparsed.build(data_dir("checklists")), \
        f"{target} is stale: run `python -m auditor.preparsed` and commit it"


def test_the_copy_gives_the_rule_set_the_yaml_gives():
    _same(load_checklist_dirs([data_dir("checklists")]), load_checklist_dirs([data_dir("checklists")], preparsed=False))


def test_the_shipped_checklists_parse_no_yaml_and_check_no_schema(monkeypatch):
    calls = []
    monkeypatch.setattr(cl, "_parse_yaml", lambda path, text: calls.append(path.name))
    monkeypatch.setattr(cl, "_validated", lambda kind, raw, path, *rest: calls.append(kind))
    load_checklist_dirs([data_dir("checklists")])
    assert calls == []


def test_a_copy_in_another_folder_gives_its_data_and_is_still_checked(folder, monkeypatch):
    """A plugin's or a configured folder's copy (made with `python -m auditor.preparsed FOLDER`, or by hand)
    spares the YAML parse, never the schema checks: a broken entry is a located error, not a traceback."""
    parsed, checked = [], []
    real_parse, real_check = cl._parse_yaml, cl._validated
    monkeypatch.setattr(cl, "_parse_yaml", lambda path, text: parsed.append(path.name) or real_parse(path, text))
    monkeypatch.setattr(cl, "_validated", lambda kind, *rest: checked.append(kind) or real_check(kind, *rest))
    load_checklist_dirs([folder])
    assert parsed == [] and checked.count("references") == 1
    document = json.loads((folder / preparsed.FILE).read_text(encoding="utf-8"))
    del document["files"]["fees.yaml"]["data"]["rules"][0]["severity"]
    (folder / preparsed.FILE).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"fees\.yaml:\d+: rule FEE-001: .*severity"):
        load_checklist_dirs([folder])


def test_an_edited_file_is_read_from_its_yaml_and_checked(folder, monkeypatch):
    path = folder / "fees.yaml"
    text = path.read_text(encoding="utf-8")
    rule = load_checklist_dirs([folder]).rule("FEE-001")
    path.write_text(text.replace(rule.title, "An edited title", 1), encoding="utf-8")
    parsed = []
    real = cl._parse_yaml
    monkeypatch.setattr(cl, "_parse_yaml", lambda p, t: parsed.append(p.name) or real(p, t))
    assert load_checklist_dirs([folder]).rule("FEE-001").title == "An edited title"
    assert parsed == ["fees.yaml"]  # every other file still comes from the copy
    # and the edited file is held to its schema, located as before
    path.write_text(text.replace("severity: high", "severity: dire", 1), encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"fees\.yaml:\d+: rule FEE-\d+: `severity` must be one of"):
        load_checklist_dirs([folder])


def test_an_edited_lexicon_and_register_are_read_from_their_yaml(folder):
    lexicon = folder / "lexicons" / "competitors.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same data, other text
    _same(load_checklist_dirs([folder]), load_checklist_dirs([folder], preparsed=False))
    register = folder / "references.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("status: in_force", "status: pending", 1),
                        encoding="utf-8")
    with pytest.raises(ChecklistError, match=r"references\.yaml:\d+: reference .*`status` must be one of"):
        load_checklist_dirs([folder])


def test_a_copy_checked_against_other_schemas_is_checked_again(monkeypatch):
    shipped = data_dir("checklists")
    assert preparsed.read(shipped).checked
    monkeypatch.setattr(preparsed, "schema_digests", lambda: {"checklist.schema.json": "0" * 64})
    copy = preparsed.read(shipped)
    assert copy is not None and not copy.checked
    checked = []
    real = cl._validated
    monkeypatch.setattr(cl, "_validated", lambda kind, *rest: checked.append(kind) or real(kind, *rest))
    load_checklist_dirs([shipped])
    assert checked.count("references") == 1 and checked.count("checklist") == len(list(shipped.glob("*.yaml"))) - 1


@pytest.mark.parametrize("damage", ["", "{not json", '{"format": 99, "files": {}}', '{"format": 1, "files": []}',
                                    '{"format": 1}', "[]"])
def test_a_missing_or_damaged_copy_is_ignored(folder, damage):
    if damage:
        (folder / preparsed.FILE).write_text(damage, encoding="utf-8")
    else:
        (folder / preparsed.FILE).unlink()
    assert preparsed.read(folder) is None
    _same(load_checklist_dirs([folder]), load_checklist_dirs([folder], preparsed=False))


def test_a_copy_entry_is_used_only_for_the_text_it_was_made_from(folder):
    document = json.loads((folder / preparsed.FILE).read_text(encoding="utf-8"))
    document["files"]["fees.yaml"]["data"]["title"] = "Not what fees.yaml says"
    (folder / preparsed.FILE).write_text(json.dumps(document), encoding="utf-8")
    # the entry matches the text: the copy is believed (which is why it is generated, reviewed and tested)
    assert next(c for c in load_checklist_dirs([folder]).checklists if c.name == "fees").title == \
        "Not what fees.yaml says"
    path = folder / "fees.yaml"
    path.write_bytes(path.read_bytes() + b"# a comment\n")
    assert next(c for c in load_checklist_dirs([folder]).checklists if c.name == "fees").title != \
        "Not what fees.yaml says"


def test_the_generator_writes_checks_and_refuses_what_json_cannot_hold(folder, capsys):
    (folder / preparsed.FILE).unlink()
    assert preparsed.main([str(folder), "--check"]) == 1
    assert "is not current" in capsys.readouterr().err
    assert preparsed.main([str(folder)]) == 0
    assert (folder / preparsed.FILE).read_bytes() == (data_dir("checklists") / preparsed.FILE).read_bytes()
    assert preparsed.main([str(folder), "--check"]) == 0
    path = folder / "claims.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rules:", "reviewed: 2026-11-30\nrules:", 1),
                    encoding="utf-8")
    assert preparsed.main([str(folder)]) == 2  # a YAML date: the schema refuses it before JSON would
    assert "claims.yaml" in capsys.readouterr().err
    with pytest.raises(ValueError, match="date value"):
        preparsed._json_only({"a": [__import__("datetime").date(2026, 11, 30)]}, "claims.yaml")
    with pytest.raises(ValueError, match="key 1 is not a string"):
        preparsed._json_only({1: "a"}, "claims.yaml")


def test_the_module_runs_as_a_command(folder):
    import subprocess

    done = subprocess.run([sys.executable, "-m", "auditor.preparsed", str(folder), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

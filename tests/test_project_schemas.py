"""The project's own files (auditor.toml / [tool.auditor], waivers.yaml, checklists and the register) are
validated against the schemas in schemas/ with located, marketer-worded messages; the schemas are shipped,
publishable to editors, in step with auditor/vocabulary.py, and the bundled examples meet them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import REPO

from auditor import vocabulary
from auditor.checklists import ChecklistError, load_checklist_dirs
from auditor.config import HOUSE_POLICIES, MAX_JOBS, ConfigError
from auditor.config import load as load_config
from auditor.schema import PROJECT_SCHEMAS, project_problems, project_schema, project_schema_path, validate_file
from auditor.sideinput import MAX_WAIVERS
from auditor.sourcemap import toml_positions
from auditor.waivers import WaiverError
from auditor.waivers import load as load_waivers

OWN = ("config", "waivers", "checklist")


def _walk(node, at=()):
    if isinstance(node, dict):
        yield at, node
        for key, value in node.items():
            yield from _walk(value, at + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, at + (i,))


# --- the schemas themselves --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(PROJECT_SCHEMAS))
def test_each_schema_is_valid_json_schema_2020_12(kind):
    schema = project_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", OWN)
def test_every_property_has_a_title_and_a_description_for_editors(kind):
    for at, node in _walk(project_schema(kind)):
        if at[-1:] == ("properties",) or {"not", "if", "contains"} & set(at):
            continue  # a property named `properties`, or a constraint rather than a documented key
        for name, prop in (node.get("properties") or {}).items():
            assert prop.get("title") and prop.get("description"), (kind, at, name)


def test_schema_enums_are_the_vocabulary():
    """Every enum tagged `x-vocabulary` equals the named tuple of auditor/vocabulary.py (plus `x-vocabulary-also`)."""
    seen = {}
    for kind in OWN:
        for at, node in _walk(project_schema(kind)):
            if "x-vocabulary" in node:
                expected = list(node.get("x-vocabulary-also", [])) + list(getattr(vocabulary, node["x-vocabulary"]))
                assert node["enum"] == expected, (kind, at)
                seen[(kind, node["x-vocabulary"])] = seen.get((kind, node["x-vocabulary"]), 0) + 1
    assert seen == {("config", "FAIL_ON"): 1, ("config", "JURISDICTIONS"): 2, ("config", "SEVERITIES"): 1,
                    ("checklist", "JURISDICTIONS"): 3, ("checklist", "SEVERITIES"): 1,
                    ("checklist", "CATEGORIES"): 1}


def test_schema_limits_are_the_loaders():
    config = project_schema("config")["properties"]
    assert config["jobs"]["maximum"] == MAX_JOBS
    assert tuple(config["house-policy"]["properties"]) == HOUSE_POLICIES
    assert project_schema("waivers")["$defs"]["waivers"]["maxItems"] == MAX_WAIVERS


def test_schemas_ship_in_the_package_data():
    for kind in PROJECT_SCHEMAS:
        assert project_schema_path(kind).is_file()
    assert {p.name for p in (REPO / "schemas").glob("*.schema.json")} >= set(PROJECT_SCHEMAS.values())


# --- the bundled examples meet them ------------------------------------------------------------------

def _example_files():
    files = sorted(REPO.glob("examples/**/auditor.toml")) + sorted(REPO.glob("examples/**/waivers.yaml"))
    files += sorted((REPO / "checklists").glob("*.yaml"))
    files += sorted(REPO.glob("examples/custom-rules/**/checklists/*.yaml"))
    files += [p for p in [REPO / "pyproject.toml", *REPO.glob("examples/**/pyproject.toml")]
              if "auditor" in tomllib.loads(p.read_text(encoding="utf-8")).get("tool", {})]
    return files


def test_there_are_examples_of_every_kind():
    names = {p.name for p in _example_files()}
    assert {"auditor.toml", "waivers.yaml", "fees.yaml", "references.yaml", "acme.yaml", "pyproject.toml"} <= names


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_bundled_examples_validate(path):
    assert validate_file(path) == []
    if path.suffix == ".yaml":  # the schema alone too, not only through a loader
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = "references" if path.name == "references.yaml" else "waivers" if path.name == "waivers.yaml" \
            else "checklist"
        assert project_problems(kind, json.loads(json.dumps(document, default=str))) == []


# --- configuration: located messages ------------------------------------------------------------------

@pytest.mark.parametrize("body,message", [
    ('fail-on = "sometimes"', "auditor.toml:2: `fail-on` must be one of critical, high, medium, low, info, none, "
                              "not 'sometimes'"),
    ('colour = "blue"', "auditor.toml:2: unknown key `colour` (known: paths, exclude, fail-on,"),
    ("jobs = 100000", "auditor.toml:2: `jobs` is 100000; at most 64 worker processes are allowed"),
    ("jobs = 0", "auditor.toml:2: `jobs` must be a whole number of at least 1"),
    ("max-cells = true", "auditor.toml:2: `max-cells` must be a whole number of at least 1"),
    ('paths = ["a", 3]', "auditor.toml:2: `paths` must be a list of strings"),
    ("waivers = 3", "auditor.toml:2: `waivers` must be a path"),
    ('[severity]\nCMP-001 = "huge"', "auditor.toml:3: `severity.CMP-001` must be one of critical, high, medium, "
                                     "low, info, not 'huge'"),
    ('[house-policy.competitor-review]\nXX = false', "auditor.toml:3: `house-policy.competitor-review.XX`: not a "
                                                     "jurisdiction (CN, TW, HK, EU, UK, US, US-CA, AU) nor `default`"),
    ("[house-policy.competitor-review]\nEU = 1", "auditor.toml:3: `house-policy.competitor-review.EU` must be true "
                                                 "or false"),
    ("[house-policy.other]\nEU = true", "auditor.toml:2: `house-policy.other` is not a house policy (known: "
                                        "competitor-review)"),
    ('[usage-per-month]\nKB = "a lot"', "auditor.toml:3: `usage-per-month.KB` must be a number of at least 0, or a "
                                        "table of unit = number"),
    ("usage-per-month = 3", "auditor.toml:2: `usage-per-month` must be a table of unit = number, or of offer types"),
    ('checklists = ["nope"]', "auditor.toml:2: `checklists`: no such folder"),
    ('fail_on = "x"', "auditor.toml:2: `fail-on` must be one of"),
])
def test_configuration_errors_name_the_file_line_and_key(tmp_path, body, message):
    path = tmp_path / "auditor.toml"
    path.write_text(f"# settings\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(tmp_path) + "/") and message in str(caught.value)


def test_pyproject_errors_name_the_table_and_line(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.auditor]\nexclude = ["a"]\nfail-on = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject.toml:6: \[tool.auditor\] `fail-on` must be one of"):
        load_config(path)


def test_a_pyproject_found_and_loaded_is_parsed_once(tmp_path, monkeypatch):
    """Discovery reads pyproject.toml for a [tool.auditor] table; loading it does not parse the TOML again."""
    from auditor import config as cfg

    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.auditor]\nexclude = ["a/*"]\nfail-on = "medium"\n',
                    encoding="utf-8")
    parsed = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: parsed.append(text) or real(text))
    cfg._toml.cache_clear()
    assert cfg.discover(tmp_path) == path
    config = load_config(path)
    assert config.exclude == ["a/*"] and config.fail_on == "medium"
    assert len(parsed) == 1
    config.exclude.append("b")  # what a Config holds is its own: the parsed table is not changed
    assert load_config(path).exclude == ["a/*"]


def test_valid_configuration_still_loads(tmp_path):
    (tmp_path / "policy").mkdir()
    path = tmp_path / "auditor.toml"
    path.write_text('paths = ["c"]\nfail_on = "none"\nchecklists = ["policy"]\njobs = 4\nwaivers = "w.yaml"\n'
                    '[severity]\nCMP-002 = "high"\n[usage-per-month]\nKB = 30720\n[usage-per-month.device_subsidy]\n'
                    'KB = 17382\n[house-policy.competitor-review]\ndefault = false\nCN = true\n', encoding="utf-8")
    config = load_config(path)
    assert config.paths == ["c"] and config.fail_on == "none" and config.checklists == [tmp_path / "policy"]
    assert config.jobs == 4 and config.waivers == tmp_path / "w.yaml" and config.severity == {"CMP-002": "high"}
    assert config.usage_per_month == {"KB": 30720, "device_subsidy": {"KB": 17382}}
    assert config.house_policy == {"competitor-review": {"default": False, "CN": True}}


def test_toml_positions():
    text = '# c\npaths = ["a"]\n"x" = """\nfake = 1\n"""\n[severity]\nCMP-002 = "high"\n[[arr]]\nk = 1\n[[arr]]\nk = 2\n'
    positions = toml_positions(text)
    assert positions["/paths"][0] == 2 and positions["/x"][0] == 3 and "/fake" not in positions
    assert positions["/severity/CMP-002"][0] == 7 and positions["/arr/1/k"][0] == 11


# --- waivers: located messages -----------------------------------------------------------------------

_WAIVER = ("waivers:\n  - rule: CMP-002\n    campaign: C-1\n    source: c.json\n    reason: r\n"
           "    approved-by: a\n    expires: 2026-12-31\n")


@pytest.mark.parametrize("old,new,message", [
    ("    reason: r\n", "", "waivers.yaml:2: waiver #1: `reason` is required (every waiver needs"),
    ("    reason: r\n", "    reason: r\n    colour: red\n", "waivers.yaml:2: waiver #1: unknown key `colour` (known: "),
    ("expires: 2026-12-31", "expires: '31/12/2026'", "waivers.yaml:2: waiver #1: `expires` must be a date like"),
    ("expires: 2026-12-31", "expires: '2026-02-30'", "waivers.yaml:2: waiver #1: `expires` must be a date like"),
    ("campaign: C-1", "campaign: C-*", "waivers.yaml:2: waiver #1: `campaign` must be the campaign's id exactly, "
                                       "not a pattern ('C-*')"),
    ("    source: c.json\n", "", "bind the waiver to its file too: add `source` (the file's path or a glob, "
                                 "relative to waivers.yaml's folder)"),
    ("source: c.json", "source: '*'", "waivers.yaml:2: waiver #1: `source` must be a path or glob"),
    ("source: c.json", "sha256: abc", "`sha256` must be the 64 hexadecimal digits"),
    ("    reason: r\n", "    reason: r\n    pointer: fees/0\n", "`pointer` must be a JSON pointer starting with /"),
    ("  - rule", "  - 3\n  - rule", "waivers.yaml:2: waiver #1: must be a mapping"),
    ("waivers:", "waiverz:", "waivers.yaml:1: expected a list of waivers (under `waivers:`)"),
])
def test_waiver_errors_name_the_file_line_and_key(tmp_path, old, new, message):
    path = tmp_path / "waivers.yaml"
    assert old in _WAIVER
    path.write_text(_WAIVER.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(WaiverError) as caught:
        load_waivers(path)
    assert message in str(caught.value), str(caught.value)


def test_too_many_waivers_are_refused_before_their_entries(tmp_path):
    path = tmp_path / "waivers.yaml"
    entry = _WAIVER.split("\n", 1)[1]
    path.write_text("waivers:\n" + entry * (MAX_WAIVERS + 1), encoding="utf-8")
    with pytest.raises(WaiverError, match=r"waivers.yaml:1: 5,001 waivers; at most 5,000 are accepted"):
        load_waivers(path)


def test_underscored_keys_and_a_bare_list_still_load(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text(_WAIVER.split("\n", 1)[1].replace("approved-by", "approved_by").replace("  - ", "- ", 1)
                    .replace("\n    ", "\n  "), encoding="utf-8")
    (waiver,) = load_waivers(path)
    assert waiver.approved_by == "a" and waiver.line == 1 and str(waiver.expires) == "2026-12-31"


# --- checklists: located messages --------------------------------------------------------------------

@pytest.mark.parametrize("old,new,message", [
    ("severity: high", "severity: huge", ":7: rule FEE-001: `severity` must be one of critical, high, medium, low, "
                                         "info, not 'huge'"),
    ("category: fee_disclosure", "category: fees", ":6: rule FEE-001: `category` must be one of input, schema,"),
    ("    name: fee-amount-not-stated\n", "", ":4: rule FEE-001: `name` is required and cannot be empty"),
    ("    name: fee-amount-not-stated\n", "    name: fee-amount-not-stated\n    colour: red\n",
     ":6: rule FEE-001: unknown key `colour` (known: id, name,"),
    ("    name: fee-amount-not-stated\n", "    name: fee-amount-not-stated\n    jurisdictions: [CN, XX]\n",
     ":6: rule FEE-001: `jurisdictions` must be `all` or a list of CN, TW,"),
    ("    name: fee-amount-not-stated\n", "    name: fee-amount-not-stated\n    params: {XX: {}}\n",
     ":6: rule FEE-001: params key `XX` is neither `default` nor a jurisdiction"),
    ("severity_by_jurisdiction: {CN: critical, US-CA: critical}", "severity_by_jurisdiction: {XX: critical}",
     "rule FEE-003: `severity_by_jurisdiction.XX`: not a jurisdiction (CN,"),
    ('references: ["case:C7", "case:C1",', 'references: [3, "case:C1",',
     ":14: rule FEE-001: a reference is a register id or {id: ..., binding: false}, not 3"),
    ('references: ["case:C7", "case:C12", cn-price-marking-2]', 'references: [{id: "case:C7", binding: false}]',
     "rule FEE-002: `references` must cite a case or a regulation"),
    ("  - id: FEE-001\n    name:", "  - name:", ":4: rule #1: every rule needs an `id`"),
    ("  - id: FEE-001\n", "  - idx: FEE-001\n", ":4: rule #1: unknown key `idx` (known: id, name,"),
    ("checklist: fees\n", "", "fees.yaml:1: a checklist file needs a `checklist` name and `rules`"),
    ("checklist: fees", "checklistx: fees", "fees.yaml:1: unknown key `checklistx` (known: checklist, title, rules)"),
])
def test_checklist_errors_name_the_file_line_and_rule(tmp_path, old, new, message):
    (tmp_path / "references.yaml").write_bytes((REPO / "checklists" / "references.yaml").read_bytes())
    text = (REPO / "checklists" / "fees.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "fees.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_checklist_dirs([tmp_path])
    assert str(caught.value).startswith(str(tmp_path / "fees.yaml")) and message in str(caught.value), caught.value


# --- validating without the auditor's commands -------------------------------------------------------

def _module(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "auditor.schema", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_python_m_auditor_schema(tmp_path):
    good = _module(str(REPO / "examples" / "ci-repo" / "auditor.toml"), str(REPO / "checklists" / "fees.yaml"))
    assert good.returncode == 0 and good.stdout == ""
    bad = tmp_path / "waivers.yaml"
    bad.write_text(_WAIVER.replace("    reason: r\n", ""), encoding="utf-8")
    result = _module(str(bad))
    assert result.returncode == 1 and result.stdout.startswith(f"{bad}:") and "`reason` is required" in result.stdout
    where = _module("--path", "config")
    assert where.returncode == 0 and Path(where.stdout.strip()).name == "config.schema.json"
    assert Path(where.stdout.strip()).is_file()


def test_readme_publishes_the_schemas_and_its_snippets_validate(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Validate your configuration in the editor", 1)[1].split("\n## ", 1)[0]
    assert "python -m auditor.schema" in section
    snippets = re.findall(r"```(toml|yaml)\n(.*?)```", section, flags=re.S)
    kinds = {}
    for language, text in snippets:
        directive = re.search(r"(?:#:schema |yaml-language-server: \$schema=)\S*/(\w+)\.schema\.json", text)
        assert directive, text
        kinds[directive.group(1)] = text
        name = {"config": "auditor.toml", "waivers": "waivers.yaml", "checklist": "acme.yaml"}[directive.group(1)]
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert validate_file(tmp_path / name, None if language == "toml" else directive.group(1)) == [], text
    assert set(kinds) == set(OWN)

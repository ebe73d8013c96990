"""The rule-set cache: a hit equals a fresh build, any change is a miss, a bad entry is ignored."""

from __future__ import annotations

import os
import pickle
import shutil
import sys

import pytest

from auditor import cache
from auditor.checklists import cached_ruleset, load_checklist_dirs
from auditor.resources import data_dir
from auditor.text.lexicon import load_lexicon
from auditor.text.normalize import normalize


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    return folder


@pytest.fixture
def checklists(tmp_path):
    folder = tmp_path / "checklists"
    shutil.copytree(data_dir("checklists"), folder)
    return folder


def _entries(folder):
    return sorted(p.name for p in folder.glob("*.pickle")) if folder.exists() else []


def test_a_hit_equals_a_fresh_build(cache_dir, checklists):
    built = cached_ruleset([checklists])
    assert [name.split("-")[0] for name in _entries(cache_dir)] == ["ruleset"]
    hit = cached_ruleset([checklists])
    assert hit is not built  # read back from the pickle
    fresh = load_checklist_dirs([checklists])
    assert hit.digest == fresh.digest
    assert hit.rules == fresh.rules
    assert hit.lexicons == fresh.lexicons
    assert set(hit.compiled_lexicons) == set(fresh.lexicons)


def test_cached_lexicons_match_like_fresh_ones(cache_dir, checklists):
    cached_ruleset([checklists])
    hit = cached_ruleset([checklists])
    # context rejections (电信条例 is a law, not the operator) and weak entries survive the pickle
    text = normalize("本月办理比中国联通便宜，详见《电信条例》。Three 和 EE 的套餐都更贵。")
    assert {m.key for m in hit.compiled_lexicons["competitors"].find(text)} >= {"China Unicom", "Three", "EE"}
    for name, groups in hit.lexicons.items():
        fresh = load_lexicon(groups)
        assert [(m.key, m.start, m.end, m.entry) for m in hit.compiled_lexicons[name].find(text)] == \
               [(m.key, m.start, m.end, m.entry) for m in fresh.find(text)], name


def test_a_changed_checklist_is_a_miss(cache_dir, checklists):
    before = cached_ruleset([checklists])
    path = checklists / "fees.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("FEE-001", "FEE-901", 1), encoding="utf-8")
    after = cached_ruleset([checklists])
    assert after.digest != before.digest
    assert "FEE-901" in {r.id for r in after.rules}
    assert len(_entries(cache_dir)) == 2  # both kept (up to cache.KEEP per name)


def test_only_the_newest_entries_are_kept(cache_dir):
    for index in range(cache.KEEP + 3):
        cache.put("thing", f"{index:04d}", index)
        os.utime(cache_dir / f"thing-{index:04d}.pickle", ns=(index * 10**9, index * 10**9))
    kept = _entries(cache_dir)
    assert len(kept) == cache.KEEP and "thing-0000.pickle" not in kept
    assert cache.get("thing", f"{cache.KEEP + 2:04d}") == cache.KEEP + 2


def test_a_changed_lexicon_is_a_miss(cache_dir, checklists):
    cached_ruleset([checklists])
    path = checklists / "lexicons" / "competitors.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- key: Acme Mobile\n  terms: [Acme Mobile]\n",
                    encoding="utf-8")
    after = cached_ruleset([checklists])
    assert [m.key for m in after.compiled_lexicons["competitors"].find(normalize("Acme Mobile"))] == ["Acme Mobile"]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "group-writable"])
def test_a_bad_entry_is_ignored(cache_dir, checklists, damage):
    cached_ruleset([checklists])
    (entry,) = cache_dir.glob("ruleset-*.pickle")
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "garbage":
        entry.write_bytes(pickle.dumps({"not": "a rule set"}))
    else:
        os.chmod(entry, 0o664)
    ruleset = cached_ruleset([checklists])
    assert ruleset.rules == load_checklist_dirs([checklists]).rules


def test_turned_off_writes_nothing(cache_dir, checklists, monkeypatch):
    monkeypatch.setenv(cache.ENV_OFF, "1")
    assert cached_ruleset([checklists]).rules
    assert not cache_dir.exists()


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch, checklists):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    assert cached_ruleset([checklists]).rules


def test_the_plugin_scan_is_redone_when_a_path_folder_changes(cache_dir, tmp_path, monkeypatch):
    from auditor import plugins

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    assert all(name != "late" for name, _ in plugins._entry_points())
    dist = site / "late_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: late-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[auditor.rules]\nlate = late_plugin\n")
    stamp = os.stat(site).st_mtime_ns
    os.utime(site, ns=(stamp + 10**9, stamp + 10**9))  # coarse file-system clocks: make the change visible
    assert ("late", "late_plugin") in plugins._entry_points()


def test_cli_shows_and_clears_the_cache(cache_dir, checklists, runner):
    from auditor.cli import main

    assert runner.invoke(main, ["cache", "dir"]).output.strip() == str(cache_dir)
    cached_ruleset([checklists])
    assert _entries(cache_dir)
    result = runner.invoke(main, ["cache", "clear"])
    assert result.exit_code == 0 and "removed" in result.output
    assert _entries(cache_dir) == []

"""auditor.entrypoints finds what importlib.metadata finds, and leaves to it what it does not mirror."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata

import pytest

from auditor import entrypoints
from auditor.entrypoints import Unsupported, scan


def _reference(group: str) -> list[tuple[str, str]]:
    return sorted((entry.name, entry.value) for entry in metadata.entry_points(group=group))


def _dist(folder, name: str, entry_points: str | None = None, metadata_name: str | None = None):
    dist = folder / name
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {metadata_name or name.split('-')[0]}\n"
                                   "Version: 1.0\n", encoding="utf-8")
    if entry_points is not None:
        (dist / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return dist


@pytest.mark.parametrize("group", ["console_scripts", "auditor.rules", "pytest11", "no.such.group"])
def test_the_installed_distributions_give_the_same_entry_points(group):
    assert sorted(scan(group)) == _reference(group)


@pytest.fixture
def made_up_path(tmp_path, monkeypatch):
    """Two site folders with the cases importlib.metadata handles in its own way."""
    first, second = tmp_path / "site1", tmp_path / "site2"
    _dist(first, "plain-1.0.dist-info", "# a comment\n\n[auditor.rules]\n  one = one_rules  \ntwo=two:mod = x\n"
                                        "[console_scripts]\ntool = plain:main\n")
    _dist(first, "preamble-1.0.dist-info", "stray = line\n[auditor.rules]\npre = pre_rules\n")
    _dist(first, "no_entry_points-1.0.dist-info")
    _dist(first, "brackets-1.0.dist-info", "[[auditor.rules]]\nbracketed = b\n[]\nnameless = n\n")
    _dist(first, "old_style-1.0.egg-info", "[auditor.rules]\negg = egg_rules\n")
    (first / "flat-1.0-py3.11.egg-info").write_text("Metadata-Version: 1.0\nName: flat\n", encoding="utf-8")
    # one name (normalised) in two folders: the first on the path counts
    _dist(first, "Dup.Name-1.0.dist-info", "[auditor.rules]\ndup = first\n")
    _dist(second, "dup_name-2.0.dist-info", "[auditor.rules]\ndup = second\n")
    _dist(second, "other-1.0.dist-info", "[auditor.rules]\nother = other_rules\n")
    path = [str(first), str(tmp_path / "missing"), str(second)]
    monkeypatch.setattr(sys, "path", [*path, *sys.path])
    return path


def test_made_up_folders_give_the_same_entry_points(made_up_path):
    for group in ("auditor.rules", "console_scripts"):
        assert sorted(entrypoints.entry_points(group)) == _reference(group)
    found = dict(scan("auditor.rules", made_up_path))
    assert found["dup"] == "first" and found["two"] == "two:mod = x" and "stray" not in found


def test_two_versions_in_one_folder_are_told_apart_as_importlib_does(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _dist(site, "twice-1.0.dist-info", "[auditor.rules]\ntwice = one\n")
    _dist(site, "twice-2.0.dist-info", "[auditor.rules]\ntwice = two\n")
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    assert sorted(scan("auditor.rules")) == _reference("auditor.rules")


@pytest.mark.parametrize("case", ["zip", "egg", "suffix", "no_equals", "not_utf8", "finder"])
def test_what_is_not_mirrored_is_left_to_importlib_metadata(tmp_path, monkeypatch, case):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    if case == "zip":
        archive = tmp_path / "bundle.zip"
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr("zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\nVersion: 1.0\n")
            bundle.writestr("zipped-1.0.dist-info/entry_points.txt", "[auditor.rules]\nzipped = zipped_rules\n")
        sys.path.insert(0, str(archive))
    elif case == "egg":
        sys.path.insert(0, str(tmp_path / "thing-1.0.egg"))
        _dist(tmp_path / "thing-1.0.egg", "EGG-INFO", "[auditor.rules]\negg = egg_rules\n", "thing")
    elif case == "suffix":
        _dist(site, "Shouty-1.0.DIST-INFO", "[auditor.rules]\nshouty = shouty_rules\n", "shouty")
    elif case == "no_equals":
        _dist(site, "broken-1.0.dist-info", "[auditor.rules]\nno equals sign here\n")
    elif case == "not_utf8":
        dist = _dist(site, "latin-1.0.dist-info")
        (dist / "entry_points.txt").write_bytes("[auditor.rules]\nlatin = caf\xe9\n".encode("latin-1"))
    else:
        class Finder:
            @staticmethod
            def find_distributions(context=None):
                return iter(())

        monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    with pytest.raises(Unsupported):
        scan("auditor.rules")
    try:
        expected = _reference("auditor.rules")
    except Exception as exc:  # importlib.metadata fails on it: so does the fallback, the same way
        with pytest.raises(type(exc)):
            entrypoints.entry_points("auditor.rules")
        return
    assert sorted(entrypoints.entry_points("auditor.rules")) == expected

"""The fast text analysis (issue 20) gives exactly what its definition gives (tests/reference_text.py):
the normal form and its position map, money, date and duration mentions, sentence bounds, lexicon
matches, and, for whole audits, the JSON report byte for byte."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest
import reference_text as reference
from helpers import REPO, corpus_sample

from auditor.checks import _util
from auditor.text import context, dates, money
from auditor.text import normalize as fast

sys.path.insert(0, str(REPO / "benchmarks"))

TRICKY = [
    "", "plain ascii TEXT", "ΣΑΣ ΟΔΟΣ σΣ", "İstanbul ﬁne ½ price…… ™ ＥＥ １２个月 ㎡", "e\u0301 x\u0301 ǅ",
    "后來 發現 乾隆 頭髮 聯通 簡體", "Straße ẞ", "ﾃｽﾄ ｶﾞ ㄱㅏ 한국어 ᄀ\u1161", "\U0001F600 emoji ℡ ① ⑴ ㈱",
    "３０天内有效，逾期作废！（详见ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ）", "£8/month … €5 — “quoted” ‘single’",
    "臺灣大哥大 月租費 999元／月 合約２４個月", "Ⅻ ⅻ ﬀ ﬃ ｷﾞｶﾞ ＄５", "\u00a0nbsp\u2009thin\u3000ideographic",
]


def _archive_texts(count: int = 300) -> list[str]:
    import json
    import tempfile
    from pathlib import Path

    from generate import generate

    with tempfile.TemporaryDirectory() as folder:
        texts = []
        for path in generate(Path(folder), count, seed=23):
            document = json.loads(path.read_text(encoding="utf-8"))
            texts += [m["text"] for m in document["materials"] if "text" in m]
            texts += [n["text"] for n in (document.get("end_of_term") or {}).get("notifications") or []]
    return texts


@pytest.fixture(scope="module")
def archive_texts():
    return _archive_texts()


def _random_texts(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    pool = ([chr(i) for i in range(0x20, 0x3400)] + [chr(i) for i in range(0x4E00, 0x4E00 + 400)]
            + [chr(i) for i in range(0xF900, 0x10000)] + list("ＡＢ１２…℡ΣİﬁẞǅΣ《》联聯發发") + ["\U0001D400", "\U00020000"])
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def _same(text: str) -> bool:
    ours, theirs = fast.normalize.__wrapped__(text), reference.normalize(text)
    return (ours.text == theirs.text and tuple(ours.origin) == theirs.origin and ours == theirs
            and all(ours.span(s, e) == theirs.span(s, e) for s, e in ((0, 1), (2, 5), (len(text) - 1, len(text)))))


def test_normal_form_and_position_map_match_the_definition(archive_texts):
    # past the first texts the fold switches from the table to the pattern: both ways are covered
    for text in TRICKY + _random_texts(4000) + archive_texts + TRICKY:
        assert _same(text), text[:80]


def test_fold_by_table_and_by_pattern_agree():
    for text in TRICKY + _random_texts(500, seed=9):
        by_table = text.translate(fast._FOLD)
        by_pattern = text
        for char in set(fast._unstable().findall(text)):
            by_pattern = by_pattern.replace(char, fast._FOLD[ord(char)])
        assert by_table == by_pattern.lower(), text


@pytest.mark.skipif(unicodedata.unidata_version != fast._STABLE_VERSION,
                    reason="other Unicode versions fold through the table only")
def test_every_character_in_the_stable_ranges_is_its_own_nfkc():
    for low, high in fast._STABLE_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            assert char != "\u03a3" and unicodedata.normalize("NFKC", char) == char, hex(code)


def test_folds_are_lower_case_and_hold_only_stable_characters():
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        folded = unicodedata.normalize("NFKC", chr(code)).lower()
        assert folded.lower() == folded, hex(code)
        assert all(unicodedata.normalize("NFKC", c) == c for c in folded), hex(code)


def test_script_conversion_is_skipped_only_where_nothing_converts():
    # below the first convertible character (where the conversion is skipped), and the Yi, Hangul, private-use
    # and half-width blocks, which the conversion is run over but must leave as they are
    outside = "".join(chr(c) for c in [*range(0x20, 0x2E80), *range(0xA000, 0xD800), *range(0xE000, 0xF900),
                                       *range(0xFB00, 0x10000)])
    assert max(outside[:0x2E80 - 0x20]) < fast._FIRST_CONVERTIBLE
    assert fast.to_simplified(outside) == outside
    assert all(fast.to_simplified(c) == c for c in outside[::7])


def test_identity_position_map_behaves_like_the_tuple():
    identity, tuple_map = fast._Identity(5), tuple(range(5))
    assert len(identity) == 5 and list(identity) == list(tuple_map) and identity == tuple_map
    assert identity[0] == 0 and identity[-1] == 4 and identity[1:3] == (1, 2) and bool(fast._Identity(0)) is False
    with pytest.raises(IndexError):
        identity[5]


def _scan_inputs(archive_texts) -> list[str]:
    rng = random.Random(3)
    alphabet = (list("0123456789 .,-/$£€¥元块月天日年周个星期工作一二两三十百万亿零五伍拾")
                + ["month", "days", "year", "week", "rmb", "nt$", "hk$", "us$", "a$", "per", "a ", "an ", "one",
                   "twenty-four", "march", "mar.", "sept", "st", "th", "\n", "ab", "x", "民国", "民国 ", "116", "31/03/",
                   "2027", "12.", "-mar-", "月租", "月费", "资费", "monthly fee", "p/m", "%", "every ", "每",
                   "unlimited ", "data ", "fair use", "speeds ", "reduced to", "after ", "10gb", "up to ", "mbps",
                   "无限", "流量", "不限量", "超过", "according to", "survey", "据", "调查", "截至", "ofcom data",
                   "other ", "the big ", "mobile ", "networks", "carriers", "andere ", "anbieter", "autres ",
                   "opérateurs"])
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(6000)]
    return [fast.normalize(t).text for t in archive_texts] + fuzz


@pytest.mark.parametrize("module,name", [(money, "_MONEY"), (dates, "_DATE"), (dates, "_DURATION"),
                                         (context, "_BASIS"), (context, "_UNLIMITED"), (context, "_LIMIT"),
                                         (context, "_GROUP_OF_RIVALS")])
def test_scanning_patterns_find_what_the_plain_patterns_find(archive_texts, module, name):
    ours = getattr(module, name)
    theirs = reference.without_lookahead(ours)
    for text in _scan_inputs(archive_texts):
        assert ([(m.span(), m.groupdict()) for m in ours.finditer(text)]
                == [(m.span(), m.groupdict()) for m in theirs.finditer(text)]), text


def test_sentence_bounds_match_the_scan_from_the_start(archive_texts):
    rng = random.Random(2)
    texts = [fast.normalize(t).text for t in archive_texts[:200]]
    texts += ["".join(rng.choice("ab .。!\n;x") for _ in range(rng.randint(0, 20))) for _ in range(3000)]
    for text in texts:
        for _ in range(8):
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert _util.sentence_bounds(text, start, end) == reference.sentence_bounds(text, start, end), (text, start)


def test_stated_amounts_are_found_as_mention_by_mention(archive_texts):
    from decimal import Decimal

    amounts = [None, 0, 5, 8, 10, 12, 24, 99, 198, 0.29, 9.99, Decimal("12.50"), "5", "x", float("nan"), True]
    for text in archive_texts[:400] + TRICKY:
        normalized = fast.normalize(text)
        for amount in amounts:
            for currency in (None, "CNY", "GBP", "TWD", "EUR"):
                assert (_util.states_amount(normalized, amount, currency)
                        == reference.states_amount(normalized, amount, currency)), (text[:40], amount, currency)


def test_lexicon_matches_are_those_of_the_original_loop(archive_texts):
    from auditor.engine import AuditOptions

    lexicons = list(AuditOptions().rules().compiled_lexicons.values())
    texts = [fast.normalize(t).text for t in archive_texts + TRICKY]
    texts += ["EE-2000 ee free EE. -EE 2000-EE 《电信条例》联通 EE-", "ee-", "《联通》", "a&ee_b ee"]
    for lexicon in lexicons:
        for text in texts:
            assert lexicon._find(text) == reference.lexicon_find(lexicon, text)


def _report(runner, paths: list[str]) -> bytes:
    from auditor.cli import main

    done = runner.invoke(main, ["check", *paths, "--format", "json", "--jobs", "1"])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    return done.stdout_bytes


def test_reports_are_byte_identical_to_the_reference_on_the_corpus_and_a_varied_archive(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from generate import generate

    monkeypatch.chdir(REPO)
    generate(tmp_path / "varied", 160, seed=31)
    generate(tmp_path / "pooled", 40, seed=31, texts="pooled")
    paths = [*corpus_sample(), str(tmp_path / "varied"), str(tmp_path / "pooled")]
    runner = CliRunner()
    reference.clear_caches()
    ours = _report(runner, paths)
    with reference.installed(monkeypatch):
        theirs = _report(runner, paths)
    assert b'"findings":[{' in ours  # findings fire, so the comparison says something
    assert ours == theirs

"""Corpus stage: reading documents, locating quotes, dates."""

from pathlib import Path

import pytest

from kg.corpus import Document, find_all, fold, locate, parse_date, read_document, read_yaml
from kg.errors import CorpusError, QuoteError

from helpers import SEEDS

DOC = Document(Path("d.txt"), "The U.S. threatened\n  tariffs. The U.S. then dropped them.")


def test_seeds_identical_to_shared_copy():
    shared = SEEDS.parents[1] / "shared" / "seeds"
    if not shared.exists():
        shared = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds not present on this machine")
    names = sorted(p.name for p in shared.glob("*.txt"))
    assert names == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name in names:
        assert (SEEDS / name).read_bytes() == (shared / name).read_bytes(), name


def test_locate_across_line_break_records_exact_text():
    start, end = locate(DOC, "threatened tariffs.")
    assert DOC.text[start:end] == "threatened\n  tariffs."


def test_locate_missing_quote_names_file_and_statement():
    with pytest.raises(QuoteError) as err:
        locate(DOC, "imposed tariffs", where="statement 3 (x)", yaml_path=Path("d.yaml"), line=7)
    assert str(err.value).startswith("d.yaml:7: statement 3 (x): quote not found in d.txt")


def test_locate_ambiguous_quote_needs_occurrence():
    with pytest.raises(QuoteError, match="found 2 times"):
        locate(DOC, "The U.S.")
    second = DOC.text.index("The U.S. then")
    assert locate(DOC, "The U.S.", occurrence=2) == (second, second + len("The U.S."))
    with pytest.raises(QuoteError, match="out of range"):
        locate(DOC, "The U.S.", occurrence=3)


def test_locate_hints_at_curly_quotes():
    doc = Document(Path("d.txt"), "Mexico’s border")
    with pytest.raises(QuoteError, match="normalised"):
        locate(doc, "Mexico's border")


def test_offsets_count_code_points():
    doc = Document(Path("d.txt"), "López Obrador — “bienvenidos” 🙂 migrants")
    start, end = locate(doc, "migrants")
    assert doc.text[start:end] == "migrants" and start == len("López Obrador — “bienvenidos” 🙂 ")


@pytest.mark.parametrize("raw,expected", [
    ("2019", ("2019", "year")), ("2019-05", ("2019-05", "month")), ("2019-06-07", ("2019-06-07", "day")),
])
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2019-13", "2019-02-30", "May 2019", "19-05", ""])
def test_parse_date_rejects(raw):
    with pytest.raises(ValueError, match="bad date"):
        parse_date(raw)


def test_read_document_rejects_non_utf8(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"ok line\nbad \xff byte")
    with pytest.raises(CorpusError, match=r"bad.txt:2: not valid UTF-8 \(byte 0xff"):
        read_document(p)


def test_read_document_rejects_empty_and_missing(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("  \n")
    with pytest.raises(CorpusError, match="empty document"):
        read_document(p)
    with pytest.raises(CorpusError, match="file not found"):
        read_document(tmp_path / "nope.txt")


def test_read_yaml_reports_line(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("statements:\n  - id: a\n    quote: [unclosed\n")
    with pytest.raises(CorpusError, match=r"x.yaml:\d+: malformed YAML"):
        read_yaml(p)


def test_fold_is_case_and_accent_insensitive():
    assert fold("López  OBRADOR") == fold("lopez obrador")
    assert find_all("a  b a b", "a b") == [(0, 4), (5, 8)]

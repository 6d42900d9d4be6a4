"""Bad input and faults: every case is one error line naming the file and place, a non-zero exit,
and outputs as they were; a build is all-or-nothing even when it is killed."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import MINI, ROOT, SEEDS, run_kg
from kg.errors import KGError

STATEMENT_LINES = {  # a line of the mini fixture -> what it becomes
    "date: 2019-13-45": ("    date: 2019-05", "    date: 2019-13-45"),
    "date: 2019-02-30": ("    date: 2019-05", "    date: 2019-02-30"),
    "timestamp tag": ("    date: 2019-05", "    date: !!timestamp 2019-02-30"),
    "status list": ("    status: adopted", "    status: [implemented]"),
    "status set": ("    status: adopted", "    status: !!set {adopted: null}"),
    "timestamp on a non-date": ("    status: adopted", "    status: !!timestamp adopted"),
    "value .inf": ("    value: 6000", "    value: .inf"),
    "value .nan": ("    value: 6000", "    value: .nan"),
    "boolean where text is due": ("    unit: people", "    unit: yes"),
    "date finer than its quote": ("    date: 2019-06-07", "    date: 2019-06-08"),
    "control character": ("    unit: people", '    unit: "peo\x01ple"'),
}


def _message(res: subprocess.CompletedProcess) -> str:
    assert res.returncode == 1, res.stdout + res.stderr
    assert res.stdout == "" or "Traceback" not in res.stdout
    assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
    return res.stderr.strip()


@pytest.fixture
def built_mini(mini, tmp_path):
    out = tmp_path / "out"
    res = run_kg("build", "--seeds", str(mini), "--out", str(out), "--no-views")
    assert res.returncode == 0, res.stderr
    return mini, out, {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


@pytest.mark.parametrize("case", sorted(STATEMENT_LINES))
def test_a_bad_value_is_one_line_with_file_and_line(built_mini, case):
    mini, out, before = built_mini
    old, new = STATEMENT_LINES[case]
    yml = mini / "001_tariffs.yaml"
    text = yml.read_text(encoding="utf-8")
    assert old in text
    if case == "date finer than its quote":  # the declaration's date is on the joint-statement quote
        text = text.replace("    date: 2019-06-07", "    date: 2019-06-08")
    else:
        text = text.replace(old, new, 1)
    yml.write_text(text, encoding="utf-8")
    line = text[:text.index(new if case != "date finer than its quote" else "2019-06-08")].count("\n") + 1
    message = _message(run_kg("build", "--seeds", str(mini), "--out", str(out), "--no-views"))
    assert message.startswith(f"error: {yml}:{line}: "), message
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_document_name_that_needs_percent_encoding_builds(mini, tmp_path):
    from rdflib import Dataset

    for suffix in (".txt", ".yaml"):
        (mini / f"001_tariffs{suffix}").rename(mini / f'001 my <"article"> {{x}}{suffix}')
    out = tmp_path / "out"
    res = run_kg("build", "--seeds", str(mini), "--out", str(out), "--no-views")
    assert res.returncode == 0, res.stderr
    graphs = {str(g.identifier) for g in Dataset().parse(out / "dataset.nq", format="nquads").graphs()}
    assert "https://w3id.org/migration-kg/id/doc/001%20my%20%3C%22article%22%3E%20%7Bx%7D" in graphs


def test_a_curation_file_without_its_document_is_reported(mini, tmp_path):
    shutil.copy(mini / "001_tariffs.yaml", mini / "002_orphan.yaml")
    message = _message(run_kg("build", "--seeds", str(mini), "--out", str(tmp_path / "out"), "--no-views"))
    assert message == f"error: {mini / '002_orphan.yaml'}: curation file without its document: " \
                      f"002_orphan.txt is not in the folder"


def test_extract_of_a_long_single_line_file(tmp_path):
    import yaml

    from kg.corpus import Document, locate

    doc = tmp_path / "long.txt"
    last = "President Donald Trump threatened to impose a five percent tariff on imports from Mexico."
    text = "Lorem ipsum dolor sit amet. " * 72_000 + last  # about 2 MB on one line
    doc.write_text(text, encoding="utf-8")
    res = run_kg("extract", str(doc), "--out", str(tmp_path / "cand"), "--jobs", "1")
    assert res.returncode == 0, res.stderr
    found = yaml.safe_load((tmp_path / "cand" / "long.yaml").read_text(encoding="utf-8"))
    quotes = [s["quote"] for s in found["statements"]]
    assert any(locate(Document(doc, text), q)[0] > 1_000_000 for q in quotes), quotes


# --- a disk that refuses -------------------------------------------------------------------------

def _mount_tmpfs(where: Path, options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.mark.parametrize("options, reason", [("size=256k", "no space left on the device"),
                                             ("ro,size=1m", "not writable")])
def test_a_full_or_read_only_disk_is_one_line_and_leaves_nothing(tmp_path, options, reason):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, options):
        if os.geteuid() != 0:
            disk.mkdir(exist_ok=True)
            if "ro" not in options:
                pytest.skip("a full disk needs a small tmpfs, which only root can mount")
            disk.chmod(0o555)
        else:
            pytest.skip("tmpfs cannot be mounted here")
    try:
        message = _message(run_kg("build", "--seeds", str(SEEDS), "--out", str(disk / "build"), "--no-views"))
        assert reason in message and str(disk) in message, message
        leftovers = [p for p in disk.rglob("*") if p.is_file() and p.name != "lock"]
        assert leftovers == []
    finally:
        _umount(disk)


# --- fuzzing the curated YAML -------------------------------------------------------------------

NASTY = ["[a, b]", "!!set {a: null}", "!!timestamp 2019-02-30", "2019-13-45", ".inf", ".nan", "~", "yes",
         "{x: 1}", '"\\x01"', "!!binary aGVsbG8=", "!!int x", "&a x", "*a", "'unterminated", "-1", "1e400",
         '"   "', "!!python/object:os.system ls", "2019-02-30", "0x1F", "[[]]", "!!float nope", "|\n  a",
         "\u0007", "ü\u202e", "@x", "`x`", "% x", "--- x", "2019-6-7", '"2019-06-07T10:00"', "!!str",
         "1,300", "12:30:00", "!!map [a]", "mkg:Pressure", "donald-trump", "[donald-trump, nobody]"]


@st.composite
def mutations(draw):
    lines = (MINI / "001_tariffs.yaml").read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "delete", "duplicate", "swap", "indent", "insert", "truncate"]))
        if op == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(NASTY))}"
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=12)))
        elif op == "truncate":
            lines = lines[:i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutations())
def test_a_mutated_curation_file_builds_or_is_one_error_line(tmp_path_factory, text):
    from kg.build import compile_and_validate

    seeds = tmp_path_factory.mktemp("fuzz")
    for p in MINI.iterdir():
        shutil.copy(p, seeds / p.name)
    (seeds / "001_tariffs.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        compile_and_validate(seeds)
    except KGError as exc:
        message = str(exc)
        assert "\n" not in message, message
        assert re.match(rf"{re.escape(str(seeds))}/[\w.]+\.yaml:\d+: ", message), message
    shutil.rmtree(seeds)


# --- a build is all-or-nothing ------------------------------------------------------------------

def _generation(out: Path) -> dict:
    """What a reader sees in ``out``: every output parses, and all come from one build."""
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    nq = Dataset().parse(out / "dataset.nq", format="nquads")
    trig = Dataset().parse(out / "dataset.trig", format="trig")
    union = Graph().parse(out / "union.ttl", format="turtle")
    json.loads((out / "dataset.jsonld").read_text(encoding="utf-8"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    graphs = {g.identifier: g for g in nq.graphs() if len(g)}
    assert graphs.keys() == {g.identifier for g in trig.graphs() if len(g)}
    for name, graph in graphs.items():
        assert isomorphic(graph, trig.graph(name)), name
    triples = Graph()
    for s, p, o, _g in nq.quads((None, None, None, None)):
        triples.add((s, p, o))
    assert isomorphic(triples, union)
    for name in ("full", "pressure", "policy"):
        page = (out / "views" / f"{name}.html").read_text(encoding="utf-8")
        assert page.rstrip().endswith("</html>")
    return summary["counts_by_class"]


def test_a_killed_build_leaves_the_old_build_or_the_new_one(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI, seeds)
    out = tmp_path / "build"
    command = ["build", "--seeds", str(seeds), "--out", str(out), "--store", "oxigraph"]
    assert run_kg(*command).returncode == 0
    old = _generation(out)
    # the next build differs: one more thing
    catalogue = seeds / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "things:\n", "things:\n  - {id: kill-test-instrument, class: Instrument, label: kill test}\n", 1),
        encoding="utf-8")
    new = {**old, "Instrument": old["Instrument"] + 1}
    rng = random.Random(7)
    home = out.parent / ".build.builds"
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-m", "kg", *command], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = {p.name for p in home.iterdir()}
        deadline = time.monotonic() + 120
        while not ({p.name for p in home.iterdir()} - before) and proc.poll() is None:  # the write phase began
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _generation(out) in (old, new)
    assert run_kg(*command).returncode == 0
    assert _generation(out) == new
    kept = sorted(p.name for p in home.iterdir() if p.is_dir())
    assert len(kept) <= 2, f"leftovers of killed builds were not removed: {kept}"
    assert not [p for p in home.rglob("*.tmp")]

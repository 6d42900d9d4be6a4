"""The console command as a user meets it: a subprocess with real files."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from helpers import MINI, ROOT, curated_count, run_kg


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "build"
    proc = run_kg("build", "--no-views", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "SHACL: conforms" in proc.stdout and "Pressure" in proc.stdout
    return out


def test_build_summary_and_outputs(built):
    for name in ("dataset.trig", "dataset.nq", "union.ttl", "dataset.jsonld"):
        assert (built / name).stat().st_size > 1000, name
    summary = json.loads((built / "summary.json").read_text())
    assert summary["conforms"] and summary["counts_by_class"]["Pressure"] == curated_count("Pressure")


def test_query_who_pressured_whom_csv(built):
    proc = run_kg("query", "who-pressured-whom", "--data", str(built), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert any("Donald Trump" in r["exertedBy"].split(" | ") and "Mexico" in r["targets"].split(" | ") for r in rows)


def test_query_with_param_table_and_json(built):
    proc = run_kg("query", "who-pressured-whom", "--data", str(built), "--param", "actor=López Obrador")
    assert proc.returncode == 0, proc.stderr
    assert "Andrés Manuel López" in proc.stdout and "row(s)" in proc.stdout
    proc = run_kg("query", "who-pressured-whom", "--data", str(built), "-p", "actor=lopez obrador", "--format", "json")
    assert all("Andrés Manuel López Obrador" in r["exertedBy"].split(" | ") for r in json.loads(proc.stdout))
    proc = run_kg("query", "statistics", "--data", str(built), "-p", "document=002_2cdf664f68f1b5a3.txt",
                  "--format", "json")
    data = json.loads(proc.stdout)
    assert any(r["value"] == 444309 for r in data)


def test_query_table_shows_a_page_that_fits_the_terminal(built):
    actors = sum(curated_count(c) for c in ("Person", "State", "GovernmentBody", "Administration",
                                            "InternationalOrganization", "CivilSocietyOrganization",
                                            "PopulationGroup", "CriminalGroup"))
    proc = run_kg("query", "actors", "--data", str(built), env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[-1] == f"rows 1–50 of {actors} (--offset 50 for the next, --all for every row)"
    proc = run_kg("query", "actors", "--data", str(built), "--offset", "50", "--limit", "200", env={"COLUMNS": "80"})
    assert proc.stdout.splitlines()[-1] == f"rows 51–{actors} of {actors}"
    proc = run_kg("query", "actors", "--data", str(built), "--all", env={"COLUMNS": "120"})
    assert proc.stdout.splitlines()[-1] == f"{actors} row(s)"
    assert "Marcelo Ebrard" in proc.stdout and "Donald Trump" in proc.stdout
    # CSV and JSON give every row; a quote's line breaks stay in the data, not in a table
    proc = run_kg("query", "actors", "--data", str(built), "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(proc.stdout)))) == actors
    proc = run_kg("query", "actors", "--data", str(built), "--format", "json", "--limit", "3", "--offset", "1")
    assert len(json.loads(proc.stdout)) == 3


def test_many_columns_in_a_narrow_terminal_become_blocks(built):
    proc = run_kg("query", "who-pressured-whom", "--data", str(built), "--limit", "1", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80 and lines[0].strip() == "─ 1 ─"
    assert any(line.split()[:1] == ["exertedBy"] for line in lines)


def test_query_list_and_file_and_adhoc(built, tmp_path):
    names = sorted(p.stem for p in (ROOT / "kg" / "queries").glob("*.rq"))
    for columns in ("80", "120"):  # a name is what the user types next: never broken
        proc = run_kg("query", "--list", env={"COLUMNS": columns})
        assert proc.returncode == 0, proc.stderr
        listed = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("│ ") and line[2] != " "]
        assert listed == names, proc.stdout
    assert "Who pressured whom" in proc.stdout
    f = tmp_path / "q.rq"
    f.write_text("PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n"
                 "SELECT (COUNT(*) AS ?n) WHERE { ?p a mkg:Pressure }")
    proc = run_kg("query", "--file", str(f), "--data", str(built), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["n"] == curated_count("Pressure")
    proc = run_kg("query", "ASK { ?s ?p ?o }", "--data", str(built))
    assert proc.stdout.strip() == "true"


@pytest.mark.parametrize("args,message", [
    (["query", "no-such-query"], "error: unknown query 'no-such-query'"),
    (["query", "SELECT ?s WHERE { ?s ?p", ], "error: query:1: malformed SPARQL at column"),
    (["query", "who-pressured-whom", "-p", "actor=Nobody Atall"], "unknown entity"),
    (["query", "who-pressured-whom", "-p", "colour=red"], "unknown parameter 'colour'"),
])
def test_query_errors_are_one_line(built, args, message):
    proc = run_kg(*args, "--data", str(built))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr


def test_query_without_build_is_a_clear_error(tmp_path):
    proc = run_kg("query", "agreements", "--data", str(tmp_path / "nothing"))
    assert proc.returncode == 1 and "run 'kg build' first" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_failed_build_keeps_last_good_outputs(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI, seeds)
    out = tmp_path / "out"
    assert run_kg("build", "--no-views", "--seeds", str(seeds), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (seeds / "001_tariffs.yaml").write_text(
        (seeds / "001_tariffs.yaml").read_text().replace("quote: National Guard}", "quote: Navy}"))
    proc = run_kg("build", "--no-views", "--seeds", str(seeds), "--out", str(out))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "001_tariffs.yaml:" in lines[0] and "quote not found" in lines[0] and "'Navy'" in lines[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_build_refuses_non_utf8_document(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI, seeds)
    (seeds / "002_latin1.txt").write_bytes("Peña Nieto".encode("latin-1"))
    proc = run_kg("build", "--no-views", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and "002_latin1.txt:1: not valid UTF-8" in proc.stderr
    assert not (tmp_path / "out" / "dataset.trig").exists()


def test_analyze_commands(built):
    proc = run_kg("analyze", "reversals", "--data", str(built), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated) and any(r["reversal"].endswith("amlo-turn-to-enforcement") for r in rows)
    proc = run_kg("analyze", "who", "--data", str(built))
    assert proc.returncode == 0 and "Donald Trump" in proc.stdout
    proc = run_kg("analyze", "timeline", "--data", str(built), "--from", "2019-13")
    assert proc.returncode == 1 and "bad date" in proc.stderr


def test_every_command_has_help():
    from kg.cli import main

    def walk(group, path):
        for name, cmd in group.commands.items():
            yield path + [name], cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, path + [name])

    for path, cmd in walk(main, []):
        assert cmd.help, path
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        assert "kg " + " ".join(path) in readme, f"'kg {' '.join(path)}' is not documented in the README"


def test_build_shows_progress_on_a_terminal_and_nothing_when_piped(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    args = [sys.executable, "-m", "kg", "build", "--no-views", "--seeds", str(MINI)]
    piped = subprocess.run([*args, "--out", str(tmp_path / "a")], capture_output=True, text=True, cwd=ROOT,
                           timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*args, "--out", str(tmp_path / "b")], stdout=subprocess.DEVNULL, stderr=follower,
                            cwd=ROOT, env=dict(os.environ, COLUMNS="100"))
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the build ended
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    assert b"kg build: compile and validate" in seen


def test_read_commands_open_the_store_the_build_left(tmp_path):
    out = tmp_path / "b"
    proc = run_kg("build", "--no-views", "--seeds", str(MINI), "--out", str(out), "--store", "oxigraph")
    assert proc.returncode == 0, proc.stderr
    (out / "dataset.nq").unlink()  # nothing to parse: the default store is the Oxigraph one the build left
    proc = run_kg("query", "ASK { res:donald-trump a mkg:Person }", "--data", str(out))
    assert proc.returncode == 0 and proc.stdout.strip() == "true", proc.stderr
    proc = run_kg("query", "ASK { ?s ?p ?o }", "--data", str(out), "--store", "memory")
    assert proc.returncode != 0 and proc.stderr.count("\n") == 1 and "dataset.nq" in proc.stderr


def test_analyze_disagreements_names_sources_and_qualifiers(built):
    proc = run_kg("analyze", "disagreements", "--data", str(built), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(rows[0]) == ["label", "kind", "valueA", "qualifierA", "sourcesA", "quoteA",
                             "valueB", "qualifierB", "sourcesB", "quoteB"]
    # 002: "if unauthorized migration does not drop in the first 45 days"; 003: "within 90 days"
    (days,) = [r for r in rows if {r["valueA"], r["valueB"]} == {"45", "90"}]
    sides = {days["valueA"]: days["sourcesA"], days["valueB"]: days["sourcesB"]}
    assert sides["45"] == "Foreign Affairs (002_2cdf664f68f1b5a3)"
    assert sides["90"].endswith("(003_e0d5432f213bd14e)") and sides["90"].startswith("From Opposing the Wall")
    # 000: "transitioning from an emphasis of enforcement to one of protection"; 002, 003, 004: the reverse
    (turn,) = [r for r in rows if r["valueB"] == "from protection to enforcement"]
    assert [c.rsplit("(", 1)[-1][:3] for c in turn["sourcesB"].split(" | ")] == ["002", "003", "004"]
    assert turn["sourcesA"] == "Mexico’s Response to the Central American Migrant Caravans (000_744f73aabb0ea542)"

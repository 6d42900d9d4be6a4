"""The notebook as a user meets it: committed without outputs, run top to bottom in a fresh kernel,
using only the public API; and the ``%%sparql`` magic: bindings, one-line errors, and the same
answers as ``kg query``."""

from __future__ import annotations

import json
import math
import re

import nbformat
import pytest

import kg
from helpers import ROOT, run_kg

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


# --- the committed file ----------------------------------------------------------------------

def test_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} of {NOTEBOOK.name} have outputs or execution counts; clear them " \
                      "(jupyter nbconvert --clear-output --inplace notebooks/explore.ipynb)"
    nbformat.validate(nb)


def test_uses_only_the_public_api():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    source = "\n".join(c.source for c in code_cells(nb))
    used = set(re.findall(r"\bkg\.(\w+)", source))
    for names in re.findall(r"^from kg import (.+)$", source, re.MULTILINE):
        used |= {n.strip().split(" as ")[0] for n in names.split(",")}
    assert not re.search(r"^(from|import) kg\.", source, re.MULTILINE), "import submodules through kg's __all__"
    assert used and used <= set(kg.__all__), f"not in kg.__all__: {sorted(used - set(kg.__all__))}"


# --- the notebook executed -------------------------------------------------------------------

@pytest.fixture(scope="module")
def executed(tmp_path_factory, seed_out):
    """The notebook run with nbclient in a fresh kernel, from notebooks/, on a copy of the
    session's seed build (KG_DATA), so the suite builds the seed graph once."""
    import shutil

    from nbclient import NotebookClient

    data = tmp_path_factory.mktemp("nb") / "build"
    shutil.copytree(seed_out, data)
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_DATA", str(data))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    finally:
        mp.undo()
    return nb, data


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    return "\n".join(str(v) for v in output.get("data", {}).values()) + "\n".join(output.get("traceback", []))


def test_notebook_runs_top_to_bottom(executed):
    nb, data = executed  # nbclient raises on the first cell that fails
    assert (data / "dataset.nq").exists(), "the notebook should build the graph when it is missing"
    cells = code_cells(nb)
    assert all(c.execution_count for c in cells)
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert not any("Traceback" in _text(o) for c in cells for o in c.outputs)


def test_notebook_shows_each_part(executed):
    nb, _ = executed
    cells = code_cells(nb)
    kinds = {(o.output_type, m) for c in cells for o in c.outputs for m in o.get("data", {})}
    assert ("execute_result", "text/html") in kinds          # DataFrames
    assert ("display_data", "image/png") in kinds            # the timeline plot
    frames = [c for c in cells for o in c.outputs if "<iframe srcdoc=" in o.get("data", {}).get("text/html", "")]
    assert len(frames) == 2                                  # the interactive views, inline and offline
    page = next(o for o in frames[0].outputs if "text/html" in o.get("data", {}))["data"]["text/html"]
    assert 'sandbox="allow-scripts"' in page and "https://cdn" not in page
    everything = "\n".join(_text(o) for c in cells for o in c.outputs)
    assert "900_example-note.txt" in everything              # the added document, built and queried


def test_error_cell_shows_one_line(executed):
    nb, _ = executed
    [cell] = [c for c in nb.cells if "error-demo" in c.metadata.get("tags", [])]
    [out] = cell.outputs
    assert out.output_type == "stream" and out.name == "stderr"
    assert out.text.strip().count("\n") == 0
    assert out.text.startswith("error: unknown parameter 'actr'")


# --- the %%sparql magic ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def shell(seed_out):
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_cell("%load_ext kg", store_history=False)
    kg.load(seed_out)
    return sh


def cell(sh, line: str, body: str):
    result = sh.run_cell(f"%%sparql {line}\n{body}\n", store_history=False)
    assert result.error_in_exec is None and result.error_before_exec is None
    return result.result


def test_magic_binds_a_notebook_variable(shell):
    shell.user_ns["who"] = "Donald Trump"
    df = cell(shell, "--param actor=who --out trump", "who-pressured-whom")
    assert len(df) > 0 and all("Donald Trump" in a.split(" | ") for a in df["exertedBy"])
    assert shell.user_ns["trump"] is df


def test_magic_binds_literals(shell):
    by_literal = cell(shell, '--param actor="Donald Trump"', "who-pressured-whom")
    assert len(by_literal) > 0 and all("Donald Trump" in a.split(" | ") for a in by_literal["exertedBy"])
    shell.user_ns["mexico"] = "Donald Trump"
    quoted = cell(shell, "--param actor='mexico'", "policies")           # quoted: the text itself
    bare = cell(shell, "--param actor=mexico", "policies")               # bare: the variable
    assert all("Mexico" in a for a in quoted["adoptedBy"])
    assert all("Donald Trump" in a for a in bare["adoptedBy"])
    del shell.user_ns["mexico"]
    unbound = cell(shell, "--param actor=mexico", "policies")            # no such variable: as written
    assert unbound.equals(quoted)


def test_magic_binds_iris_and_reads_other_builds(shell, seed_out):
    from rdflib import URIRef

    shell.user_ns["place"] = URIRef("https://w3id.org/migration-kg/id/mexico")
    shell.user_ns["elsewhere"] = str(seed_out)
    labels = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?label WHERE { ?thing rdfs:label ?label }"
    df = cell(shell, "--data elsewhere --param thing=place", labels)
    assert df["label"].tolist() == ["Mexico"]
    assert cell(shell, "", "ASK { ?s ?p ?o }") is True


def test_magic_pages(shell, capsys):
    from helpers import curated_count

    every = cell(shell, "", "actors")
    page = cell(shell, "--limit 10 --offset 20", "actors")
    assert page["label"].tolist() == every["label"].tolist()[20:30]
    actors = len(every)
    assert page.attrs["total"] == actors and actors > curated_count("Person")
    assert capsys.readouterr().err.strip().endswith(f"rows 21–30 of {actors}")


@pytest.mark.parametrize("line, body, message", [
    ("--limit ten", "policies", "error: --limit 'ten': a number of rows"),
    ("", "SELECT ?x WHERE { ?x ?y", "error: query:1: malformed SPARQL at column"),
    ("--param actr=who", "who-pressured-whom", "error: unknown parameter 'actr' for query 'who-pressured-whom'"),
    ("--param nothing=1", "SELECT ?x WHERE { ?x ?y ?z }", "error: unknown parameter 'nothing'"),
    ("--param actor=nobody-at-all", "policies", "error: --param actor='nobody-at-all': unknown entity"),
    ("--bogus", "policies", "error: unexpected '--bogus'"),
    ('--param actor="Donald', "policies", "error: cannot read the %%sparql line"),
    ("--data /no/such/folder", "policies", "error: /no/such/folder/dataset.nq: no built dataset"),
    ("", "no-such-query", "error: unknown query 'no-such-query'"),
])
def test_magic_errors_are_one_line(shell, capsys, line, body, message):
    capsys.readouterr()
    assert cell(shell, line, body) is None
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert err.count("\n") == 1 and "Traceback" not in err


# --- the same answers as the command line ----------------------------------------------------

def _normal(records: list[dict]) -> list[str]:
    """Rows comparable across processes: GROUP_CONCAT order is not defined by SPARQL, and pandas
    turns an integer column with gaps into floats."""
    def value(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        if isinstance(v, str) and " | " in v:
            return sorted(v.split(" | "))
        return v
    return sorted(json.dumps({k: value(v) for k, v in r.items()}, sort_keys=True) for r in records)


ADHOC = ("PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n"
         "SELECT ?s ?value WHERE { ?s mkg:unit ?unit ; mkg:value ?value }")


@pytest.mark.parametrize("query, params", [
    ("who-pressured-whom", {"actor": "Donald Trump"}),
    ("policies", {"actor": "Mexico"}),
    ("timeline", {"document": "002_2cdf664f68f1b5a3"}),
    (ADHOC, {"unit": "percent"}),
])
def test_magic_matches_kg_query(shell, seed_out, query, params):
    line = " ".join(f'--param {k}="{v}"' for k, v in params.items())
    df = cell(shell, f"--data {seed_out} {line}", query)
    args = [a for k, v in params.items() for a in ("--param", f"{k}={v}")]
    proc = run_kg("query", query, "--format", "json", "--data", str(seed_out), *args)
    assert proc.returncode == 0, proc.stderr
    expected = json.loads(proc.stdout)
    assert list(df.columns) == list(expected[0])
    assert len(expected) > 0 and _normal(df.to_dict("records")) == _normal(expected)

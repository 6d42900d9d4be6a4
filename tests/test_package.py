"""The package as installed: a wheel in a fresh environment builds the graph; the vocabulary in
code is the ontology's; names shared by the command line and the library are written once."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from helpers import ROOT, SEEDS
from kg import defaults
from kg.vocab import MKG

# The public vocabulary of the contract (../shared/contract.md), which outside tools rely on.
CONTRACT_CLASSES = ["Actor", "Person", "State", "GovernmentBody", "Administration", "InternationalOrganization",
                    "CivilSocietyOrganization", "PopulationGroup", "CriminalGroup", "Policy", "Agreement",
                    "Pressure", "PolicyReversal", "Statistic", "Document", "Evidence"]
CONTRACT_PROPERTIES = ["exertedBy", "targets", "instrument", "demands", "resultedIn", "pressured", "fromPolicy",
                       "toPolicy", "reversedBy", "reverses", "adoptedBy", "party", "commitment", "value",
                       "measure", "about", "date", "evidence", "quote", "source", "start", "end", "fileName"]


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology.ttl", format="turtle")


def test_the_package_ships_the_top_level_ontology_unchanged():
    shipped = ROOT / "kg" / "ontology.ttl"
    assert shipped.read_bytes() == (ROOT / "ontology.ttl").read_bytes(), \
        "kg/ontology.ttl must be a copy of ontology.ttl: cp ontology.ttl kg/ontology.ttl"


def test_every_term_in_code_is_defined_by_the_ontology_and_back():
    ns = str(MKG._NS)
    defined = {str(s)[len(ns):] for s in _ontology().subjects(RDF.type, None)
               if isinstance(s, URIRef) and str(s).startswith(ns) and str(s) != ns}
    assert set(MKG.__annotations__) == defined
    with pytest.raises(AttributeError):
        MKG.Misspelt  # noqa: B018 - a closed namespace raises


def test_the_contract_vocabulary_is_in_the_ontology_with_its_kinds():
    g = _ontology()
    for name in CONTRACT_CLASSES:
        assert (MKG[name], RDF.type, OWL.Class) in g, name
    for name in CONTRACT_PROPERTIES:
        kinds = set(g.objects(MKG[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}, name


def test_names_the_command_line_offers_are_the_library_ones():
    from kg import analysis, views
    from kg.store import STORES

    assert tuple(STORES) == defaults.STORES
    assert analysis.PROJECTIONS == defaults.PROJECTIONS
    assert views.MAX_NODES == defaults.VIEW_MAX_NODES
    assert set(views.DEFAULT_VIEWS) <= set(defaults.PROJECTIONS)


def test_importing_kg_imports_no_stage():
    code = ("import sys, kg; heavy = [m for m in ('rdflib', 'networkx', 'pyoxigraph', 'kg.build', 'kg.query') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_wheel_in_a_fresh_environment_builds_the_graph(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("migration_kg-*.whl")
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    # the dependencies come from this environment's site-packages, the package itself only from the wheel
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    ours = [p for p in site.getsitepackages() + [sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    (purelib / "deps.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    where = subprocess.run([str(python), "-c", "import kg.files; print(kg.files.package_file('.'))"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()
    assert str(ROOT) not in where, f"kg was imported from the checkout: {where}"
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    kg = env_dir / "bin" / "kg"
    res = subprocess.run([str(kg), "build", "--seeds", str(seeds), "--out", str(tmp_path / "build")],
                         capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "SHACL: conforms" in res.stdout
    assert (tmp_path / "build" / "views" / "pressure.html").exists()
    res = subprocess.run([str(kg), "query", "actors", "--data", str(tmp_path / "build"), "--format", "csv"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert res.returncode == 0 and "Andrés Manuel López Obrador" in res.stdout, res.stderr


def test_in_ci_a_missing_browser_or_virtuoso_fails_instead_of_skipping(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "test_component.py").write_text(
        "import pytest\n"
        "@pytest.mark.skipif(True, reason=\"Debian's chromium is not installed\")\n"
        "def test_view():\n    pass\n"
        "@pytest.mark.virtuoso\n"
        "def test_endpoint():\n    pytest.skip('virtuoso-t not installed')\n"
        "def test_other():\n    pytest.skip('not a component')\n", encoding="utf-8")
    tests = Path(__file__).resolve().parent

    def run(ci: str) -> str:
        env = dict(os.environ, CI=ci, PYTHONPATH=str(tests))
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
                               "-rA", str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300).stdout

    assert "3 skipped" in run("")
    out = run("true")
    assert "1 failed" in out and "1 error" in out and "1 skipped" in out, out

"""Constants and helpers shared by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def run_kg(*args: str, cwd: Path | None = None, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the console command as a user would, in a subprocess."""
    full_env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def curated(seeds: Path = SEEDS) -> tuple[list[dict], dict[str, str]]:
    """The curated files (``*.yaml``) read with plain YAML, and the class of each declared thing:
    what the graph must hold, read independently of the build."""
    import yaml

    data = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(Path(seeds).glob("*.yaml"))]
    return data, {t["id"]: t["class"] for d in data for t in (d.get("things") or [])}


def curated_count(cls: str, seeds: Path = SEEDS) -> int:
    """How many things of class ``cls`` the curated files declare."""
    return sum(c == cls for c in curated(seeds)[1].values())


def names(cell: str | None) -> list[str]:
    """The names in a list cell of a table, without the hedge a value may carry: 'Donald Trump |
    Mexico (seen as)' -> ['Donald Trump', 'Mexico']."""
    return [part.split(" (")[0] for part in (cell or "").split(" | ") if part]


# --- extraction results (tests/test_extract*.py) -----------------------------------------------

def run(ex, text):
    """Extract one hand-made document, named "t"."""
    return ex.process(text, "t")


def of_kind(result, kind):
    return [c for c in result.statements if c.kind == kind]


def quote(result, cand):
    return result.text[cand.start:cand.end]

"""Shared fixtures: the seed graph built once per session, and a tiny fixture corpus."""

from __future__ import annotations

import shutil

import pytest

from helpers import MINI, SEEDS
from virtuoso_fixture import virtuoso  # noqa: F401  (session fixture: a private Virtuoso)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The real seed graph, built (without views) into a temporary folder."""
    from kg.build import build

    out = tmp_path_factory.mktemp("seed-build")
    result = build(SEEDS, out)
    return result, out


@pytest.fixture(scope="session")
def seed_result(seed_build):
    return seed_build[0]


@pytest.fixture(scope="session")
def seed_out(seed_build):
    return seed_build[1]


@pytest.fixture(scope="session")
def memory_store(seed_result):
    from kg.store.memory import MemoryStore

    return MemoryStore(seed_result.dataset)


@pytest.fixture
def mini(tmp_path):
    """A writable copy of the tiny fixture corpus."""
    dest = tmp_path / "seeds"
    shutil.copytree(MINI, dest)
    return dest



# --- in CI, a missing component fails its tests instead of skipping them ------------------------

COMPONENT_FIXTURES = {"virtuoso": "virtuoso", "browser": "browser", "page": "browser"}
#: a skip whose reason names the Debian component marks the test as needing it
SKIP_WORDS = {"browser": "chromium", "virtuoso": "virtuoso", "wordnet": "wordnet"}


def in_ci() -> bool:
    import os

    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs Chromium or Virtuoso (by its fixtures or its skip condition)."""
    for item in items:
        for fixture, marker in COMPONENT_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)
        for mark in item.iter_markers("skipif"):
            reason = str(mark.kwargs.get("reason", "")).lower()
            for marker, word in SKIP_WORDS.items():
                if word in reason:
                    item.add_marker(marker)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With ``CI=true`` a green run must mean the browser and Virtuoso tests ran: their skip fails."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and any(item.get_closest_marker(m) for m in SKIP_WORDS):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true, and this test could not run: {reason}"

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


"""Knowledge graph of how US pressure shaped Mexico's migration policy.

The public API: build the graph, open it in a store, run named or ad-hoc SPARQL, analyse and
draw it (the ``analysis`` and ``views`` modules), and explore it from Jupyter (``load``,
``dataframe``, ``show``, and the ``%%sparql`` magic of ``%load_ext kg``).
"""

from .build import BuildResult, compile_corpus, validate
from .errors import KGError
from .pipeline import run_build
from .query import catalogue, run
from .store import open_store
from . import analysis, query, views
from .notebook import dataframe, find_root, load, show

__all__ = ["BuildResult", "KGError", "analysis", "catalogue", "compile_corpus", "dataframe", "find_root",
           "load", "load_ipython_extension", "open_store", "query", "run", "run_build", "show", "validate",
           "views"]
__version__ = "0.1.0"


def load_ipython_extension(ipython):  # type: ignore[no-untyped-def]
    """``%load_ext kg`` in IPython or Jupyter: register the ``%%sparql`` cell magic."""
    from .notebook import load_ipython_extension as register

    register(ipython)

"""Knowledge graph of how US pressure shaped Mexico's migration policy.

The public API: build the graph, open it in a store, run named or ad-hoc SPARQL.
"""

from .build import BuildResult, compile_corpus, validate
from .errors import KGError
from .pipeline import run_build
from .query import catalogue, run
from .store import open_store

__all__ = ["BuildResult", "KGError", "catalogue", "compile_corpus", "open_store", "run", "run_build",
           "validate"]
__version__ = "0.1.0"

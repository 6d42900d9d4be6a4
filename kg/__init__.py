"""Knowledge graph of how US pressure shaped Mexico's migration policy.

The public API, for scripts and notebooks: build the graph (``build``), open it in a store
(``open_store``, or ``load`` from a notebook), find a thing by name (``resolve``), run named or
ad-hoc SPARQL (``run``, ``catalogue``),
turn results into DataFrames (``dataframe``, ``readable``), draw a ``timeline`` figure and draw projections inline (``show``); the
``analysis`` and ``views`` modules hold the rest. ``%load_ext kg`` registers the ``%%sparql`` cell
magic. Nothing is imported until it is used, so ``import kg`` is light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["KGError", "analysis", "build", "catalogue", "dataframe", "find_root", "load", "load_ipython_extension",
           "open_store", "readable", "resolve", "run", "show", "timeline", "views"]
__version__ = "0.2.0"

_LAZY = {
    "KGError": ("kg.errors", "KGError"),
    "build": ("kg.pipeline", "run_build"),
    "catalogue": ("kg.query", "catalogue"),
    "run": ("kg.query", "run"),
    "resolve": ("kg.query", "resolve_thing"),
    "find_root": ("kg.notebook", "find_root"),
    "open_store": ("kg.store", "open_store"),
    "dataframe": ("kg.notebook", "dataframe"),
    "readable": ("kg.notebook", "readable"),
    "timeline": ("kg.timeline", None),
    "load": ("kg.notebook", "load"),
    "show": ("kg.notebook", "show"),
    "analysis": ("kg.analysis", None),
    "views": ("kg.views", None),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kg' has no attribute {name!r}") from None
    value = import_module(module)
    if attribute is not None:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext kg`` in IPython or Jupyter: register the ``%%sparql`` cell magic."""
    from .notebook import load_ipython_extension as register

    register(ipython)

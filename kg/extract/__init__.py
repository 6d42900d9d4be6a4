"""Extraction stage: turn a new document into candidate statements in the curated YAML format,
with rules over a blank spaCy pipeline (sentencizer, span rulers, lexical cues; no model).

The candidates are reviewed (:func:`review`, ``kg review``) before they enter the graph; see
``docs/extraction.md``. The package, in reading order:

* :mod:`.model` -- entities, candidates, the extraction, the error;
* :mod:`.lexicon` -- the general cue lexicons, loaded from ``data/`` (every entry with its source);
* :mod:`.confidence` -- every confidence the rules give, named and explained;
* :mod:`.text` -- reading txt/md/html and reducing markup to text;
* :mod:`.extractor` -- the spaCy pipeline and the gazetteer's span rulers;
* :mod:`.document`, :mod:`.names`, :mod:`.names_more` -- one document's actors (known and new);
* :mod:`.sentence` -- one sentence: clauses, hedges, attribution, dates; :mod:`.clause` -- agent
  and target from the clause structure; the rule families
  :mod:`.pressures`, :mod:`.agreements`, :mod:`.reversals`, :mod:`.policies`,
  :mod:`.statistics`, composed in :mod:`.rules`;
* :mod:`.render`, :mod:`.runner` -- candidate YAML files, many documents in parallel;
* :mod:`.review` -- ``kg review``.
"""

from __future__ import annotations

from .extractor import Extractor
from .model import HTML_SUFFIXES, MARKDOWN_SUFFIXES, MAX_BYTES, Candidate, Entity, ExtractError, Extraction
from .render import render_yaml
from .review import ReviewItem, review
from .runner import ExtractSummary, extract_files
from .text import html_to_text, markdown_to_text, read_input

__all__ = ["Candidate", "Entity", "ExtractError", "ExtractSummary", "Extraction", "Extractor",
           "HTML_SUFFIXES", "MARKDOWN_SUFFIXES", "MAX_BYTES", "ReviewItem", "extract_files",
           "html_to_text", "markdown_to_text", "read_input", "render_yaml", "review"]

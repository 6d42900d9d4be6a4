"""Typed errors of every stage; each names the file and the place it concerns."""

from __future__ import annotations


class KGError(Exception):
    """An error the user can fix; ``str()`` is one line naming the file and place."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + self.message


class CorpusError(KGError):
    """A document or curation file that cannot be read or does not follow the schema."""


class QuoteError(CorpusError):
    """A quote that is not in its document, or is there more than once."""


class ValidationError(KGError):
    """The compiled graph does not conform to the SHACL shapes."""


class QueryError(KGError):
    """A query that is unknown, malformed, or given bad parameters."""


class QueryTimeout(QueryError):
    """A query stopped because it ran past its time limit."""


class StoreError(KGError):
    """A store that cannot be opened, loaded or reached."""

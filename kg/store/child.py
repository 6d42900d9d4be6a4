"""Run a query in a forked child process so that its time limit can stop it.

Neither engine can be interrupted in the middle of a query (rdflib evaluates in Python, Oxigraph
in Rust without checking for signals), but a process can be killed. The child evaluates the
query and streams its answer through a pipe: a head, then batches of rows whose terms are sent
once each as small tuples and referred to by number, then an end mark. The parent decodes each
term once, into an rdflib term or a plain Python value. Where ``os.fork`` does not exist, the
query runs in this process and the time limit is checked between rows only. A read-only
Oxigraph store sends its queries to one such process that stays instead (:mod:`.worker`), with
the same messages (:func:`respond`, :func:`receive`).
"""

from __future__ import annotations

import gc
import heapq
import os
import pickle
import signal
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from .. import errors
from ..errors import KGError, QueryError, QueryTimeout
from .order import row_key

#: A term as sent between processes: ("u", iri) | ("b", id) | ("l", lexical, datatype, language).
Encoded = tuple

#: rows per message from a query process: small enough that the reader decodes one batch while
#: the engine makes the next (2,000 left the last batch undecoded at the end: up to 1.3x raw)
BATCH = 128

#: Held by every engine call of this process and by each fork, so that a child never inherits an
#: engine lock (RocksDB's, say) that another thread held at the fork, and can use the parent's
#: open, warm store instead of opening it again.
ENGINE_LOCK = threading.Lock()


@dataclass
class Answer:
    """What an engine returned: the variables and an iterator of rows of engine terms, or a boolean."""

    vars: list[str]
    rows: Iterable[tuple[Any, ...]]
    boolean: bool | None = None
    #: for a :func:`windowed` answer, how many rows the engine gave, once they are read
    total: int | None = None


def windowed(answer: Answer, offset: int, limit: int) -> Answer:
    """``answer`` keeping only rows ``offset`` to ``offset + limit``: every row is read (none
    decoded past the window) so that ``total`` is their number at the end."""
    out = Answer(answer.vars, (), answer.boolean)

    def rows() -> Iterator[tuple[Any, ...]]:
        n = 0
        for n, row in enumerate(answer.rows, 1):
            if offset < n <= offset + limit:
                yield row
        out.total = n
    out.rows = rows()
    return out


def shaped(answer: Answer, shape: tuple, encode: Callable[[Any], Encoded]) -> Answer:
    """What a page keeps of ``answer``: ``("window", offset, limit)``, those rows in the engine's
    order; ``("top", offset, limit, keys)``, those rows by the :class:`~kg.sparql.OrderKey` s
    ``keys`` (rows stay unsorted, as :func:`~kg.store.base.normalise` leaves them, when a key is
    not a column)."""
    kind, offset, limit = shape[:3]
    if kind == "top":
        at = {v: i for i, v in enumerate(answer.vars)}
        keys = shape[3]
        if all(k.var in at for k in keys):
            return top(answer, offset, limit, row_key([(at[k.var], k.as_string, k.descending) for k in keys], encode))
    return windowed(answer, offset, limit)


def top(answer: Answer, offset: int, limit: int, key: Callable[[tuple], Any]) -> Answer:
    """Rows ``offset`` to ``offset + limit`` of ``answer`` sorted by ``key`` (stable, as
    ``sorted``), keeping no more than that many rows while it reads; ``total`` counts them all."""
    out = Answer(answer.vars, (), answer.boolean)

    def rows() -> Iterator[tuple[Any, ...]]:
        counted = [0]

        def counting() -> Iterator[tuple[Any, ...]]:
            for row in answer.rows:
                counted[0] += 1
                yield row
        kept = heapq.nsmallest(offset + limit, counting(), key=key) if offset + limit else _drain(counting())
        out.total = counted[0]
        yield from kept[offset:]
    out.rows = rows()
    return out


def _drain(rows: Iterator[Any]) -> list:
    for _ in rows:
        pass
    return []


def can_fork() -> bool:
    return hasattr(os, "fork")


def stopped(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"query stopped: it ran past the time limit of {timeout:g} s "
                        f"(give a longer one with --timeout, or narrow the query)")


def run(produce: Callable[[], Answer], encode: Callable[[Any], Encoded], timeout: float,
        sink: dict | None = None) -> tuple[list[str], bool | None, Iterator[tuple[list[Encoded], list[tuple]]]]:
    """Run ``produce`` in a child; returns the variables, the boolean (ASK) and an iterator of
    (new terms, rows of term numbers) batches. Raises :class:`QueryTimeout` once ``timeout``
    seconds have passed, and the error the child met, if any. At the end, ``sink["total"]`` is
    the answer's ``total`` (a :func:`windowed` answer's row count)."""
    read_fd, write_fd = os.pipe()
    pid = fork()
    if pid == 0:  # pragma: no cover - runs in the child, which ends with os._exit
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb", buffering=1 << 16) as out:
                respond(out, produce, encode)
        finally:
            os._exit(0)
    os.close(write_fd)
    source = os.fdopen(read_fd, "rb", buffering=1 << 16)
    return receive(source, timeout, lambda: _kill(pid), lambda _ok: finish(pid, source), sink)


def fork() -> int:
    """``os.fork`` while no engine call of this process runs (see :data:`ENGINE_LOCK`); in the
    child, the collector is off and SIGINT and SIGTERM stop it."""
    global ENGINE_LOCK
    with ENGINE_LOCK:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            gc.disable()  # a collection would touch, so copy, every page of the parent's objects
            ENGINE_LOCK = threading.Lock()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return pid


def receive(source: Any, timeout: float, kill: Callable[[], None], finish: Callable[[bool], None],
            sink: dict | None = None) -> tuple[list[str], bool | None, Iterator[tuple[list[Encoded], list[tuple]]]]:
    """Read one answer that :func:`respond` writes to ``source``, calling ``kill`` once ``timeout``
    seconds have passed, and ``finish(ok)`` at the end (``ok``: the whole answer, or the error
    the process met, was read in time)."""
    state = {"timed_out": False, "done": False}

    def on_time() -> None:
        state["timed_out"] = True
        kill()
    timer = threading.Timer(timeout, on_time)
    timer.daemon = True
    timer.start()

    def end() -> None:
        timer.cancel()
        finish(state["done"] and not state["timed_out"])
    try:
        head = _receive(source)
    except BaseException:
        end()
        raise
    if head is None or head[0] != "head":
        state["done"] = head is not None and head[0] == "error"
        end()
        _raise(head, state, timeout)
    _, names, boolean = head

    def batches() -> Iterator[tuple[list[Encoded], list[tuple]]]:
        try:
            while True:
                message = _receive(source)
                if message is not None and message[0] == "rows":
                    yield message[1], message[2]
                    continue
                if message is not None and message[0] == "done":
                    state["done"] = True
                    if sink is not None:
                        sink["total"] = message[1]
                    return
                state["done"] = message is not None and message[0] == "error"
                _raise(message, state, timeout)
        finally:
            end()
    if boolean is not None:
        for _ in batches():
            pass
        return names, boolean, iter(())
    return names, boolean, batches()


def _receive(source: Any) -> tuple | None:
    try:
        return pickle.load(source)
    except (EOFError, pickle.UnpicklingError, ValueError, OSError):
        return None


def _raise(message: tuple | None, state: dict, timeout: float) -> None:
    if state["timed_out"]:
        raise stopped(timeout)
    if message is not None and message[0] == "error":
        _, kind, text, file, line = message
        cls = getattr(errors, kind, None)
        if isinstance(cls, type) and issubclass(cls, KGError):
            raise cls(text, file, line)
        raise QueryError(f"query failed: {text}")
    raise QueryError("query failed: the query engine stopped without an answer")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def finish(pid: int, *files: Any) -> None:
    """Close the pipes to a query process, kill it and reap it."""
    for f in files:
        with suppress(OSError):
            f.close()
    _kill(pid)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


def respond(out: Any, produce: Callable[[], Answer], encode: Callable[[Any], Encoded]) -> None:  # pragma: no cover
    """Write the answer of ``produce`` to ``out`` as :func:`receive` reads it: a head, batches of
    rows, an end mark; or the error met, as a message (runs in a child)."""
    try:
        answer = produce()
        pickle.dump(("head", list(answer.vars), answer.boolean), out, protocol=pickle.HIGHEST_PROTOCOL)
        for new, rows in encode_rows(answer.rows, encode):
            pickle.dump(("rows", new, rows), out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(("done", answer.total), out)
    except Exception as exc:  # noqa: BLE001 - every failure goes to the parent as a message
        file, line = (exc.file, exc.line) if isinstance(exc, KGError) else (None, None)
        text = exc.message if isinstance(exc, KGError) else (" ".join(str(exc).split())[:300] or type(exc).__name__)
        pickle.dump(("error", type(exc).__name__, text, file, line), out)
    out.flush()


def encode_rows(rows: Iterable[tuple[Any, ...]], encode: Callable[[Any], Encoded]
                ) -> Iterator[tuple[list[Encoded], list[tuple]]]:
    """Rows of engine terms as batches of (terms not sent before, rows of term numbers)."""
    numbers: dict[Any, int] = {}
    new: list[Encoded] = []
    batch: list[tuple] = []
    for row in rows:
        out = []
        for term in row:
            if term is None:
                out.append(None)
                continue
            n = numbers.get(term)
            if n is None:
                n = numbers[term] = len(numbers)
                new.append(encode(term))
            out.append(n)
        batch.append(tuple(out))
        if len(batch) >= BATCH:
            yield new, batch
            new, batch = [], []
    if batch or new:
        yield new, batch


def decode_batches(batches: Iterable[tuple[list[Encoded], list[tuple]]], decode: Callable[[Encoded], Any]
                   ) -> Iterator[tuple[Any, ...]]:
    """The rows of :func:`encode_rows` batches with each term decoded once."""
    terms: list[Any] = []
    for new, rows in batches:
        terms.extend(decode(t) for t in new)
        for row in rows:
            yield tuple(None if n is None else terms[n] for n in row)


def in_process(answer: Answer, timeout: float | None) -> Iterator[tuple[Any, ...]]:
    """The rows of an answer computed here, each read under :data:`ENGINE_LOCK`, with the time
    limit checked between rows."""
    deadline = None if timeout is None else time.monotonic() + timeout
    rows, i = iter(answer.rows), 0
    while True:
        with ENGINE_LOCK:
            row = next(rows, _END)
        if row is _END:
            return
        if deadline is not None and i % 256 == 0 and time.monotonic() > deadline:
            raise stopped(timeout)  # type: ignore[arg-type]
        i += 1
        yield row


_END = object()

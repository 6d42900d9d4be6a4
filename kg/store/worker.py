"""A query process that stays: forked once from a store opened read-only, it keeps that open
store (and the caches it warms) and answers one query after another through a pipe, so that a
query costs no fork. The time limit kills it as it would a one-query child; the next query starts
another. It serves one query at a time: a caller that finds it busy runs its own child."""

from __future__ import annotations

import os
import pickle
import threading
import weakref
from typing import Any, Callable, Iterator

from . import child
from .child import Answer, Encoded


class Worker:
    """``serve(request) -> Answer`` run in the worker process for each request sent by :meth:`run`."""

    def __init__(self, serve: Callable[[Any], Answer], encode: Callable[[Any], Encoded]):
        self._serve = serve
        self._encode = encode
        self._busy = threading.Lock()
        self._process: _Process | None = None

    def run(self, request: Any, timeout: float, sink: dict | None = None
            ) -> tuple[list[str], bool | None, Iterator[tuple[list[Encoded], list[tuple]]]] | None:
        """As :func:`kg.store.child.run` for ``serve(request)``; None when the worker is busy
        with another query or cannot take this one (the caller then forks its own child)."""
        if not self._busy.acquire(blocking=False):
            return None
        try:
            if self._process is not None and self._process.owner != os.getpid():
                self._process = None  # a fork of the process that started it: that one's, not ours
            process = self._process or self._start()
            try:
                pickle.dump(request, process.send, protocol=pickle.HIGHEST_PROTOCOL)
                process.send.flush()
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                self.stop()
                self._busy.release()
                return None
        except BaseException:
            self._busy.release()
            raise

        def finish(ok: bool) -> None:
            if not ok:  # stopped, cut short or broken: a new process answers the next query
                self.stop()
            self._busy.release()
        return child.receive(process.source, timeout, process.kill, finish, sink)

    def _start(self) -> "_Process":
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        pid = child.fork()
        if pid == 0:  # pragma: no cover - runs in the worker, which ends with os._exit
            try:
                os.close(request_w)
                os.close(answer_r)
                _serve_forever(request_r, answer_w, self._serve, self._encode)
            finally:
                os._exit(0)
        os.close(request_r)
        os.close(answer_w)
        self._process = _Process(pid, os.fdopen(request_w, "wb"), os.fdopen(answer_r, "rb", buffering=1 << 16))
        weakref.finalize(self, self._process.stop)
        return self._process

    def stop(self) -> None:
        """End the worker process, if there is one."""
        process, self._process = self._process, None
        if process is not None:
            process.stop()


class _Process:
    def __init__(self, pid: int, send: Any, source: Any):
        self.pid = pid
        self.send = send
        self.source = source
        self.owner = os.getpid()
        self.stopped = False

    def kill(self) -> None:
        if not self.stopped and self.owner == os.getpid():
            child._kill(self.pid)

    def stop(self) -> None:
        # reaped (its pid may belong to another process now), or inherited by a fork of its owner
        if self.stopped or self.owner != os.getpid():
            return
        self.stopped = True
        child.finish(self.pid, self.send, self.source)


def _serve_forever(request_fd: int, answer_fd: int, serve: Callable[[Any], Answer],
                   encode: Callable[[Any], Encoded]) -> None:  # pragma: no cover - runs in the worker
    """Answer requests until the parent closes its end (or exits)."""
    requests = os.fdopen(request_fd, "rb")
    out = os.fdopen(answer_fd, "wb", buffering=1 << 16)
    while True:
        try:
            request = pickle.load(requests)
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        child.respond(out, lambda: serve(request), encode)

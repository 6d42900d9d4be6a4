"""The query processes behind ``kg serve``: ``oxigraph serve-read-only`` on private ports of
127.0.0.1, each running one query at a time, so that one past the time limit can be stopped by
killing its process while the others go on."""

from __future__ import annotations

import math
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .errors import KGError

HOST = "127.0.0.1"


class ServerError(KGError):
    """The endpoint cannot start: no store, no oxigraph binary, or a port in use."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary of this environment (PyPI package ``oxigraph``)."""
    import shutil

    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        raise ServerError("the Oxigraph server binary is missing; install the 'oxigraph' package")
    return found


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: have the kernel stop the oxigraph child if ``kg serve`` dies without cleaning up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Upstream:
    """One ``oxigraph serve-read-only`` process, on a private port of 127.0.0.1."""

    def __init__(self, location: Path, timeout_s: float):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        args = [oxigraph_binary(), "serve-read-only", "--location", str(location),
                "--bind", f"{HOST}:{self.port}",
                "--timeout-s", str(max(1, math.ceil(timeout_s)))]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                        preexec_fn=_die_with_parent if sys.platform == "linux" else None)
        self._wait_ready()

    def _wait_ready(self, limit: float = 30.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                message = " ".join(self.log.read().decode("utf-8", "replace").split())[-300:]
                self.log.close()
                raise ServerError(f"the Oxigraph server stopped at start: {message or 'no message'}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise ServerError(f"the Oxigraph server did not start within {limit:g} s")

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Pool:
    """Oxigraph server processes that each run one query at a time.

    Oxigraph's own ``--timeout-s`` does not stop every query (a four-way cross product runs on),
    so a query still running at the time limit is stopped by killing its process, which is then
    replaced; queries running in the other processes go on undisturbed. Processes are started
    from one long-lived thread, because Linux ties a child's parent-death signal to the thread
    that started it.
    """

    def __init__(self, location: Path, timeout_s: float, size: int):
        self.location, self.timeout_s, self.size = location, timeout_s, size
        self.idle: queue.Queue[Upstream] = queue.Queue()
        self.live: set[Upstream] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.long = 0
        #: workers no long query may hold, so that short queries keep moving
        self.reserve = max(1, size // 4) if size > 1 else 0
        self.requests: queue.Queue[int | None] = queue.Queue()
        self.started: queue.Queue[BaseException | None] = queue.Queue()
        self.spawner = threading.Thread(target=self._spawn_loop, name="kg-serve-spawner", daemon=True)
        self.spawner.start()
        for _ in range(size):
            self.requests.put(0)
        errors = [self.started.get() for _ in range(size)]
        failed = next((e for e in errors if e is not None), None)
        if failed is not None:
            self.close()
            raise failed

    def _spawn_loop(self) -> None:
        while True:
            attempt = self.requests.get()
            if attempt is None:
                return
            try:
                upstream = Upstream(self.location, self.timeout_s)
            except ServerError as exc:
                if attempt == 0:
                    self.started.put(exc)
                elif attempt < 3 and not self.closed:
                    time.sleep(0.5)
                    self.requests.put(attempt + 1)
                continue
            with self.lock:
                closed = self.closed
                if not closed:
                    self.live.add(upstream)
            if closed:
                upstream.stop(kill=True)
            else:
                self.idle.put(upstream)
            if attempt == 0:
                self.started.put(None)

    def acquire(self, wait: float) -> Upstream | None:
        try:
            return self.idle.get(timeout=wait)
        except queue.Empty:
            return None

    def release(self, upstream: Upstream) -> None:
        self.idle.put(upstream)

    def start_long(self) -> bool:
        """Count a query as long, if fewer than ``size - reserve`` long ones run; else False."""
        with self.lock:
            if self.long >= self.size - self.reserve:
                return False
            self.long += 1
            return True

    def end_long(self) -> None:
        with self.lock:
            self.long -= 1

    def discard(self, upstream: Upstream) -> None:
        """Kill a process whose query must stop, and have a replacement started."""
        with self.lock:
            self.live.discard(upstream)
        upstream.stop(kill=True)
        if not self.closed:
            self.requests.put(1)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            live, self.live = list(self.live), set()
        self.requests.put(None)
        for upstream in live:  # all asked to end at once, so that their waits do not add up
            if upstream.process.poll() is None:
                upstream.process.terminate()
        for upstream in live:
            upstream.stop()
        if self.spawner is not threading.current_thread():
            self.spawner.join(30)

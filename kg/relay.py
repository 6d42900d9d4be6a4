"""How the endpoint passes an answer on without holding it: a reader of the query engine's
response that keeps its time limit, and a writer to the client that holds the first bytes back
(so that a failure there is still an HTTP error) and streams the rest in chunks."""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

#: An answer up to this size is sent whole, with its status decided once it is complete; past
#: it, the status is 200 and a later failure can only cut the stream short (a client sees an
#: incomplete chunked body, never a truncated answer that looks whole).
HOLD_BYTES = 1 << 20


def send_common_headers(handler: BaseHTTPRequestHandler) -> None:
    """The headers of every answer: no content sniffing, no caching."""
    handler.send_header("X-Content-Type-Options", "nosniff")
    handler.send_header("Cache-Control", "no-store")


class TooLarge(Exception):
    """The answer passed the endpoint's result cap."""


class ClientGone(Exception):
    """The client closed its connection while the answer was written."""


class Source:
    """The engine's response body as a file, each read within the time left before ``deadline``
    (then :class:`TimeoutError`); ``tail`` keeps its last bytes for the error message."""

    def __init__(self, response: Any, sock: socket.socket, deadline: float):
        self.response = response
        self.sock = sock
        self.deadline = deadline
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("past the time limit")
        self.sock.settimeout(remaining)
        data = self.response.read1(size if size and size > 0 else 1 << 16)
        self.tail = (self.tail + data)[-300:]
        return data


class Out:
    """The answer as the client receives it: held back up to ``hold`` bytes, then 200 and chunks
    (HTTP/1.0: the body ends when the connection closes). More than ``cap`` bytes raise
    :class:`TooLarge`; a failed write to the client raises :class:`ClientGone`."""

    def __init__(self, handler: BaseHTTPRequestHandler, media: str, cap: int, hold: int | None = None):
        self.handler = handler
        self.media = media
        self.cap = cap
        self.hold = min(cap, HOLD_BYTES if hold is None else hold)
        self.held: list[bytes] = []
        self.size = 0
        self.committed = False
        self.chunked = handler.request_version != "HTTP/1.0"

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise TooLarge
        if self.committed:
            self._send(data)
        else:
            self.held.append(bytes(data))
            if self.size > self.hold:
                self._commit()
        return len(data)

    def flush(self) -> None:
        pass

    def body(self) -> bytes:
        """What was held back (the whole answer, if it never passed ``hold``)."""
        return b"".join(self.held)

    def _commit(self) -> None:
        h = self.handler
        try:
            h.send_response(200)
            h.send_header("Content-Type", self.media)
            if self.chunked:
                h.send_header("Transfer-Encoding", "chunked")
            else:
                h.close_connection = True
                h.send_header("Connection", "close")
            send_common_headers(h)
            h.end_headers()
        except OSError:
            raise ClientGone from None
        self.committed = True
        held, self.held = self.body(), []
        self._send(held)

    def _send(self, data: bytes) -> None:
        if not data:
            return
        try:
            if self.chunked:
                self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.handler.wfile.write(data)
        except OSError:
            raise ClientGone from None

    def end(self) -> None:
        """The end of a streamed answer."""
        if self.chunked:
            try:
                self.handler.wfile.write(b"0\r\n\r\n")
            except OSError:
                raise ClientGone from None

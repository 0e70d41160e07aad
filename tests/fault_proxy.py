"""A small fault-injecting TCP proxy on 127.0.0.1 between the portal and the peer: real
sockets, real network faults (no mocked HTTP).

Each connection carries one HTTP request (the proxy asks both sides for
``Connection: close``) and takes the next queued fault, or passes through:

* ``reset``       accept, then reset the connection (RST) before reading anything
* ``close``       read the request, close without an answer (a dropped connection)
* ``stall``       read the request, never answer (the client's read timeout fires)
* ``500``/``502``/``503``/``504``  answer that status without asking the peer
* ``lose_answer`` forward the request, let the peer do the work, drop its answer
"""

from __future__ import annotations

import collections
import contextlib
import select
import socket
import struct
import threading
from dataclasses import dataclass, field

_HEADER_END = b"\r\n\r\n"


def _read_request(conn: socket.socket, timeout: float = 10) -> bytes:
    """The whole request (headers and Content-Length body), with ``Connection: close``."""
    conn.settimeout(timeout)
    data = b""
    while _HEADER_END not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _sep, body = data.partition(_HEADER_END)
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"content-length":
            length = int(line.split(b":", 1)[1])
        if name in (b"connection", b"keep-alive"):
            continue
        kept.append(line)
    kept.append(b"Connection: close")
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return b"\r\n".join(kept) + _HEADER_END + body


@dataclass
class FaultProxy:
    upstream_port: int
    upstream_host: str = "127.0.0.1"
    port: int = 0
    faults: collections.deque = field(default_factory=collections.deque)
    applied: list[str] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, *modes: str) -> None:
        with self._lock:
            self.faults.extend(modes)

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.applied.clear()
            self.requests = 0

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._server.close()

    # -- internals

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self._server.accept()
            except OSError:
                return
            with self._lock:
                mode = self.faults.popleft() if self.faults else "pass"
                self.requests += 1
                if mode != "pass":
                    self.applied.append(mode)
            threading.Thread(target=self._handle, args=(conn, mode), daemon=True).start()

    def _handle(self, conn: socket.socket, mode: str) -> None:
        try:
            if mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            request = _read_request(conn)
            if mode == "close":
                return
            if mode == "stall":
                # Hold the connection until the client gives up (or the proxy stops).
                while not self._stop.is_set():
                    readable, _w, _x = select.select([conn], [], [], 0.2)
                    if readable and not conn.recv(65536):
                        return
                return
            if mode.isdigit():
                body = b'{"success": false, "error": {"message": "injected"}}'
                conn.sendall(
                    f"HTTP/1.1 {mode} Injected\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                return
            response = self._forward(request)
            if mode == "lose_answer":
                return
            conn.sendall(response)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection((self.upstream_host, self.upstream_port), timeout=120) as up:
            up.sendall(request)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)

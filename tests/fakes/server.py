"""The machinery both fake services share: a threaded HTTP/1.1 server on 127.0.0.1, port 0.

A service subclasses `FakeServer` and implements `route(request) -> Reply`; this module does the
rest, identically for the fake Hub and the fake GitHub:

- **Ranges**: a `Reply(ranges=True)` answers `Range: bytes=a-b`, `a-` and `-n` with 206 and
  `Content-Range`, 416 with `Content-Range: bytes */size` when unsatisfiable; HEAD sends the
  headers only. Bodies are streamed in chunks from a `Body`, so virtual files never materialise.
- **Instrumentation**: `log` (one `RequestRecord` per request: method, path, status, body bytes
  sent, request headers, fault applied), `requests`, `bytes_sent`, `reset()`.
- **Faults** per path pattern: `inject(pattern, Fault(...), times=N)`; see `Fault`.

Use it as a context manager (`with FakeHub() as hub:`) or call `start()` / `stop()`.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.content import EMPTY, Body, BytesBody

_CHUNK = 1 << 16
_Fake = TypeVar("_Fake", bound="FakeServer")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class Request:
    """One request as a service sees it: method, raw path, query and lower-cased headers."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]

    @property
    def segments(self) -> list[str]:
        """Path segments, each percent-decoded after splitting (so `a%2Fb` stays one segment)."""
        return [unquote(part) for part in self.path.strip("/").split("/")] if self.path.strip("/") else []

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        """Whether a query parameter is set to a true value (`1`, `true`, `True`)."""
        return (self.param(name) or "").lower() in {"1", "true", "yes"}

    @property
    def bearer(self) -> str | None:
        """The token of an `Authorization: Bearer …` (or GitHub's `token …`) header."""
        value = self.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        return (token.strip() or None) if scheme.lower() in {"bearer", "token"} else None


@dataclass
class Reply:
    """What a service answers: status, headers, body; `ranges=True` honours Range requests."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Body = EMPTY
    ranges: bool = False


def json_reply(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Reply:
    """A JSON reply."""
    data = json.dumps(payload).encode()
    return Reply(status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, BytesBody(data))


@dataclass(frozen=True)
class Fault:
    """A misbehaviour injected instead of (or into) the normal reply.

    - `status`: answer this status (with `Retry-After: retry_after` when given) instead of the reply;
    - `delay`: seconds to wait before the headers; `body_delay`: seconds between headers and body;
    - `truncate_at`: send the real headers (full Content-Length) but only this many body bytes,
      then close the connection;
    - `reset`: close the connection with a TCP reset before answering anything.
    """

    status: int | None = None
    retry_after: int | None = None
    delay: float = 0.0
    body_delay: float = 0.0
    truncate_at: int | None = None
    reset: bool = False

    def describe(self) -> str:
        """A short label for the request log."""
        parts = [f"{name}={value}" for name, value in vars(self).items() if value not in (None, 0.0, False)]
        return ",".join(parts)


@dataclass
class FaultRule:
    """A fault applied to requests whose path (with query) matches `pattern`, `times` times (None: always)."""

    pattern: re.Pattern[str]
    fault: Fault
    times: int | None = None
    method: str | None = None
    hits: int = 0

    def take(self, method: str, target: str) -> bool:
        """Whether this rule applies to the request, counting the use."""
        if self.method is not None and self.method != method:
            return False
        if not self.pattern.search(target) or (self.times is not None and self.hits >= self.times):
            return False
        self.hits += 1
        return True


@dataclass
class RequestRecord:
    """One served request: `bytes_sent` counts body bytes only (0 for HEAD); status 0 for a reset.

    A record is logged before its reply is sent and its bytes are counted before they are written,
    so a client that has read a whole reply always finds it in the log.
    """

    method: str
    path: str
    status: int
    bytes_sent: int
    headers: Mapping[str, str]
    fault: str | None = None


class FakeServer:
    """A threaded HTTP server on 127.0.0.1 with a request log, counters and injected faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._faults: list[FaultRule] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- the service's part -------------------------------------------------------------------

    def route(self, request: Request) -> Reply:
        """The reply to one request (implemented by each service)."""
        raise NotImplementedError

    def error_reply(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> Reply:
        """How this service words an error (the Hub's `{"error": …}` by default)."""
        return json_reply(status, {"error": message}, headers)

    # -- life cycle ---------------------------------------------------------------------------

    def start(self: _Fake) -> _Fake:
        """Listen on 127.0.0.1 on a free port and serve in a daemon thread."""
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self: _Fake) -> _Fake:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash)."""
        if self._httpd is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- instrumentation ----------------------------------------------------------------------

    @property
    def log(self) -> list[RequestRecord]:
        """The requests served since the last `reset()`, in order."""
        with self._lock:
            return [replace(record) for record in self._log]

    @property
    def requests(self) -> int:
        """How many requests were served since the last `reset()`."""
        with self._lock:
            return len(self._log)

    @property
    def bytes_sent(self) -> int:
        """Body bytes sent since the last `reset()` (headers not counted)."""
        with self._lock:
            return sum(record.bytes_sent for record in self._log)

    def reset(self) -> None:
        """Forget the request log and counters (faults stay; see `clear_faults`)."""
        with self._lock:
            self._log.clear()

    # -- faults -------------------------------------------------------------------------------

    def inject(self, pattern: str, fault: Fault, *, times: int | None = None, method: str | None = None) -> FaultRule:
        """Apply `fault` to requests whose path matches the regex `pattern` (`re.search`), `times` times."""
        rule = FaultRule(re.compile(pattern), fault, times, method)
        with self._lock:
            self._faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self._faults.clear()

    # -- serving ------------------------------------------------------------------------------

    def _fault_for(self, method: str, target: str) -> Fault | None:
        with self._lock:
            for rule in self._faults:
                if rule.take(method, target):
                    return rule.fault
        return None

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._log.append(record)

    def _serve(self, handler: _Handler) -> None:
        method, target = handler.command, handler.path
        split = urlsplit(target)
        headers = {name.lower(): value for name, value in handler.headers.items()}
        request = Request(method, split.path, parse_qs(split.query, keep_blank_values=True), headers)
        fault = self._fault_for(method, target)
        label = fault.describe() if fault else None
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.reset:
            self._record(RequestRecord(method, target, 0, 0, headers, label))
            handler.reset_connection()
            return
        if fault and fault.status is not None:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            reply = self.error_reply(fault.status, f"injected fault: {fault.status}", extra)
        else:
            reply = self.route(request)
        status, reply_headers, start, length = _apply_range(reply, headers.get("range"))
        if method == "HEAD":
            count = 0
        elif fault and fault.truncate_at is not None:
            count = min(length, fault.truncate_at)
        else:
            count = length
        record = RequestRecord(method, target, status, 0, headers, label)
        self._record(record)

        def sending(size: int) -> None:
            with self._lock:
                record.bytes_sent += size

        handler.send(status, reply_headers, length, _Slice(reply.body, start, count),
                     fault.body_delay if fault else 0.0, sending)
        if count < length and method != "HEAD":
            handler.close_connection = True


@dataclass(frozen=True)
class _Slice:
    """The bytes of a body to send: `count` bytes from `start`."""

    body: Body
    start: int
    count: int


def _apply_range(reply: Reply, range_header: str | None) -> tuple[int, dict[str, str], int, int]:
    """Status, headers, first byte and length to send for a reply and an optional Range header."""
    size = reply.body.size
    headers = dict(reply.headers)
    if reply.ranges:
        headers["Accept-Ranges"] = "bytes"
    found = _RANGE.fullmatch(range_header.strip()) if range_header and reply.ranges and reply.status == 200 else None
    if found is None or found.groups() == ("", ""):
        return reply.status, headers, 0, size
    first, last = found.groups()
    if first == "":  # suffix: the last n bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        headers["Content-Range"] = f"bytes */{size}"
        return 416, headers, 0, 0
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return 206, headers, start, end - start + 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (or connections we reset on purpose) are not errors worth printing."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    do_HEAD = do_GET
    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the fake keeps its own log."""

    def send(self, status: int, headers: Mapping[str, str], length: int, part: _Slice, body_delay: float,
             sending: Callable[[int], None]) -> None:
        """Send status and headers (declaring `length`), then the slice; `sending(n)` before each write."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        sent = 0
        try:
            self.wfile.flush()
            if body_delay:
                time.sleep(body_delay)
            while sent < part.count:
                chunk = part.body.read(part.start + sent, min(_CHUNK, part.count - sent))
                if not chunk:
                    break
                sending(len(chunk))
                self.wfile.write(chunk)
                sent += len(chunk)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def reset_connection(self) -> None:
        """Close the socket with a TCP RST (SO_LINGER 0) before any byte is answered."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

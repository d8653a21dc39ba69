"""Careful HTTP for sources: retries with backoff that honour ``Retry-After``, bounded bodies and
one-line errors.

Uses the ``huggingface_hub`` client's shared HTTP session (an ``httpx``-style client), so a
Hub audit opens one connection pool for the Hub, GitHub and arXiv alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx2
from huggingface_hub import get_session

from openness import __version__
from openness.sources.interface import SourceError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
"""Answers worth asking again: rate limited, or a server error that may pass."""


class HttpClient:
    """GET and HEAD with retries; subclasses add headers and their own error classes."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        connect_timeout: float = 5.0,
        retries: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = httpx2.Timeout(timeout, connect=min(connect_timeout, timeout))
        """Seconds to wait for a connection (short: an unreachable host is found fast) and for data."""
        self.retries = retries
        self.max_wait = max_wait
        self._sleep = sleep

    def headers(self, url: str) -> dict[str, str]:
        """Headers sent with every request to ``url``."""
        return {"User-Agent": f"openness/{__version__}"}

    def unreachable(self, message: str) -> SourceError:
        """The error raised when a server cannot be reached or keeps failing."""
        return SourceError(message)

    def get_json(self, url: str, *, what: str, params: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None) -> tuple[int, Any]:
        """The status and the parsed JSON body (None when the body is not JSON) of a GET."""
        response = self.request("GET", url, what=what, params=params, headers=headers)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    def request(self, method: str, url: str, *, what: str, params: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None, follow_redirects: bool = True,
                 limit: int = 8 * 1024 * 1024) -> httpx2.Response:
        """One whole answer (body at most ``limit`` bytes, else an error)."""
        with self.stream(method, url, what=what, params=params, headers=headers,
                         follow_redirects=follow_redirects) as response:
            body = self.read_body(response, limit + 1, what)
            if len(body) > limit:
                raise self.unreachable(f"{what}: the answer is larger than {limit // (1024 * 1024)} MB")
            response._content = body  # what Response.read() sets, read here within a bound
        return response

    def read_body(self, response: httpx2.Response, limit: int, what: str, skip: int = 0) -> bytes:
        """At most ``limit`` bytes of a streamed body after its first ``skip`` bytes; reading stops
        there (the rest is never asked for)."""
        chunks: list[bytes] = []
        kept = 0
        try:
            for chunk in response.iter_bytes():
                if skip:
                    dropped = min(skip, len(chunk))
                    chunk, skip = chunk[dropped:], skip - dropped
                chunks.append(chunk)
                kept += len(chunk)
                if kept >= limit:
                    break
        except (httpx2.TransportError, httpx2.StreamError) as error:
            raise self.unreachable(f"{what}: the answer broke off ({one_line(error)})") from error
        return b"".join(chunks)[:limit]

    @contextmanager
    def stream(self, method: str, url: str, *, what: str, params: Mapping[str, str] | None = None,
               headers: Mapping[str, str] | None = None, follow_redirects: bool = True,
               ) -> Iterator[httpx2.Response]:
        """One request, retried on network errors, 429 and 5xx with backoff (``Retry-After`` first)."""
        session = get_session()
        all_headers = {**self.headers(url), **(headers or {})}
        attempt = 0
        while True:
            try:
                with session.stream(method, url, params=params, headers=all_headers, timeout=self.timeout,
                                    follow_redirects=follow_redirects) as response:
                    if response.status_code in RETRY_STATUS and attempt < self.retries:
                        wait = self._wait(response, attempt, what)
                    else:
                        yield response
                        return
            except (httpx2.TimeoutException, httpx2.TransportError) as error:
                if attempt >= self.retries:
                    raise self.unreachable(
                        f"{what}: cannot reach {_host(url)} ({one_line(error) or type(error).__name__})"
                    ) from error
                wait = min(self.max_wait, 0.5 * 2**attempt)
            attempt += 1
            self._sleep(wait)

    def _wait(self, response: httpx2.Response, attempt: int, what: str) -> float:
        retry_after = response.headers.get("Retry-After", "").strip()
        wait = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else 0.5 * 2**attempt
        if wait > self.max_wait:
            raise self.unreachable(
                f"{what}: the server asks to wait {wait:.0f} s before retrying (HTTP {response.status_code}); "
                "try again later"
            )
        return wait


def one_line(error: BaseException) -> str:
    """An exception's message on one line, at most 200 characters."""
    return " ".join(str(error).split())[:200]


def _host(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url

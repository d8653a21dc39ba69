"""HTTP access to the Hugging Face Hub (or any server speaking its API, found by ``HF_ENDPOINT``).

Built on the ``huggingface_hub`` client's session, headers, URLs and error classes, with what
an auditor needs on top: bounded downloads (a prefix of a file, never more than asked),
header reads through HTTP range requests, retries with backoff that honour ``Retry-After``,
and one-line errors. Every request and every byte received is counted.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, BinaryIO, cast
from urllib.parse import quote

import httpx2
from huggingface_hub import hf_hub_url, hf_raise_for_status
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]  # exported lazily

from openness import __version__
from openness.evidence import HEADER_CUT, WeightFile
from openness.sources.http import HttpClient
from openness.sources.interface import SourceError

DEFAULT_ENDPOINT = "https://huggingface.co"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})



class HubUnreachable(SourceError):
    """The Hub could not be reached or kept failing (network down, timeouts, server errors)."""


class HubNotFound(SourceError):
    """The repository or revision does not exist (or is private and no token allows it)."""


class HubGated(SourceError):
    """The repository is gated and the token (if any) has not been granted access."""


def default_endpoint() -> str:
    """``$HF_ENDPOINT`` (read now, not at import time), else the public Hub."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def default_token() -> str | None:
    """``$HF_TOKEN`` (or the older ``$HUGGING_FACE_HUB_TOKEN``) when set; never a token file."""
    return os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN") or None


class HubClient(HttpClient):
    """A small, careful client for the read-only parts of the Hub API an audit needs."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 20.0,
        retries: int = 3,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(timeout=timeout, retries=retries, max_wait=max_wait, sleep=sleep)
        self.endpoint = (endpoint or default_endpoint()).rstrip("/")
        self.token = token if token is not None else default_token()

    def unreachable(self, message: str) -> SourceError:
        """Network failures talking to the Hub are :class:`HubUnreachable`."""
        return HubUnreachable(f"{message}; check the network, or use --offline to audit from the cache")

    # --- API -------------------------------------------------------------------------------

    def repo_info(self, kind: str, repo_id: str, revision: str | None) -> dict[str, Any]:
        """``/api/{models|datasets}/{repo}[/revision/{rev}]?blobs=true`` as a JSON object."""
        url = f"{self.endpoint}/api/{kind}s/{repo_id}"
        if revision is not None:
            url += f"/revision/{quote(revision, safe='')}"
        response = self.request("GET", url, params={"blobs": "true"}, what=f"{repo_id} ({kind} information)")
        self._raise_for_status(response, repo_id, revision)
        try:
            data = response.json()
        except ValueError as error:
            raise HubUnreachable(f"{repo_id}: the Hub answered with invalid JSON ({error})") from error
        if not isinstance(data, dict):
            raise HubUnreachable(f"{repo_id}: the Hub answered with a JSON {type(data).__name__}, not an object")
        return data

    def tree(self, kind: str, repo_id: str, revision: str, max_pages: int = 100) -> list[dict[str, Any]]:
        """Every file of a revision from ``/api/{kind}s/{repo}/tree/{rev}?recursive=true`` (pages followed),
        shaped like the info's ``siblings`` (``rfilename``, ``size``, ``lfs``)."""
        url: str | None = f"{self.endpoint}/api/{kind}s/{repo_id}/tree/{quote(revision, safe='')}"
        params: dict[str, str] | None = {"recursive": "true"}
        files: list[dict[str, Any]] = []
        for _page in range(max_pages):
            if url is None:
                break
            response = self.request("GET", url, params=params, what=f"{repo_id} (file list)")
            self._raise_for_status(response, repo_id, revision)
            entries = response.json() if response.content else []
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and entry.get("type") == "file" and isinstance(entry.get("path"), str):
                    files.append({"rfilename": entry["path"], "size": entry.get("size"), "lfs": entry.get("lfs")})
            url, params = response.links.get("next", {}).get("url"), None
        return files

    def commit_of(self, kind: str, repo_id: str, revision: str, path: str) -> str | None:
        """The commit a revision is at, from the ``X-Repo-Commit`` header of a file at that revision."""
        response = self.request("HEAD", self.file_url(kind, repo_id, revision, path), what=f"{repo_id}@{revision}",
                                 follow_redirects=False)
        if response.status_code >= 400:
            self._raise_for_status(response, repo_id, revision)
        commit = response.headers.get("X-Repo-Commit")
        return commit if isinstance(commit, str) else None

    def file_url(self, kind: str, repo_id: str, revision: str, path: str) -> str:
        """The ``resolve`` URL of a file at a revision."""
        return hf_hub_url(repo_id, path, repo_type=None if kind == "model" else kind, revision=revision,
                          endpoint=self.endpoint)

    def file_size(self, url: str, what: str) -> int | None:
        """The size of a file from a HEAD request (``X-Linked-Size`` for LFS files), None if not given."""
        response = self.request("HEAD", url, what=what, follow_redirects=False)
        if response.status_code // 100 == 3:
            linked = response.headers.get("X-Linked-Size")
            if linked and linked.isdigit():
                return int(linked)
            response = self.request("HEAD", url, what=what, follow_redirects=True)
        self._raise_for_status(response, what, None)
        for header in ("X-Linked-Size", "Content-Length"):
            value = response.headers.get(header, "")
            if value.isdigit():
                return int(value)
        return None

    def download_prefix(self, url: str, limit: int, what: str) -> tuple[bytes, bool]:
        """At most ``limit`` bytes of a file, and whether the file is longer.

        The file is asked for as the range ``0-limit``, so the server sends at most one byte more
        than wanted; a server that ignores ranges is read up to the limit and cut off.
        """
        with self.stream("GET", url, what=what, headers={"Range": f"bytes=0-{limit}"}) as response:
            self._raise_for_status(response, what, None)
            body = self.read_body(response, limit + 1, what)
            received = len(body)
            expected = response.headers.get("Content-Length", "")
            if received <= limit and expected.isdigit() and int(expected) > received and \
                    "Content-Encoding" not in response.headers:
                raise HubUnreachable(f"{what}: the download ended after {received} of {expected} bytes")
        return body[:limit], received > limit

    def read_header(self, url: str, size: int, what: str, budget: int,
                    reader: Callable[[BinaryIO, int, str], WeightFile]) -> WeightFile:
        """Run a header ``reader`` over ``url`` through HTTP range requests, reading at most ``budget`` bytes.

        A gated or missing file gives a result without header; an unreachable Hub raises. A header
        cut by the budget keeps the metadata read before the cut (GGUF's license and architecture
        come before its tokenizer arrays), marked with a ``header-cut`` metadata pair.
        """
        raw = _RangeReader(self, url, size, what, budget)
        with raw:
            weight = reader(cast(BinaryIO, raw), size, what)
        if isinstance(raw.error, HubUnreachable):
            raise raw.error
        if isinstance(raw.error, (HubGated, HubNotFound)):
            return WeightFile(what, weight.format, size)
        if raw.budget_spent and weight.problem and weight.metadata:
            cut = ((HEADER_CUT, f"the first {budget:,} bytes read"),)
            return replace(weight, problem=None, metadata=tuple(sorted(weight.metadata + cut)))
        return weight

    # --- plumbing --------------------------------------------------------------------------

    def headers(self, url: str) -> dict[str, str]:
        """Request headers: the client's user agent and, when set, the token (only to the Hub itself)."""
        token = self.token if url.startswith(self.endpoint + "/") else None
        headers = build_hf_headers(token=token or False, library_name="openness", library_version=__version__)
        return {str(key): str(value) for key, value in headers.items()}

    def _raise_for_status(self, response: httpx2.Response, repo_id: str, revision: str | None) -> None:
        if response.status_code >= 400 and not response.is_closed:
            with contextlib.suppress(httpx2.TransportError, httpx2.StreamError):
                response.read()  # error answers are small; the client's error parsing reads the body
        try:
            hf_raise_for_status(response)
        except GatedRepoError as error:
            raise HubGated(
                f"{repo_id}: gated repository; accept its conditions on the Hub and set HF_TOKEN"
                + ("" if self.token else " (no token is set)")
            ) from error
        except RevisionNotFoundError as error:
            raise HubNotFound(f"{repo_id}: no revision {revision!r} in this repository") from error
        except RemoteEntryNotFoundError as error:
            raise HubNotFound(f"{repo_id}: no such file at this revision") from error
        except DisabledRepoError as error:
            raise HubNotFound(f"{repo_id}: the repository is disabled on the Hub") from error
        except RepositoryNotFoundError as error:
            hint = "" if self.token else "; if it is private, set HF_TOKEN"
            raise HubNotFound(f"{repo_id}: no such repository on {self.endpoint}{hint}") from error
        except HfHubHTTPError as error:
            status = response.status_code
            raise HubUnreachable(f"{repo_id}: the Hub answered HTTP {status}") from error


FIRST_READ = 64 * 1024
"""The least a weight header read asks for first (safetensors headers are often smaller)."""


class _RangeReader(io.RawIOBase):
    """A remote file read by ``Range`` requests; refuses to read more than its byte budget.

    The first read fetches at least :data:`FIRST_READ` bytes (most headers fit: one request);
    later reads take what that first answer holds and fetch only the rest.
    """

    def __init__(self, client: HubClient, url: str, size: int, what: str, budget: int) -> None:
        self._client = client
        self._url = url
        self._size = size
        self._what = what
        self._budget = budget
        self._pos = 0
        self._head = b""
        """The bytes of the first answer, from offset 0."""
        self.budget_spent = False
        """True when reading stopped because the budget was spent (the rest was never asked for)."""
        self.error: SourceError | None = None
        """The error that stopped reading, when the Hub (not the file's content) was the cause."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self._size or len(view) == 0:
            return 0
        end = min(self._size, self._pos + len(view))  # exclusive
        if not self._head and self._pos == 0:
            self._head = self._fetch(0, min(self._size, max(end, FIRST_READ)))
        cached = self._head[self._pos:end] if self._pos < len(self._head) else b""
        rest = self._fetch(self._pos + len(cached), end) if self._pos + len(cached) < end else b""
        data = cached + rest
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def _fetch(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` (exclusive) by one range request, within the budget."""
        if end - start > self._budget:
            self.budget_spent = True
            raise OSError(f"reading {end - start} more bytes would pass the {self._what} read budget")
        try:
            data = self._download(start, end - 1)
        except SourceError as error:
            self.error = error
            raise OSError(str(error)) from error
        self._budget -= len(data)
        return data

    def _download(self, start: int, end: int) -> bytes:
        client = self._client
        wanted = end - start + 1
        with client.stream("GET", self._url, what=self._what, headers={"Range": f"bytes={start}-{end}"}) as response:
            client._raise_for_status(response, self._what, None)
            # 206: the range itself. 200: the server ignored the range; skip to ``start`` and
            # stop after ``wanted`` bytes (the rest is never fetched).
            skip = start if response.status_code == 200 else 0
            if skip > self._budget:
                raise HubUnreachable(f"{self._what}: the server ignores range requests")
            data = client.read_body(response, wanted, self._what, skip=skip)
        if len(data) < wanted and response.status_code == 206:
            raise HubUnreachable(f"{self._what}: the range answer ended after {len(data)} of {wanted} bytes")
        return data


__all__ = [
    "DEFAULT_ENDPOINT",
    "HubClient",
    "HubGated",
    "HubNotFound",
    "HubUnreachable",
    "default_endpoint",
    "default_token",
]

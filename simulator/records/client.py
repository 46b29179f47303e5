"""Talking to an LRS over xAPI 1.0.3 with the standard library, and saying exactly what went wrong.

Follows the xAPI spec, not one LRS's habits: every request carries
``X-Experience-API-Version: 1.0.3``; a batch is a POST of a JSON array to
``statements``; a single statement is a PUT with its ``statementId``; 409 means a
statement with that id is already there (with another body). Redirects are not
followed (a POST must not silently become a GET elsewhere): the person is told
the address to use instead. System proxy settings apply, as for any program.

Every failure is an :class:`LrsError` whose ``problem`` says what kind it is (DNS,
refused, TLS, timeout, 401 bad credentials, 404 not an LRS, wrong xAPI version...)
and whose message a trainer can act on. The credentials never appear in one.
"""

from __future__ import annotations

import errno
import http.client
import json
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from simulator import __version__
from simulator.records.config import LrsConfig
from simulator.records.errors import Check, LrsError, Problem

XAPI_VERSION = "1.0.3"
DEFAULT_TIMEOUT = 10.0
USER_AGENT = f"EmpathyTrainer/{__version__}"


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx as an HTTPError, which becomes Problem.REDIRECT


class LrsClient:
    """One LRS. Not thread-bound: each call is one request on a new connection."""

    def __init__(self, config: LrsConfig, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.config = config
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects())
        parts = urlsplit(config.endpoint)
        self.host = parts.hostname or config.endpoint
        self.where = f"{self.host}:{parts.port or (443 if parts.scheme == 'https' else 80)}"

    # -- the xAPI calls ------------------------------------------------------------

    def send(self, statements: Sequence[dict[str, Any]]) -> None:
        """POST a batch; the LRS stores all of them or none (raises LrsError, CONFLICT for a 409)."""
        answer = self._call("POST", "statements", body=list(statements))
        if answer.status not in (200, 204):
            raise self._unexpected(answer)

    def put(self, statement: dict[str, Any]) -> None:
        """PUT one statement under its id: stored, or already there with the same body (204)."""
        answer = self._call("PUT", "statements", {"statementId": statement["id"]}, body=statement)
        if answer.status not in (200, 204):
            raise self._unexpected(answer)

    def get(self, statement_id: str) -> dict[str, Any] | None:
        """The stored statement with that id, or None (an LRS answers 404, or 200 with an empty list)."""
        try:
            answer = self._call("GET", "statements", {"statementId": statement_id})
        except LrsError as exc:
            if exc.status == 404:
                return None
            raise
        data = answer.json()
        if isinstance(data, dict) and isinstance(data.get("statements"), list):
            found = [s for s in data["statements"] if isinstance(s, dict) and s.get("id") == statement_id]
            return found[0] if found else None
        if isinstance(data, dict) and data.get("id") == statement_id:
            return data
        raise LrsError(Problem.NOT_AN_LRS, self._not_xapi("statements"), answer.status)

    def about(self) -> list[str] | None:
        """The xAPI versions the LRS says it speaks (GET about); None when it has no such resource."""
        try:
            answer = self._call("GET", "about")
        except LrsError as exc:
            if exc.status in (401, 403, 404, 405):
                return None
            raise
        data = answer.json()
        if not isinstance(data, dict) or not isinstance(data.get("version"), list):
            raise LrsError(Problem.NOT_AN_LRS, self._not_xapi("about"), answer.status)
        return [str(v) for v in data["version"]]

    def check(self) -> Check:
        """Test the connection as the sender will use it: versions, then reading with the credentials."""
        versions: list[str] | None = None
        try:
            versions = self.about()
            if versions is not None and not any(v.startswith("1.0") for v in versions):
                message = (
                    f"The LRS speaks xAPI {', '.join(versions) or 'no version'}, not 1.0.x; "
                    f"Empathy Trainer sends xAPI {XAPI_VERSION}."
                )
                return Check(False, message, Problem.WRONG_VERSION, versions)
            answer = self._call("GET", "statements", {"limit": "1"})
            data = answer.json()
            if not isinstance(data, dict) or not isinstance(data.get("statements"), list):
                raise LrsError(Problem.NOT_AN_LRS, self._not_xapi("statements"), answer.status)
        except LrsError as exc:
            if exc.problem is Problem.FORBIDDEN:
                message = (
                    f"Connected to {self.where}; the credentials were accepted but may not read statements (403). "
                    "Sending needs only permission to write them, which this test cannot check without writing."
                )
                return Check(True, message, Problem.FORBIDDEN, versions or [])
            return Check(False, exc.message, exc.problem)
        said = f" (xAPI {', '.join(versions)})" if versions else ""
        return Check(True, f"Connected to {self.where}{said}: the LRS accepted the credentials.", None, versions or [])

    # -- one request -----------------------------------------------------------------

    def _call(self, method: str, resource: str, query: dict[str, str] | None = None, body: Any = None) -> _Answer:
        url = urljoin(self.config.endpoint, resource) + (f"?{urlencode(query)}" if query else "")
        headers = {
            "X-Experience-API-Version": XAPI_VERSION,
            "Authorization": self.config.authorization(),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return _Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            try:
                content = exc.read()
            except (OSError, http.client.HTTPException):
                content = b""
            raise self._status_error(_Answer(exc.code, exc.headers, content), url) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            raise self._transport_error(reason if isinstance(reason, BaseException) else OSError(str(reason))) from None
        except ValueError as exc:  # urllib: "unknown url type", an invalid port or header
            raise LrsError(Problem.BAD_ADDRESS, f"The LRS address cannot be used: {exc}.") from None
        except (OSError, http.client.HTTPException) as exc:  # while reading the answer
            raise self._transport_error(exc) from None

    def _transport_error(self, exc: BaseException) -> LrsError:
        where, host = self.where, self.host
        if isinstance(exc, socket.gaierror):
            return LrsError(
                Problem.DNS,
                f"The server name {host} could not be found (DNS: {exc.strerror or exc}). "
                "Check the address, and that this computer is on the network.",
            )
        if isinstance(exc, ConnectionRefusedError):
            return LrsError(
                Problem.REFUSED,
                f"{where} refused the connection: nothing is listening there. "
                "Check the address and port, and that the LRS is running.",
            )
        if isinstance(exc, ssl.SSLCertVerificationError):
            return LrsError(
                Problem.TLS_CERTIFICATE,
                f"The secure connection to {host} failed: its certificate is not trusted "
                f"({exc.verify_message or exc.reason}).",
            )
        if isinstance(exc, ssl.SSLError):
            return LrsError(
                Problem.TLS,
                f"The secure connection (TLS) to {where} failed ({exc.reason or exc}). "
                "Does the server speak https at that address, or only http?",
            )
        if isinstance(exc, TimeoutError):
            return LrsError(Problem.TIMEOUT, f"{where} did not answer within {self.timeout:g} seconds (timeout).")
        if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
            return LrsError(Problem.UNREACHABLE, f"{where} cannot be reached from this computer ({exc.strerror}).")
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else (str(exc) or type(exc).__name__)
        return LrsError(Problem.CONNECTION, f"The connection to {where} failed ({detail}).")

    def _status_error(self, answer: _Answer, url: str) -> LrsError:
        status = answer.status
        said = _server_said(answer)
        if 300 <= status < 400:
            location = answer.headers.get("Location", "")
            target = urljoin(url, location) if location else "another address"
            return LrsError(
                Problem.REDIRECT, f"The LRS redirects to {target} ({status}): enter that endpoint instead.", status
            )
        if status == 401:
            return LrsError(
                Problem.BAD_CREDENTIALS, "The LRS refused the credentials (401): check the key and secret.", status
            )
        if status == 403:
            return LrsError(
                Problem.FORBIDDEN,
                f"The LRS accepted the credentials but does not allow this (403){said}. "
                "Ask for credentials that may write statements.",
                status,
            )
        if status in (404, 405):
            return LrsError(
                Problem.NOT_AN_LRS,
                f"There is no xAPI endpoint at {self.config.endpoint} ({status}). "
                "Check the address: it usually ends in /xAPI/ or /data/xAPI/.",
                status,
            )
        if status == 409:
            message = f"A different statement with the same id is already there (409){said}."
            return LrsError(Problem.CONFLICT, message, 409)
        if status == 429:
            return LrsError(
                Problem.THROTTLED,
                f"The LRS asks to slow down (429){said}.",
                status,
                _retry_after(answer.headers.get("Retry-After")),
            )
        if 400 <= status < 500 and any(m in said.lower() for m in ("experience-api-version", "xapi version")):
            return LrsError(
                Problem.WRONG_VERSION,
                f"The LRS does not accept xAPI {XAPI_VERSION} ({status}){said}.",
                status,
            )
        if 400 <= status < 500:
            return LrsError(Problem.REJECTED, f"The LRS rejected the request ({status}){said}.", status)
        return LrsError(
            Problem.SERVER,
            f"The LRS had a problem of its own ({status}){said}; it will be tried again later.",
            status,
            _retry_after(answer.headers.get("Retry-After")),
        )

    def _unexpected(self, answer: _Answer) -> LrsError:
        return LrsError(Problem.NOT_AN_LRS, f"The LRS answered {answer.status}, which xAPI does not use here.")

    def _not_xapi(self, resource: str) -> str:
        url = urljoin(self.config.endpoint, resource)
        return f"{url} did not answer as an xAPI LRS does: is {self.config.endpoint} the LRS's endpoint?"


def _server_said(answer: _Answer) -> str:
    """A short quote of the server's own explanation (xAPI LRSs put one in the body), or nothing."""
    data = answer.json()
    text = ""
    if isinstance(data, dict):
        text = str(data.get("detail") or data.get("message") or data.get("error") or "")
    elif isinstance(answer.body, bytes) and answer.headers.get_content_type() == "text/plain":
        text = answer.body.decode("utf-8", "replace")
    text = " ".join(text.split())
    if not text:
        return ""
    return f': "{text[:200]}{"…" if len(text) > 200 else ""}"'


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the sender's own backoff applies

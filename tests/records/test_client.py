"""The LRS client against real servers on loopback: what it sends, and a precise reason for every failure."""

from __future__ import annotations

import base64
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.records.client import XAPI_VERSION, LrsClient
from simulator.records.config import LrsConfig
from simulator.records.errors import LrsError, Problem
from tests.records.conftest import Ralph, needs_ralph
from tests.records.helpers import Reply, free_port, http_server


def statement(ident: str = "9f1c7a4e-5b7e-4a38-9f7b-2d64f1b0c001", verb: str = "answered") -> dict[str, Any]:
    return {
        "id": ident,
        "actor": {"objectType": "Agent", "name": "Ana", "account": {"homePage": "urn:empathy-trainer", "name": "Ana"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": "urn:empathy-trainer:scenario:stolen-wallet"},
        "timestamp": "2025-03-01T08:00:00.123Z",
    }


def client(endpoint: str, **changes: Any) -> LrsClient:
    timeout = changes.pop("timeout", 5.0)
    return LrsClient(LrsConfig(endpoint, key="key", secret="secret", **changes), timeout=timeout)


def fails(call: Any) -> LrsError:
    with pytest.raises(LrsError) as caught:
        call()
    return caught.value


def test_requests_follow_xapi_1_0_3() -> None:
    with http_server(lambda seen: Reply(200, ["x"]) if seen.method == "POST" else Reply(204)) as (url, seen):
        lrs = client(url)
        lrs.send([statement(), statement("9f1c7a4e-5b7e-4a38-9f7b-2d64f1b0c002")])
        lrs.put(statement())
    post, put = seen
    assert post.method == "POST" and post.path == "/xAPI/statements"
    assert isinstance(post.body, list) and len(post.body) == 2
    assert put.method == "PUT" and put.path == f"/xAPI/statements?statementId={statement()['id']}"
    assert put.body == statement()
    for request in seen:
        assert request.headers["X-Experience-API-Version"] == XAPI_VERSION == "1.0.3"
        assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"key:secret").decode()
        assert request.headers["Content-Type"] == "application/json; charset=utf-8"


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    # The name is not looked up for real (no DNS traffic from tests): the resolver's own error is raised.
    def no_such_name(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    check = client("https://lrs.example.invalid/xAPI/").check()
    assert not check.ok and check.problem is Problem.DNS
    assert "lrs.example.invalid could not be found (DNS: Name or service not known)" in check.message


def test_connection_refused() -> None:
    port = free_port()  # nothing listens there any more
    check = client(f"http://127.0.0.1:{port}/xAPI/").check()
    assert not check.ok and check.problem is Problem.REFUSED
    assert check.message.startswith(f"127.0.0.1:{port} refused the connection")


def test_https_to_a_server_that_speaks_only_http_is_a_tls_failure() -> None:
    with http_server(lambda seen: Reply(200, {})) as (url, _seen):
        check = client(url.replace("http://", "https://")).check()
    assert not check.ok and check.problem is Problem.TLS
    assert "secure connection (TLS)" in check.message and "only http" in check.message


@pytest.fixture
def self_signed(tmp_path: Path) -> Iterator[str]:
    """An https server on loopback whose certificate no one trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        try:
            conn, _ = listener.accept()
            with conn, pytest.raises(ssl.SSLError):
                context.wrap_socket(conn, server_side=True)  # the client hangs up on the certificate
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/xAPI/"
    listener.close()
    thread.join(5)


def test_an_untrusted_certificate_is_named_as_such(self_signed: str) -> None:
    check = client(self_signed).check()
    assert not check.ok and check.problem is Problem.TLS_CERTIFICATE
    assert "certificate is not trusted" in check.message and "self" in check.message


def test_a_server_that_never_answers_times_out() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections (backlog), never replies
        check = client(f"http://127.0.0.1:{silent.getsockname()[1]}/xAPI/", timeout=0.3).check()
    assert not check.ok and check.problem is Problem.TIMEOUT
    assert "did not answer within 0.3 seconds" in check.message


def test_an_lrs_that_speaks_only_xapi_2_is_the_wrong_version() -> None:
    with http_server(lambda seen: Reply(200, {"version": ["2.0.0"]})) as (url, _seen):
        check = client(url).check()
    assert not check.ok and check.problem is Problem.WRONG_VERSION
    assert check.message == "The LRS speaks xAPI 2.0.0, not 1.0.x; Empathy Trainer sends xAPI 1.0.3."


def test_an_lrs_that_refuses_the_version_header_is_the_wrong_version() -> None:
    refusal = {"message": "X-Experience-API-Version header 1.0.3 is not supported"}
    with http_server(lambda seen: Reply(404) if seen.path.endswith("about") else Reply(400, refusal)) as (url, _):
        error = fails(lambda: client(url).send([statement()]))
    assert error.problem is Problem.WRONG_VERSION and "not supported" in error.message


def test_a_web_page_is_not_an_lrs() -> None:
    with http_server(lambda seen: Reply(200, b"<html><body>Welcome</body></html>")) as (url, _seen):
        check = client(url).check()
    assert not check.ok and check.problem is Problem.NOT_AN_LRS
    assert "did not answer as an xAPI LRS does" in check.message


def test_a_redirect_is_reported_not_followed() -> None:
    with http_server(lambda seen: Reply(301, {}, {"Location": "https://lrs.example.org/xAPI/statements"})) as (
        url,
        seen,
    ):
        error = fails(lambda: client(url).send([statement()]))
    assert error.problem is Problem.REDIRECT
    assert "redirects to https://lrs.example.org/xAPI/statements (301)" in error.message
    assert [s.method for s in seen] == ["POST"]  # not re-sent as a GET elsewhere


def test_server_errors_and_throttling_carry_retry_after() -> None:
    replies = iter([Reply(503, {"detail": "maintenance"}, {"Retry-After": "30"}), Reply(429, {}, {"Retry-After": "7"})])
    with http_server(lambda seen: next(replies)) as (url, _seen):
        server = fails(lambda: client(url).send([statement()]))
        throttled = fails(lambda: client(url).send([statement()]))
    assert server.problem is Problem.SERVER and server.retry_after == 30 and '"maintenance"' in server.message
    assert throttled.problem is Problem.THROTTLED and throttled.retry_after == 7


@needs_ralph
def test_ralph_accepts_good_credentials(ralph: Ralph) -> None:
    check = LrsClient(ralph.config()).check()
    assert check.ok and check.problem is None
    assert check.message == f"Connected to 127.0.0.1:{ralph.port}: the LRS accepted the credentials."


@needs_ralph
def test_ralph_refuses_bad_credentials_with_401(ralph: Ralph) -> None:
    check = LrsClient(ralph.config(secret="wrong")).check()
    assert not check.ok and check.problem is Problem.BAD_CREDENTIALS
    assert check.message == "The LRS refused the credentials (401): check the key and secret."


@needs_ralph
def test_a_wrong_path_on_ralph_is_not_an_lrs_endpoint(ralph: Ralph) -> None:
    check = LrsClient(ralph.config(endpoint=f"http://127.0.0.1:{ralph.port}/lrs/")).check()
    assert not check.ok and check.problem is Problem.NOT_AN_LRS
    assert f"There is no xAPI endpoint at http://127.0.0.1:{ralph.port}/lrs/ (404)" in check.message


@needs_ralph
def test_same_id_same_body_is_fine_and_another_body_is_a_conflict(ralph: Ralph) -> None:
    lrs = LrsClient(ralph.config())
    first = statement("0b6a3d1e-0000-4000-8000-000000000409")
    lrs.put(first)
    lrs.put(first)  # 204: already there, the same
    lrs.send([first])  # also as part of a batch
    error = fails(lambda: lrs.put({**first, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}))
    assert error.problem is Problem.CONFLICT and error.status == 409
    assert lrs.get(first["id"]) == ralph.statement(first["id"])
    assert lrs.get("0b6a3d1e-0000-4000-8000-00000000dead") is None
    assert ralph.stored_ids().count(first["id"]) == 1

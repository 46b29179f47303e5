"""The LRS a trainer configured: endpoint and credentials, with the secret in the system keyring.

Settings live in the attempt database (``records_settings``), so the desktop app
and the command line see the same LRS. The secret goes to the operating
system's keyring (Windows Credential Locker, macOS Keychain, Secret Service on
Linux) where one works; where none does (a headless Linux machine), it is kept
in the database instead, and the settings dialog says so. The secret never
appears in a log or a ``repr``.
"""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from simulator.records.statements import DEFAULT_HOMEPAGE

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

KEYRING_SERVICE = "empathy-trainer-lrs"
IN_KEYRING, IN_DATABASE = "keyring", "database"


class AuthKind(StrEnum):
    KEY_SECRET = "key-secret"  # the LRS's key and secret, sent as HTTP Basic (what most LRSs hand out)
    BASIC = "basic"  # a user name and password, also HTTP Basic
    HEADER = "header"  # a ready-made Authorization header value ("Basic ...", "Bearer ...")


def normalize_endpoint(text: str) -> str:
    """The xAPI endpoint with one trailing slash; ValueError saying what is wrong with it."""
    endpoint = text.strip()
    if not endpoint:
        raise ValueError("Enter the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https"):
        raise ValueError("The endpoint must start with https:// (or http:// for an LRS on this network).")
    if not parts.hostname:
        raise ValueError("The endpoint has no server name.")
    if parts.query or parts.fragment:
        raise ValueError("The endpoint must not have a ?query or #fragment.")
    try:
        parts.port  # noqa: B018 - raises for a port out of range or not a number
    except ValueError:
        raise ValueError("The endpoint's port is not a number from 1 to 65535.") from None
    return endpoint.rstrip("/") + "/"


@dataclass(frozen=True)
class LrsConfig:
    endpoint: str
    auth: AuthKind = AuthKind.KEY_SECRET
    key: str = ""
    secret: str = field(default="", repr=False)
    homepage: str = DEFAULT_HOMEPAGE  # the actors' account home page (the organisation's own, if it has one)

    def authorization(self) -> str:
        if self.auth is AuthKind.HEADER:
            return self.secret.strip()
        token = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode("ascii")
        return f"Basic {token}"

    @property
    def account(self) -> str:
        """The name the secret is filed under in the keyring."""
        return f"{self.key or self.auth.value}@{self.endpoint}"


class SecretsUnavailable(Exception):
    """No usable keyring: the caller keeps the secret elsewhere."""


class SecretStore(Protocol):
    @property
    def name(self) -> str: ...

    def problem(self) -> str | None: ...

    def get(self, account: str) -> str | None: ...

    def set(self, account: str, secret: str) -> None: ...

    def delete(self, account: str) -> None: ...


class KeyringSecrets:
    """The operating system's keyring through the ``keyring`` package (imported only when used)."""

    def __init__(self, backend: Any = None) -> None:
        self._backend = backend

    def _ring(self) -> Any:
        if self._backend is None:
            try:
                import keyring
            except ImportError:
                raise SecretsUnavailable("the keyring package is not installed") from None
            self._backend = keyring.get_keyring()
        return self._backend

    @property
    def name(self) -> str:
        try:
            return str(getattr(self._ring(), "name", type(self._ring()).__name__))
        except SecretsUnavailable:
            return "no keyring"

    def problem(self) -> str | None:
        """Why secrets cannot go to a keyring here (None when one looks usable), said before saving."""
        try:
            ring = self._ring()
        except SecretsUnavailable as exc:
            return str(exc)
        try:
            priority = float(ring.priority)
        except Exception as exc:  # a backend that cannot work here raises from its priority
            return _describe(exc)
        if priority <= 0:  # keyring's "fail" and "null" backends: what a machine without a keyring gets
            return f"no system keyring is available ({self.name})"
        return None

    def get(self, account: str) -> str | None:
        try:
            value = self._ring().get_password(KEYRING_SERVICE, account)
        except SecretsUnavailable:
            raise
        except Exception as exc:  # keyring.errors.KeyringError, or a backend's own (D-Bus, locked)
            raise SecretsUnavailable(_describe(exc)) from None
        return None if value is None else str(value)

    def set(self, account: str, secret: str) -> None:
        ring = self._ring()
        try:
            ring.set_password(KEYRING_SERVICE, account, secret)
            stored = ring.get_password(KEYRING_SERVICE, account)
        except Exception as exc:
            raise SecretsUnavailable(_describe(exc)) from None
        if stored != secret:  # e.g. the "null" backend accepts and forgets
            raise SecretsUnavailable(f"{self.name} did not keep the secret")

    def delete(self, account: str) -> None:
        try:
            self._ring().delete_password(KEYRING_SERVICE, account)
        except Exception as exc:  # nothing stored under that name, or no keyring: nothing to remove either way
            log.debug("keyring: nothing removed (%s)", type(exc).__name__)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass(frozen=True)
class Loaded:
    """The settings as stored: ``config`` is None when no LRS is set up or its secret cannot be read."""

    config: LrsConfig | None
    secret_in: str | None = None  # IN_KEYRING or IN_DATABASE
    problem: str | None = None  # why a configured LRS cannot be used now

    @property
    def configured(self) -> bool:
        return self.config is not None or self.problem is not None


class Settings:
    """``records_settings`` through one connection: the LRS and this database's installation id."""

    def __init__(self, db: sqlite_utils.Database, secrets: SecretStore) -> None:
        self.db = db
        self.secrets = secrets

    def installation_id(self) -> str:
        """A random id made once per database; part of every registration (see statements.registration)."""
        self.db.execute(
            "INSERT OR IGNORE INTO records_settings (key, value) VALUES ('installation_id', ?)", [str(uuid.uuid4())]
        )
        return self._get("installation_id") or ""

    def homepage(self) -> str:
        return self._get("homepage") or DEFAULT_HOMEPAGE

    def load(self) -> Loaded:
        endpoint = self._get("endpoint")
        if not endpoint:
            return Loaded(None)
        auth = AuthKind(self._get("auth") or AuthKind.KEY_SECRET.value)
        base = LrsConfig(endpoint, auth, self._get("key") or "", "", self.homepage())
        where = self._get("secret_in") or IN_DATABASE
        if where == IN_DATABASE:
            secret = self._get("secret") or ""
        else:
            try:
                secret = self.secrets.get(base.account) or ""
            except SecretsUnavailable as exc:
                problem = f"The LRS secret is in the system keyring, which cannot be read now ({exc})."
                return Loaded(None, where, problem)
            if not secret:
                return Loaded(None, where, "The LRS secret is missing from the system keyring; enter it again.")
        return Loaded(LrsConfig(base.endpoint, base.auth, base.key, secret, base.homepage), where)

    def save(self, config: LrsConfig) -> Loaded:
        """Store the LRS (the secret in the keyring if one works, else here); says where the secret went."""
        old = self._stored_account()
        try:
            self.secrets.set(config.account, config.secret)
            where, problem = IN_KEYRING, None
        except SecretsUnavailable as exc:
            log.info("no usable keyring (%s): the LRS secret is kept in the database", exc)
            where, problem = IN_DATABASE, str(exc)
        values = {
            "endpoint": config.endpoint,
            "auth": config.auth.value,
            "key": config.key,
            "homepage": config.homepage or DEFAULT_HOMEPAGE,
            "secret_in": where,
        }
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for key, value in values.items():
                self._put(key, value)
            if where == IN_DATABASE:
                self._put("secret", config.secret)
            else:
                self.db.execute("DELETE FROM records_settings WHERE key = 'secret'")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if old is not None and old != config.account:
            self.secrets.delete(old)
        return Loaded(config, where, problem)

    def remove(self) -> None:
        """Forget the LRS and its secret: from now on nothing is sent anywhere."""
        account = self._stored_account()
        self.db.execute(
            "DELETE FROM records_settings WHERE key IN ('endpoint', 'auth', 'key', 'secret', 'secret_in', 'homepage')"
        )
        if account:
            self.secrets.delete(account)

    def _stored_account(self) -> str | None:
        endpoint = self._get("endpoint")
        if not endpoint:
            return None
        auth = AuthKind(self._get("auth") or AuthKind.KEY_SECRET.value)
        return LrsConfig(endpoint, auth, self._get("key") or "").account

    def _get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM records_settings WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def _put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO records_settings (key, value) VALUES (?, ?)", [key, value])

"""LRS settings: the endpoint checked, the secret in the keyring (or, with none, in the database, said so)."""

from __future__ import annotations

import base64
import logging

import pytest
from keyring.backends import fail

from simulator.records.config import (
    IN_DATABASE,
    IN_KEYRING,
    KEYRING_SERVICE,
    AuthKind,
    KeyringSecrets,
    LrsConfig,
    Settings,
    normalize_endpoint,
)
from simulator.storage.store import Store
from tests.records.helpers import MemoryKeyring

SECRET = "s3cr3t-do-not-log"


def secret_rows(store: Store) -> list[str]:
    return [str(r[0]) for r in store.db.execute("SELECT value FROM records_settings").fetchall()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://lrs.example.org/xAPI", "https://lrs.example.org/xAPI/"),
        ("  http://127.0.0.1:8100/xAPI/  ", "http://127.0.0.1:8100/xAPI/"),
        ("https://lrs.example.org/data/xAPI//", "https://lrs.example.org/data/xAPI/"),
    ],
)
def test_endpoints_get_one_trailing_slash(text: str, expected: str) -> None:
    assert normalize_endpoint(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Enter the LRS's xAPI endpoint"),
        ("lrs.example.org/xAPI", "must start with https://"),
        ("ftp://lrs.example.org/", "must start with https://"),
        ("https:///xAPI", "no server name"),
        ("https://lrs.example.org/xAPI?x=1", "?query"),
        ("https://lrs.example.org:99999/xAPI", "port"),
    ],
)
def test_unusable_endpoints_say_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says.replace("?", r"\?")):
        normalize_endpoint(text)


def test_basic_authorization_and_a_ready_made_header() -> None:
    basic = LrsConfig("https://lrs/xAPI/", AuthKind.KEY_SECRET, "key", "pa55")
    assert basic.authorization() == "Basic " + base64.b64encode(b"key:pa55").decode()
    header = LrsConfig("https://lrs/xAPI/", AuthKind.HEADER, "", "  Bearer abc.def ")
    assert header.authorization() == "Bearer abc.def"
    assert "pa55" not in repr(basic) and "abc" not in repr(header)


def test_the_secret_goes_to_the_keyring_and_not_into_the_database(store: Store, keyring: MemoryKeyring) -> None:
    settings = Settings(store.db, KeyringSecrets(keyring))
    assert settings.load().config is None and not settings.load().configured
    config = LrsConfig("https://lrs.example.org/xAPI/", AuthKind.KEY_SECRET, "key-1", SECRET, "https://lms.example.org")
    saved = settings.save(config)
    assert saved.secret_in == IN_KEYRING and saved.problem is None
    assert keyring.secrets == {(KEYRING_SERVICE, "key-1@https://lrs.example.org/xAPI/"): SECRET}
    assert SECRET not in secret_rows(store)
    loaded = settings.load()
    assert loaded.config == config and loaded.secret_in == IN_KEYRING


def test_without_a_usable_keyring_the_secret_stays_in_the_database_and_that_is_said(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = Settings(store.db, KeyringSecrets(fail.Keyring()))  # what headless Linux has
    config = LrsConfig("https://lrs.example.org/xAPI/", AuthKind.BASIC, "user", SECRET)
    saved = settings.save(config)
    assert saved.secret_in == IN_DATABASE
    assert saved.problem and "NoKeyringError" in saved.problem
    assert settings.load().config == config
    assert SECRET in secret_rows(store)
    assert SECRET not in caplog.text


def test_a_keyring_that_forgets_is_not_trusted(store: Store) -> None:
    class Forgetful(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            pass

    saved = Settings(store.db, KeyringSecrets(Forgetful())).save(LrsConfig("https://lrs/xAPI/", key="k", secret=SECRET))
    assert saved.secret_in == IN_DATABASE and "did not keep the secret" in (saved.problem or "")


def test_a_secret_missing_from_the_keyring_is_a_problem_to_show(store: Store, keyring: MemoryKeyring) -> None:
    settings = Settings(store.db, KeyringSecrets(keyring))
    settings.save(LrsConfig("https://lrs/xAPI/", key="k", secret=SECRET))
    keyring.secrets.clear()  # e.g. another user profile, or the keyring was reset
    loaded = settings.load()
    assert loaded.config is None and loaded.configured
    assert "missing from the system keyring" in (loaded.problem or "")


def test_changing_the_key_moves_the_secret_and_removing_forgets_everything(
    store: Store, keyring: MemoryKeyring
) -> None:
    settings = Settings(store.db, KeyringSecrets(keyring))
    settings.save(LrsConfig("https://lrs/xAPI/", key="old", secret="one"))
    settings.save(LrsConfig("https://lrs/xAPI/", key="new", secret="two"))
    assert list(keyring.secrets.values()) == ["two"]
    installation = settings.installation_id()
    settings.remove()
    assert keyring.secrets == {} and settings.load().config is None
    assert settings.installation_id() == installation  # ids already issued stay derivable


def test_whether_a_keyring_is_usable_is_known_before_saving(keyring: MemoryKeyring) -> None:
    assert KeyringSecrets(keyring).problem() is None
    problem = KeyringSecrets(fail.Keyring()).problem()
    assert problem is not None and problem.startswith("no system keyring is available")

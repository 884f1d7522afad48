"""Logins for `bot serve` from BOT_AUTH and BOT_AUTH_FILE, and what counts as loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.ui import is_loopback, users


def test_logins_from_the_variable_and_a_file(tmp_path: Path) -> None:
    logins = tmp_path / "logins"
    logins.write_text("# team\nbob:pa:ss\n\ncarol:secret\n", encoding="utf-8")
    assert users("alice:s3cret", logins) == [("alice", "s3cret"), ("bob", "pa:ss"), ("carol", "secret")]
    assert users(None, None) == []


@pytest.mark.parametrize("bad", ["alice", "alice:", ":secret"])
def test_a_malformed_login_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError, match="not user:password"):
        users(bad, None)


def test_an_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read BOT_AUTH_FILE"):
        users(None, tmp_path / "missing")


def test_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")

"""`publish --portal URL` when nothing answers at URL: say so, not "answered ConnectError"."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from portal.errors import RemoteUnreachable
from portal.replication.remote import publish_remote


def _closed_port() -> int:
    with socket.socket() as probe:  # bound then closed: nothing listens there now
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_portal_that_does_not_answer_is_named_unreachable(tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    book.write_text("id,title_fa\np-1,طرح\n", encoding="utf-8")
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(RemoteUnreachable) as raised:
        publish_remote(book, "gw_token", url, None)
    message = raised.value.message
    assert "با کد" not in message["fa"]  # not "answered with code ...": nothing answered
    assert f"{url}/api/publish" in message["en"] and f"{url}/api/publish" in message["fa"]
    for lang in ("fa", "en"):  # a class name is not a reason a clerk reads
        assert "ConnectError" not in message[lang]
    assert raised.value.exit_code == 1

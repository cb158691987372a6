"""Rate-limit keys for client addresses: a keyed hash, so stored keys reveal no address.

A plain sha256 of an address is reversible (hash all 2^32 IPv4 addresses in minutes), so
the key is HMAC-SHA256 under a secret made once per store and kept beside the catalog,
readable by the portal's user alone (0600). A store without the file gets a new secret;
counters under old keys then match nobody and expire within their window.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = "client-key.secret"
_SECRET_BYTES = 32


def _new_secret(beside: Path) -> Path:
    """A fresh secret in a temporary file of mode 0600 next to `beside`."""
    temp = beside.with_name(f".{beside.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(_SECRET_BYTES))
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)  # a full disk leaves no half secret behind
        raise
    return temp


def _read_or_create(path: Path) -> bytes:
    """The store's secret; created atomically (link, never overwrite) when it is missing."""
    with contextlib.suppress(FileNotFoundError):
        data = path.read_bytes()
        if len(data) == _SECRET_BYTES:
            return data
        # a damaged secret (cut short by a full disk) is replaced: old keys just expire
        os.replace(_new_secret(path), path)
        return path.read_bytes()
    temp = _new_secret(path)
    try:
        # another process may win the race: then its secret stands, and both use it
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    finally:
        temp.unlink()
    return path.read_bytes()


_cache: dict[Path, bytes] = {}


def keyed_hash(path: Path, message: str) -> str:
    """HMAC-SHA256 of `message` under the secret kept at `path` (made once, 0600)."""
    secret = _cache.get(path)
    if secret is None:
        secret = _cache[path] = _read_or_create(path)
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def client_key(home: Path, address: str) -> str:
    """The rate-limit key of `address` in the store at `home` (hex HMAC-SHA256)."""
    return keyed_hash(Path(home) / SECRET_FILE, address)

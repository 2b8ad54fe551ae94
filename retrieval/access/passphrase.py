"""An admin passphrase for a single offline machine: stored only as a salted scrypt hash, wrong tries slowed.

The file holds the salt, the scrypt parameters and the derived key; the passphrase itself is never
written. Wrong attempts are counted in a second file: after ``FREE_ATTEMPTS`` failures each further
try must wait, doubling from ``BASE_DELAY`` seconds up to ``MAX_DELAY``, whichever process or
browser session makes it. A right passphrase clears the count.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import RetrievalError

PASSPHRASE_FILE = "admin-passphrase.json"
ATTEMPTS_FILE = "admin-attempts.json"
MIN_LENGTH = 10
FREE_ATTEMPTS = 3
BASE_DELAY = 2.0
MAX_DELAY = 300.0
# scrypt cost: about 0.1 s and 16 MB per check on two cores, too slow to guess at any useful rate.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class PassphraseError(RetrievalError):
    """The admin passphrase cannot be set or checked as asked."""


class TooManyAttemptsError(PassphraseError):
    """Too many wrong passphrases: the next try must wait."""


@dataclass(frozen=True, slots=True)
class StoredPassphrase:
    salt: bytes
    key: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P


def _derive(secret: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _write(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def set_passphrase(folder: Path, secret: str) -> Path:
    """Store a new admin passphrase (as a salted hash) in ``folder``; returns the file written."""
    if len(secret) < MIN_LENGTH:
        raise PassphraseError(f"The passphrase must be at least {MIN_LENGTH} characters long.")
    salt = secrets.token_bytes(16)
    key = _derive(secret, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    path = folder / PASSPHRASE_FILE
    _write(path, {"salt": salt.hex(), "key": key.hex(), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P})
    (folder / ATTEMPTS_FILE).unlink(missing_ok=True)
    return path


def read_passphrase(folder: Path) -> StoredPassphrase | None:
    path = folder / PASSPHRASE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        salt, key = bytes.fromhex(raw["salt"]), bytes.fromhex(raw["key"])
        return StoredPassphrase(salt, key, int(raw["n"]), int(raw["r"]), int(raw["p"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PassphraseError(
            f"{path} is damaged ({exc}). Set the passphrase again: python -m retrieval admin set-passphrase"
        ) from exc


def _attempts(folder: Path) -> tuple[int, float]:
    try:
        raw = json.loads((folder / ATTEMPTS_FILE).read_text(encoding="utf-8"))
        return int(raw["failures"]), float(raw["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0.0


def wait_needed(failures: int) -> float:
    """Seconds a try must wait after ``failures`` wrong ones in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_ATTEMPTS))


def check_passphrase(folder: Path, attempt: str, *, now: float | None = None) -> bool:
    """True when ``attempt`` is the admin passphrase; raises TooManyAttemptsError while slowed down."""
    stored = read_passphrase(folder)
    if stored is None:
        raise PassphraseError(
            "No admin passphrase is set. Set one with: python -m retrieval admin set-passphrase"
        )
    moment = time.time() if now is None else now
    failures, last = _attempts(folder)
    wait = wait_needed(failures) - (moment - last)
    if wait > 0:
        raise TooManyAttemptsError(f"Too many wrong passphrases. Try again in {wait:.0f} seconds.")
    ok = hmac.compare_digest(_derive(attempt, stored.salt, n=stored.n, r=stored.r, p=stored.p), stored.key)
    if ok:
        (folder / ATTEMPTS_FILE).unlink(missing_ok=True)
    else:
        _write(folder / ATTEMPTS_FILE, {"failures": failures + 1, "last": moment})
    return ok

"""The secret key an extract's date offsets are derived from, kept apart from every extract.

The key comes from `NEGLECT_KIT_EXTRACT_KEY` (a council that keeps its secrets elsewhere puts it there), else
from the file `extract.key` in the kit's data folder, made on first use with 32 random bytes and readable by
its owner alone (0600). The same key gives a case the same offset in every extract, so two extracts of one
case line up; anyone holding the key and an extract can undo its dates, so it is never written into one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..config import data_dir
from .extract_errors import ExtractError

KEY_ENV = "NEGLECT_KIT_EXTRACT_KEY"
KEY_FILE = "extract.key"
_LEAST = 16  # bytes: a shorter key could be guessed by trying every value


def key_path() -> Path:
    """Where the key file is kept when `NEGLECT_KIT_EXTRACT_KEY` is not set."""
    return data_dir() / KEY_FILE


def extract_key() -> bytes:
    """The secret key: from `NEGLECT_KIT_EXTRACT_KEY`, else the key file (made now, 0600, if there is none).

    Raises:
        ExtractError: the variable or the file holds fewer than 16 bytes, or the file is open to others.
    """
    given = os.environ.get(KEY_ENV, "")
    if given.strip():
        key = given.strip().encode("utf-8")
        if len(key) < _LEAST:
            raise ExtractError(f"{KEY_ENV} holds {len(key)} characters: give at least {_LEAST} (e.g. 64 random hex "
                            "digits) so that the date offsets cannot be guessed")
        return key
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two first uses at once never give two keys; 0600 from the start, never widened then narrowed
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return extract_key()
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
    if path.stat().st_mode & 0o077:
        raise ExtractError(f"{path}: the extract key is readable by others (chmod 600 {path.name}), so it is not used")
    key = path.read_bytes()
    if len(key) < _LEAST:
        raise ExtractError(f"{path}: the extract key holds {len(key)} bytes, fewer than {_LEAST}")
    return key

"""Small builders the tests share."""

from __future__ import annotations


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    """A CSV file's bytes from its lines."""
    return ("\n".join(lines) + "\n").encode(encoding)

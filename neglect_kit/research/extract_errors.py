"""What an extract refuses: one error, its message one line naming what is wrong and where."""

from __future__ import annotations


class ExtractError(ValueError):
    """An extract that cannot be taken or written as asked; nothing was written."""

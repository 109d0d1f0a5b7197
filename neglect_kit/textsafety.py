"""Imported free text made safe to store, show and export.

Agency returns carry spreadsheet formulas (`=HYPERLINK(...)`), pasted HTML, script and
whole e-mails. Text is kept as plain words: formulas are stopped from running when the
chronology is opened in a spreadsheet again, and markup is reduced to its words.
"""

from __future__ import annotations

import html
import re

# A cell starting with one of these runs as a formula in Excel, LibreOffice and Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")
_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"</?[a-z][a-z0-9]*(\s[^<>]*)?/?>|<!--.*?-->", re.I | re.S)
_EMAIL_HEADERS = re.compile(r"^(from|sent|to|subject|cc):\s", re.I | re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# shown as escapes in a line of text: every C0 and C1 control (a terminal acts on ESC and CSI) and the
# marks that reorder text on screen
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START) and not _NUMBER.match(text)


def neutralise_formula(text: str) -> str:
    """Prefix a would-be formula with an apostrophe so a spreadsheet shows it as text."""
    return "'" + text if looks_like_formula(text) else text


def clean_text(text: str) -> tuple[str, list[str]]:
    """Plain, safe text and a list of what was changed (empty when nothing was).

    Script and style blocks are dropped, other tags reduced to their words, entities
    decoded, control characters removed and a leading formula neutralised.
    """
    changes: list[str] = []
    out = _CONTROL.sub("", text)
    if out != text:
        changes.append("control characters removed")
    if _SCRIPT.search(out):
        out = _SCRIPT.sub(" ", out)
        changes.append("script removed")
    if _TAG.search(out):
        out = _TAG.sub(" ", out)
        changes.append("HTML tags removed")
    if "&" in out:
        decoded = html.unescape(out)
        if decoded != out:
            out = decoded
            if "HTML tags removed" not in changes:
                changes.append("HTML entities decoded")
    out = re.sub(r"[ \t]+", " ", out).strip()
    if looks_like_formula(out):
        out = neutralise_formula(out)
        changes.append("spreadsheet formula neutralised")
    return out, changes


def escape_controls(text: str) -> str:
    """A line safe to print: control characters and reordering marks shown as escapes (ESC as '\\x1b'),
    so a cell holding terminal codes or a line break cannot act on the terminal or forge a line."""
    return _UNSHOWN.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def looks_like_email(text: str) -> bool:
    """A pasted e-mail: at least two header lines such as From:, Sent:, To:, Subject:."""
    return len(_EMAIL_HEADERS.findall(text)) >= 2

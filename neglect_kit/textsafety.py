"""Imported and typed free text made safe to store, show and export.

Agency returns carry spreadsheet formulas (`=HYPERLINK(...)`), pasted HTML, script and
whole e-mails; forms and case folders carry whatever was typed or pasted. Text is kept as
the words a person reads:

- markup is removed by a well-kept HTML sanitiser (nh3, the binding of Rust's ammonia) that
  parses the text as a browser would, so unclosed tags (`<img src=x onerror=...` with no `>`),
  `<svg/onload=...>`, comments and script or style blocks (with their contents) all go; the
  breaks of a pasted paragraph, line or list item become line breaks;
- entities are decoded once, to the characters a reader sees (`Tom &amp; Jerry` is stored as
  `Tom & Jerry`); markup spelt in entities (`&lt;img onerror=...&gt;`) is markup, and is removed
  like any other, so the stored text never holds a tag a browser would run, even when a screen
  forgets to escape it. A `<` that cannot open a tag (`<3`, `5 < 6`) is kept as written;
- NUL, escape and the other control characters (C0 and C1) are removed; line breaks and tabs stay;
- a leading formula is neutralised (`clean_text` only: a stored entry is also written to CSV).
"""

from __future__ import annotations

import html
import re

import nh3

# A cell starting with one of these runs as a formula in Excel, LibreOffice and Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")
_EMAIL_HEADERS = re.compile(r"^(from|sent|to|subject|cc):\s", re.I | re.M)
# every C0 control but tab and the line breaks, DEL, and every C1 control (U+009B is a terminal's CSI)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# shown as escapes in a line of text: every C0 and C1 control (a terminal acts on ESC and CSI) and the
# marks that reorder text on screen
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What may need cleaning: a character that can start markup or an entity, or a control character.
# Text without any is stored as it is (most text), without the sanitiser's parse.
SUSPECT_CHAR = re.compile(r"[<&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Where an HTML parser opens a tag, an end tag, a comment or a processing instruction: "<" then a
# letter, "/", "!" or "?". Any other "<" is text to a browser.
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_SCRIPT_OPEN = re.compile(r"<(?:script|style)\b", re.I)  # only to name the change in the report
# Elements whose edges are line breaks to a reader; kept by the sanitiser, bare, then made "\n".
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})
_BREAK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BREAKS)) + ")>")  # nh3 writes them bare and lower case
_SPACES = re.compile(r"[ \xa0]+")
_LINE_EDGES = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _NUMBER.match(text)


def neutralise_formula(text: str) -> str:
    """Prefix a would-be formula with an apostrophe so a spreadsheet shows it as text."""
    return "'" + text if looks_like_formula(text) else text


def _words_of(text: str) -> str:
    """What a browser shows of `text` as HTML: markup removed, entities decoded once."""
    # every attribute dropped (nh3 keeps lang and title by default), so a kept break is a bare tag
    kept = nh3.clean(text, tags=set(_BREAKS), attributes={}, attribute_filter=lambda *_: None,
                     clean_content_tags={"script", "style"}, strip_comments=True, link_rel=None)
    return html.unescape(_BREAK_TAG.sub("\n", kept))


def plain_text(text: str) -> tuple[str, list[str]]:
    """`text` as the words a person reads, safe to insert in a page, and what was changed.

    Markup and control characters removed, entities decoded once, spaces tidied. Formulas are
    left alone (see `clean_text`). Cleaning clean text changes nothing.

    Returns:
        The text, and a list of what was changed (empty when nothing was).
    """
    if not SUSPECT_CHAR.search(text):
        return text.strip(), []
    changes: list[str] = []
    out = _CONTROL.sub("", text)
    if out != text:
        changes.append("control characters removed")
    if "<" in out or "&" in out:
        before = out
        out = _words_of(out)
        # markup spelt in entities, decoded above: removed as markup, never decoded again
        while _TAG_OPEN.search(out):
            out = _words_of(out.replace("&", "&amp;"))
        if out != before:
            changes.append("script removed" if _SCRIPT_OPEN.search(html.unescape(before)) else
                           "HTML tags removed" if _TAG_OPEN.search(html.unescape(before)) else
                           "HTML entities decoded")
        out = _BLANK_LINES.sub("\n\n", _LINE_EDGES.sub("\n", _SPACES.sub(" ", out)))
    return out.strip(), changes


def clean_text(text: str) -> tuple[str, list[str]]:
    """Plain, safe text (see `plain_text`) with a leading formula neutralised, and what was changed.

    Returns:
        The text, and a list of what was changed (empty when nothing was).
    """
    out, changes = plain_text(text)
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

"""What the supervision models share: the kit's strict base, text trimmed, and the plain-words checks on free text.

Supervision records can be read in court (DOMAIN.md section 5), so a blank, a bare "n/a" or an
owner such as "professionals" is refused by every model the same way, with the field named.
"""

from __future__ import annotations

from ..validators import Trimmed
from ..vocab import AGENCIES, normalise

# Owners that name nobody: the agency vocabulary's own vague words, and the ways a whole
# group gets named so that no one in it is answerable.
_NOBODY = {normalise(w) for w in (
    *AGENCIES.vague, "all", "all agencies", "all professionals", "professionals", "everyone", "everybody",
    "anyone", "whoever", "team", "the team", "network", "professional network", "tbc", "tba", "to be confirmed",
    "none", "nobody", "no one",
)}
_NOTHING = {"", "n a", "na", "none", "nil", "tbc", "tba", "see above", "as above", "x"}


# unknown fields refused (a typo is never dropped silently); text trimmed of outer spaces
Strict = Trimmed


def says_nothing(text: str) -> bool:
    """True for a blank, or a stand-in such as "n/a", "TBC" or "as above" that says nothing."""
    return normalise(text) in _NOTHING


def require_words(text: str, field: str, ask: str) -> str:
    """`text` unchanged, or a ValueError naming `field` and asking for what is missing.

    Args:
        text: the value as given.
        field: the field's name, as the reader sees it in the message.
        ask: what to write instead, in the imperative ("say how the child is kept safe meanwhile").
    """
    if says_nothing(text):
        shown = f" ('{text.strip()}')" if text.strip() else ""
        raise ValueError(f"{field} is blank{shown}: {ask}")
    return text


def require_owner(text: str, field: str) -> str:
    """`text` unchanged if it names a role or agency that can answer for the work, else a ValueError."""
    require_words(text, field, "name the role or agency, e.g. 'social worker' or 'health visitor'")
    if normalise(text) in _NOBODY:
        raise ValueError(f"{field} '{text}' names nobody who can answer for it: name one role or agency, "
                         "e.g. 'social worker', 'health visitor' or 'school'")
    return text

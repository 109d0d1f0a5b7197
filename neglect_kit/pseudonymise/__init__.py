"""Pseudonymisation: the one scrubbing engine of the kit, for the anonymised views and research extracts.

- `labels`: role labels ("Child A", "Mother", "HV1") and keyed pseudonyms;
- `denylists`: every way a case's records name its people, professionals and places;
- `dates`: the keyed date shift in whole weeks, age bands, dates of birth in text;
- `residual`: what is left for a person to check after scrubbing;
- `recognizers` and `engine`: Presidio with no language model (imported only when a scrubber is built).

Importing this package does not import Presidio: an app that never shows the anonymised view never pays
for it.
"""

from .dates import age_band, date_offset
from .labels import Person, keyed_id, role_labels
from .residual import Token, residual

__all__ = ["Change", "Person", "ScrubResult", "Scrubber", "Token", "age_band", "date_offset", "keyed_id",
           "residual", "role_labels"]


def __getattr__(name: str) -> object:
    # the engine (and Presidio) only when asked for
    if name in ("Change", "ScrubResult", "Scrubber"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)

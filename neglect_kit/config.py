"""Settings: where the data lives, who is using the kit, and a partnership's own vocabularies.

Everything has a built-in default; a partnership adjusts it with a TOML file named by
`NEGLECT_KIT_SETTINGS` (or `settings.toml` in the data folder).
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import vocab
from .assessment.framework import GRADE_MEANINGS


class SettingsError(ValueError):
    """A settings file that cannot be used, with the file and key named."""


def data_dir() -> Path:
    """The folder for the default database and settings (`NEGLECT_KIT_DATA` overrides)."""
    explicit = os.environ.get("NEGLECT_KIT_DATA")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "neglect-kit"


def database_url() -> str:
    """Any SQLAlchemy URL from `NEGLECT_KIT_DB`, else an SQLite file in the data folder."""
    url = os.environ.get("NEGLECT_KIT_DB")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'neglect_kit.sqlite'}"


def current_user() -> str:
    """Who is writing: the JupyterHub user on a shared server, then `NEGLECT_KIT_USER`, then the OS user."""
    for var in ("JUPYTERHUB_USER", "NEGLECT_KIT_USER"):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown-user"


@dataclass(frozen=True)
class Settings:
    """A partnership's settings, defaults built in."""

    agencies: vocab.Vocabulary = vocab.AGENCIES
    categories: vocab.Vocabulary = vocab.CATEGORIES
    plan_types: vocab.Vocabulary = vocab.PLAN_TYPES
    risk_factors: vocab.Vocabulary = vocab.RISK_FACTORS
    # plan type -> weeks between reviews (statutory timescales differ by plan and by council)
    review_weeks: dict[str, int] = field(default_factory=lambda: {
        "child_in_need": 12, "child_protection": 26, "looked_after": 26, "early_help": 12})
    # the same incident from two agencies: dates this close, words this alike
    duplicate_days: int = 3
    duplicate_similarity: float = 0.35
    max_description_chars: int = 2000
    # days after which the kit warns that a child has not been seen, seen alone or heard
    # what each assessment grade means, in a partnership's own words (codes 1-5 never change)
    grade_meanings: dict[int, str] = field(default_factory=lambda: dict(GRADE_MEANINGS))
    contact_days: dict[str, int] = field(default_factory=lambda: {"seen": 20, "seen_alone": 42, "heard": 42})
    source: str = "built-in defaults"


_VOCAB_KEYS = ("agencies", "categories", "plan_types", "risk_factors")


def settings_path() -> Path:
    explicit = os.environ.get("NEGLECT_KIT_SETTINGS")
    return Path(explicit).expanduser() if explicit else data_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Read settings from `path` (default `settings_path()`); no file means the defaults.

    Raises:
        SettingsError: the file is not TOML, or a key or value is not one the kit knows.
    """
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not a readable TOML file ({exc})") from exc
    return settings_from_dict(raw, str(path))


def settings_from_dict(raw: dict[str, Any], source: str = "settings") -> Settings:
    known = {*_VOCAB_KEYS, "review_weeks", "duplicate_days", "duplicate_similarity",
             "max_description_chars", "contact_days", "grade_meanings"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s) {', '.join(unknown)}; "
                            f"known: {', '.join(sorted(known))}")
    base = Settings()
    values: dict[str, Any] = {"source": source}
    for key in _VOCAB_KEYS:
        if key in raw:
            if not isinstance(raw[key], dict):
                raise SettingsError(f"{source}: [{key}] must be a table of code = label")
            values[key] = getattr(base, key).extended(raw[key])
    if "review_weeks" in raw:
        weeks = raw["review_weeks"]
        bad = [k for k, v in weeks.items() if not isinstance(v, int) or v <= 0]
        if bad:
            raise SettingsError(f"{source}: review_weeks.{bad[0]} must be a whole number of weeks above 0")
        values["review_weeks"] = {**base.review_weeks, **weeks}
    if "grade_meanings" in raw:
        meanings = raw["grade_meanings"]
        bad_keys = sorted(k for k in meanings if k not in {"1", "2", "3", "4", "5"})
        if bad_keys:
            raise SettingsError(f"{source}: grade_meanings.{bad_keys[0]} is not a grade (1 to 5)")
        blank = sorted(k for k, v in meanings.items() if not isinstance(v, str) or not v.strip())
        if blank:
            raise SettingsError(f"{source}: grade_meanings.{blank[0]} needs words saying what the grade means")
        values["grade_meanings"] = {**base.grade_meanings, **{int(k): v.strip() for k, v in meanings.items()}}
    if "contact_days" in raw:
        days = raw["contact_days"]
        unknown_keys = sorted(set(days) - set(base.contact_days))
        if unknown_keys:
            raise SettingsError(f"{source}: contact_days.{unknown_keys[0]} is not one of "
                                f"{', '.join(base.contact_days)}")
        bad = [k for k, v in days.items() if not isinstance(v, int) or v <= 0]
        if bad:
            raise SettingsError(f"{source}: contact_days.{bad[0]} must be a whole number of days above 0")
        values["contact_days"] = {**base.contact_days, **days}
    for key, kind in (("duplicate_days", int), ("duplicate_similarity", float),
                      ("max_description_chars", int)):
        if key in raw:
            if not isinstance(raw[key], (int, float)) or raw[key] < 0:
                raise SettingsError(f"{source}: {key} must be a number of at least 0")
            values[key] = kind(raw[key])
    return Settings(**{**base.__dict__, **values})


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings in force for this process (read once)."""
    return load_settings()

"""Settings: where the data lives, who is using the kit, and a partnership's own vocabularies.

Everything has a built-in default; a partnership adjusts it with a TOML file named by
`NEGLECT_KIT_SETTINGS` (or `settings.toml` in the data folder).
"""

from __future__ import annotations

import getpass
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import terms, vocab


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


# What each grade means for the here and now, in the kit's words; a partnership may reword them
# in its settings (`grade_meanings`), and the apps read them from there (`Settings.grade_meanings`).
GRADE_MEANINGS: dict[int, str] = {
    1: "Needs met well and consistently: the child comes first.",
    2: "Needs met most of the time: small gaps that the carer notices and puts right.",
    3: "Needs met only some of the time: the child's needs and the adults' compete.",
    4: "Needs often not met: the adults' needs usually come first; the child goes without.",
    5: "Needs largely unmet: the child's needs are not considered.",
}


@dataclass(frozen=True)
class ServerSettings:
    """What `neglect-kit serve` allows: the names it answers to and the kernels it keeps (docs/settings.md)."""

    # host names besides 127.0.0.1, [::1] and localhost, for a proxy that passes its own name on
    allowed_hosts: tuple[str, ...] = ()
    # each open app is a Python kernel of 120 MB or more; past this many, a new page is refused
    max_kernels: int = 12
    # a kernel with no page connected and idle this long is shut down
    idle_seconds: int = 1200


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
    # patterns: a sign counts as a pattern when this many entries fall within the window
    pattern_window_days: int = 365
    indicator_thresholds: dict[str, int] = field(default_factory=lambda: {
        "was_not_brought": 3, "attendance": 2, "home_conditions": 3, "injury": 2, "police_callout": 2,
        "referral": 2, "worker_change": 2, "household_change": 2, "hunger_food": 2, "physical_care": 3,
        "growth_weight": 2, "no_access": 3})
    # words that point to each parental factor (see terms.RISK_TERMS)
    risk_terms: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(terms.RISK_TERMS))
    # words that say a child was seen, seen alone, not seen (and why) or heard (see terms.CONTACT_TERMS)
    contact_terms: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(terms.CONTACT_TERMS))
    # drift: weeks a plan may run before it is raised; weeks after a plan ends within which a new
    # referral or plan counts as a re-referral
    drift_weeks: dict[str, int] = field(default_factory=lambda: {
        "child_protection": 78, "child_in_need": 104, "early_help": 52, "looked_after": 0, "re_referral": 52})
    # the child in the records: least share of entries with the child's words or the impact on the
    # child, and most share of entries about the adults only
    record_shares: dict[str, float] = field(default_factory=lambda: {
        "child_words_min": 0.10, "impact_min": 0.50, "adult_focus_max": 0.30})
    # escalation of professional disagreement: stages in order, each with its working days
    escalation_stages: tuple[tuple[str, int], ...] = (
        ("Practitioner to practitioner", 2), ("Team managers", 3), ("Service leads", 5),
        ("Independent meeting", 10))
    # UK nation whose bank holidays are not working days: ENG, WLS, SCT or NIR
    bank_holidays: str = "ENG"
    # the largest return read, checked before it is parsed (docs/settings.md says why these sizes)
    limits: dict[str, int] = field(default_factory=lambda: {"file_mb": 50, "rows": 200_000, "inflated_mb": 300})
    server: ServerSettings = ServerSettings()
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
    named = path is None and os.environ.get("NEGLECT_KIT_SETTINGS")
    path = path or settings_path()
    if not path.exists():
        if named:  # a partnership's settings asked for by name and not there: its words would silently go
            raise SettingsError(f"{path}: no such settings file (NEGLECT_KIT_SETTINGS names it)")
        return Settings()
    if path.is_dir():
        raise SettingsError(f"{path}: is a folder; the settings are a TOML file (NEGLECT_KIT_SETTINGS names it)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not a readable TOML file ({exc})") from exc
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return settings_from_dict(raw, str(path))


_BANK_HOLIDAY_NATIONS = ("ENG", "WLS", "SCT", "NIR")


def _whole_numbers(raw: dict[str, Any], key: str, base: dict[str, int], source: str, *,
                   unit: str, open_keys: bool = False, zero_ok: bool = False) -> dict[str, int]:
    """A table of whole numbers merged over its defaults; unknown keys refused unless `open_keys`."""
    table = raw[key]
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [{key}] must be a table of name = whole number of {unit}")
    if not open_keys and (unknown := sorted(set(table) - set(base))):
        raise SettingsError(f"{source}: {key}.{unknown[0]} is not one of {', '.join(base)}")
    least = 0 if zero_ok else 1
    bad = [k for k, v in table.items() if isinstance(v, bool) or not isinstance(v, int) or v < least]
    if bad:
        floor = "0 or more" if zero_ok else "above 0"
        raise SettingsError(f"{source}: {key}.{bad[0]} must be a whole number of {unit} {floor}")
    return {**base, **table}


def _vocab_table(table: Any, key: str, source: str) -> dict[str, str | dict[str, object]]:
    """A vocabulary table: code = "label", or code = { label = "...", synonyms = ["...", ...] }."""
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [{key}] must be a table of code = label")
    for code, spec in table.items():
        if isinstance(spec, str):
            if not spec.strip():
                raise SettingsError(f"{source}: {key}.{code} needs a label")
            continue
        if not isinstance(spec, dict):
            raise SettingsError(f"{source}: {key}.{code} must be a label or a table of label and synonyms")
        if unknown := sorted(set(spec) - {"label", "synonyms"}):
            raise SettingsError(f"{source}: {key}.{code}.{unknown[0]} is not one of label, synonyms")
        label, synonyms = spec.get("label", "x"), spec.get("synonyms", [])
        if not isinstance(label, str) or not label.strip():
            raise SettingsError(f"{source}: {key}.{code}.label must be words")
        if not isinstance(synonyms, list) or not all(isinstance(w, str) and w.strip() for w in synonyms):
            raise SettingsError(f"{source}: {key}.{code}.synonyms must be a list of words, none blank")
    return table


def _term_lists(table: Any, base: dict[str, tuple[str, ...]], source: str, key: str, what: str
                ) -> dict[str, tuple[str, ...]]:
    """A table of name = list of words ([risk_terms], [contact_terms]) over its defaults: `what` names its keys."""
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [{key}] must be a table of {what} = list of words")
    if unknown := sorted(set(table) - set(base)):
        raise SettingsError(f"{source}: {key}.{unknown[0]} is not a {what} ({', '.join(base)})")
    out = dict(base)
    for name, words in table.items():
        if not isinstance(words, list) or not words or not all(isinstance(t, str) and t.strip() for t in words):
            raise SettingsError(f"{source}: {key}.{name} must be a list of words or phrases, none blank")
        out[name] = tuple(t.strip().lower() for t in words)
    return out


def _record_shares(table: Any, base: dict[str, float], source: str) -> dict[str, float]:
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [record_shares] must be a table of name = share")
    if unknown := sorted(set(table) - set(base)):
        raise SettingsError(f"{source}: record_shares.{unknown[0]} is not one of {', '.join(base)}")
    bad = [k for k, v in table.items() if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1]
    if bad:
        raise SettingsError(f"{source}: record_shares.{bad[0]} must be a share from 0 to 1 (0.25 is a quarter)")
    return {**base, **{k: float(v) for k, v in table.items()}}


def _escalation_stages(stages: Any, source: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(stages, list) or not stages:
        raise SettingsError(f"{source}: escalation_stages must be a list of {{ name = ..., working_days = ... }}")
    out = []
    for n, stage in enumerate(stages, 1):
        name = stage.get("name") if isinstance(stage, dict) else None
        days = stage.get("working_days") if isinstance(stage, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise SettingsError(f"{source}: escalation stage {n} needs a name")
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise SettingsError(f"{source}: escalation stage {n} ({name}) needs working_days, a whole number above 0")
        out.append((name.strip(), days))
    return tuple(out)


def settings_from_dict(raw: dict[str, Any], source: str = "settings") -> Settings:
    known = {*_VOCAB_KEYS, "review_weeks", "duplicate_days", "duplicate_similarity",
             "max_description_chars", "contact_days", "grade_meanings", "pattern_window_days",
             "indicator_thresholds", "risk_terms", "drift_weeks", "record_shares", "escalation_stages",
             "bank_holidays"}
    known.add("contact_terms")
    known.add("limits")
    known.add("server")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s) {', '.join(unknown)}; "
                            f"known: {', '.join(sorted(known))}")
    base = Settings()
    values: dict[str, Any] = {"source": source}
    for key in _VOCAB_KEYS:
        if key in raw:
            values[key] = getattr(base, key).extended(_vocab_table(raw[key], key, source))
    if "review_weeks" in raw:
        values["review_weeks"] = _whole_numbers(raw, "review_weeks", base.review_weeks, source,
                                                unit="weeks", open_keys=True)
    if "contact_days" in raw:
        values["contact_days"] = _whole_numbers(raw, "contact_days", base.contact_days, source, unit="days")
    if "indicator_thresholds" in raw:
        values["indicator_thresholds"] = _whole_numbers(raw, "indicator_thresholds", base.indicator_thresholds,
                                                        source, unit="entries")
    if "limits" in raw:
        values["limits"] = _whole_numbers(raw, "limits", base.limits, source, unit="MB (file_mb, inflated_mb) or rows")
    if "drift_weeks" in raw:
        # 0 means a plan of that type is never raised for its length
        values["drift_weeks"] = _whole_numbers(raw, "drift_weeks", base.drift_weeks, source, unit="weeks",
                                               open_keys=True, zero_ok=True)
    if "grade_meanings" in raw:
        meanings = raw["grade_meanings"]
        if not isinstance(meanings, dict):
            raise SettingsError(f"{source}: [grade_meanings] must be a table of grade = words (1 to 5)")
        bad_keys = sorted(k for k in meanings if k not in {"1", "2", "3", "4", "5"})
        if bad_keys:
            raise SettingsError(f"{source}: grade_meanings.{bad_keys[0]} is not a grade (1 to 5)")
        blank = sorted(k for k, v in meanings.items() if not isinstance(v, str) or not v.strip())
        if blank:
            raise SettingsError(f"{source}: grade_meanings.{blank[0]} needs words saying what the grade means")
        values["grade_meanings"] = {**base.grade_meanings, **{int(k): v.strip() for k, v in meanings.items()}}
    if "risk_terms" in raw:
        values["risk_terms"] = _term_lists(raw["risk_terms"], base.risk_terms, source, "risk_terms",
                                          "parental factor")
    if "contact_terms" in raw:
        values["contact_terms"] = _term_lists(raw["contact_terms"], base.contact_terms, source, "contact_terms",
                                             "kind of contact")
    if "record_shares" in raw:
        values["record_shares"] = _record_shares(raw["record_shares"], base.record_shares, source)
    if "escalation_stages" in raw:
        values["escalation_stages"] = _escalation_stages(raw["escalation_stages"], source)
    if "bank_holidays" in raw:
        if raw["bank_holidays"] not in _BANK_HOLIDAY_NATIONS:
            raise SettingsError(f"{source}: bank_holidays must be one of {', '.join(_BANK_HOLIDAY_NATIONS)} "
                                "(England, Wales, Scotland, Northern Ireland)")
        values["bank_holidays"] = raw["bank_holidays"]
    for key, least, unit in _WHOLE_NUMBER_KEYS:
        if key in raw:
            values[key] = _whole_number(raw[key], key, least, unit, source)
    if "duplicate_similarity" in raw:
        value = raw["duplicate_similarity"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise SettingsError(f"{source}: duplicate_similarity must be a share from 0 to 1 "
                                "(0.35: a third of the words alike)")
        values["duplicate_similarity"] = float(value)
    if "server" in raw:
        values["server"] = _server(raw["server"], source)
    return Settings(**{**base.__dict__, **values})


_SERVER_NUMBERS = {"max_kernels": "kernels", "idle_seconds": "seconds"}
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def _server(table: Any, source: str) -> ServerSettings:
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [server] must be a table of allowed_hosts, max_kernels, idle_seconds")
    if unknown := sorted(set(table) - {"allowed_hosts", *_SERVER_NUMBERS}):
        raise SettingsError(f"{source}: server.{unknown[0]} is not one of allowed_hosts, {', '.join(_SERVER_NUMBERS)}")
    values: dict[str, Any] = {k: _whole_number(table[k], f"server.{k}", 1, unit, source)
                              for k, unit in _SERVER_NUMBERS.items() if k in table}
    if "allowed_hosts" in table:
        hosts = table["allowed_hosts"]
        if not isinstance(hosts, list):
            raise SettingsError(f"{source}: server.allowed_hosts must be a list of host names")
        values["allowed_hosts"] = tuple(allowed_host(h, f"{source}: server.allowed_hosts") for h in hosts)
    return ServerSettings(**values)


def allowed_host(value: Any, where: str) -> str:
    """A name `serve` may answer to, lower-cased; `where` starts the message (settings key or option).

    Raises:
        SettingsError: not a bare host name (a scheme, port, path or IP address is refused: the
            server's host check reads names only, and loopback addresses are always allowed).
    """
    name = value.strip().lower() if isinstance(value, str) else ""
    is_ip = True
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        is_ip = False
    if is_ip or not _HOST_NAME.fullmatch(name):
        raise SettingsError(f"{where}: {value!r} is not a host name such as kit.example.org "
                            "(no scheme, port, path or IP address)")
    return name


# single whole-number settings: (key, least value, what it counts); 0 duplicate days means the same day only
_WHOLE_NUMBER_KEYS = (("duplicate_days", 0, "days"), ("max_description_chars", 1, "characters"),
                      ("pattern_window_days", 1, "days"))


def _whole_number(value: Any, key: str, least: int, unit: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        floor = "0 or more" if least == 0 else f"{least} or more"
        raise SettingsError(f"{source}: {key} must be a whole number of {unit}, {floor} (not {value!r})")
    return value


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings in force for this process (read once)."""
    return load_settings()

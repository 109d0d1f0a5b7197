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
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from . import terms, vocab
from .validators import Strict, choice, refusal, share, whole_number, word_list, words


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


# UK nations whose bank holidays the kit keeps (`bank_holidays`), with their names
BANK_HOLIDAY_NATIONS: dict[str, str] = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


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


MARKING_CHARS = 60  # a marking is a few words on one line, printed in the page's margins


def _marking(value: Any) -> str:
    """The protective marking: words on one line, short enough for a page's margin."""
    if not isinstance(value, str) or not value.strip():
        raise refusal("must be the marking printed on every page, e.g. \"OFFICIAL-SENSITIVE\"")
    text = value.strip()
    if not text.isprintable():
        raise refusal("must be one line of text, without line breaks or control characters")
    if len(text) > MARKING_CHARS:
        raise refusal(f"must be at most {MARKING_CHARS} characters, to fit a page's margin ({len(text)} given)")
    return text


def _host_names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise refusal("must be a list of host names")
    try:
        return tuple(allowed_host(h, "server.allowed_hosts") for h in value)
    except SettingsError as exc:
        raise refusal(str(exc), whole=True) from None


class _Table(Strict):
    """A table of the settings file: unknown keys refused (the message names them), fixed once read."""

    model_config = ConfigDict(frozen=True)


class ServerSettings(_Table):
    """What `neglect-kit serve` allows: the names it answers to and the kernels it keeps (docs/settings.md)."""

    # host names besides 127.0.0.1, [::1] and localhost, for a proxy that passes its own name on
    allowed_hosts: Annotated[tuple[str, ...], BeforeValidator(_host_names)] = ()
    # each open app is a Python kernel of 120 MB or more; past this many, a new page is refused
    max_kernels: Annotated[int, whole_number("kernels")] = 12
    # a kernel with no page connected and idle this long is shut down
    idle_seconds: Annotated[int, whole_number("seconds")] = 1200


class ResearchSettings(_Table):
    """The research tables' rules (docs/settings.md): how small a count may be shown in a cross-table, and how
    few children a group of an extract may hold."""

    # a count below this in a cross-table of reviews is shown as "<5" (0: none hidden)
    small_cell: Annotated[int, whole_number("reviews", least=0)] = 5
    # the k-anonymity gate: an extract whose quasi-identifiers (age band, sex, council, year, plan type) put
    # fewer children than this in any group is refused (`neglect-kit extract --min-k N --reason TEXT` lowers it)
    min_k: Annotated[int, whole_number("children")] = 5


class _VocabEntry(_Table):
    """A vocabulary entry given as a table: a label (a new code needs one) and words agencies write for it."""

    label: Annotated[str | None, words("must be words")] = None
    synonyms: Annotated[tuple[str, ...], word_list("must be a list of words, none blank")] = ()


def _entry(spec: Any) -> Any:
    if isinstance(spec, str):
        if not spec.strip():
            raise refusal("needs a label")
        return {"label": spec}
    if not isinstance(spec, dict):
        raise refusal("must be a label or a table of label and synonyms")
    return spec


_VOCAB_TABLE = TypeAdapter(dict[str, Annotated[_VocabEntry, BeforeValidator(_entry)]])


def _vocabulary(value: Any, info: ValidationInfo) -> vocab.Vocabulary:
    """A partnership's table of code = label (or = { label, synonyms }) laid over the built-in vocabulary."""
    if isinstance(value, vocab.Vocabulary):
        return value
    try:
        table = _VOCAB_TABLE.validate_python(value)
    except ValidationError as exc:
        key, message, context = _explained(exc.errors()[0], _VOCAB_TABLE)
        raise refusal(message, key=key, **context) from None
    base: vocab.Vocabulary = default_of(info.field_name or "")
    return base.extended({code: entry.model_dump(exclude_none=True) for code, entry in table.items()})


def check_escalation_stages(stages: Any) -> tuple[tuple[str, int], ...]:
    """Escalation stages as a file gives them ([{ name, working_days }]) or the model keeps them ([(name, days)]).

    Raises:
        ValueError: none given, or a stage without a name or whole working days, the stage named.
    """
    if not isinstance(stages, (list, tuple)) or not stages:
        raise refusal("escalation_stages must be a list of { name = ..., working_days = ... }", whole=True)
    out = []
    for n, stage in enumerate(stages, 1):
        name, days = (stage if isinstance(stage, tuple) and len(stage) == 2 else
                      (stage.get("name"), stage.get("working_days")) if isinstance(stage, dict) else (None, None))
        if isinstance(stage, dict) and (unknown := sorted(set(stage) - {"name", "working_days"})):
            raise refusal(f"escalation stage {n}: {unknown[0]} is not one of name, working_days", whole=True)
        if not isinstance(name, str) or not name.strip():
            raise refusal(f"escalation stage {n} needs a name", whole=True)
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise refusal(f"escalation stage {n} ({name}) needs working_days, a whole number above 0", whole=True)
        out.append((name.strip(), days))
    return tuple(out)


Vocab = Annotated[vocab.Vocabulary, BeforeValidator(_vocabulary)]
Weeks = Annotated[int, whole_number("weeks")]
Entries = Annotated[int, whole_number("entries")]
Days = Annotated[int, whole_number("days")]
TermList = Annotated[tuple[str, ...], word_list("must be a list of words or phrases, none blank", lower=True,
                                                empty_ok=False)]
Share = Annotated[float, share()]


class Settings(Strict):
    """A partnership's settings: each default here and nowhere else; a settings file changes any of them."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    agencies: Vocab = Field(vocab.AGENCIES, description="code = label")
    categories: Vocab = Field(vocab.CATEGORIES, description="code = label")
    plan_types: Vocab = Field(vocab.PLAN_TYPES, description="code = label")
    risk_factors: Vocab = Field(vocab.RISK_FACTORS, description="code = label")
    # plan type -> weeks between reviews (statutory timescales differ by plan and by council)
    review_weeks: dict[str, Weeks] = Field(default_factory=lambda: {
        "child_in_need": 12, "child_protection": 26, "looked_after": 26, "early_help": 12},
        description="plan type = whole number of weeks")
    # the same incident from two agencies: dates this close (0: the same day only), words this alike
    duplicate_days: Annotated[int, whole_number("days", least=0)] = 3
    duplicate_similarity: Annotated[float, share("0.35: a third of the words alike")] = 0.35
    max_description_chars: Annotated[int, whole_number("characters")] = 2000
    # what each assessment grade means, in a partnership's own words (codes 1-5 never change)
    grade_meanings: dict[int, Annotated[str, words("needs words saying what the grade means")]] = Field(
        default_factory=lambda: dict(GRADE_MEANINGS), description="grade = words (1 to 5)")
    # days after which the kit warns that a child has not been seen, seen alone or heard
    contact_days: dict[str, Days] = Field(default_factory=lambda: {"seen": 20, "seen_alone": 42, "heard": 42},
                                          description="name = whole number of days")
    # patterns: a sign counts as a pattern when this many entries fall within the window
    pattern_window_days: Days = 365
    indicator_thresholds: dict[str, Entries] = Field(default_factory=lambda: {
        "was_not_brought": 3, "attendance": 2, "home_conditions": 3, "injury": 2, "police_callout": 2,
        "referral": 2, "worker_change": 2, "household_change": 2, "hunger_food": 2, "physical_care": 3,
        "growth_weight": 2, "no_access": 3}, description="sign = whole number of entries")
    # words that point to each parental factor (see terms.RISK_TERMS)
    risk_terms: dict[str, TermList] = Field(default_factory=lambda: dict(terms.RISK_TERMS),
                                            description="parental factor = list of words")
    # words that say a child was seen, seen alone, not seen (and why) or heard (see terms.CONTACT_TERMS)
    contact_terms: dict[str, TermList] = Field(default_factory=lambda: dict(terms.CONTACT_TERMS),
                                               description="kind of contact = list of words")
    # drift: weeks a plan may run before it is raised (0: never); weeks after a plan ends within which a
    # new referral or plan counts as a re-referral
    drift_weeks: dict[str, Annotated[int, whole_number("weeks", least=0)]] = Field(default_factory=lambda: {
        "child_protection": 78, "child_in_need": 104, "early_help": 52, "looked_after": 0, "re_referral": 52},
        description="plan type = whole number of weeks")
    # the child in the records: least share of entries with the child's words or the impact on the
    # child, and most share of entries about the adults only
    record_shares: dict[str, Share] = Field(default_factory=lambda: {
        "child_words_min": 0.10, "impact_min": 0.50, "adult_focus_max": 0.30}, description="name = share")
    # escalation of professional disagreement: stages in order, each with its working days
    escalation_stages: Annotated[tuple[tuple[str, int], ...], BeforeValidator(check_escalation_stages)] = (
        ("Practitioner to practitioner", 2), ("Team managers", 3), ("Service leads", 5),
        ("Independent meeting", 10))
    # UK nation whose bank holidays are not working days
    bank_holidays: Annotated[str, choice(BANK_HOLIDAY_NATIONS, "must be one of {choices} "
                                         "(England, Wales, Scotland, Northern Ireland)", before=True)] = "ENG"
    # the largest return read, checked before it is parsed (docs/settings.md says why these sizes)
    limits: dict[str, Annotated[int, whole_number("MB (file_mb, inflated_mb) or rows")]] = Field(
        default_factory=lambda: {"file_mb": 50, "rows": 200_000, "inflated_mb": 300},
        description="file_mb, rows, inflated_mb = whole number")
    # the protective marking printed at the top and bottom of every page of a printable record and its PDF
    protective_marking: Annotated[str, BeforeValidator(_marking)] = "OFFICIAL-SENSITIVE"
    server: ServerSettings = Field(ServerSettings(), description="allowed_hosts, max_kernels, idle_seconds")
    research: ResearchSettings = Field(ResearchSettings(), description="small_cell, min_k")
    source: str = "built-in defaults"

    @model_validator(mode="before")
    @classmethod
    def _over_the_defaults(cls, data: Any) -> Any:
        """Each table given is laid over its default, so a file names only what it changes."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key, table in data.items():
            default = default_of(key) if key in cls.model_fields else None
            if not isinstance(default, (dict, vocab.Vocabulary, BaseModel)):
                continue
            if not isinstance(table, (dict, type(default))):
                raise refusal(f"must be a table of {cls.model_fields[key].description}", key=(key,), table=True)
            if isinstance(default, dict) and table is not default:
                data[key] = _laid_over(key, table, default)
        return data


# tables whose keys are the partnership's own (a plan type of its own gets its own timescale)
_OPEN_TABLES = {"review_weeks", "drift_weeks"}
# what a key of a table is, where "one of ..." would not say it
_KEY_IS = {"risk_terms": "a parental factor", "contact_terms": "a kind of contact", "grade_meanings": "a grade"}


def default_of(key: str) -> Any:
    """The built-in default of the setting `key`: for a module that needs it where no settings are passed."""
    field = Settings.model_fields[key]
    # a table's factory gives a fresh dict; the other defaults are never changed, so no deep copy is needed
    return field.default_factory() if field.default_factory else field.default


def _laid_over(key: str, table: dict[str, Any], default: dict[Any, Any]) -> dict[Any, Any]:
    if key not in _OPEN_TABLES and (unknown := sorted(set(table) - {str(k) for k in default})):
        known = ", ".join(str(k) for k in default)
        said = f"is not {_KEY_IS[key]} ({known})" if key in _KEY_IS else f"is not one of {known}"
        raise refusal(said, key=(key, unknown[0]))
    # the table's keys as written ("4" for grade 4), so a refusal names them; pydantic turns them to the default's
    return {**default, **table}


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


def settings_from_dict(raw: dict[str, Any], source: str = "settings") -> Settings:
    """Settings from a settings file's tables, each laid over its default.

    Raises:
        SettingsError: one line naming `source` and the key that is wrong, and what it must be.
    """
    if "source" in raw:  # the model's own record of where it came from, never a setting
        raise SettingsError(f"{source}: {_unknown(['source'])}")
    try:
        return Settings.model_validate({**raw, "source": source})
    except ValidationError as exc:
        errors = exc.errors()
        unknown = [str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1]
        if unknown:
            raise SettingsError(f"{source}: {_unknown(unknown)}") from None
        key, message, context = _explained(errors[0], TypeAdapter(Settings))
        if context.get("whole"):
            raise SettingsError(f"{source}: {message}") from None
        where = ".".join(key)
        raise SettingsError(f"{source}: {f'[{where}]' if context.get('table') else where} {message}") from None


def _unknown(keys: list[str]) -> str:
    known = sorted(k for k in Settings.model_fields if k != "source")
    return f"unknown setting(s) {', '.join(sorted(keys))}; known: {', '.join(known)}"


def _explained(error: Any, shape: TypeAdapter[Any]) -> tuple[tuple[str, ...], str, dict[str, Any]]:
    """One pydantic error as (key path, what is wrong, context)."""
    context = dict(error.get("ctx") or {})
    key = tuple(str(p) for p in (*error["loc"], *context.pop("key", ())))
    if error["type"] == "extra_forbidden":
        return key, f"is not one of {', '.join(_fields_at(shape, key[:-1]))}", context
    if error["type"] == "refused":
        return key, context.pop("message"), context
    if error["type"] == "value_error":  # a shared validator's own words, without pydantic's "Value error, "
        return key, str(context.pop("error")), context
    return key, error["msg"][0].lower() + error["msg"][1:], context


def _fields_at(shape: TypeAdapter[Any], path: tuple[str, ...]) -> list[str]:
    """The field names of the model at `path` in `shape` (a model's fields, a table's values)."""
    kind: Any = shape._type
    for part in (*path, None):
        while get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            if part is None:
                return list(kind.model_fields)
            kind = kind.model_fields[part].annotation
        elif get_origin(kind) is dict and part is not None:
            kind = get_args(kind)[1]
    return []


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings in force for this process (read once)."""
    return load_settings()

"""The facts of one case review, as its metadata file (`<id>.toml`) gives them, checked on load.

Each review in a corpus is a document beside a TOML file of its facts: type, years, region, outcome,
the child's age band and sex, harm types, how neglect showed, the child's status at the time, the
agencies, and the four parental factors as four separate fields (never one combined "toxic trio", so a
study can count each). A problem is one `ReviewError` line naming the file and the field.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError, ValidationInfo, model_validator

from ..validators import Strict, choice, refusal, required, whole_number, word_list, words

REVIEW_TYPES = ("serious case review", "local child safeguarding practice review", "rapid review",
                "national review")
REGIONS = ("North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West", "Wales", "England (several regions)")
OUTCOMES = ("died", "serious harm")
CAUSE_GROUPS = ("neglect", "physical assault", "sudden unexpected death in infancy", "suicide", "other")
AGE_BANDS = ("under 1", "1-5", "6-10", "11-15", "16-17")
SEXES = ("female", "male", "not stated")
HARM_TYPES = ("neglect", "physical abuse", "emotional abuse", "sexual abuse", "criminal exploitation")
NEGLECT_PRESENTATIONS = ("medical", "nutritional", "emotional", "educational", "physical", "lack of supervision")
STATUSES = ("child protection plan", "child in need", "looked after", "early help", "closed", "never known")
FACTOR_ANSWERS = ("yes", "no", "not stated")
PARENTAL_FACTORS = ("parental_alcohol", "parental_drugs", "parental_mental_health", "domestic_abuse")
DOCUMENT_SUFFIXES = (".md", ".txt", ".docx", ".pdf")

FIRST_YEAR = 1990  # the first serious case reviews a study would take in
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class ReviewError(ValueError):
    """A review that cannot be read: `str()` is one line naming the file, the field (if any) and what is wrong."""

    def __init__(self, path: Path | str, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path.name}: {self.field}: " if self.field else f"{self.path.name}: "
        return where + self.message


def _one_of(choices: tuple[str, ...]) -> BeforeValidator:
    return choice(choices, "'{value}' is not one of: {choices}", before=True)  # type: ignore[return-value]


def _year(value: Any, info: ValidationInfo) -> int:
    last = ((info.context or {}).get("today") or date.today()).year
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= last:
        raise refusal(f"must be a year from {FIRST_YEAR} to {last} (not {value!r})")
    return value


def _review_id(value: Any) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise refusal(f"{value!r} is not a review id: letters, digits, '-' and '_', up to 64, "
                      "starting with a letter or digit")
    return value


def _yes_or_no(value: Any) -> bool:
    if not isinstance(value, bool):
        raise refusal(f"must be true or false (not {value!r})")
    return value


def _file_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or Path(value).name != value or value in (".", ".."):
        raise refusal(f"must be the name of a file beside the metadata file, not a path (not {value!r})")
    if Path(value).suffix.lower() not in DOCUMENT_SUFFIXES:
        raise refusal(f"{value!r} is not a document the kit reads: {', '.join(DOCUMENT_SUFFIXES)}")
    return value


_Text = Annotated[str, words("must be text, not blank")]
_Year = Annotated[int, BeforeValidator(_year)]
_Factor = Annotated[str, _one_of(FACTOR_ANSWERS)]


class ReviewMeta(Strict):
    """One review's facts; the TOML keys are these field names."""

    review_id: Annotated[str, BeforeValidator(_review_id)]
    title: _Text
    review_type: Annotated[str, _one_of(REVIEW_TYPES)]
    year_published: _Year
    region: Annotated[str, _one_of(REGIONS)]
    year_of_incident: _Year
    outcome: Annotated[str, _one_of(OUTCOMES)]
    cause_group: Annotated[str, _one_of(CAUSE_GROUPS)]
    age_band: Annotated[str, _one_of(AGE_BANDS)]
    sex: Annotated[str, _one_of(SEXES)]
    number_of_children: Annotated[int, whole_number("children")]
    harm_types: Annotated[list[Annotated[str, _one_of(HARM_TYPES)]], word_list("must be a list of harm types"),
                          required("names no harm type: give at least one")]
    neglect_presentation: Annotated[list[Annotated[str, _one_of(NEGLECT_PRESENTATIONS)]],
                                    word_list("must be a list (empty where neglect did not show)")]
    status_at_time: Annotated[str, _one_of(STATUSES)]
    ever_known_to_social_care: Annotated[bool, BeforeValidator(_yes_or_no)]
    agencies_involved: Annotated[list[str], word_list("must be a list of agencies' names", empty_ok=False)]
    parental_alcohol: _Factor
    parental_drugs: _Factor
    parental_mental_health: _Factor
    domestic_abuse: _Factor
    document: Annotated[str, BeforeValidator(_file_name)]
    citation: _Text | None = None

    @model_validator(mode="after")
    def _facts_agree(self) -> ReviewMeta:
        if self.year_of_incident > self.year_published:
            raise refusal(f"{self.year_of_incident} is after year_published {self.year_published}",
                          field="year_of_incident")
        never = self.status_at_time == "never known"
        if never == self.ever_known_to_social_care:  # the two say the same fact: they must agree
            raise refusal(f"is {str(self.ever_known_to_social_care).lower()}, but status_at_time is "
                          f"'{self.status_at_time}'", field="ever_known_to_social_care")
        for listed in ("harm_types", "neglect_presentation", "agencies_involved"):
            values = getattr(self, listed)
            if twice := sorted({v for v in values if values.count(v) > 1}):
                raise refusal(f"names {', '.join(twice)} more than once", field=listed)
        return self


@dataclass(frozen=True)
class Review:
    """A review as read: its facts, its document's text, the document's file name and the SHA-256 of its bytes."""

    meta: ReviewMeta
    text: str
    source_name: str
    sha256: str


def meta_from_dict(data: dict[str, Any], path: Path, *, today: date | None = None) -> ReviewMeta:
    """The facts in `data` (a metadata file's tables) as a `ReviewMeta`.

    Args:
        data: the TOML's keys and values.
        path: the metadata file, named in a refusal; its stem is the review's id.
        today: the date whose year is the latest year allowed (default: the clock's).

    Raises:
        ReviewError: the first problem, naming the file and the field.
    """
    try:
        meta = ReviewMeta.model_validate(data, context={"today": today} if today else None)
    except ValidationError as exc:
        raise _explained(exc, path) from None
    if meta.review_id != path.stem:
        raise ReviewError(path, "review_id", f"'{meta.review_id}' is not the file's name '{path.stem}' "
                          "(a review's id is the stem of its metadata file)")
    return meta


def load_meta(path: Path, *, today: date | None = None) -> ReviewMeta:
    """Read and check one metadata file (`<id>.toml`).

    Raises:
        ReviewError: the file cannot be read, is not TOML (the message gives the line), or a field is wrong.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ReviewError(path, None, f"not readable TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ReviewError(path, None, f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                          f"position {exc.start}): save it as UTF-8") from None
    except OSError as exc:
        raise ReviewError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    return meta_from_dict(data, path, today=today)


def _explained(exc: ValidationError, path: Path) -> ReviewError:
    """The first (most useful) of pydantic's errors as one ReviewError line."""
    errors = exc.errors()
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    missing = [e for e in errors if e["type"] == "missing"]
    if unknown:  # a typo first: it is often why a field looks missing too
        field = str(unknown[0]["loc"][0])
        near = difflib.get_close_matches(field, ReviewMeta.model_fields, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        return ReviewError(path, field, f"not a field of a review{hint}; the fields are "
                           f"{', '.join(ReviewMeta.model_fields)}")
    if missing:
        names = [str(e["loc"][0]) for e in missing]
        return ReviewError(path, names[0], "missing: every review gives it" + (
            f" (also missing: {', '.join(names[1:])})" if names[1:] else ""))
    error = errors[0]
    context = dict(error.get("ctx") or {})
    field = str(context.get("field") or (error["loc"][0] if error["loc"] else "")) or None
    if error["type"] == "refused":
        message = str(context["message"])
    elif error["type"] == "value_error":
        message = str(context.get("error"))
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
    if len(error["loc"]) > 1:  # an item of a list: say which
        message = f"item {int(error['loc'][1]) + 1}: {message}"
    return ReviewError(path, field, message)

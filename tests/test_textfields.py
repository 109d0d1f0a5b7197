"""The free-text types every record's model uses: text cleaned and its length checked in the model, the field named."""

from datetime import date

import pytest
from pydantic import ValidationError
from test_assessment_model import assessment
from test_supervision_actions import action
from test_supervision_escalation import PRIYA, raised
from test_supervision_session import session

from neglect_kit.chronology.dates import parse_event_date
from neglect_kit.chronology.model import ChronologyEntry
from neglect_kit.textfields import NAME_CHARS, NOTE_CHARS

SCRIPT = "<script>alert(1)</script>&lt;img src=x onerror=alert(1)&gt;"


def entry(**change):
    data = {"children": ["ruby"], "event_date": parse_event_date("2019-01-01", today=date(2026, 1, 1)),
            "agency": "school", "category": "attendance", "description": "Late."}
    return ChronologyEntry.model_validate(data | change)


def refusal(build, **change) -> str:
    with pytest.raises(ValidationError) as err:
        build(**change)
    return "; ".join(str(e["msg"]) for e in err.value.errors())


@pytest.mark.parametrize(("build", "field", "text", "kept"), [
    (entry, "description", f"Ruby late{SCRIPT} again \x00", "Ruby late again"),
    (entry, "impact_note", f"hungry{SCRIPT}", "hungry"),
    (assessment, "carer_view", f"Mum says <b>she</b> copes{SCRIPT}", "Mum says she copes"),
    (action, "evidence", f"Lunchbox seen{SCRIPT}", "Lunchbox seen"),
    (session, "wellbeing", f"Tired\x1b[2J{SCRIPT}", "Tired[2J"),
])
def test_markup_and_control_characters_never_reach_a_record(build, field, text, kept):
    assert getattr(build(**{field: text}), field) == kept


def test_names_are_cleaned_too():
    assert assessment(assessed_by="<i>sw.one</i>").assessed_by == "sw.one"
    assert raised(raised_by=PRIYA | {"name": "Priya <svg/onload=alert(1)>Shah"}).raised_by.name == "Priya Shah"


def test_ordinary_text_is_kept_as_written():
    assert entry(description="Mum said <3 and 5 > 4 & Tom agreed").description == "Mum said <3 and 5 > 4 & Tom agreed"


@pytest.mark.parametrize(("build", "field", "limit"), [
    (entry, "impact_note", NOTE_CHARS),
    (assessment, "child_view", NOTE_CHARS),
    (session, "supervisor", NAME_CHARS),
    (action, "who", NAME_CHARS),
])
def test_text_past_its_limit_is_refused_naming_the_field_and_the_limit(build, field, limit):
    said = refusal(build, **{field: "x" * (limit + 6)})
    assert f"{field} is {limit + 6:,} characters: at most {limit:,}" in said

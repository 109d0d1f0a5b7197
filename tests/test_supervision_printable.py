"""The printable supervision record: every part of the session in HTML and PDF, the wellbeing notes never."""

import io
from datetime import date, datetime, timedelta

import pytest
from markupsafe import escape
from pypdf import PdfReader

from neglect_kit.reports.document import Heading, Paragraph, Table, to_html, to_pdf
from neglect_kit.supervision.actions import Action, carry_over, mark_done
from neglect_kit.supervision.printable import WELLBEING_FOOTER, session_document
from neglect_kit.supervision.session import SupervisionSession
from neglect_kit.supervision.signoff import amend, sign

HELD = date(2023, 3, 12)
TODAY = date(2023, 4, 20)
AT = datetime(2023, 3, 12, 16, 30)
SECRET = "WELLBEING-SECRET Tom is not sleeping since the Fenwick visit and will see occupational health"
SECRET_AFTER = "WELLBEING-SECRET-AMENDED Tom has had two sessions with occupational health"
TITLES = {"fenwick": "The Fenwick children"}
CHILDREN = {"fen-ella": "Ella Fenwick", "fen-sam": "Sam Fenwick"}

STAGES = {
    "experience": "Ella told her teacher she had cereal with water for tea twice this week. The fridge held only "
                  "milk past its date on my visit on 9 March; Sam's cot sheet was soaked.",
    "reflection": "I came away liking Gemma and wanting the new routine chart to be enough; that wish needs "
                  "testing against what the children eat.",
    "analysis": "Food has run short in every winter since 2020; the parenting course Gemma finished has not "
                "changed Ella's meals. Love is not the same as adequate care.",
    "action_plan": "School to keep a breakfast log for Ella; health visitor to see Sam at home weekly; review "
                   "the log together at the next session.",
}


def session(**change) -> SupervisionSession:
    data = {
        "session_type": "case", "held_on": HELD, "supervisor": "Priya Shah", "worker": "Tom Reed",
        "cases": ["fenwick"],
        "actions_reviewed": [
            {"action_id": "act-1", "what": "Book Sam's hearing test", "outcome": "done",
             "note": "Seen at the clinic on 2 March"},
            {"action_id": "act-2", "what": "Ask school for Ella's attendance", "outcome": "carried_over",
             "note": "School office closed for the strike day; asked again for next week",
             "new_by": date(2023, 3, 31)},
        ],
        "stages": STAGES,
        "functions_covered": ["management", "support", "development"],
        "stakeholders_covered": ["child_and_family", "worker"],
        "decisions": [
            {"decision": "Keep the child in need plan for now", "reason": "The breakfast log is two weeks old and "
             "too short to show a change for Ella"},
            {"decision": "Ask for a strategy discussion if Sam misses the clinic again", "reason": "Two missed "
             "health appointments already this year"},
        ],
        "challenges": [{"rule": "rule_of_optimism", "prompt": "Is love being read as adequate care?",
                        "evidence": "Three visits with no food for tea", "answer": "Partly: the analysis says so"}],
        "escalation_considered": True,
        "escalation_note": "Weighed the GP's view that all is well; not escalated while the health visitor sees Sam",
        "next_on": date(2023, 4, 9),
        "wellbeing": SECRET,
        "new_actions": ["act-3", "act-4", "act-5"],
    }
    data.update(change)
    return SupervisionSession.model_validate(data)


def signed_and_amended() -> SupervisionSession:
    s = sign(session(), "Priya Shah", "supervisor", AT)
    s = sign(s, "Tom Reed", "worker", AT + timedelta(minutes=10))
    s = amend(s, "Priya Shah", datetime(2023, 3, 14, 9, 0), "stages.analysis",
              STAGES["analysis"] + " The chronology shows the same in 2021.", "Added the 2021 chronology entry")
    s = amend(s, "Priya Shah", datetime(2023, 3, 14, 9, 5), "next_on", date(2023, 4, 16),
              "Tom is on leave on 9 April")
    return amend(s, "Tom Reed", datetime(2023, 3, 15, 11, 0), "wellbeing", SECRET_AFTER,
                 "WELLBEING-REASON update after occupational health")


def agreed_actions() -> list[Action]:
    base = {"case_id": "fenwick", "agreed_on": HELD}
    log = Action(**base, child="fen-ella", what="Keep a daily breakfast log for Ella and send it each Friday",
                 who="School", by=date(2023, 4, 6), change_for_child="Ella eats breakfast before lessons")
    visits = Action(**base, child="fen-sam", what="See Sam at home weekly and weigh him", who="Health visitor",
                    by=date(2023, 3, 24), change_for_child="Sam gains weight steadily")
    visits = carry_over(carry_over(visits, by=date(2023, 4, 12)), by=date(2023, 5, 1))
    shop = mark_done(Action(**base, what="Refer Gemma to the food bank at the children's centre",
                            who="Social worker", by=date(2023, 3, 20),
                            change_for_child="There is food in the house for tea"),
                     "Food bank voucher used on 16 March; fridge stocked on the visit of 17 March")
    return [log, visits, shop]


def document(s: SupervisionSession | None = None, actions: list[Action] | None = None):
    return session_document(s or signed_and_amended(), case_titles=TITLES,
                            actions=agreed_actions() if actions is None else actions,
                            child_labels=CHILDREN, today=TODAY)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed():
    doc = document()
    return doc, to_html(doc), pdf_text(to_pdf(doc))


def test_the_title_names_the_case_and_the_day(printed):
    doc, page, text = printed
    assert doc.title == "Reflective supervision record: The Fenwick children, 12 Mar 2023"
    assert doc.title in page and doc.title in text


def test_the_wellbeing_notes_and_their_amendment_are_never_printed(printed):
    doc, page, text = printed
    record = signed_and_amended()
    assert record.wellbeing == SECRET_AFTER and record.amendments[-1].before == SECRET  # the record holds them
    for secret in ("WELLBEING-SECRET", "WELLBEING-REASON", "occupational health"):
        assert secret not in page and secret not in text
    assert escape(WELLBEING_FOOTER) in page and WELLBEING_FOOTER in text
    assert doc.blocks[-1] == Paragraph(WELLBEING_FOOTER)


def test_every_part_of_the_record_is_in_the_page_and_the_pdf(printed):
    _, page, text = printed
    amended = STAGES["analysis"] + " The chronology shows the same in 2021."
    expected = [
        # details
        "Case", "12 Mar 2023", "Priya Shah", "Tom Reed", "The Fenwick children", "16 Apr 2023",
        # actions from last time
        "Book Sam's hearing test", "Seen at the clinic on 2 March", "Carried over to 31 Mar 2023",
        "School office closed for the strike day; asked again for next week",
        # the cycle, with the amended analysis
        "Experience", "Reflection", "Analysis", "Action plan", STAGES["experience"], STAGES["reflection"],
        amended, STAGES["action_plan"],
        # challenges, decisions and their reasons
        "Rule of optimism", "Is love being read as adequate care?", "Three visits with no food for tea",
        "Partly: the analysis says so", "Keep the child in need plan for now",
        "The breakfast log is two weeks old and too short to show a change for Ella",
        "Ask for a strategy discussion if Sam misses the clinic again",
        "Two missed health appointments already this year",
        # actions agreed
        "Keep a daily breakfast log for Ella and send it each Friday", "Ella Fenwick", "School", "6 Apr 2023",
        "Ella eats breakfast before lessons", "See Sam at home weekly and weigh him", "Sam Fenwick", "Health visitor",
        "Refer Gemma to the food bank at the children's centre", "All the children",
        "Food bank voucher used on 16 March; fridge stocked on the visit of 17 March",
        # escalation, sign-off, amendments
        "Escalation considered: Yes.", "Weighed the GP's view that all is well; not escalated while the health "
        "visitor sees Sam", "Supervisor", "Worker", "12 Mar 2023 at 16:30", "12 Mar 2023 at 16:40",
        "14 Mar 2023 at 09:00", "Added the 2021 chronology entry", "14 Mar 2023 at 09:05", "9 Apr 2023",
        "Tom is on leave on 9 April", "Printed on 20 Apr 2023.",
    ]
    for words in expected:
        assert escape(words) in page, words
        assert flat(words) in text, words
    assert "not signed" not in page.lower()


def test_the_blocks_come_in_the_order_of_the_record():
    doc = document()
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["Actions from last time", "The reflective cycle", "Experience", "Reflection", "Analysis",
                        "Action plan", "The 4x4x4 model", "Challenges", "Decisions", "Actions agreed", "Escalation",
                        "Sign-off", "Amendments"]
    details = doc.blocks[0]
    assert isinstance(details, Table)
    assert [r[0] for r in details.rows] == ["Type", "Date", "Supervisor", "Worker", "Cases", "Next session"]
    assert dict(details.rows)["Next session"] == "16 Apr 2023"


def tables(doc) -> dict[str, Table]:
    """Each table under the heading before it."""
    out, heading = {}, ""
    for b in doc.blocks:
        if isinstance(b, Heading):
            heading = b.text
        elif isinstance(b, Table):
            out[heading] = b
    return out


def test_the_4x4x4_table_says_what_was_covered():
    model = tables(document())["The 4x4x4 model"]
    covered = {row[1]: row[2] for row in model.rows}
    assert covered == {"Management": "Yes", "Support": "Yes", "Development": "Yes", "Mediation": "No",
                       "The child and family": "Yes", "The worker": "Yes", "The organisation": "No",
                       "Partner agencies": "No"}
    assert [row[0] for row in model.rows] == ["Function"] * 4 + ["Stakeholder"] * 4


def test_the_status_of_each_action_is_as_on_the_day_printed():
    agreed = tables(document())["Actions agreed"]
    status = {row[0]: (row[5], row[6]) for row in agreed.rows}
    assert status["Keep a daily breakfast log for Ella and send it each Friday"] == (
        "Overdue (due 6 Apr 2023, 14 days ago)", "")
    assert status["See Sam at home weekly and weigh him"] == (
        "Open; carried over 2 times, a warning sign of drift", "")
    assert status["Refer Gemma to the food bank at the children's centre"][0] == "Done"
    assert agreed.headers[5] == "Status on 20 Apr 2023"


def test_the_amendments_keep_the_value_before_and_after():
    amendments = tables(document())["Amendments"]
    assert [row[2] for row in amendments.rows] == ["Analysis", "Next session"]  # the wellbeing one is left out
    when, who, _, before, after, reason = amendments.rows[1]
    assert (when, who, before, after, reason) == ("14 Mar 2023 at 09:05", "Priya Shah", "9 Apr 2023", "16 Apr 2023",
                                                  "Tom is on leave on 9 April")


def test_a_draft_says_it_is_not_signed():
    doc = document(session(), actions=[])
    page, text = to_html(doc), pdf_text(to_pdf(doc))
    for words in ("Not signed: this record is a draft.", "No amendments since the record was signed.",
                  "No new actions were agreed."):
        assert words in page and words in text
    assert "WELLBEING-SECRET" not in page and "WELLBEING-SECRET" not in text


def test_a_record_signed_by_one_is_still_a_draft():
    doc = document(sign(session(), "Priya Shah", "supervisor", AT), actions=[])
    assert "Not signed by the worker: this record is a draft until both have signed." in to_html(doc)
    assert tables(doc)["Sign-off"].rows == [["Supervisor", "Priya Shah", "12 Mar 2023 at 16:30"]]


def test_a_half_written_record_says_what_is_missing():
    blank = session(stages={"experience": STAGES["experience"]}, decisions=[], challenges=[], actions_reviewed=[],
                    escalation_considered=False, escalation_note="", next_on=None, wellbeing="")
    page = to_html(document(blank, actions=[]))
    assert page.count("Not written.") == 3
    for words in ("No decision is recorded.", "No challenges were recorded.",
                  "No actions from last time were reviewed.", "Escalation considered: No.", "Not set"):
        assert words in page


def test_the_page_escapes_what_the_worker_wrote():
    # the model keeps no markup (tests/test_textfields.py); what is left of < > & ' is escaped on the page
    s = session(stages=STAGES | {"reflection": "Mum said 'Ruby <3 Sam & 5 > 4' while I was writing"})
    page = to_html(document(s, actions=[]))
    assert "Ruby <3" not in page
    assert "&#39;Ruby &lt;3 Sam &amp; 5 &gt; 4&#39;" in page


def test_lines_the_writer_kept_apart_are_paragraphs():
    s = session(stages=STAGES | {"experience": "Ella was at school all week.\n\nSam was asleep in a wet cot."})
    doc = document(s, actions=[])
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "Ella was at school all week." in texts and "Sam was asleep in a wet cot." in texts


def test_printing_a_future_dated_record_is_not_refused():
    # printing re-reads the record, but the rule that a session is not in the future was checked when saved
    s = session().model_copy(update={"held_on": date.today() + timedelta(days=3), "next_on": None,
                                     "actions_reviewed": []})  # (a new due date must fall after the session)
    assert session_document(s, case_titles={}, actions=[], child_labels={}, today=TODAY).title.startswith(
        "Reflective supervision record: fenwick, ")


def test_a_disagreement_raised_in_the_session_is_printed_with_it():
    from neglect_kit.supervision.escalation import open_escalation

    raised = open_escalation(case_id="fenwick", children=["fen-sam"], raised_by={"name": "Priya Shah", "role":
                             "Team manager"}, raised_with={"name": "Dr Hale", "role": "Community paediatrics"},
                             about="Sam's weight cannot wait for January", child_safe_meanwhile="Weighed weekly",
                             raised_on=HELD)
    s = session().model_copy(update={"escalations_raised": ["esc-1"], "escalation_note": ""})
    page = to_html(session_document(s, case_titles=TITLES, actions=[], child_labels=CHILDREN, today=TODAY,
                                    escalations=[raised]))
    assert "Disagreements raised in this session: 1." in page and "Sam&#39;s weight cannot wait for January" in page
    assert "Dr Hale (Community paediatrics)" in page

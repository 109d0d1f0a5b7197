"""'What is life like for this child?': one child's summary, on screen and printable.

The child's own words first, then a day in the child's life, then the findings, each with
references to the entries behind it (links on screen and in the printable page, labels in
the PDF), and the line saying these are prompts for judgement. The same `Document` serves
the chronology app's panel, the child summary app and the printed record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..anonymise import ANONYMISED, anonymiser_for
from ..assessment.day import describe_day, differences
from ..findings import KIND_TITLES, PROMPT_LINE, Finding
from ..reports.document import Block, Callout, Document, Fold, Heading, Paragraph, Table
from ..wording import count_words, day_text
from .analyse import ChildFindings
from .case_data import CaseData
from .headline import entries_behind, headline
from .unseen import heard_entries

CLIP = 300  # characters of an entry shown in the appendix; the chronology holds the whole text
REFS_SHOWN = 8  # entry links per finding on the page; the command line's JSON lists them all
WORDS_SHOWN = 6


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _words(data: CaseData, child: str) -> list[tuple[date, str, str | None]]:
    """The child's words and views, newest first: (when, what and how, entry id or None)."""
    said: list[tuple[date, str, str | None]] = [
        (v.on, f"{v.how}, to {v.heard_by}: \u201c{v.what}\u201d", None) for v in data.voice_of(child)]
    # the child's view recorded in a neglect assessment is the child's own words too
    said += [(a.assessed_on, f"in the assessment by {a.assessed_by}: \u201c{a.child_view}\u201d", None)
             for a in data.assessments_of(child) if a.child_view.strip()]
    f = data.frame
    if not f.empty:
        mine = f[f["children"].str.split("; ").apply(lambda ids: child in ids) & (f["child_words"] != "")
                 & (f["status"] != "withdrawn")]
        said += [(when, f"recorded by {agency}: \u201c{words}\u201d", rid)
                 for when, agency, words, rid in zip(mine["earliest"], mine["agency"].map(data.cfg.agencies.label),
                                                     mine["child_words"], mine["record_id"], strict=True)]
        # words quoted or reported in the entry itself ("Kai told the teacher: ..."): the entry's own text
        told = f[f["record_id"].isin(heard_entries(data, child)) & (f["child_words"] == "")]
        texts = told[["description", "action", "outcome"]].fillna("").apply(
            lambda r: " / ".join(t for t in r if t.strip()), axis=1) if len(told) else []
        said += [(when, f"recorded by {agency}, in the entry's words: {_clip(text)}", rid)
                 for when, agency, text, rid in zip(told["earliest"], told["agency"].map(data.cfg.agencies.label),
                                                    texts, told["record_id"], strict=True) if text]
    return sorted(said, key=lambda s: s[0], reverse=True)


def child_summary(data: CaseData, found: ChildFindings, view: str = "named") -> Document:
    """The child's one-page summary with its appendix of entries.

    Args:
        data: the case.
        found: the child's findings (their messages already use the label the view shows).
        view: "named", or "anonymised" (names and identifiers in every text replaced, no date of birth).
    """
    child, label = found.child, found.label
    hide = _anonymiser(data) if view == ANONYMISED else (lambda t: t)
    born = data.birth(child)
    plans = data.plans_of(child)
    open_plans = [p for p in plans if p["end"] is None or p["end"] > data.today]
    status = "; ".join(f"{data.cfg.plan_types.label(p['type']).lower()} open since {day_text(p['start'])}"
                       for p in open_plans) or "no open plan recorded"
    about = (f"{label}, aged {_age(born, data.today)}" if born else label) if view == ANONYMISED else \
        (f"{data.child_name(child)}, born {day_text(born)} (aged {_age(born, data.today)})" if born
         else data.child_name(child))
    doc = Document(f"What is life like for {label}?")
    case = "" if view == ANONYMISED else f" Case {data.case_id}:"  # the case id names the family
    doc.add(Paragraph(f"{about}.{case} {status[0].upper()}{status[1:]}. Summary as at {day_text(data.today)}."),
            Paragraph(PROMPT_LINE))

    said = _words(data, child)
    refs = _entry_refs(data, found, [rid for _, _, rid in said[:WORDS_SHOWN] if rid])
    anchor = "nk-entry-"  # one summary on a page at a time; never the child's id, which is a name

    def links(ids: tuple[str, ...]) -> list[tuple[str, str]]:
        shown = sorted((refs[i] for i in ids[:REFS_SHOWN]), key=lambda r: int(r[1:]))
        return [(r, anchor + r) for r in shown]

    top = headline(found.findings)
    if top:
        doc.add(Callout(f"Read first: {count_words(len(top), 'finding')} of {len(found.findings)}, the most "
                        "serious by the kit's rule", [Paragraph(_headline_text(f, hide), links(f.entry_ids))
                                                       for f in top]))
    else:
        doc.add(Callout("Read first", [Paragraph("The records show none of the findings the kit looks for. "
                                                 "That is not a finding that all is well.")]))

    words: list[Block] = []
    if not said:
        words.append(Paragraph(f"Nothing {label} said or showed is recorded. When was {label} last asked?"))
    else:
        words.append(Paragraph(f"{label}'s words or views are recorded {count_words(len(said), 'time')}; "
                               f"the latest {min(WORDS_SHOWN, len(said))}, newest first:"))
        words += [Paragraph(f"{day_text(when)}, {hide(what)}", links((rid,)) if rid else ())
                  for when, what, rid in said[:WORDS_SHOWN]]
    doc.add(Fold(f"In {label}'s own words", words))

    days = data.days_of(child)
    if not days:
        day_blocks: list[Block] = [Paragraph(f"No day in {label}'s life is recorded yet: the day-in-the-life app "
                                             "records one.")]
    else:
        day = days[-1]
        day_blocks = [Paragraph(hide(describe_day(day, label))),
                      *(Paragraph(hide(f"{d.slot.replace('_', ' ').capitalize()}: {d.words}."))
                        for d in differences(day))]
    doc.add(Fold(f"A day in {label}'s life", day_blocks))

    for kind, items in found.by_kind().items():
        more_than = [Paragraph("None found in these records.")] if not items else [
            Paragraph(hide(f.message) + (f" ({len(f.entry_ids) - REFS_SHOWN} more entries not linked here)"
                                         if len(f.entry_ids) > REFS_SHOWN else ""), links(f.entry_ids))
            for f in items]
        doc.add(Fold(f"{KIND_TITLES[kind]} ({len(items)})", more_than))

    if refs:
        rows = data.frame.set_index("record_id")
        shown = [i for i in refs if i in rows.index]
        doc.add(Heading("Entries behind these findings"))
        doc.add(Table(["Ref", "Date", "Agency", "Category", "What happened"],
                      [[refs[i], rows.at[i, "date_shown"], data.cfg.agencies.label(rows.at[i, "agency"]),
                        data.cfg.categories.label(rows.at[i, "category"]), _clip(hide(rows.at[i, "description"]))]
                       for i in shown],
                      caption=f"{count_words(len(shown), 'entry', 'entries')}, oldest first",
                      row_ids=[anchor + refs[i] for i in shown]))
    return doc


def _anonymiser(data: CaseData) -> Callable[[str], str]:
    """The case's scrubbing: its people, the professionals who recorded, assessed or heard the child, the
    logins that saved its entries, and the council's town."""
    f = data.frame
    recorded = [] if f.empty else sorted({(str(a), str(s)) for a, s in zip(f["agency"], f["source_detail"],
                                                                          strict=True) if s})
    recorded += [("", a.assessed_by) for a in data.assessments] + [("", v.heard_by) for v in data.voice]
    return anonymiser_for(data.people, [str(data.case.get("local_authority") or "")],
                          professionals=[{"agency": a, "recorded_by": s} for a, s in recorded],
                          logins=[] if f.empty else [str(x) for x in f["created_by"]]).text


def _headline_text(f: Finding, hide: Callable[[str], str]) -> str:
    """A headline item: what kind of concern, how many entries are behind it, then the finding itself."""
    behind = entries_behind(f)
    return (f"{KIND_TITLES[f.kind]}" + (f" ({count_words(behind, 'entry', 'entries')})" if behind else "")
            + f": {hide(f.message)}")


def _clip(text: str) -> str:
    return text if len(text) <= CLIP else text[:CLIP].rsplit(" ", 1)[0] + "…"


def _entry_refs(data: CaseData, found: ChildFindings, extra: list[str]) -> dict[str, str]:
    """A short reference ("E1", "E2" ...) for each entry linked from the page, numbered oldest first."""
    linked = set(extra) | {rid for f in found.findings for rid in f.entry_ids[:REFS_SHOWN]}
    f = data.frame
    ordered = f.loc[f["record_id"].isin(linked), "record_id"] if not f.empty else []
    return {rid: f"E{n}" for n, rid in enumerate(ordered, 1)}

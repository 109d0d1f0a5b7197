"""Challenge prompts for supervision, each raised by evidence and shown with it.

The biases a reflective session should challenge (DOMAIN.md section 5) are put as questions
only when the session's own words, the assessments, the findings or the actions give a reason,
and every prompt carries that reason as evidence in plain words. The answer is recorded on the
session (`Prompt.challenge` makes the `session.Challenge` to hold it). The rules, in order:

1. The rule of optimism (`optimism`): the session's stage texts speak of the parents' love,
   commitment or engagement (`OPTIMISM_WORDS`) while a child's latest assessment has a
   sub-area graded 4 or 5. Evidence: each sentence quoted with the words matched, and for
   each such child the latest assessment's date and the sub-areas graded 4 or 5.
2. Start again (`start_again`): the worker differs from the worker at the last session on
   the case, or there was no earlier session and the records show a change of worker (a
   start-again finding). Evidence: the change of worker, and the start-again findings.
3. Outputs are not outcomes (`outputs_not_outcomes`): the stage texts speak of things the
   parents did (`OUTPUT_WORDS`: a course or sessions attended, an agreement signed, a promise
   to stop drinking, "says she will" ...) while a child's grades did not improve between the
   two latest assessments (no sub-area better, or any worse), or, with one assessment only,
   it has a sub-area graded 4 or 5. Evidence: the sentences quoted and the grades.
4. Drift and delay (`drift`): any drift finding (a plan open too long, a repeat plan, a
   re-referral, grades stuck at 4 or 5, a target missed, an action carried over), or an
   action overdue today or carried over to a second session or more. Evidence: the findings
   (the first `MAX_LINES`, then how many more) and the actions with their dates and owners.
5. A risk never named (`risk_not_named`): a parental risk factor in the records that no plan
   names, or that a plan named only long after it was first recorded. Evidence: the findings.
6. The adult focus (`adult_focus`): the child not seen alone or not heard for longer than the
   settings allow, or too few entries with the child's words or the impact on the child, or
   too many about the adults only. Evidence: those findings.

The words are matched whole and in any case, within one sentence (text split at . ! ? and line
breaks): a word ending in `*` is a stem ("engag*" is engaged, engaging, engagement), a hyphen
may be written or left out, and `...` stands for up to three words between. A match with a
negation among the three words before it is skipped: "has not been engaging" is not optimism.
The negations are the risk reader's (`term_reader.words.negated`: no, not, never, nor, without, nothing,
cannot, a word ending in n't ...) with "hardly" and "lack" (lacks, lacking) added.
An action counts as carried over only while it is still open. One prompt per rule, for all the children together
(each evidence line names its child), in the order above; a rule with no evidence raises no
prompt. Children are named as `child_labels` gives them (a role label in an anonymised view).
Pure functions: no store, no widgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..analysis.analyse import ChildFindings
from ..assessment.framework import sub_area_label
from ..assessment.model import NeglectAssessment
from ..assessment.progress import compare
from ..findings import Finding
from ..term_reader.words import negated
from ..vocab import RISK_FACTORS, normalise
from ..wording import count_words, day_text
from .actions import Action
from .session import CYCLE, Challenge

__all__ = ["OPTIMISM_WORDS", "OUTPUT_WORDS", "RULES", "Prompt", "challenge_prompts"]

# The rules by code, with the bias each challenges, in the order prompts are raised.
RULES: dict[str, str] = {
    "optimism": "The rule of optimism",
    "start_again": "Start-again syndrome",
    "outputs_not_outcomes": "Outputs mistaken for outcomes",
    "drift": "Drift and delay",
    "risk_not_named": "A risk in the records, never named in the plan",
    "adult_focus": "The adult focus",
}
OPTIMISM_WORDS: tuple[str, ...] = (
    "love", "loves", "loved", "loving", "adore", "adores", "adored", "devoted", "devotion", "commitment",
    "committed to", "dedicated", "dedication", "engag*", "co-operat*", "trying hard", "tries hard", "try hard",
    "trying their best", "trying her best", "trying his best", "doing their best", "doing her best",
    "doing his best", "doing all they can", "doing everything they can", "good intentions", "well-intentioned",
    "means well", "mean well", "well-meaning", "wants the best", "want the best", "motivated", "willing",
    "keen to", "close bond", "strong bond", "clearly care*", "really care*",
)
# Things parents do: a doing word, then within three words a thing done; and phrases on their own.
_OUTPUT_DOING = ("attend*", "complet*", "finish*", "signed", "signing", "enrolled", "joined", "started",
                 "went to", "been going to", "booked onto", "booked on")
_OUTPUT_THINGS = ("course*", "programme*", "program*", "session*", "group*", "classes", "counselling", "therapy",
                  "agreement*", "contract*", "service*", "treatment", "detox", "rehab*", "meeting*")
OUTPUT_WORDS: tuple[str, ...] = (
    *(f"{doing} ... {thing}" for doing in _OUTPUT_DOING for thing in _OUTPUT_THINGS),
    "parenting course*", "parenting programme*", "parenting classes", "parenting sessions", "promised", "promises",
    "promise to", "agreed to stop", "agreed to cut down", "agreed to reduce", "stop drinking", "stopped drinking",
    "cut down", "cutting down", "says she will", "says he will", "say they will", "said she will", "said he will",
    "said they will", "said she would", "said he would", "said they would", "has been going to",
    "have been going to", "engaged with", "engaging with", "engages with", "working agreement",
    "written agreement", "signed up", "self-referred", "referred herself", "referred himself",
    "referred themselves",
)
DRIFT_CODES = ("stuck_high", "target_missed", "action_carried", "long_plan", "repeat_plan", "re_referral")
ADULT_FOCUS_UNSEEN = ("seen_alone", "heard", "seen_alone_not_recorded", "heard_not_recorded")
MAX_LINES = 5  # evidence lines of one sort shown before "and N more"
MAX_QUOTE = 300  # characters of a quoted sentence

_NEGATIONS = frozenset({"hardly", "lack", "lacks", "lacking"})  # besides the risk reader's: "hardly engaging"
_NEGATION_WINDOW = 3
_WORD = r"[\w'’]+"
_GAP = rf"(?:{_WORD}\W+){{0,3}}?"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _term(term: str) -> str:
    """One listed term as a regular expression (see the module docstring for the notation)."""
    out: list[str] = []
    gap = False
    for word in term.split():
        if word == "...":
            gap = True
            continue
        stem = word.endswith("*")
        piece = r"[-\s]?".join(re.escape(p) for p in word.rstrip("*").split("-")) + (r"\w*" if stem else "")
        if out:
            out.append(r"\W+" + (_GAP if gap else ""))
        out.append(piece)
        gap = False
    return "".join(out)


def _matcher(terms: Iterable[str]) -> re.Pattern[str]:
    # longest first, so "attended a parenting course" is one match rather than "parenting course" alone
    alternatives = sorted({_term(t) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![\w'’])(?:" + "|".join(alternatives) + r")(?![\w'’])", re.IGNORECASE)


_OPTIMISM = _matcher(OPTIMISM_WORDS)
_OUTPUTS = _matcher(OUTPUT_WORDS)


@dataclass(frozen=True)
class Prompt:
    """A challenge for the session, with the evidence that raised it.

    Attributes:
        rule: the rule's stable code (a key of `RULES`).
        title: the bias challenged, e.g. "The rule of optimism".
        question: the challenge, in the kit's own words.
        evidence: each piece of evidence in plain words: quoted session words, grades, findings.
        entry_ids: the chronology entries behind the findings used, oldest finding first.
    """

    rule: str
    title: str
    question: str
    evidence: tuple[str, ...]
    entry_ids: tuple[str, ...] = ()

    def challenge(self, answer: str = "") -> Challenge:
        """The session's record of this prompt: its rule, the question, the evidence (a line each), the answer."""
        return Challenge(rule=self.rule, prompt=self.question, evidence="\n".join(self.evidence), answer=answer)


def _negated(sentence: str, start: int) -> bool:
    return negated([w.lower() for w in re.findall(_WORD, sentence[:start])], _NEGATION_WINDOW, _NEGATIONS)


def _clip(sentence: str, start: int) -> str:
    if len(sentence) <= MAX_QUOTE:
        return sentence
    begin = max(0, min(start - MAX_QUOTE // 3, len(sentence) - MAX_QUOTE))
    return ("…" if begin else "") + sentence[begin:begin + MAX_QUOTE].strip() + \
        ("…" if begin + MAX_QUOTE < len(sentence) else "")


def _quotes(session_text: Mapping[str, str], matcher: re.Pattern[str]) -> list[str]:
    """Each sentence of the stage texts that `matcher` finds in (not negated), quoted with the words matched."""
    stages = [*(s for s in CYCLE if s in session_text), *(s for s in session_text if s not in CYCLE)]
    out = []
    for stage in stages:
        for sentence in _SENTENCE_END.split(session_text[stage] or ""):
            sentence = sentence.strip()
            found = [m for m in matcher.finditer(sentence) if not _negated(sentence, m.start())]
            if found:
                words = ", ".join(dict.fromkeys(" ".join(m.group().split()) for m in found))
                label = CYCLE.get(stage, stage.replace("_", " ").capitalize())
                out.append(f"{label}: “{_clip(sentence, found[0].start())}” (words: {words})")
    return _capped(out, "more sentences")


def _capped(lines: list[str], more: str) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"and {len(lines) - MAX_LINES} {more}"]


def _listed(items: Sequence[str], limit: int = 6) -> str:
    shown = "; ".join(items[:limit])  # sub-area names hold commas of their own
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _possessive(labels: Sequence[str]) -> str:
    return _and([f"{label}'s" for label in labels])


def _grade_entries(latest: Iterable[NeglectAssessment]) -> tuple[str, ...]:
    """The chronology entries behind the grades of 4 or 5 in these assessments."""
    return tuple(dict.fromkeys(e for a in latest for g in a.grades
                               if isinstance(g.grade, int) and g.grade >= 4 for e in g.entries))


def _high(a: NeglectAssessment) -> list[str]:
    return [f"{sub_area_label(g.sub_area)} ({g.grade})" for g in a.grades if isinstance(g.grade, int) and g.grade >= 4]


def _high_line(label: str, a: NeglectAssessment, high: list[str]) -> str:
    return (f"{label}: latest assessment {day_text(a.assessed_on)}: {count_words(len(high), 'sub-area')} graded "
            f"4 or 5 ({_listed(high)})")


class _Case:
    """What the rules read, child by child: labels, findings and assessments."""

    def __init__(self, findings: Sequence[ChildFindings], assessments: Sequence[NeglectAssessment],
                 child_labels: Mapping[str, str], today: date) -> None:
        self.findings = {cf.child: cf for cf in findings}
        by_child: dict[str, list[NeglectAssessment]] = {}
        for a in assessments:
            if a.assessed_on <= today:
                by_child.setdefault(a.child, []).append(a)
        self.assessments = {c: sorted(items, key=lambda a: a.assessed_on) for c, items in by_child.items()}
        self.children = list(dict.fromkeys([*self.findings, *self.assessments]))
        self.labels = {**child_labels, **{c: child_labels.get(c) or (self.findings[c].label if c in self.findings
                                                                     else "the child") for c in self.children}}

    def label(self, child: str | None) -> str:
        return self.labels.get(child or "", "the child")

    def message(self, child: str, f: Finding) -> str:
        """The finding's message, naming the child by the caller's label and starting with it."""
        label, message = self.label(child), f.message
        # findings worked out under other names: never show them, whichever child they name (an action's
        # words may name both children)
        for other, found in self.findings.items():
            if found.label != self.label(other):
                message = re.sub(rf"(?<!\w){re.escape(found.label)}(?!\w)", self.label(other), message)
        return message if message.startswith(label) else f"{label}: {message}"

    def of(self, kind: str, codes: Iterable[str] | None = None) -> list[tuple[str, Finding]]:
        wanted = set(codes) if codes is not None else None
        return [(c, f) for c in self.children if c in self.findings for f in self.findings[c].findings
                if f.kind == kind and (wanted is None or f.code in wanted)]


def _entry_ids(found: Iterable[tuple[str, Finding]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for _, f in found for i in f.entry_ids))


def _optimism(case: _Case, session_text: Mapping[str, str]) -> Prompt | None:
    quotes = _quotes(session_text, _OPTIMISM)
    high = {c: h for c in case.children if c in case.assessments and (h := _high(case.assessments[c][-1]))}
    if not quotes or not high:
        return None
    lines = [_high_line(case.label(c), case.assessments[c][-1], h) for c, h in high.items()]
    labels = [case.label(c) for c in high]
    question = (f"Love is not the same as good enough care: what has changed for {_and(labels)} since the last "
                "assessment, seen from the child's side?")
    return Prompt("optimism", RULES["optimism"], question, (*quotes, *lines),
                  _grade_entries(case.assessments[c][-1] for c in high))


def _start_again(case: _Case, worker: str, previous_worker: str | None) -> Prompt | None:
    found = case.of("start_again")
    changed = previous_worker is not None and normalise(previous_worker) != normalise(worker)
    if not (changed or (previous_worker is None and found)):
        return None
    lines = [f"A new worker for this case: {worker} takes over from {previous_worker}."] if changed else []
    lines += _capped([case.message(c, f) for c, f in found], "more changes of worker")
    labels = [case.label(c) for c in dict.fromkeys(c for c, _ in found)] or [case.label(c) for c in case.children]
    question = (f"What does the history before you say? Read it as a whole, from the first entry: what has "
                f"already been tried for {_and(labels or ['the child'])}, and what came of it?")
    return Prompt("start_again", RULES["start_again"], question, tuple(lines), _entry_ids(found))


def _no_better(label: str, items: list[NeglectAssessment]) -> str | None:
    """Why the child's grades show no improvement, or None when they improved."""
    if len(items) == 1:
        high = _high(items[0])
        return (f"{label}: one assessment so far ({day_text(items[0].assessed_on)}), with "
                f"{count_words(len(high), 'sub-area')} graded 4 or 5 ({_listed(high)})") if high else None
    earlier, latest = items[-2], items[-1]
    changes = compare(earlier, latest, items)
    better = [sub_area_label(c.sub_area) for c in changes if c.direction == "improved"]
    worse = [sub_area_label(c.sub_area) for c in changes if c.direction == "worsened"]
    same = [sub_area_label(c.sub_area) for c in changes if c.direction == "same"]
    # a grade left standing is not an improvement: the records say only that it was not regraded
    stood = [f"{sub_area_label(c.sub_area)}, {c.now}" for c in changes
             if c.direction == "not regraded" and isinstance(c.before, int) and c.before >= 4]
    if better and not worse and not stood:
        return None
    between = f"{label}: between the assessments of {day_text(earlier.assessed_on)} and {day_text(latest.assessed_on)}"
    parts = [f"{count_words(len(better), 'sub-area')} improved ({_listed(better)}) but" if better else
             "no sub-area improved;"]
    if worse:
        parts.append(f"{len(worse)} worsened ({_listed(worse)})" + (";" if same or stood else ""))
    if same:
        parts.append(f"{len(same)} stayed the same ({_listed(same)})" + (";" if stood else ""))
    if stood:
        parts.append(f"{len(stood)} graded 4 or 5 before were not regraded ({_listed(stood)})")
    return f"{between}, {' '.join(parts)}".rstrip(";")


def _outputs(case: _Case, session_text: Mapping[str, str]) -> Prompt | None:
    quotes = _quotes(session_text, _OUTPUTS)
    if not quotes:
        return None
    stuck = {c: line for c in case.children if c in case.assessments
             and (line := _no_better(case.label(c), case.assessments[c]))}
    if not stuck:
        return None
    labels = [case.label(c) for c in stuck]
    question = ("A course attended or a promise made is something the parents did. What is different in "
                f"{_possessive(labels)} day because of it?")
    return Prompt("outputs_not_outcomes", RULES["outputs_not_outcomes"], question, (*quotes, *stuck.values()),
                  _grade_entries(case.assessments[c][-1] for c in stuck))


def _action_line(case: _Case, a: Action, what: str) -> str:
    line = f"{what}: {a.what} (due {day_text(a.by)}, {a.who})"
    return f"{case.label(a.child)}: {line}" if a.child in case.labels else line


def _drift(case: _Case, actions: Sequence[Action], today: date) -> Prompt | None:
    rank = {code: i for i, code in enumerate(DRIFT_CODES)}
    order = {c: i for i, c in enumerate(case.children)}
    found = sorted(case.of("drift", DRIFT_CODES), key=lambda cf: (rank[cf[1].code], order[cf[0]]))
    quoted = " ".join(f.message for _, f in found if f.code == "action_carried")
    lines = []
    for a in actions:
        status = a.status_on(today)
        if status == "overdue":
            lines.append(_action_line(case, a, "Overdue"))
        if a.repeatedly_carried and status in ("open", "overdue") and f"“{a.what}”" not in quoted:
            lines.append(_action_line(case, a, f"Carried over {a.carried_over} times"))
    if not found and not lines:
        return None
    evidence = (*_capped([case.message(c, f) for c, f in found], "more drift findings"),
                *_capped(lines, "more actions overdue or carried over"))
    labels = [case.label(c) for c in dict.fromkeys(c for c, _ in found)] or \
        [case.label(c) for c in dict.fromkeys(a.child for a in actions if a.child in case.labels)]
    who = _and(labels) if labels else "the child"
    question = (f"Is it time to escalate? Plans, targets and actions have run on without the change {who} "
                f"{'needs' if len(labels) < 2 else 'need'}: what would you escalate, to whom, and by when?")
    return Prompt("drift", RULES["drift"], question, evidence, _entry_ids(found))


def _risks(case: _Case) -> Prompt | None:
    found = case.of("risk_not_named")
    if not found:
        return None
    unnamed = [f for _, f in found if not f.counts.get("plans_naming")]
    factors = list(dict.fromkeys(RISK_FACTORS.label(f.code) for f in unnamed))
    late = [x for x in dict.fromkeys(RISK_FACTORS.label(f.code) for _, f in found) if x not in factors]
    labels = [case.label(c) for c in dict.fromkeys(c for c, _ in found)]
    said = []
    if factors:
        one = len(factors) == 1
        said.append(f"{_and(_lower(factors))} {'is' if one else 'are'} in the records but in no plan: should the "
                    f"plan name {'it' if one else 'them'}, and what would {'it' if one else 'that'} change for "
                    f"{_and(labels)}?")
    if late:
        said.append(f"{_and(_lower(late))} came into a plan long after the records first showed "
                    f"{'it' if len(late) == 1 else 'them'}: what did the wait mean for {_and(labels)}?")
    return Prompt("risk_not_named", RULES["risk_not_named"], " ".join(said),
                  tuple(case.message(c, f) for c, f in found), _entry_ids(found))


def _lower(names: list[str]) -> list[str]:
    """Factor names inside a sentence: the first capitalised, the rest in lower case."""
    return [n if i == 0 else n[0].lower() + n[1:] for i, n in enumerate(names)]


def _adult_focus(case: _Case) -> Prompt | None:
    found = [*case.of("unseen", ADULT_FOCUS_UNSEEN), *case.of("record_share")]
    if not found:
        return None
    order = {c: i for i, c in enumerate(case.children)}
    found.sort(key=lambda cf: order[cf[0]])
    labels = [case.label(c) for c in dict.fromkeys(c for c, _ in found)]
    if len(labels) == 1:
        question = (f"When was {labels[0]} last seen alone, and what did {labels[0]} say? "
                    "Whose needs fill this discussion?")
    else:
        question = (f"When were {_and(labels)} each last seen alone, and what did each of them say? "
                    "Whose needs fill this discussion?")
    return Prompt("adult_focus", RULES["adult_focus"], question, tuple(case.message(c, f) for c, f in found),
                  _entry_ids(found))


def challenge_prompts(session_text: Mapping[str, str], findings: Sequence[ChildFindings],
                      assessments: Sequence[NeglectAssessment], actions: Sequence[Action], *, worker: str,
                      previous_worker: str | None, today: date, child_labels: Mapping[str, str]) -> list[Prompt]:
    """The challenges the evidence raises for a supervision session, by the rules in this module's docstring.

    Args:
        session_text: the reflective cycle's stage texts so far, by stage (experience, reflection,
            analysis, action_plan); blank or missing stages are fine.
        findings: the case's findings, child by child (`analysis.analyse.case_findings`).
        assessments: the children's neglect assessments, in any order; those after `today` are left out.
        actions: the case's supervision actions.
        worker: the worker at this session.
        previous_worker: the worker at the last session on this case, or None if there was none.
        today: the day the session is held (for overdue actions).
        child_labels: how to name each child by id: names, or role labels in an anonymised view.

    Returns:
        At most one prompt per rule, in the order of `RULES`; none for a rule without evidence.
    """
    case = _Case(findings, assessments, child_labels, today)
    raised = (_optimism(case, session_text), _start_again(case, worker, previous_worker),
              _outputs(case, session_text), _drift(case, actions, today), _risks(case), _adult_focus(case))
    return [p for p in raised if p is not None]

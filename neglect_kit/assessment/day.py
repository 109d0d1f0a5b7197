"""A day in the child's life: the parent's and the child's accounts, time of day by time of day.

One record is one child's whole day (a weekday or a weekend day), in the version for the
child's age or for a disabled child (DOMAIN.md section 4). For each time of day it keeps the
parent's account, the child's account (what the child told or showed; for a baby, what was
observed instead) and the effect on the child ("hungry at school", "tired", "in pain").

The worker judges each pair of accounts: they agree, they differ, or it is unclear
(`SlotAccount.judged`). The kit offers its reading as a suggestion in plain words (`suggest`),
never as the judgement; a pair not yet judged is shown as such, with the suggestion beside it.
The kit suggests the accounts may differ when the first rule that applies says so:

1. A cue contradicts: on food, sleep, being looked after or school, one account says it
   happened and the other that it did not ("breakfast" against "nothing to eat").
2. How often differs: one account says it happens every time ("he goes to nursery", "every
   morning", "always") and the other only some of the time ("two mornings out of five",
   "sometimes", "when she can", "most days", "twice a week").
3. Times differ: both give clock times ("at 8", "8pm", "7:30", "2am") and none of one's is
   within an hour of one of the other's, read on the clock face ("in bed by 8" against "2am").
4. A word is denied: a word both accounts use is negated ("no", "not", "never", "didn't"
   and the like, within the three words before it: the risk reader's negations, `term_reader.words.negated`,
   and "nobody") in one and not in the other.

It suggests the reading is unclear when few words are shared (fewer than a quarter of the
shorter account's words, short common words left out, plurals read as singular, appear in the
other: they may tell of different things), and otherwise that they seem to agree.

The rule is plain on purpose: a difference is a flag for the worker to look at with the family,
never a finding. Every time of day with an effect on the child is listed as well.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from pydantic import Field, field_validator, model_validator

from ..reports.html import Cell, Markup, html_table
from ..term_reader.words import is_negation, negated
from ..validators import Trimmed, choice, not_future, one_child

DAY_KIND = "day_in_the_life"
VERSIONS: dict[str, tuple[str, ...]] = {  # each version's times of day, from waking to night
    "baby": ("waking", "first_feed", "nappy_and_dressing", "morning", "naps", "afternoon", "evening_feed",
             "bath_and_bedtime", "night"),
    "pre_school": ("waking", "getting_ready", "breakfast", "nursery_or_morning", "lunch", "afternoon", "tea",
                   "evening", "bedtime", "night"),
    "school_age": ("waking", "getting_ready", "breakfast", "getting_to_school", "at_school", "after_school", "tea",
                   "evening", "bedtime", "night"),
    "adolescent": ("waking", "getting_ready", "breakfast", "getting_to_school", "at_school", "after_school", "tea",
                   "evening", "online", "bedtime", "night"),
    "disabled_child": ("waking", "personal_care", "medication", "breakfast", "getting_to_school", "at_school",
                       "after_school", "tea", "evening", "bedtime", "night"),
}
VERSION_LABELS = {"baby": "baby", "pre_school": "pre-school", "school_age": "school age",
                  "adolescent": "adolescent", "disabled_child": "disabled child"}
_LABELS = {"online": "Online and screens", "medication": "Medicines and therapy"}  # others: the code in words
WEEKEND_LABELS = {"getting_to_school": "Going out", "at_school": "Daytime", "after_school": "Afternoon",
                  "nursery_or_morning": "Morning"}
# a time of day's state: its words in the cell and in the legend, fill, edge, hatch (never colour alone)
STATES = {"agree": ("Agree", "Accounts agree (the worker's judgement)", "#CDEBE2", "#007A5A", ""),
          "differ": ("Differ", "Accounts differ (the worker's judgement)", "#F8CDB0", "#B34A00", "xx"),
          "unclear": ("Unclear", "Unclear (the worker's judgement)", "#FFF1B8", "#7A5C00", ".."),
          "not_judged": ("Not\njudged", "Both accounts, not yet judged", "#FFFFFF", "#1A1A1A", "++"),
          "parent_only": ("Parent\nonly", "Only the parent's account", "#FFFFFF", "#595959", "//"),
          "child_only": ("Child\nonly", "Only the child's account (or what was seen)", "#FFFFFF", "#595959", "\\\\"),
          "none": ("No\naccount", "No account recorded", "#FFFFFF", "#9E9E9E", "")}
EFFECT_LOOK = ("v", "#D55E00")  # the timeline's negative impact: a vermillion downward triangle
OVERLAP_THRESHOLD = 0.25
State = Literal["agree", "differ", "unclear", "not_judged", "parent_only", "child_only", "none"]
Judgement = Literal["agree", "differ", "unclear"]
JUDGEMENTS: dict[str, str] = {"agree": "They agree", "differ": "They differ", "unclear": "Unclear"}


def slot_label(slot: str, kind: str = "weekday") -> str:
    """A time of day as a reader sees it ("At school" on a weekday, "Daytime" at the weekend)."""
    if kind == "weekend" and slot in WEEKEND_LABELS:
        return WEEKEND_LABELS[slot]
    return _LABELS.get(slot) or slot.replace("_", " ").capitalize()


def version_for(age_years: float, disabled: bool = False) -> str:
    """The version to suggest for a child; the worker may choose another (a four-year-old in reception
    may be better served by school age).

    Raises:
        ValueError: a negative age, or 18 and over (a day in the life is for a child).
    """
    if age_years < 0 or age_years >= 18:
        raise ValueError(f"an age of {age_years} is not a child's: a day in the life is for a child under 18")
    if disabled:
        return "disabled_child"
    return next(v for limit, v in ((1, "baby"), (5, "pre_school"), (13, "school_age"), (18, "adolescent"))
                if age_years < limit)


class SlotAccount(Trimmed):
    """One time of day: what the parent said, what the child told or showed (or what was seen), the effect."""

    slot: str
    parent_account: str = ""
    child_account: str = ""
    observed: str = ""  # for a baby, or a child who cannot tell: what the worker saw instead
    effect_on_child: str = ""
    judged: Judgement | None = None  # the worker's judgement of the two accounts; None: not judged

    @property
    def child_side(self) -> str:
        return self.child_account or self.observed

    @property
    def filled(self) -> bool:
        return any((self.parent_account, self.child_account, self.observed, self.effect_on_child))


class DayInTheLife(Trimmed):
    """One child's day, weekday or weekend, in one version's times of day."""

    child: Annotated[str, one_child("a day in the life is for one child: record one for each child, never "
                                    "siblings together")] = Field(min_length=1)
    recorded_on: Annotated[date, not_future("recorded on {day} is in the future")]
    recorded_by: str = Field(min_length=1)
    version: Annotated[str, choice(VERSIONS, "'{value}' is not a version: choose from {choices}")]
    kind: Annotated[str, choice(("weekday", "weekend"), "'{value}' is not a kind: choose from {choices}")] = "weekday"
    slots: list[SlotAccount]

    @field_validator("slots", mode="before")
    @classmethod
    def _from_mapping(cls, value: Any) -> Any:  # {"breakfast": {...}}, as a form gives it, or a list
        return [{"slot": k, **v} for k, v in value.items()] if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _slots(self) -> DayInTheLife:
        valid = VERSIONS[self.version]
        names = [s.slot for s in self.slots]
        for name in names:
            if name not in valid:
                raise ValueError(f"'{name}' is not a time of day in the {VERSION_LABELS[self.version]} version: "
                                 f"choose from {', '.join(valid)}")
            if names.count(name) > 1:
                raise ValueError(f"'{name}' is recorded twice")
        self.slots = sorted((s for s in self.slots if s.filled), key=lambda s: valid.index(s.slot))
        if not self.slots:
            raise ValueError("nothing is recorded: fill in at least one time of day (the parent's account, the "
                             "child's account, what was seen, or the effect on the child)")
        return self

    def slot(self, name: str) -> SlotAccount | None:
        return next((s for s in self.slots if s.slot == name), None)


@dataclass(frozen=True)
class Suggestion:
    """The kit's reading of two accounts, for the worker to weigh: never the judgement itself."""

    reading: Judgement
    words: str  # in plain words, starting with what the kit thinks ("They may differ ...")


@dataclass(frozen=True)
class Difference:
    """A time of day for the worker's attention: the accounts differ, or the child felt an effect."""

    slot: str
    parent: str
    child: str
    words: str  # why it is listed, in plain words
    differs: bool  # the worker judged they differ, or (not yet judged) the kit suggests they may
    effect: str


_STOP = frozenset({  # short common words, left out when accounts are compared
    "a", "an", "and", "the", "to", "of", "in", "on", "at", "for", "with", "from", "by", "up", "out", "off", "is",
    "was", "are", "were", "be", "been", "am", "has", "have", "had", "do", "does", "did", "it", "its", "this",
    "that", "then", "than", "there", "so", "but", "or", "as", "if", "me", "my", "i", "you", "your", "we", "our",
    "us", "they", "them", "their", "he", "him", "his", "she", "her", "hers", "get", "gets", "got", "go", "goes",
    "went", "just", "about", "into", "after", "before", "when", "what", "who", "all", "some", "very", "too",
    "also"
})
_NEGATION = frozenset({"nobody"})  # besides the risk reader's negations: "nobody took me"
_CUES = {  # topic: (words saying it happened, words saying it did not); the second are looked for first
    "food": (("breakfast", "ate", "eats", "eat", "fed", "food", "lunch", "tea", "dinner", "meal", "cereal", "toast",
              "snack", "bottle", "feed"),
             ("nothing to eat", "no food", "hungry", "went without", "skipped", "starving", "had nothing",
              "have nothing", "no milk", "don't have any", "do not have any", "didn't have any")),
    "sleep": (("slept", "sleeps", "asleep", "in bed", "went to bed", "goes to bed"),
              ("stayed up", "stay up", "stays up", "up all night", "awake", "no bed", "on the sofa", "on the floor")),
    "being looked after": (("with mum", "with dad", "with me", "with us", "with nan", "picked up", "takes her",
                            "takes him", "take her", "take him", "walk her", "walk him", "walks her", "walks him",
                            "collects"),
                           ("on my own", "by myself", "on her own", "on his own", "alone", "nobody", "no one",
                            "no-one")),
    "school": (("went to school", "goes to school", "at school", "in school", "at nursery"),
               ("off school", "missed school", "stayed home", "stayed at home", "not at school", "no school")),
}
_ALL_OF_IT = ("every day", "every morning", "every night", "every evening", "every week", "every time",
              "each day", "each morning", "each night", "always", "all the time", "daily", "never misses",
              "goes to", "go to", "attends", "takes him", "takes her", "takes them", "walk them", "walks them",
              "walk her", "walk him")
_SOME_OF_IT = ("sometimes", "some days", "some mornings", "some nights", "some of the time", "most days",
               "most mornings", "most nights", "not every", "not always", "hardly ever", "rarely", "now and then",
               "occasionally", "when she can", "when he can", "when they can", "half the time", "once a week",
               "twice a week", "once or twice", "a few times", "on and off")
_NUMBERS = {w: n for n, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                        "nine", "ten"))}
_OUT_OF = re.compile(r"\b(\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b((?:\s+\w+){0,2}?)\s+"
                     r"(?:out of|of the|of|/)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b")
_TIME = re.compile(r"\b(?:(at|by|till|until|around|about|gone|after|before)\s+)?(\d{1,2})(?:[:.](\d{2}))?"
                   r"\s*(am|pm|o'clock)?(?![\w:'])")


def _times(text: str) -> list[tuple[int, str]]:
    """Clock times said in an account (a number with "at", "by", "am", "o'clock" or minutes), as minutes
    on the clock face."""
    out = []
    for m in _TIME.finditer(text.lower().replace("’", "'")):
        word, hour, minutes, suffix = m.groups()
        if (word or minutes or suffix) and int(hour) < 24 and int(minutes or 0) < 60:
            out.append(((int(hour) % 12) * 60 + int(minutes or 0), m.group(0).strip()))
    return out


def _clauses(text: str) -> list[list[str]]:
    text = text.lower().replace("’", "'")
    return [re.findall(r"[a-z0-9'-]+", c) for c in re.split(r"[.,;:!?()\n]+", text)]


def _stem(word: str) -> str:
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _polarities(text: str) -> dict[str, str]:
    """Each content word: "yes" (never negated), "no" (always) or "both"."""
    found: dict[str, set[bool]] = {}
    for words in _clauses(text):
        for i, w in enumerate(words):
            if w not in _STOP and not is_negation(w, _NEGATION):
                found.setdefault(_stem(w), set()).add(negated(words[max(0, i - 3):i], 3, _NEGATION))
    return {w: "both" if len(n) == 2 else "no" if True in n else "yes" for w, n in found.items()}


def _cue(text: str, topic: str) -> tuple[str, str] | None:
    """("no", words) if the account says it did not happen, else ("yes", words) if it says it did; a phrase
    with a negation in the two words before it says the opposite ("didn't eat", "never hungry")."""
    found: dict[str, str] = {}
    for words in _clauses(text):
        for says, phrases in zip(("yes", "no"), _CUES[topic], strict=True):
            for phrase in phrases:
                n = len(phrase.split())
                for i in (i for i in range(len(words) - n + 1) if " ".join(words[i:i + n]) == phrase):
                    neg = [j for j in range(max(0, i - 2), i) if is_negation(words[j], _NEGATION)]
                    found.setdefault(says if not neg else "no" if says == "yes" else "yes",
                                     " ".join(words[neg[0] if neg else i:i + n]))
    return next(((says, found[says]) for says in ("no", "yes") if says in found), None)


def _how_often(text: str) -> tuple[str, str] | None:
    """("some", words) if the account says only some of the time ("two mornings out of five"), else ("all",
    words) if it says every time ("goes to nursery", "always"), else None."""
    lower = " ".join(text.lower().replace("’", "'").split())
    for m in _OUT_OF.finditer(lower):
        part, whole = (int(x) if x.isdigit() else _NUMBERS[x] for x in (m.group(1), m.group(3)))
        if part < whole:
            return "some", m.group(0)
    for says, phrases in (("some", _SOME_OF_IT), ("all", _ALL_OF_IT)):
        for phrase in phrases:
            if found := re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", lower):
                words = lower[found.start():].split()
                extra = 1 if phrase.endswith(" to") or phrase == "attends" else 0  # "goes to nursery"
                return says, " ".join(words[:len(phrase.split()) + extra]).strip(".,;:!?")
    return None


def suggest(parent: str, child: str) -> Suggestion | None:
    """The kit's reading of the two accounts of one time of day (the rules in the module's docstring), in plain
    words; None when either account is blank."""
    if not parent.strip() or not child.strip():
        return None
    for topic in _CUES:
        p, c = _cue(parent, topic), _cue(child, topic)
        if p and c and p[0] != c[0]:
            return Suggestion("differ", f"They may differ on {topic}: the parent says “{p[1]}”, the child “{c[1]}”.")
    p_often, c_often = _how_often(parent), _how_often(child)
    if p_often and c_often and p_often[0] != c_often[0]:
        return Suggestion("differ", f"They may differ on how often: the parent says “{p_often[1]}”, the child’s "
                                    f"side “{c_often[1]}”.")
    pt, ct = _times(parent), _times(child)
    if pt and ct and all(min(abs(a - b), 720 - abs(a - b)) > 60 for a, _ in pt for b, _ in ct):
        return Suggestion("differ", f"They may differ on the time: the parent says “{pt[0][1]}”, the child "
                                    f"“{ct[0][1]}”, more than an hour apart.")
    pp, cp = _polarities(parent), _polarities(child)
    for word in sorted(pp.keys() & cp.keys()):
        if {pp[word], cp[word]} == {"yes", "no"}:
            said, denied = ("parent", "child") if cp[word] == "no" else ("child", "parent")
            return Suggestion("differ", f"They may differ: the {said} says “{word}”, the {denied} says not.")
    shorter, shared = min(len(pp), len(cp)), len(pp.keys() & cp.keys())
    if shorter and shared / shorter < OVERLAP_THRESHOLD:
        return Suggestion("unclear", "Hard to say: the two accounts seem to be about different things. Read them "
                                     "side by side.")
    return Suggestion("agree", "They seem to agree: nothing in one contradicts the other that the kit can see.")


def compare_accounts(parent: str, child: str) -> str | None:
    """The kit's words when it suggests the two accounts may differ, else None (`suggest` gives every reading)."""
    found = suggest(parent, child)
    return found.words if found and found.reading == "differ" else None


def slot_state(slot: SlotAccount) -> State:
    """The worker's judgement of the two accounts; "not_judged" when both are given and not yet judged; or
    that only one (or none) is given."""
    if slot.parent_account and slot.child_side:
        return slot.judged or "not_judged"
    return "parent_only" if slot.parent_account else "child_only" if slot.child_side else "none"


def differences(day: DayInTheLife) -> list[Difference]:
    """The times of day for attention, in time order: accounts the worker judged to differ or unclear, pairs not
    yet judged that the kit suggests may differ or are unclear (said to be its suggestion), and every effect."""
    out = []
    for s in day.slots:
        kit, effect, state = suggest(s.parent_account, s.child_side), s.effect_on_child, slot_state(s)
        why = ""
        if state in ("differ", "unclear"):
            why = ("the accounts differ" if state == "differ" else "unclear whether the accounts agree") + \
                " (the worker's judgement)"
        elif state == "not_judged" and kit and kit.reading != "agree":
            why = f"not yet judged; the kit suggests: {kit.words}"
        if why or effect:
            words = "; ".join(filter(None, [why, effect and f"effect on the child: {effect}"]))
            differs = state == "differ" or (state == "not_judged" and kit is not None and kit.reading == "differ")
            out.append(Difference(s.slot, s.parent_account, s.child_side, words, differs, effect))
    return out


def _title(day: DayInTheLife, child_label: str) -> str:
    return (f"{child_label}: a day in the life ({VERSION_LABELS[day.version]}, {day.kind}), recorded "
            f"{day.recorded_on.day} {day.recorded_on:%b %Y}")


def day_strip(day: DayInTheLife, child_label: str) -> Figure:
    """The day as a strip of times of day, waking to night: each cell says in words, hatching and colour
    whether the accounts agree, differ, or only one is given; a triangle under it marks an effect on the
    child, written beneath. `describe_day` gives its alt text."""
    slots = VERSIONS[day.version]
    width, height = max(9.0, 1.05 * len(slots) + 1.4), 3.7
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((1.2 / width, 0.75 / height, (width - 1.4) / width, 2.0 / height))
    ax.set(xlim=(-0.55, len(slots) - 0.45), ylim=(-1.0, 1.0))
    ax.axis("off")
    effects: list[int] = []
    for i, name in enumerate(slots):
        s = day.slot(name) or SlotAccount(slot=name)
        state = slot_state(s)
        text, _, face, edge, hatch = STATES[state]
        ax.add_patch(Rectangle((i - 0.45, 0.05), 0.9, 0.9, facecolor=face, edgecolor=edge, hatch=hatch, lw=1.4,
                               ls="--" if state == "none" else "-", gid=f"slot:{name}"))
        ax.text(i, 0.5, "Seen\nonly" if state == "child_only" and not s.child_account else text, ha="center",
                va="center", fontsize=9, color="#595959" if state == "none" else "#1A1A1A",
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none"} if hatch else None)
        ax.text(i, 1.06, textwrap.fill(slot_label(name, day.kind), 11), ha="center", va="bottom", fontsize=9,
                fontweight="bold", gid="slot_label")
        if s.effect_on_child:
            effects.append(i)
            lines = textwrap.wrap(s.effect_on_child, 13)
            ax.text(i, -0.3, "\n".join(lines[:4]) + "…" * (len(lines) > 4), ha="center", va="top", fontsize=8,
                    gid="effect_text")
    if effects:
        ax.scatter(effects, [-0.14] * len(effects), marker=EFFECT_LOOK[0], s=80, c=EFFECT_LOOK[1],
                   edgecolors="white", linewidths=0.6, zorder=3, gid="effects")
    ax.text(-0.6, 0.5, "Accounts", ha="right", va="center", fontsize=9)
    ax.text(-0.6, -0.14, "Effect on\nthe child", ha="right", va="center", fontsize=9)
    fig.text(0.12 / width, 1 - 0.28 / height, _title(day, child_label), fontsize=12, fontweight="bold", va="center",
             gid="title")
    handles: list[Any] = [Patch(facecolor=f, edgecolor=e, hatch=h, ls="--" if k == "none" else "-", label=words)
                          for k, (_, words, f, e, h) in STATES.items()]
    handles.append(Line2D([], [], ls="", marker=EFFECT_LOOK[0], color=EFFECT_LOOK[1], markersize=8,
                          label="An effect on the child"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.12 / width, 0.02), ncol=3, fontsize=8.5,
               frameon=False, handleheight=1.4, handlelength=2.2)
    return fig


def describe_day(day: DayInTheLife, child_label: str) -> str:
    """The strip's alt text: which day, how many times of day are recorded, how many differ, the effects."""
    states = {s.slot: slot_state(s) for s in day.slots}
    say = [f"{_title(day, child_label)}: {len(states)} of the {len(VERSIONS[day.version])} times of day recorded."]
    parts = []
    for key, words in (("agree", "agree (the worker's judgement) in"), ("differ", "differ (the worker's judgement) in"),
                       ("unclear", "are unclear (the worker's judgement) in"), ("not_judged", "are not yet judged in"),
                       ("parent_only", "are the parent's only in"), ("child_only", "are the child's only in")):
        if names := [slot_label(s, day.kind).lower() for s in states if states[s] == key]:
            parts.append(f"{words} {len(names)} ({', '.join(names)})")
    say.append("The accounts " + "; ".join(parts) + "." if parts else "No accounts are recorded, only effects.")
    effects = [f"{s.effect_on_child} ({slot_label(s.slot, day.kind).lower()})" for s in day.slots if s.effect_on_child]
    say.append(f"Effects on {child_label}: " + "; ".join(effects) + "." if effects else
               f"No effect on {child_label} is recorded.")
    return " ".join(say)


def day_html(day: DayInTheLife, child_label: str) -> str:
    """A printable table: the parent's and the child's accounts side by side, a marker cell saying whether
    they agree or differ (and why, in a CSS class as well as words), and the effect on the child. Every
    value is escaped."""
    observed = any(s.observed for s in day.slots)
    heads = ["Time of day", "The parent's account", "The child's account", *["What was seen"] * observed,
             "Accounts", "Effect on the child"]
    rows, classes = [], []
    for name in VERSIONS[day.version]:
        when = Cell(slot_label(name, day.kind), header=True)
        if (s := day.slot(name)) is None:
            rows.append([when, Cell("Not recorded", colspan=len(heads) - 1)])
            classes.append("nk-none")
            continue
        state = slot_state(s)
        kit = suggest(s.parent_account, s.child_side)
        mark = Markup("<strong>{}</strong>").format(STATES[state][0].replace("\n", " "))
        if kit:
            mark += Markup("<br><small>The kit's suggestion: {}</small>").format(kit.words)
        rows.append([when, s.parent_account, s.child_account, *[s.observed] * observed,
                     Cell(mark, css_class=f"nk-marker nk-mark-{state}"),
                     Cell(s.effect_on_child, css_class="nk-effect")])
        classes.append(f"nk-{state}")
    return html_table(heads, rows, f"{_title(day, child_label)} by {day.recorded_by}", css_class="nk-day",
                      row_classes=classes)

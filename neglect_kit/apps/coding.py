"""The coding app: one coder codes a review passage by passage, blind to every other coder.

Choose a review (yours first, with how far you have got in each); read its text in paragraphs and
sentences, your coded passages marked in words as well as colour; choose a passage (or its whole
paragraph) and tick its codes, with each code's definition folded beside the list; write a memo on the
review, the passage or a code; and finish the review once, after a confirmation. Every save is a new
version of the coding with its coder (`research.coding_records`); nothing of another coder's coding is shown here.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w

from ..reports.html import style_block
from ..research import coding_records, review_records
from ..research.code_checklist import CodeChecklist, code_names, definitions_html
from ..research.codebook import Codebook
from ..research.passages import Passage, passages
from ..store import Store
from ..store.identity import MANAGE_PEOPLE, READ_REVIEWS, Person
from ..ui.fields import STYLE, area, button, shared_layout
from ..ui.guard import guard
from ..ui.panels import FailedApp, Status, esc, html_table, open_app
from ..ui.roles import RoleApp
from ..wording import count_words

SENTENCE, PARAGRAPH = "sentence", "paragraph"
_SHORT = 70  # characters of a passage shown in the passage list


def _short(text: str, n: int = _SHORT) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


@dataclass(frozen=True)
class Progress:
    """How far one coder has got with one review."""

    review_id: str
    title: str
    assigned: bool
    coded: int
    total: int
    finished: bool

    @property
    def label(self) -> str:
        state = "finished" if self.finished else f"{self.coded} of {self.total} passages coded"
        mine = "assigned to you, " if self.assigned else ""
        return f"{self.review_id}: {_short(self.title, 60)} ({mine}{state})"


def title(review: review_records.StoredReview) -> str:
    """A stored review's title, from its facts."""
    return str(review.meta.get("title", ""))


def finished(review: review_records.StoredReview, coder: str) -> bool:
    """Whether `coder` has marked the review finished."""
    assigned = review.coder(coder)
    return assigned is not None and assigned.finished_at is not None


def current_codes(codings: list[coding_records.Coding], coder: str) -> dict[str, coding_records.Coding]:
    """The coder's current coding of each passage (its highest version), by passage id."""
    out: dict[str, coding_records.Coding] = {}
    for c in codings:
        if c.coder == coder and (c.passage_id not in out or c.version > out[c.passage_id].version):
            out[c.passage_id] = c
    return out


class CodingApp:
    """The app for one store and coder; `.widget` is what the notebook shows."""

    needs = READ_REVIEWS  # the research apps' header, and the role that may use it

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.coder = self.person.username
        self.codebook: Codebook | None = None  # read when the first review is opened
        self.review: review_records.StoredReview | None = None
        self.passages: list[Passage] = []
        self.mine: dict[str, coding_records.Coding] = {}
        self.finished = False
        self.assigned = False
        self.progress: list[Progress] = []
        self._quiet = False  # set while the app relabels the review picker itself

        self.review_picker = w.Dropdown(description="Review", style=STYLE, layout=w.Layout(width="48em"))
        self.progress_table = w.HTML(layout=shared_layout())
        self.status = Status()
        self.about = w.HTML(layout=shared_layout())
        self.text = w.HTML(layout=w.Layout(flex="1 1 28em", min_width="20em"))
        self.take_button = button("Take this review to code")
        self.take_button.layout = w.Layout(width="max-content", display="none")
        self.review_picker.observe(guard("open the review", self.status,
                                         lambda ch: None if self._quiet else self.select(ch["new"])), names="value")
        self.take_button.on_click(guard("take the review", self.status, lambda _: self.take(), writes=True))
        # the coding, memos and finishing are built when the first review is opened (`_build_work`): the page
        # opens sooner on the list of reviews, which is all a visit needs first
        self.work = w.VBox(layout=w.Layout(display="none"))
        self.main_form = self.review_picker  # the skip link lands on the choice of review
        self.widget = w.VBox([
            w.HTML(style_block(), layout=shared_layout()),
            w.HTML("<h2>Your reviews</h2>", layout=shared_layout()), self.progress_table, self.review_picker,
            self.status, self.about, self.take_button, self.text, self.work])
        self.widget.add_class("nk-coding")
        self.refresh_reviews()

    def _build_work(self) -> None:
        """The passage list, the codes and their definitions, the memos and the finishing, built once."""
        self.codebook = book = coding_records.codebook(self.store)
        self.passage_picker = w.Select(description="Passage", style=STYLE, rows=10,
                                       layout=w.Layout(width="62em", max_width="100%"))
        self.unit = w.ToggleButtons(description="Code", style=STYLE,
                                    options=[("This sentence", SENTENCE), ("The whole paragraph", PARAGRAPH)],
                                    value=SENTENCE)
        self.chosen = w.HTML(layout=shared_layout())
        self.codes = CodeChecklist(book, "Codes for the chosen passage")
        self.definitions = w.HTML(definitions_html(book), layout=w.Layout(flex="1 1 24em", margin="0 0 0 1.5em"))
        self.save_button = button("Save the codes", "primary")
        self.save_message = Status()
        self.memo_target = w.Dropdown(description="Memo on", style=STYLE, layout=w.Layout(width="46em"))
        self.memo = area("Memo", "what you noticed, a doubt about a code, something to discuss", rows=4)
        self.memo_button = button("Save the memo")
        self.memo_message = Status()
        self.memo_version = 0
        self.finish_button = button("Finish this review")
        self.confirm_text = w.HTML(layout=shared_layout())
        self.confirm_button = button("Yes, finish this review", "primary")
        self.cancel_button = button("Not yet")
        self.confirm_box = w.VBox([self.confirm_text, w.HBox([self.confirm_button, self.cancel_button])],
                                  layout=w.Layout(display="none"))
        self.finish_message = Status()

        self.passage_picker.observe(guard("show the passage", self.save_message, lambda _: self._passage_chosen()),
                                    names="value")
        self.unit.observe(guard("show the passage", self.save_message, lambda _: self._passage_chosen()),
                          names="value")
        self.save_button.on_click(guard("save the codes", self.save_message, lambda _: self.save(), writes=True,
                                        whole=False))
        self.memo_target.observe(guard("show the memo", self.memo_message, lambda _: self._memo_chosen()),
                                 names="value")
        self.memo_button.on_click(guard("save the memo", self.memo_message, lambda _: self.save_memo(),
                                        writes=True))
        self.finish_button.on_click(guard("finish the review", self.finish_message, lambda _: self.ask_to_finish()))
        self.confirm_button.on_click(guard("finish the review", self.finish_message, lambda _: self.finish(),
                                           writes=True))
        self.cancel_button.on_click(guard("keep coding", self.finish_message, lambda _: self._hide_confirm()))
        self.coding_box = w.VBox([
            w.HTML("<h2>Code a passage</h2>", layout=shared_layout()), self.passage_picker, self.unit, self.chosen,
            # Save right after the last code, before the definitions: the next Tab stop after ticking
            w.HBox([w.VBox([self.codes.widget, self.save_button, self.save_message]), self.definitions],
                   layout=w.Layout(flex_flow="row wrap"))])
        self.work.children = (
            self.coding_box,
            w.HTML("<h2>Memos</h2><p>Your own notes, kept with your coding and versioned like it.</p>",
                   layout=shared_layout()),
            self.memo_target, self.memo, self.memo_button, self.memo_message,
            w.HTML("<h2>Finish</h2>", layout=shared_layout()), self.finish_button, self.confirm_box,
            self.finish_message)

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> CodingApp | RoleApp | FailedApp:
        """The app, the plain statement for a role that may not read the reviews, or a panel saying why it could
        not open (never a traceback)."""
        return open_app(lambda s, p: cls(s, person=p), "The coding app could not be opened", store, person,
                        name="Coding reviews", needs=READ_REVIEWS)

    # choosing a review -------------------------------------------------------------------------

    def refresh_reviews(self) -> None:
        """Read every review's progress again and show it; the chosen review stays chosen."""
        found = []
        for stored in review_records.reviews(self.store):
            whole = review_records.review(self.store, stored.id)
            # a coder codes only the reviews assigned to them: the others' codings are not read here
            mine = current_codes(coding_records.codings(self.store, stored.id), self.coder) \
                if stored.coder(self.coder) is not None else {}
            total = passages(whole.text)
            coded = sum(1 for p in total if p.id in mine and mine[p.id].codes)
            found.append(Progress(stored.id, title(stored), stored.coder(self.coder) is not None, coded, len(total),
                                  finished(stored, self.coder)))
        found.sort(key=lambda p: (not p.assigned, p.review_id))  # yours first
        self.progress = found
        self._draw_progress()

    def _draw_progress(self) -> None:
        """The progress table and the review picker's labels, from `self.progress`; the chosen review stays."""
        found = self.progress
        if not found:
            self.progress_table.value = ("<p>No reviews are loaded yet. Load the sample corpus with "
                                         "<code>neglect-kit reviews load sample_cases/reviews</code>.</p>")
        else:
            rows = [[p.review_id, p.title, "yes" if p.assigned else "no", f"{p.coded} of {p.total}",
                     "finished" if p.finished else "not yet"] for p in found]
            self.progress_table.value = html_table(
                ["Review", "Title", "Assigned to you", "Passages you coded", "Finished"], rows,
                caption=f"Reviews ({len(found)}), yours first")
        chosen = self.review_picker.value
        self._quiet = True  # new labels only: the chosen review is not opened again
        try:
            self.review_picker.options = [("Choose a review...", ""), *[(p.label, p.review_id) for p in found]]
            self.review_picker.value = chosen if chosen in {p.review_id for p in found} else ""
        finally:
            self._quiet = False
        if self.review is not None and self.review_picker.value != self.review.id:
            self.select(self.review_picker.value)

    def select(self, review_id: str) -> None:
        """Open a review: its text in passages, your coding of it, your memos."""
        self.status.clear()
        if not review_id:
            self.review, self.passages, self.mine = None, [], {}
            self.about.value = self.text.value = ""
            self.work.layout.display = "none"
            self.take_button.layout.display = "none"
            return
        if self.codebook is None:
            self._build_work()
        self.save_message.clear()
        self.finish_message.clear()
        self._hide_confirm()
        self.review = review_records.review(self.store, review_id)
        self.passages = passages(self.review.text)
        self.mine = current_codes(coding_records.codings(self.store, review_id), self.coder)
        self.finished = finished(self.review, self.coder)
        self.assigned = self.review.coder(self.coder) is not None
        self.about.value = self._about()
        self.work.layout.display = None
        self.passage_picker.options = self._passage_options()
        self.passage_picker.value = self.passages[0].id if self.passages else None
        self.memo_target.options = [("This review", f"review:{review_id}"),
                                    ("The chosen passage", "passage:"),
                                    *[(f"Code: {c.name}", f"code:{c.id}") for c in self.codebook.leaves()]]
        self.memo_target.value = f"review:{review_id}"
        self._memo_chosen()
        self._enable(self.assigned and not self.finished)
        self.memo.disabled = self.memo_button.disabled = False  # a memo may be written after finishing
        self.take_button.layout.display = None if not self.assigned and self._may_take() else "none"
        self._passage_chosen()

    def _about(self) -> str:
        review = self.review
        assert review is not None
        if self.assigned:
            you = "You are one of its coders."
        elif self._may_take():
            you = "It is not assigned to you: take it to code it (your coding is your own, blind to any other coder's)."
        else:
            you = ("It is not assigned to you, so you may read it but not code it: an administrator assigns a review's "
                   "coders (neglect-kit reviews assign).")
        done = (" You have finished it: your coding can no longer be changed." if self.finished else "")
        return (f"<h2>{esc(review.id)}: {esc(title(review))}</h2><p>{esc(you)}{esc(done)} "
                f"{esc(count_words(len(self.passages), 'passage'))} in "
                f"{esc(count_words(len({p.paragraph for p in self.passages}), 'paragraph'))}.</p>")

    def _may_take(self) -> bool:
        """On one person's own database the one user assigns themselves; on a team's an administrator assigns."""
        return self.person.may(MANAGE_PEOPLE) and not self.person.on_a_team

    def take(self) -> None:
        """Assign the review to this coder (one person's own database), and open it for coding."""
        if self.review is None:
            return
        review_records.assign(self.store, self.review.id, self.coder)
        review_id = self.review.id
        self.refresh_reviews()
        self.select(review_id)
        self.status.done(f"{review_id} is assigned to you: code it passage by passage.")

    def _enable(self, on: bool) -> None:
        for control in (self.save_button, self.memo_button, self.finish_button, self.memo, self.unit):
            control.disabled = not on
        self.codes.enable(on)

    # the text and the chosen passage ---------------------------------------------------------------

    def _passage_options(self) -> list[tuple[str, str]]:
        out = []
        for p in self.passages:
            current = self.mine.get(p.id)
            mark = "coded" if current and current.codes else "not coded"
            out.append((f"{p.id} ({mark}): {_short(p.text)}", p.id))
        return out

    def unit_passages(self) -> list[Passage]:
        """The passages the codes go to: the chosen sentence, or every sentence of its paragraph."""
        chosen = next((p for p in self.passages if p.id == self.passage_picker.value), None)
        if chosen is None:
            return []
        if self.unit.value == PARAGRAPH:
            return [p for p in self.passages if p.paragraph == chosen.paragraph]
        return [chosen]

    def _passage_chosen(self) -> None:
        unit = self.unit_passages()
        self.text.value = self._text_html({p.id for p in unit})
        if not unit:
            self.chosen.value = ""
            return
        codes = [set(self.mine[p.id].codes) if p.id in self.mine else set() for p in unit]
        common = set.intersection(*codes)
        self.codes.show(common)
        what = f"paragraph {unit[0].paragraph} ({count_words(len(unit), 'sentence')})" if len(unit) > 1 else unit[0].id
        differ = (" Its sentences are coded differently now; the ticks show the codes every one of them has, and "
                  "saving gives every sentence the codes ticked." if any(c != codes[0] for c in codes) else "")
        self.chosen.value = (f'<div class="nk-chosen" role="status"><p><strong>Chosen: {esc(what)}</strong>'
                             f"{esc(differ)}</p><blockquote>{esc(' '.join(p.text for p in unit))}</blockquote></div>")

    def _text_html(self, chosen: set[str]) -> str:
        """The review's text, paragraph by paragraph, each passage marked when coded (in words as well as
        colour: the codes' names follow it) and when chosen."""
        if self.review is None:
            return ""
        paragraphs: dict[int, list[str]] = {}
        for p in self.passages:
            current = self.mine.get(p.id)
            classes = ["nk-passage"]
            after = ""
            if current and current.codes:
                classes.append("nk-coded")
                names = "; ".join(code_names(self.codebook, current.codes))
                after = f' <span class="nk-code-names">[coded: {esc(names)}]</span>'
            before = ""
            if p.id in chosen:
                classes.append("nk-chosen-passage")
                before = '<span class="nk-chosen-mark">[chosen] </span>'
            paragraphs.setdefault(p.paragraph, []).append(
                f'<span class="{" ".join(classes)}" id="nk-{esc(p.id)}">{before}<span class="nk-pid">{esc(p.id)}'
                f"</span> {esc(p.text)}{after}</span>")
        body = "".join(f'<p class="nk-paragraph">{" ".join(parts)}</p>' for _, parts in sorted(paragraphs.items()))
        return (f'<div class="nk-review-text" role="region" tabindex="0" aria-label="The text of '
                f'{esc(self.review.id)}"><h3>The review\'s text</h3>{body}</div>')

    # saving -------------------------------------------------------------------------------------

    def save(self) -> list[int]:
        """Save the ticked codes for the chosen passage (or each sentence of its paragraph); the versions saved.

        A passage another window of yours saved since this page read it is not overwritten: the page reads your
        coding again and says so.
        """
        if self.review is None or self.finished or not self.assigned:
            self.save_message.refused("Choose a review assigned to you that you have not finished first.")
            return []
        unit = self.unit_passages()
        if not unit:
            self.save_message.refused("Choose a passage first.")
            return []
        codes = self.codes.chosen
        saved: list[int] = []
        for p in unit:
            current = self.mine.get(p.id)
            if current is not None and tuple(current.codes) == codes:
                continue  # nothing new for this sentence: no new version
            try:
                saved.append(coding_records.save_coding(self.store, self.review.id, p, list(codes),
                                                 current.version if current else 0))
            except coding_records.StaleSave:
                self._reread()
                self.save_message.refused(
                    f"{p.id} was coded in another window since this page read it: its coding there is shown now. "
                    "Tick the codes again and save if you still want yours.")
                return saved
        self._reread()
        names = "; ".join(code_names(self.codebook, codes)) or "no codes (cleared)"
        where = unit[0].id if len(unit) == 1 else f"the {len(unit)} sentences of paragraph {unit[0].paragraph}"
        self.save_message.done(f"Saved {names} for {where}." if saved else f"Nothing changed for {where}.")
        return saved

    def _reread(self) -> None:
        assert self.review is not None
        self.mine = current_codes(coding_records.codings(self.store, self.review.id), self.coder)
        chosen = self.passage_picker.value
        self.passage_picker.options = self._passage_options()
        self.passage_picker.value = chosen
        self._passage_chosen()
        self._update_progress()

    def _update_progress(self) -> None:
        """The chosen review's line in the progress table and the picker, from what this page holds."""
        if self.review is None:
            return
        coded = sum(1 for p in self.passages if p.id in self.mine and self.mine[p.id].codes)
        self.progress = [Progress(p.review_id, p.title, p.assigned, coded, p.total, self.finished)
                         if p.review_id == self.review.id else p for p in self.progress]
        self._draw_progress()

    # memos --------------------------------------------------------------------------------------

    def _memo_key(self) -> tuple[str, str]:
        target, _, target_id = str(self.memo_target.value or "").partition(":")
        if target == "passage":
            target_id = str(self.passage_picker.value or "")
        return target, target_id

    def _memo_chosen(self) -> None:
        """Show your latest memo on the chosen target, to be added to."""
        self.memo_message.clear()
        if self.review is None:
            return
        target, target_id = self._memo_key()
        held = coding_records.memos(self.store, None if target == "code" else self.review.id)
        latest = next((m for m in held if (m.target, m.target_id, m.coder) == (target, target_id, self.coder)), None)
        self.memo.value = latest.text if latest else ""
        self.memo_version = latest.version if latest else 0

    def save_memo(self) -> int | None:
        """Save the memo as a new version; the version, or None when refused."""
        if self.review is None:
            return None
        target, target_id = self._memo_key()
        if not target_id:
            self.memo_message.refused("Choose a passage for the memo first.")
            return None
        if not self.memo.value.strip():
            self.memo_message.refused("The memo is empty: write something first.")
            return None
        try:
            version = coding_records.save_memo(self.store, target, target_id, self.memo.value, self.memo_version,
                                        review_id=None if target == "code" else self.review.id)
        except coding_records.StaleSave:
            self.memo_message.refused("This memo was changed in another window since this page read it. Copy your "
                                      "words, choose the memo again to see the other, and save once more.")
            return None
        self.memo_version = version
        self.memo_message.done(f"Memo saved (version {version}).")
        return version

    # finishing ----------------------------------------------------------------------------------

    def ask_to_finish(self) -> None:
        """Ask before finishing: it cannot be undone."""
        if self.review is None or self.finished or not self.assigned:
            return
        left = sum(1 for p in self.passages if not (p.id in self.mine and self.mine[p.id].codes))
        self.confirm_text.value = (
            f'<p role="alert" class="nk-confirm">Finish {esc(self.review.id)}? Your coding of it can no longer be '
            f"changed once it is finished, and when every coder has finished, the coders see each other's coding "
            f"to reconcile it. {esc(count_words(left, 'passage'))} of {len(self.passages)} carry no code.</p>")
        self.confirm_box.layout.display = None
        self.confirm_button.focus()

    def _hide_confirm(self) -> None:
        self.confirm_box.layout.display = "none"
        self.confirm_text.value = ""

    def finish(self) -> None:
        """Mark the review finished for this coder."""
        if self.review is None or self.finished or not self.assigned:
            return
        review_records.finish(self.store, self.review.id)
        self._hide_confirm()
        self.finished = True
        self._enable(False)
        self.about.value = self._about()
        self._update_progress()
        self.finish_message.done(f"You have finished {self.review.id}. The reconciliation opens once every coder "
                                 "has finished.")

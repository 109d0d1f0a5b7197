"""The reconciliation app: once every coder of a review has finished, their codings side by side, passage by
passage, the disagreements marked, and the agreed coding recorded with a reason, both originals kept.

Before every coder has finished it says who has not, and shows nothing of anyone's coding (the coders stay
blind to each other). The review's agreement, per code and overall, is shown with the plain warning where a
rare code makes kappa misleading (`research.agreement`).
"""

from __future__ import annotations

import ipywidgets as w

from ..reports.html import style_block
from ..research import coding_records, review_records
from ..research.agreement import agreement
from ..research.code_checklist import CodeChecklist, code_names
from ..research.codebook import Codebook
from ..research.passages import Passage, passages
from ..store import Store
from ..store.identity import READ_REVIEWS, Person
from ..ui.fields import STYLE, area, button, refill, shared_layout
from ..ui.guard import guard
from ..ui.panels import FailedApp, Status, esc, html_table, open_app
from ..ui.roles import RoleApp
from ..wording import count_words
from .coding import current_codes, title

ALL, DIFFER = "all", "differ"


class ReconcileApp:
    """The app for one store and person; `.widget` is what the notebook shows."""

    needs = READ_REVIEWS

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.codebook = coding_records.codebook(store)
        self.review: review_records.StoredReview | None = None
        self.coders: list[str] = []
        self.passages: list[Passage] = []
        self.codes: dict[str, dict[str, tuple[str, ...]]] = {}  # passage id -> coder -> codes
        self.agreed: dict[str, coding_records.Reconciliation] = {}

        self.review_picker = w.Dropdown(description="Review", style=STYLE, layout=w.Layout(width="48em"))
        self.status = Status()
        self.readiness = w.HTML(layout=shared_layout())
        self.show = w.ToggleButtons(description="Show", style=STYLE, value=ALL,
                                    options=[("Every passage", ALL), ("Disagreements only", DIFFER)])
        self.table = w.HTML(layout=shared_layout())
        self.passage_picker = w.Dropdown(description="Passage to reconcile", style={"description_width": "initial"},
                                         layout=w.Layout(width="48em"))
        self.chosen = w.HTML(layout=shared_layout())
        self.checklist = CodeChecklist(self.codebook, "The agreed codes")
        self.reason = area("Reason", "why this is the agreed coding (required)", rows=3)
        self.reason_error = w.HTML(layout=shared_layout())
        self.save_button = button("Record the agreed coding", "primary")
        self.save_message = Status()
        self.agreement = w.HTML(layout=shared_layout())
        self.work = w.VBox([
            w.HTML("<h2>The two codings, passage by passage</h2>", layout=shared_layout()), self.show, self.table,
            w.HTML("<h2>Record the agreed coding of a passage</h2><p>Both coders' own codings are kept as they "
                   "were; the agreed coding is recorded beside them, with its reason.</p>", layout=shared_layout()),
            self.passage_picker, self.chosen, self.checklist.widget, self.reason, self.reason_error,
            self.save_button, self.save_message, self.agreement], layout=w.Layout(display="none"))

        self.review_picker.observe(guard("open the review", self.status, lambda ch: self.select(ch["new"])),
                                   names="value")
        self.show.observe(guard("show the passages", self.status, lambda _: self._draw_table()), names="value")
        self.passage_picker.observe(guard("show the passage", self.save_message, lambda _: self._passage_chosen()),
                                    names="value")
        self.save_button.on_click(guard("record the agreed coding", self.save_message, lambda _: self.save(),
                                        writes=True))
        self.main_form = self.review_picker
        self.widget = w.VBox([w.HTML(style_block(), layout=shared_layout()),
                              w.HTML("<h2>Choose a review</h2>", layout=shared_layout()),
                              self.review_picker, self.status, self.readiness, self.work])
        self.widget.add_class("nk-reconcile")
        self.refresh_reviews()

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> ReconcileApp | RoleApp | FailedApp:
        """The app, the plain statement for a role that may not read the reviews, or a panel saying why it could
        not open (never a traceback)."""
        return open_app(lambda s, p: cls(s, person=p), "The reconciliation app could not be opened", store, person,
                        name="Reconciling two codings", needs=READ_REVIEWS)

    def refresh_reviews(self) -> None:
        """The reviews with two or more coders, each saying whether it is ready to reconcile."""
        options = [("Choose a review...", "")]
        for stored in review_records.reviews(self.store):
            coders = finished_coders(stored)
            if len(coders) < 2:
                continue
            waiting = [c for c, done in coders.items() if not done]
            state = "ready to reconcile" if not waiting else f"waiting for {', '.join(waiting)}"
            options.append((f"{stored.id}: {title(stored)} ({state})", stored.id))
        refill(self.review_picker, options)
        if len(options) == 1:
            self.readiness.value = ("<p>No review has two coders yet. An administrator assigns them "
                                    "(<code>neglect-kit reviews assign</code>).</p>")

    def select(self, review_id: str) -> None:
        """Open a review: its two codings when every coder has finished, else who has not."""
        self.save_message.clear()
        self.review, self.passages, self.codes, self.agreed = None, [], {}, {}
        self.table.value = self.agreement.value = ""
        self.work.layout.display = "none"
        if not review_id:
            self.readiness.value = ""
            return
        review = review_records.review(self.store, review_id)
        done = finished_coders(review)
        waiting = [c for c, finished in done.items() if not finished]
        if waiting:
            self.readiness.value = (
                f'<p role="status" class="nk-waiting"><strong>Not ready to reconcile.</strong> '
                f"{esc(_names(waiting))} {'has' if len(waiting) == 1 else 'have'} not finished coding "
                f"{esc(review_id)}. Nothing of anyone's coding of it is shown until every coder has finished.</p>")
            return
        self.review = review
        self.coders = list(done)
        self.passages = passages(review.text)
        found = coding_records.codings(self.store, review_id)
        per_coder = {coder: current_codes(found, coder) for coder in self.coders}
        self.codes = {p.id: {coder: tuple(per_coder[coder][p.id].codes) if p.id in per_coder[coder] else ()
                             for coder in self.coders} for p in self.passages}
        self.agreed = {r.passage_id: r for r in coding_records.reconciliations(self.store, review_id)}
        differ = len(self.disagreements())
        self.readiness.value = (f"<p>{esc(_names(self.coders))} have finished {esc(review_id)}: "
                                f"{esc(count_words(differ, 'passage'))} of {len(self.passages)} coded differently, "
                                f"{len(self.agreed)} reconciled.</p>")
        self.work.layout.display = None
        self._draw_table()
        self._fill_passages()
        self.agreement.value = agreement_html(self.passages, review_id, self.coders, self.codes, self.codebook)

    def disagreements(self) -> list[str]:
        """The passages the coders coded differently, by id, in the text's order."""
        return [p.id for p in self.passages if len(set(self.codes[p.id].values())) > 1]

    def _names(self, codes: tuple[str, ...]) -> str:
        return "; ".join(code_names(self.codebook, codes)) or "no code"

    def _draw_table(self) -> None:
        if self.review is None:
            return
        differ = set(self.disagreements())
        shown = [p for p in self.passages if self.show.value == ALL or p.id in differ]
        rows, classes = [], []
        for p in shown:
            agreed = self.agreed.get(p.id)
            row = [p.id, "Differ" if p.id in differ else "Same", p.text,
                   *[self._names(self.codes[p.id][coder]) for coder in self.coders],
                   f"{self._names(tuple(agreed.codes))} (reason: {agreed.reason})" if agreed else ""]
            rows.append(row)
            classes.append("nk-differ" if p.id in differ else "")
        if not rows:
            self.table.value = "<p>The coders coded every passage the same way: nothing to reconcile.</p>"
            return
        caption = (f"{count_words(len(differ), 'passage')} coded differently, of {len(self.passages)}"
                   if self.show.value == DIFFER else f"Every passage ({len(self.passages)}); "
                                                     f"{len(differ)} coded differently")
        self.table.value = html_table(["Passage", "The coders", "Text", *[f"Coded by {c}" for c in self.coders],
                                       "Agreed coding"], rows, caption=caption, css_class="nk-compare",
                                      row_classes=classes)

    def _fill_passages(self) -> None:
        differ = self.disagreements()
        rest = [p.id for p in self.passages if p.id not in differ]
        done = set(self.agreed)
        label = {p.id: p.text for p in self.passages}

        def option(pid: str, kind: str) -> tuple[str, str]:
            state = "reconciled" if pid in done else kind
            text = label[pid] if len(label[pid]) <= 60 else label[pid][:59] + "\u2026"
            return (f"{pid} ({state}): {text}", pid)

        refill(self.passage_picker, [*[option(p, "coded differently") for p in differ],
                                     *[option(p, "coded the same") for p in rest]])
        self._passage_chosen()

    def _passage_chosen(self) -> None:
        pid = self.passage_picker.value
        if not pid or self.review is None:
            self.chosen.value = ""
            return
        passage = next(p for p in self.passages if p.id == pid)
        agreed = self.agreed.get(pid)
        each = "".join(f"<li>{esc(coder)}: {esc(self._names(self.codes[pid][coder]))}</li>" for coder in self.coders)
        before = f"<li>Agreed so far: {esc(self._names(tuple(agreed.codes)))} (reason: {esc(agreed.reason)})</li>" \
            if agreed else ""
        self.chosen.value = (f'<div class="nk-chosen"><blockquote>{esc(passage.text)}</blockquote>'
                             f"<ul>{each}{before}</ul></div>")
        if agreed:
            self.checklist.show(agreed.codes)
        else:  # start from what every coder applied: a disagreement is a choice to make, not a default
            self.checklist.show(set.intersection(*[set(c) for c in self.codes[pid].values()]))
        self.reason.value = ""
        self.reason_error.value = ""

    def save(self) -> int | None:
        """Record the agreed coding of the chosen passage with its reason; its version, or None when refused."""
        pid = self.passage_picker.value
        if self.review is None or not pid:
            self.save_message.refused("Choose a review ready to reconcile and a passage first.")
            return None
        if not self.reason.value.strip():
            self.reason_error.value = ('<span class="nk-field-error" role="alert"><strong>Reason:</strong> '
                                       "say why this is the agreed coding.</span>")
            self.save_message.refused("Not recorded: the reason is required.")
            self.reason.focus()
            return None
        self.reason_error.value = ""
        agreed = self.agreed.get(pid)
        codes = self.checklist.chosen
        try:
            version = coding_records.reconcile(self.store, self.review.id, pid, list(codes), self.reason.value.strip(),
                                        agreed.version if agreed else 0)
        except coding_records.StaleSave as stale:
            self.agreed = {r.passage_id: r for r in coding_records.reconciliations(self.store, self.review.id)}
            self._draw_table()
            self._passage_chosen()
            self.save_message.refused(
                f"Not recorded: {pid} was reconciled by {stale.current.created_by} since this page read it; theirs "
                "is shown now. Your reason was not kept: write it again if you still want yours.")
            return None
        self.agreed = {r.passage_id: r for r in coding_records.reconciliations(self.store, self.review.id)}
        self._draw_table()
        self._fill_passages()
        self.passage_picker.value = pid
        self.save_message.done(f"Recorded the agreed coding of {pid}: {self._names(codes)}. Both coders' own "
                               "codings are kept.")
        return version


def finished_coders(review: review_records.StoredReview) -> dict[str, bool]:
    """Each coder of the review, in the order assigned, and whether they have finished it."""
    return {c.coder: c.finished_at is not None for c in review.coders}


def agreement_html(found: list[Passage], review_id: str, coders: list[str],
                   codes: dict[str, dict[str, tuple[str, ...]]], book: Codebook) -> str:
    """The review's agreement between its first two coders, per code and overall, each warning in words below."""
    keys = [(review_id, p.id) for p in found]
    first, second = coders[:2]
    figures = agreement(keys, {(review_id, pid): frozenset(c[first]) for pid, c in codes.items()},
                        {(review_id, pid): frozenset(c[second]) for pid, c in codes.items()}, book, (first, second))
    frame = figures.frame()
    warned = frame[frame["Warning"] != ""]
    shown = frame.assign(Warning=["yes, see below" if w else "" for w in frame["Warning"]])
    others = (f"<p>The review has {len(coders)} coders; the agreement is between the first two assigned, "
              f"{esc(first)} and {esc(second)}.</p>" if len(coders) > 2 else "")
    warnings = "".join(f'<p class="nk-agreement-warning"><strong>{esc(row["Code"])}:</strong> {esc(row["Warning"])}</p>'
                       for _, row in warned.iterrows())
    mean = ("not defined (no code has a kappa)" if figures.kappa_codes == 0 else
            f"{figures.mean_kappa:.2f} over {count_words(figures.kappa_codes, 'code')}")
    return ("<h2>Agreement on this review</h2>"
            f"<p>Passage by passage, between {esc(first)} and {esc(second)}, over {len(keys)} passages: for each code, "
            "the share of passages where the two made the same judgement, Cohen's kappa and Krippendorff's alpha "
            f"(agreement beyond chance), and how often it was applied. The mean of the codes' kappas: {esc(mean)}.</p>"
            + others + html_table(list(shown.columns), shown.values.tolist(),
                                  caption=f"Agreement per code, and all codes pooled ({esc(review_id)})")
            + warnings)


def _names(people: list[str]) -> str:
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]

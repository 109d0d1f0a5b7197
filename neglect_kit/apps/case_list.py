"""The cases the kit holds: each case's children, plans and entries per agency."""

from __future__ import annotations

import ipywidgets as w

from ..chronology.case_summaries import case_summaries
from ..store import Store
from ..store.identity import Person
from ..ui.guard import guard
from ..ui.navigation import Choice, page_url
from ..ui.panels import FailedApp, esc, html_table, open_app, style_block
from ..ui.roles import RoleApp, no_cases

CHRONOLOGY = "toolkits/chronology.ipynb"


class CaseListApp:
    """A list of cases for the start page; `refresh()` reads the store again."""

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.body = w.HTML()
        self.refresh_button = w.Button(description="Refresh", tooltip="Read the cases again",
                                       icon="refresh")
        self.refresh_button.on_click(guard("read the cases", self.body, lambda _: self.refresh()))
        self.widget = w.VBox([self.body, self.refresh_button])
        self.refresh()

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> CaseListApp | RoleApp | FailedApp:
        return open_app(lambda s, p: cls(s, person=p), "The case list could not be opened", store, person,
                        name="The case list")

    def refresh(self) -> None:
        summaries = case_summaries(self.store)
        if not summaries:
            self.body.value = style_block() + f"<p>{esc(no_cases(self.person))}</p>"
            return
        parts = [style_block()]
        for s in summaries:
            children = ", ".join(f"{c['name']} (born {c['date_of_birth']:%d %b %Y})" for c in s["children"])
            parts.append(f"<h3>{esc(s['title'])} <small>({esc(s['id'])})</small></h3>")
            chronology = page_url(CHRONOLOGY, Choice(s["id"]))
            parts.append(f'<p><a href="{esc(chronology)}">Open the chronology of {esc(s["title"])}</a></p>')
            parts.append(f"<p><strong>Children:</strong> {esc(children)}</p>")
            plans = [[p["child_name"], p["label"].split(": ", 1)[1],
                      ", ".join(p["risk_factor_labels"]) or "none named"] for p in s["plans"]]
            parts.append(html_table(["Child", "Plan", "Risk factors named in the plan"], plans,
                                    caption=f"Plans ({len(plans)})") if plans else "<p>No plans recorded.</p>")
            counts = [[agency, n] for agency, n in s["entries_by_agency"].items()]
            parts.append(html_table(["Agency", "Entries"], counts,
                                    caption=f"Chronology entries by agency ({s['entries']} in all)"))
            linked = s["linked_duplicates"]
            if linked:
                parts.append(f"<p>{linked} incident{' was' if linked == 1 else 's were'} reported by a second "
                             "agency too: each is linked to the first report and counted once.</p>")
        self.body.value = "".join(parts)

"""The page's ready signal: a browser that has built the page's widgets gets the given ones' state again
(a change sent while it was building them reached no widget), and nothing else a browser sends does it."""

from __future__ import annotations

import ipywidgets as w

from neglect_kit.ui.page_ready import PageReady


class Sent(w.HTML):
    """An HTML widget that keeps a list of the times its whole state was sent (a change of one trait, sent
    as it happens, is not kept)."""

    def __init__(self, value: str):
        super().__init__(value)
        self.sent: list[str] = []

    def send_state(self, key=None) -> None:
        if key is None:
            self.sent.append(self.value)


def test_shown_sends_the_widgets_state_again_as_it_is_now():
    timeline = Sent("Drawing the timeline...")
    ready = PageReady([timeline])
    timeline.value = "<img alt='the timeline'>"  # drawn while the page was opening
    ready._handle_custom_msg({"event": "shown"}, [])
    assert timeline.sent == ["<img alt='the timeline'>"]


def test_each_page_built_sends_again_and_other_messages_send_nothing():
    timeline = Sent("a")
    ready = PageReady(lambda: [timeline])
    for content in ({"event": "clicked"}, "shown", {}):
        ready._handle_custom_msg(content, [])
    assert timeline.sent == []
    ready._handle_custom_msg({"event": "shown"}, [])
    ready._handle_custom_msg({"event": "shown"}, [])  # a second browser opened the same page
    assert timeline.sent == ["a", "a"]


def test_the_chronology_app_sends_again_what_it_fills_once_the_page_is_sent(demo):
    from neglect_kit.apps.chronology import ChronologyApp

    app = ChronologyApp(demo)
    [ready] = [c for c in app.widget.children if isinstance(c, PageReady)]
    assert app.widget.children[-1] is ready  # last: every other widget exists in the browser before it
    # the first timeline, and the entries, their filters' choices and any message of reading them
    assert ready._widgets == [app.timeline, app.table.table, app.filter_agency, app.filter_category, app.status]

"""Every app's controls, walked as a screen reader would meet them: no cut-short labels, no
low-contrast button colours, no dropdown showing a blank while it has options."""

import shutil

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget_description import DescriptionWidget

from neglect_kit.apps.actions_escalation import ActionsEscalationApp
from neglect_kit.apps.assessment import AssessmentApp
from neglect_kit.apps.child_summary import ChildSummaryApp
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.apps.day_in_the_life import DayApp
from neglect_kit.apps.extract import ExtractApp
from neglect_kit.apps.reflective_session import ReflectiveSessionApp
from neglect_kit.apps.screening import ScreeningApp
from neglect_kit.store import Store

APPS = [ChronologyApp, AssessmentApp, DayApp, ScreeningApp, ChildSummaryApp, ReflectiveSessionApp, ExtractApp,
        ActionsEscalationApp]


def controls(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from controls(child)


@pytest.mark.parametrize("app_class", APPS, ids=lambda c: c.__name__)
def test_every_control_can_be_read(app_class, demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    app = app_class(Store.open(f"sqlite:///{copy}", user="Anita Marsh"))
    if hasattr(app, "select_case"):
        app.select_case("fenwick")
    for section in getattr(app, "sections", ()):  # panels built on first opening
        section.open()
    found = list(controls(app.widget))
    # white text on orange, green or light blue is under 4.5:1 (WCAG 1.4.3)
    assert not [b.description for b in found if isinstance(b, w.Button) and b.button_style in
                ("warning", "success", "info")]
    cut = [c.description for c in found if isinstance(c, DescriptionWidget) and c.description
           and not isinstance(c, (w.Button, w.Checkbox, w.ToggleButtons))
           and getattr(c.style, "description_width", "initial") not in ("initial", "") and len(c.description) > 22]
    assert not cut, f"labels cut short at the label width: {cut}"
    blank = [c.description for c in found if isinstance(c, w.Dropdown) and c.options and c.index is None]
    assert not blank, f"dropdowns showing nothing while they have options: {blank}"


def test_controls_share_a_layout_of_their_width_unless_they_hide_on_their_own():
    from neglect_kit.ui.fields import area, choice, text

    assert text("A").layout is text("B").layout and area("A").layout is area("B").layout
    assert choice("A", []).layout is choice("B", []).layout
    hidden = area("Wellbeing", hides=True)
    hidden.layout.display = "none"  # hiding it hides no other control
    assert area("C").layout.display is None and area("D", hides=True).layout is not hidden.layout


def test_every_control_the_kit_hides_has_a_layout_of_its_own(demo_file, tmp_path):
    import shutil

    from neglect_kit.apps.reflective_session import ReflectiveSessionApp
    from neglect_kit.store import Store

    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    app = ReflectiveSessionApp(Store.open(f"sqlite:///{copy}", user="sup.one"))
    form = app.form
    others = [c for c in vars(form).values() if isinstance(c, __import__("ipywidgets").Widget)]
    for hiding in (form.wellbeing, form.escalation_note, form.escalation_box):
        assert not any(o is not hiding and o.layout is hiding.layout for o in others), hiding

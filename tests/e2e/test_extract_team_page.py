"""The extract app on a team's PostgreSQL database, in the browser: a researcher (Rhea) chooses the approval an
administrator made for her, lowers the threshold with a reason, requests the extract, watches its status reach
"ready" while the extract service runs beside it as its own login, and downloads a zip holding none of the sample
people's names. No case id or name is on the page at any step; axe finds no WCAG A/AA violation.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from neglect_kit.store import team
from tests.e2e.conftest import REPO, RESULTS, _stop, open_app, served
from tests.e2e.e2e_steps import fill_and_leave

pytestmark = pytest.mark.browser

REDRAW = 120_000  # ms: the service takes the extract of both sample cases, some seconds on a busy machine
NAMES = ("Maisie", "Theo", "Donna", "Craig", "Pauline", "Riley", "Stacey", "Gavin", "Fenwick", "Dunmore")
KEY = {"NEGLECT_KIT_EXTRACT_KEY": "a fictional key for the browser tests only"}


@pytest.fixture(scope="module")
def team_served(pg_server, tmp_path_factory) -> Iterator[str]:
    """The sample cases on a team's database, an approval for Rhea, the extract service running, and the apps
    served to Rhea (her login is the database URL's user, as the hub's peer sign-in makes it)."""
    url = pg_server.new_database()
    prefix = sa.make_url(url).database + "_"
    folder = tmp_path_factory.mktemp("team-extract")
    env = {**os.environ, **KEY, "NEGLECT_KIT_DB": url, "NEGLECT_KIT_DATA": str(folder / "admin")}
    service = None
    try:
        done = subprocess.run([sys.executable, "-m", "neglect_kit.cli", "demo"], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        team.server_init(url)
        login = {short: f"{prefix}{short}" for short in ("rhea", "ada", "ext")}
        for short, role, name in (("rhea", "researcher", "Rhea Stone"), ("ada", "administrator", "Ada Quinn"),
                                  ("ext", "extractor", "Extract service")):
            team.add_user(url, login[short], role, display_name=name)
        with psycopg.connect(host=str(pg_server.folder), dbname=sa.make_url(url).database, user=login["ada"],
                             autocommit=True) as c:
            c.execute("SELECT nk_approve_extract(%s, ARRAY['fenwick', 'dunmore'], 'A study of drift')",
                      (login["rhea"],))
        as_ = {short: url.replace("postgres@", f"{name}@", 1) for short, name in login.items()}
        with (RESULTS / "extract-service.log").open("w", encoding="utf-8") as log:
            service = subprocess.Popen(
                [sys.executable, "-m", "neglect_kit.cli", "extract-service", "--poll", "1"], cwd=REPO, stdout=log,
                env={**env, "NEGLECT_KIT_DB": as_["ext"], "NEGLECT_KIT_DATA": str(folder / "ext")},
                stderr=subprocess.STDOUT, start_new_session=True)
        researcher = {**env, "NEGLECT_KIT_DB": as_["rhea"], "NEGLECT_KIT_DATA": str(folder / "rhea")}
        with served(researcher, RESULTS / "voila-team-extract.log") as base:
            yield base
    finally:
        if service is not None:
            _stop(service)
        pg_server.drop_with_logins(url, prefix)


def test_a_researcher_requests_and_downloads_an_extract_the_service_takes(
        page: Page, team_served: str, screenshot: Callable[[Page, str], Path], axe_check: Callable[[Page], None],
        tmp_path: Path) -> None:
    open_app(page, team_served, "research/extract.ipynb")
    request = page.get_by_role("button", name="Request the extract")
    expect(request).to_be_visible(timeout=REDRAW)
    expect(page.get_by_label("Approval")).to_contain_text("Approval 1: A study of drift (2 cases), approved by Ada")
    screenshot(page, "1-opened")
    axe_check(page)

    fill_and_leave(page.get_by_label("Least children in a group (k)"), "1")
    fill_and_leave(page.get_by_label("Why lower it"), "The fictional sample cases, to try the kit")
    request.click()
    expect(page.get_by_text("Request 1: ready.")).to_be_visible(timeout=REDRAW)
    expect(page.get_by_role("heading", name="Residual risk")).to_be_visible()
    screenshot(page, "2-ready")
    axe_check(page)
    shown = page.inner_text("body")
    assert [n for n in NAMES if re.search(rf"\b{n}\b", shown, re.I)] == []

    with page.expect_download(timeout=REDRAW) as download:
        page.get_by_role("link", name="Download the extract").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "extract-request-1.zip"
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as z:
        texts = {name: z.read(name).decode("utf-8-sig") for name in z.namelist()}
    assert "residual_risk.csv" in texts and not [n for n in texts if "mapping" in n]
    assert [(f, n) for f, text in texts.items() for n in NAMES if re.search(rf"\b{n}\b", text)] == []

"""Through the hub: each person signs in to their own Voila, sees their caseload only, and reaches nothing else.

The refusals are tried as an attacker holding a signed-in browser would: another person's server, the
Jupyter server's code-running addresses, and an `execute_request` sent straight over the kernel's websocket.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from hub_steps import Hub, Staff, running_hub, sign_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ALICE, BOB = "nktest_alice", "nktest_bob"
CASE_HEADINGS = {"dunmore": "Riley Dunmore", "fenwick": "The Fenwick children"}


def test_each_person_sees_only_the_cases_they_are_assigned(signed_in: dict[str, Page],
                                                            accounts: tuple[Staff, ...], screenshot,
                                                            axe_check) -> None:
    for person in accounts:
        page = signed_in[person.name]
        mine = CASE_HEADINGS[person.case]
        expect(page.get_by_role("heading", name=mine, level=3)).to_be_visible(timeout=60_000)
        for case, heading in CASE_HEADINGS.items():
            if case != person.case:
                expect(page.get_by_role("heading", name=heading, level=3)).to_have_count(0)
        expect(page.get_by_role("alert")).to_have_count(0)
        screenshot(page, person.name)
        axe_check(page)


def test_the_hubs_own_pages_pass_axe(browser, hub: Hub, screenshot, axe_check) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login")
        expect(page.get_by_label("Username")).to_be_visible()
        screenshot(page, "login")
        axe_check(page)
        page.get_by_label("Username").fill(ALICE)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Invalid username or password")).to_be_visible()
        screenshot(page, "login-refused")
        axe_check(page)
    finally:
        context.close()


def test_another_persons_server_is_refused(signed_in: dict[str, Page], hub: Hub, screenshot, axe_check) -> None:
    page = signed_in[ALICE]
    response = page.goto(f"{hub.url}/user/{BOB}/voila/render/index.ipynb")
    assert response is not None and response.status == 403, (
        f"Alice reached Bob's server: {response and response.status} at {page.url}")
    expect(page.get_by_role("heading", name=CASE_HEADINGS["fenwick"])).to_have_count(0)
    screenshot(page, "refused")
    axe_check(page)


@pytest.mark.parametrize("path", ["lab", "tree", "api/contents", "api/contents/index.ipynb", "api/kernels",
                                  "api/sessions", "api/terminals", "terminals/1", "notebooks/index.ipynb"])
def test_the_jupyter_servers_code_running_addresses_are_not_there(signed_in: dict[str, Page], hub: Hub,
                                                                   path: str) -> None:
    request = signed_in[ALICE].context.request  # Alice's own cookies: signed in, on her own server
    response = request.get(f"{hub.url}/user/{ALICE}/{path}", max_redirects=0)
    assert response.status == 404, f"/user/{ALICE}/{path} answered {response.status}: {response.text()[:300]}"
    posted = request.post(f"{hub.url}/user/{ALICE}/{path}", data="{}", max_redirects=0)
    assert posted.status in (403, 404, 405), f"POST /user/{ALICE}/{path} answered {posted.status}"


# sends one message over the kernel's websocket, as the page's own widgets do, and collects what comes back
SEND = """async ([url, message, replyType]) => {
  const ws = new WebSocket(url);
  const got = [];
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error('websocket refused')); });
  ws.onmessage = (e) => got.push(JSON.parse(e.data));
  ws.send(JSON.stringify(message));
  const until = Date.now() + 8000;
  while (Date.now() < until && !got.some(m => m.header && m.header.msg_type === replyType)) {
    await new Promise(r => setTimeout(r, 100));
  }
  ws.close();
  return got.map(m => m.header && m.header.msg_type);
}"""


def _message(msg_type: str, content: dict) -> dict:
    return {"header": {"msg_id": os.urandom(8).hex(), "username": "", "session": os.urandom(8).hex(),
                       "msg_type": msg_type, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}


def test_an_execute_request_over_the_kernels_websocket_runs_nothing(browser, hub: Hub) -> None:
    folder = Path(tempfile.mkdtemp(prefix="neglect-kit-hub-"))
    folder.chmod(0o777)  # the kernel runs as Alice: her code could write here, if it ran
    proof = folder / "proof"
    context = browser.new_context()
    try:
        page = context.new_page()
        sockets = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        sign_in(page, hub, ALICE)
        expect(page.get_by_role("button", name="Refresh")).to_be_visible(timeout=60_000)  # the widgets' socket is open
        page_socket = next(url for url in sockets if "/api/kernels/" in url and "/channels" in url)
        # a connection of its own to the page's kernel (the page's own session is the page's)
        channels = f"{page_socket.split('?')[0]}?session_id={os.urandom(16).hex()}"
        assert channels.startswith(f"ws://127.0.0.1:{hub.url.rsplit(':', 1)[1]}/user/{ALICE}/api/kernels/")
        code = f"open({str(proof)!r}, 'w').write('ran')"
        execute = _message("execute_request", {"code": code, "silent": False, "store_history": False,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        replies = page.evaluate(SEND, [channels, execute, "execute_reply"])
        # the same socket carries a message Voila lets through, and its reply comes back: the kernel was reachable
        info = page.evaluate(SEND, [channels, _message("kernel_info_request", {}), "kernel_info_reply"])
    finally:
        context.close()
    time.sleep(1)
    written = proof.exists()
    shutil.rmtree(folder, ignore_errors=True)
    assert "kernel_info_reply" in info, f"the kernel never answered over {channels}: {info}"
    assert not written, f"the execute_request ran: {proof} was written (replies {replies})"
    assert "execute_reply" not in replies and "execute_input" not in replies, json.dumps(replies)


def test_each_persons_server_runs_as_their_own_account(signed_in: dict[str, Page]) -> None:
    for name in signed_in:
        commands = _processes(name)
        assert any("neglect_kit.voila_server" in c for c in commands), f"no Voila runs as {name}: {commands}"
        assert any("ipykernel" in c for c in commands), f"no kernel runs as {name}: {commands}"


def test_a_hub_served_under_a_path_keeps_every_page_and_socket_under_it(browser, team_db, accounts,
                                                                        tmp_path) -> None:
    """As behind a TLS proxy serving the hub at /kit/ (`--base-url`): sign-in, the start page and its kernel's
    websocket all under that path, and nothing asked of the server outside it (`sign_in` refuses it)."""
    with running_hub(team_db.url, accounts, tmp_path / "state", tmp_path / "hub.log", base_url="/kit/") as kit:
        context = browser.new_context()
        try:
            page = context.new_page()
            sockets = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            sign_in(page, kit, ALICE)
            assert page.url == f"{kit.url}/user/{ALICE}/voila/render/index.ipynb" and kit.url.endswith("/kit")
            expect(page.get_by_role("heading", name=CASE_HEADINGS["dunmore"], level=3)).to_be_visible(timeout=60_000)
            assert sockets and all(f"/kit/user/{ALICE}/" in url for url in sockets), sockets
        finally:
            context.close()


# last: Bob's server is stopped
def test_signing_out_stops_the_persons_server(browser, hub: Hub, signed_in: dict[str, Page]) -> None:
    context = browser.new_context()
    try:
        page = sign_in(context.new_page(), hub, BOB)
        assert _processes(BOB), "Bob's server is not running as Bob"
        page.goto(f"{hub.url}/hub/logout")
        expect(page.get_by_label("Username")).to_be_visible()
        deadline = time.monotonic() + 30
        while _processes(BOB) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _processes(BOB), f"Bob's processes still run after he signed out: {_processes(BOB)}"
        response = page.goto(f"{hub.url}/user/{BOB}/voila/render/index.ipynb")
        assert response is not None and "/hub/login" in page.url, f"signed out, Bob still reached {page.url}"
    finally:
        context.close()


def _processes(name: str) -> list[str]:
    found = subprocess.run(["pgrep", "-a", "-u", name], capture_output=True, text=True, check=False)
    return found.stdout.splitlines()

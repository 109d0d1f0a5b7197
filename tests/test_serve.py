"""`neglect-kit serve` as a browser and an attacker meet it: real servers on loopback, a one-cell notebook.

Three servers start at once from the command line, each with its own settings: one allowing a
proxy's name, one capped at two kernels, one culling kernels idle for two seconds. Kernels are
counted from the process list (every process descended from the command running ipykernel).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from neglect_kit import serve
from neglect_kit.cli import main
from neglect_kit.config import ServerSettings, SettingsError, settings, settings_from_dict
from neglect_kit.serve import voila_command

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60  # s until a server's port accepts a connection
CULL_WAIT = 20  # s: idle 2 s, checked every 2 s

NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                       "source": ["print('Hello from a fictional app')"]}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}
PAGE = "/voila/render/index.ipynb"


@dataclass
class Server:
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    def request(self, path: str, host: str | None = None, method: str = "GET", body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """One request to the server with the Host header given (default 127.0.0.1:PORT)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body,
                         headers={"Host": host or f"127.0.0.1:{self.port}", **(headers or {})})
            resp = conn.getresponse()
            text = "" if resp.status == 101 else resp.read().decode("utf-8", "replace")
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, text
        finally:
            conn.close()

    def open_page(self, host: str | None = None) -> tuple[str, str]:
        """An app page as a browser loads it: the kernel's id and the `_xsrf` cookie's value ("" if none)."""
        status, headers, body = self.request(PAGE, host)
        assert status == 200, f"{status}: {body[:300]}"
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', body)
        assert kernel, "the page names no kernel"
        xsrf = re.search(r"_xsrf=([^;]+)", headers.get("set-cookie", ""))
        return kernel.group(1), xsrf.group(1) if xsrf else ""

    def close_page(self, kernel: str, xsrf: str) -> tuple[int, str]:
        """What Voila's page sends on `beforeunload`: the `_xsrf` cookie's value as a form field, and the cookie."""
        status, _, body = self.request(f"/voila/api/shutdown/{kernel}", method="POST",
                                       body=urlencode({"_xsrf": xsrf}),
                                       headers={"Cookie": f"_xsrf={xsrf}", "Origin": f"http://127.0.0.1:{self.port}",
                                                "Content-Type": "application/x-www-form-urlencoded"})
        return status, body

    def kernels(self) -> int:
        """The kernels running now: processes descended from the command running ipykernel."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:  # the parent's pid is the second field after the command's name in brackets
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # gone meanwhile
                continue
        count = 0
        for pid in parents:
            ancestor = parents.get(pid)
            while ancestor not in (None, 0, 1, self.proc.pid):
                ancestor = parents.get(ancestor)
            if ancestor == self.proc.pid:
                with contextlib.suppress(OSError):
                    count += b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
        return count

    def websocket_status(self, kernel: str, host: str | None = None, origin: str | None = None) -> int:
        """The answer to a browser's request to open the kernel's websocket (101: opened)."""
        headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}
        if origin:
            headers["Origin"] = origin
        return self.request(f"/api/kernels/{kernel}/channels", host, headers=headers)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(folder: Path, settings_toml: str, *args: str) -> Server:
    """`neglect-kit serve` on a free port with its own settings file and store, as a user starts it."""
    folder.mkdir()
    (folder / "index.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (folder / "settings.toml").write_text(settings_toml, encoding="utf-8")
    env = {**os.environ, "NEGLECT_KIT_SETTINGS": str(folder / "settings.toml"),
           "NEGLECT_KIT_DB": f"sqlite:///{folder / 'kit.sqlite'}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    port, log = _free_port(), folder / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "neglect_kit.cli", "serve", "--port", str(port),
                                 "--notebooks", str(folder), *args], env=env, cwd=folder, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    return Server(port, proc, log)


def _wait_listening(server: Server, deadline: float) -> None:
    while True:
        if server.proc.poll() is not None:
            pytest.fail(f"serve exited ({server.proc.returncode}):\n{server.log.read_text()[-3000:]}", pytrace=False)
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"serve did not listen within {START_TIMEOUT} s:\n{server.log.read_text()[-3000:]}",
                            pytrace=False)
            time.sleep(0.2)


def _stop(server: Server) -> None:
    try:
        os.killpg(server.proc.pid, signal.SIGTERM)  # the command, Voila and the kernels
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=15)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    """The three servers, started together (each takes a few seconds to import Voila)."""
    root = tmp_path_factory.mktemp("serve")
    started = {"proxy": _start(root / "proxy", "", "--allow-host", "kit.example.org"),
               "capped": _start(root / "capped", "[server]\nmax_kernels = 2\n"),
               "culling": _start(root / "culling", "[server]\nidle_seconds = 2\n")}
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for server in started.values():
            _wait_listening(server, deadline)
        yield started
    finally:
        for server in started.values():
            _stop(server)


def test_a_foreign_host_is_refused_on_the_page_the_kernel_api_and_the_websocket(servers):
    server = servers["proxy"]
    foreign = f"evil.example:{server.port}"  # a DNS-rebinding page: its own name, resolved to 127.0.0.1
    before = server.kernels()
    status, _, body = server.request(PAGE, foreign)
    assert status == 403
    assert "403" in body and "Hello from a fictional app" not in body
    assert server.kernels() == before  # refused before a kernel was started

    kernel, _ = server.open_page()
    assert server.request(f"/api/kernels/{kernel}")[0] == 200
    assert server.request(f"/api/kernels/{kernel}", foreign)[0] == 403
    assert server.websocket_status(kernel, foreign, origin=f"http://{foreign}") == 403
    # the Origin check is kept: another site's page cannot open the websocket through a local name
    assert server.websocket_status(kernel, origin="http://evil.example") == 403
    assert server.websocket_status(kernel, origin=f"http://127.0.0.1:{server.port}") == 101


def test_loopback_localhost_and_an_allowed_proxy_name_are_served_and_no_other(servers):
    server = servers["proxy"]
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"[::1]:{server.port}", "kit.example.org"):
        status, _, body = server.request(PAGE, host)
        assert (status, "Hello from a fictional app" in body) == (200, True), host
    assert server.request(PAGE, "other.example.org")[0] == 403  # only the name allowed, not its neighbours
    assert server.request(PAGE, "kit.example.org.evil.example")[0] == 403


def test_kernels_past_the_cap_get_a_page_saying_so(servers):
    server = servers["capped"]
    first = server.open_page()
    server.open_page()
    status, _, body = server.request(PAGE)
    assert status == 503
    assert "The server is running 2 apps, the most it allows; close an app&#39;s tab or try again" in body
    assert "Traceback" not in body
    assert server.kernels() == 2
    assert server.close_page(*first)[0] == 204  # a tab closed: room for one more
    server.open_page()


def test_a_closed_page_shuts_its_kernel_down(servers):
    server = servers["proxy"]
    kernel, xsrf = server.open_page(f"localhost:{server.port}")
    before = server.kernels()
    assert xsrf, "the page set no _xsrf cookie, so the shutdown request it sends on closing is refused"
    status, body = server.close_page(kernel, xsrf)
    assert status == 204, f"{status}: {body}"
    assert server.kernels() == before - 1
    assert server.request(f"/api/kernels/{kernel}")[0] == 404


def test_an_idle_kernel_with_no_page_open_is_culled(servers):
    server = servers["culling"]
    server.open_page()  # a plain GET, as a probe makes: a kernel starts and no page ever connects
    assert server.kernels() == 1
    started = time.monotonic()
    while server.kernels() and time.monotonic() - started < CULL_WAIT:
        time.sleep(0.5)
    assert server.kernels() == 0, f"a kernel idle {CULL_WAIT} s with no page was still running"


# settings and the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize(("table", "message"), [
    ("max_kernels = 0", "server.max_kernels must be a whole number of kernels, 1 or more (not 0)"),
    ("idle_seconds = -5", "server.idle_seconds must be a whole number of seconds, 1 or more (not -5)"),
    ("idle_seconds = 1.5", "server.idle_seconds must be a whole number of seconds"),
    ('allowed_hosts = ["https://kit.example.org"]', "server.allowed_hosts: 'https://kit.example.org' is not a host"),
    ('allowed_hosts = ["kit.example.org:8443"]', "'kit.example.org:8443' is not a host name"),
    ('allowed_hosts = ["10.1.2.3"]', "'10.1.2.3' is not a host name"),
    ('allowed_hosts = "kit.example.org"', "server.allowed_hosts must be a list of host names"),
    ("port = 80", "server.port is not one of allowed_hosts, max_kernels, idle_seconds"),
])
def test_server_settings_out_of_range_are_refused_naming_the_key(table, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        settings_from_dict(tomllib.loads(f"[server]\n{table}\n"), "settings.toml")


def test_server_settings_are_read_and_the_command_carries_them(tmp_path):
    cfg = settings_from_dict(tomllib.loads(
        '[server]\nallowed_hosts = ["Kit.Example.org"]\nmax_kernels = 5\nidle_seconds = 30\n'))
    assert cfg.server == ServerSettings(allowed_hosts=("kit.example.org",), max_kernels=5, idle_seconds=30)
    cmd = voila_command(tmp_path, 9123, cfg.server)
    for arg in ("--Voila.ip=127.0.0.1", "--Voila.port=9123", "--Voila.port_retries=0",
                "--VoilaConfiguration.show_tracebacks=False", "--KitVoila.allowed_hosts=kit.example.org",
                "--CappedKernelManager.max_kernels=5", "--CappedKernelManager.cull_idle_timeout=30",
                "--CappedKernelManager.cull_interval=30", "--CappedKernelManager.cull_connected=False"):
        assert arg in cmd


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_a_bad_allow_host_or_server_setting_stops_serve_in_one_line(monkeypatch, capsys, tmp_path):
    (tmp_path / "index.ipynb").write_text("{}")
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'kit.sqlite'}")
    monkeypatch.setenv("NEGLECT_KIT_SETTINGS", str(tmp_path / "settings.toml"))
    (tmp_path / "settings.toml").write_text("")
    settings.cache_clear()
    try:
        assert main(["serve", "--notebooks", str(tmp_path), "--allow-host", "kit.example.org:80"]) == 2
        assert "--allow-host: 'kit.example.org:80' is not a host name" in _one_line_error(capsys)
        (tmp_path / "settings.toml").write_text("[server]\nmax_kernels = 0\n")
        settings.cache_clear()
        assert main(["serve", "--notebooks", str(tmp_path)]) == 2
        assert "server.max_kernels must be a whole number of kernels, 1 or more (not 0)" in _one_line_error(capsys)
    finally:
        settings.cache_clear()


def test_serve_without_voila_installed_or_an_index_says_so(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'kit.sqlite'}")
    assert main(["serve", "--notebooks", str(tmp_path)]) == 2
    assert f"{tmp_path}: no index.ipynb here (use --notebooks)" in _one_line_error(capsys)
    (tmp_path / "index.ipynb").write_text("{}")
    monkeypatch.setattr(serve.importlib.util, "find_spec", lambda name, *args: None)
    assert main(["serve", "--notebooks", str(tmp_path)]) == 2
    assert "cannot start Voila: it is not installed in" in _one_line_error(capsys)

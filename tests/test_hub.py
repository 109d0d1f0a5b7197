"""`neglect-kit hub`'s own rules, without starting it: what it refuses, and the JupyterHub configuration it builds.

The hub itself is driven in Chromium by tests/e2e_hub (as root, with real accounts and PostgreSQL).
"""

from __future__ import annotations

import os
import pwd
import sys
from pathlib import Path

import pytest

from neglect_kit import hub
from neglect_kit.cli import main
from neglect_kit.config import SettingsError
from neglect_kit.hub import HubError, HubOptions, checked_users, hub_config, kernel_database, spawner_command
from neglect_kit.hub_server import proxy_command

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
TEAM = "postgresql+psycopg:///neglect_kit?host=/var/run/postgresql"


def someone() -> str:
    """An account here that is not root (the tests may run as root or as a developer)."""
    for account in pwd.getpwall():
        if account.pw_uid != 0:
            return account.pw_name
    pytest.skip("no account here but root")


@pytest.mark.parametrize(("url", "words"), [
    ("sqlite:////tmp/kit.sqlite", "an SQLite file has no roles"),
    ("postgresql+psycopg://kit:secret@/neglect_kit?host=/run/postgresql", "holds a password"),
    ("postgresql+psycopg://postgres@/neglect_kit?host=/run/postgresql", "names the database user 'postgres'"),
    ("not a url", "not a database URL"),
])
def test_a_database_url_the_kernels_must_not_have_is_refused_in_words(url: str, words: str) -> None:
    with pytest.raises(HubError, match=words) as refused:
        kernel_database(url)
    assert "secret" not in str(refused.value)


def test_the_kernels_get_the_teams_database_over_its_socket_as_given() -> None:
    assert kernel_database(TEAM) == TEAM


def test_people_without_an_account_here_or_root_are_refused() -> None:
    with pytest.raises(HubError, match="no_such_person_here: no operating-system account"):
        checked_users(["no_such_person_here"])
    with pytest.raises(HubError, match="root: the administrator's account"):
        checked_users(["root"])
    name = someone()
    assert checked_users([f" {name} ", name, ""]) == (name,)


def test_each_persons_server_is_the_kits_server_for_the_hub_with_the_names_allowed() -> None:
    cmd = spawner_command(NOTEBOOKS, ("kit.council.example",))
    assert cmd == [sys.executable, "-m", "neglect_kit.hub_server", str(NOTEBOOKS), "--allow-host=kit.council.example"]
    with pytest.raises(SettingsError, match="--allow-host"):
        spawner_command(NOTEBOOKS, ("not a host name",))


def test_the_standalone_proxy_passes_the_whole_path_to_voila_on_its_port_and_waits_for_no_command() -> None:
    args = proxy_command(4567)
    proxy, command = args[:args.index("--")], args[args.index("--") + 1:]
    assert "--absolute-url" in proxy  # Voila sees /user/NAME/..., so its own links go through the proxy
    assert "--server-port=4567" in proxy
    assert Path(command[0]).name == "sleep"  # Voila is started by hub_server, at once


def test_the_configuration_binds_loopback_runs_each_person_as_themselves_and_names_no_administrator(tmp_path):
    name = someone()
    config = hub_config(HubOptions(NOTEBOOKS, port=8123, db=TEAM, users=(name,), base_url="kit",
                                   state=str(tmp_path / "state")))
    hub_app = config["JupyterHub"]
    assert hub_app["bind_url"] == "http://127.0.0.1:8123/kit/"
    assert hub_app["hub_bind_url"].startswith("http://127.0.0.1:")
    assert config["ConfigurableHTTPProxy"]["api_url"].startswith("http://127.0.0.1:")
    assert hub_app["spawner_class"] == "localprocess"
    assert config["Authenticator"]["admin_users"] == set() and "admin_users" not in hub_app
    assert hub_app["shutdown_on_logout"] is True
    assert config["Authenticator"]["allowed_users"] == {name}
    assert config["Spawner"]["environment"]["NEGLECT_KIT_DB"] == TEAM
    assert hub_app["default_url"] == "/kit/hub/spawn?next=%2Fkit%2Fhub%2Fuser-redirect%2Fvoila%2Frender%2Findex.ipynb"
    state = tmp_path / "state"
    assert hub_app["cookie_secret_file"].startswith(str(state)) and state.stat().st_mode & 0o777 == 0o700


def test_no_one_named_and_no_config_file_is_refused(tmp_path) -> None:
    with pytest.raises(HubError, match="--users: name the people"):
        hub_config(HubOptions(NOTEBOOKS, db=TEAM, state=str(tmp_path)))


def test_a_missing_proxy_says_how_to_install_it(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(hub.shutil, "which", lambda *a, **k: None)
    with pytest.raises(HubError, match=r"configurable-http-proxy is not installed \(npm ci --prefix .venv"):
        hub.find_proxy()


@pytest.mark.parametrize(("args", "words"), [
    (["--db", "sqlite:////tmp/x.sqlite", "--users", "root"], "an SQLite file has no roles"),
    (["--db", TEAM, "--users", "no_such_person_here"], "no_such_person_here: no operating-system account"),
    (["--db", TEAM, "--users", "x", "--config", "/no/such/file.py"], "--config /no/such/file.py: no such"),
])
def test_the_command_refuses_in_one_line(args, words, capsys, tmp_path) -> None:
    code = main(["hub", "--state", str(tmp_path), "--notebooks", str(NOTEBOOKS), *args])
    err = capsys.readouterr().err
    if os.geteuid() != 0:
        assert code == 2 and "only root can do" in err
        return
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err

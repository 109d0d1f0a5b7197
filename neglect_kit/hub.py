"""`neglect-kit hub`: a team's server, JupyterHub on 127.0.0.1 with each person's own Voila behind its sign-in.

What it sets up, and why (docs/deployment-hub.md tells it step by step):
- JupyterHub's `LocalProcessSpawner` starts each signed-in person's server as their own operating-system
  account, so their kernels connect to the team's PostgreSQL as themselves (`peer` authentication over the
  unix socket): the URL the kernels get names no user and holds no password;
- that server (`hub_server`) is the kit's standalone Voila (`serve.voila_command`) behind
  `jupyter-standaloneproxy` (jupyter-server-proxy): the proxy lets through only its owner, signed in by the
  hub, and standalone Voila serves the apps and nothing else (no /lab, no /api/contents, no terminals, no
  `execute_request` from a browser);
- the hub and its proxy (`configurable-http-proxy`, from npm) listen on 127.0.0.1 only, for a TLS proxy in
  front; a name that proxy passes on is allowed with `--allow-host`, as for `neglect-kit serve`;
- sign-in: JupyterHub's own (PAM: the machine's accounts) unless a JupyterHub config file given with
  `--config` sets the council's authenticator (LDAP, OAuthenticator); only the people named by `--users`
  (or that file's `allowed_users`) get in, and nobody is a hub administrator, so no one reaches another
  person's server;
- signing out stops the person's server, and with it their kernels and database sessions.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from .config import data_dir, database_url
from .serve import ServeError, server_settings

PROXY = "configurable-http-proxy"
START_PAGE = "voila/render/index.ipynb"
# the hub's own pages (sign-in, sign-out, refusals) as JupyterHub draws them, named for the kit and passing WCAG AA
PAGES = Path(__file__).parent / "hub_pages"


class HubError(ValueError):
    """The hub cannot start, with what is wrong named."""


@dataclass(frozen=True)
class HubOptions:
    """What `neglect-kit hub` was asked for.

    Attributes:
        notebooks: the folder of the apps' notebooks (holding index.ipynb).
        port: the port the hub's proxy listens on, on 127.0.0.1.
        db: the team's PostgreSQL URL the kernels use ("" for NEGLECT_KIT_DB).
        users: the people allowed to sign in (their operating-system accounts).
        base_url: the path the hub is served under, as the TLS proxy in front passes it.
        allow_hosts: names the TLS proxy passes on as the Host, besides loopback and localhost.
        state: the hub's own folder (its sign-in database, cookie secret, proxy's pid); "" for the data folder's.
        config_file: a JupyterHub config file loaded last (the council's authenticator); "" for none.
    """

    notebooks: Path
    port: int = 8000
    db: str = ""
    users: tuple[str, ...] = ()
    base_url: str = "/"
    allow_hosts: tuple[str, ...] = field(default_factory=tuple)
    state: str = ""
    config_file: str = ""


def kernel_database(url: str) -> str:
    """The team's database URL as every kernel gets it, checked: PostgreSQL, no user named, no password.

    Raises:
        HubError: not a PostgreSQL URL, or it names a user or holds a password.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise HubError(f"--db {url!r}: not a database URL (postgresql+psycopg:///DATABASE?host=SOCKET_FOLDER)") \
            from None
    if parsed.get_backend_name() != "postgresql":
        raise HubError(f"--db {parsed.render_as_string(hide_password=True)}: the hub serves a team's PostgreSQL "
                       "database (`neglect-kit server init`); an SQLite file has no roles, and `neglect-kit serve` "
                       "serves one person")
    if parsed.password is not None:
        raise HubError(f"--db {parsed.render_as_string(hide_password=True)}: holds a password, which every kernel "
                       "would hold; each person signs in to PostgreSQL as themselves (peer authentication over "
                       "the unix socket), so the URL names no user and no password")
    if parsed.username:
        raise HubError(f"--db {parsed.render_as_string(hide_password=True)}: names the database user "
                       f"{parsed.username!r}; each person connects as themselves (peer authentication), so the URL "
                       "names no user")
    return url


def checked_users(names: Sequence[str]) -> tuple[str, ...]:
    """The people allowed to sign in, each an operating-system account that is not root.

    Raises:
        HubError: a name with no account here, or root's.
    """
    users = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            raise HubError(f"--users {name}: no operating-system account of that name here; each person's server "
                           f"runs as their own account (useradd --create-home {name})") from None
        if account.pw_uid == 0:
            raise HubError(f"--users {name}: the administrator's account; each person signs in with their own")
        users.append(name)
    return tuple(users)


def find_proxy() -> str:
    """The path of configurable-http-proxy: in the kit's virtualenv's node_modules (`make install`), or on the PATH.

    Raises:
        HubError: not found, with how to install it.
    """
    path = os.pathsep.join([str(Path(sys.prefix) / "node_modules" / ".bin"), os.environ.get("PATH", "")])
    found = shutil.which(PROXY, path=path)
    if found is None:
        raise HubError(f"cannot start the hub: {PROXY} is not installed (npm ci --prefix .venv, with "
                       "proxy/package.json and package-lock.json copied there: `make install` does it)")
    return found


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (for the hub's own API and its proxy's)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def state_folder(state: str) -> Path:
    """The hub's own folder, made readable by root alone (it holds the cookie secret)."""
    folder = Path(state).expanduser() if state else data_dir() / "hub"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def spawner_command(notebooks: Path, allow_hosts: Sequence[str] = ()) -> list[str]:
    """Each person's server (`hub_server`): their Voila, started at once, behind the standalone proxy.

    Raises:
        HubError: jupyter-server-proxy is not installed.
        SettingsError: an `--allow-host` name is not usable.
    """
    if importlib.util.find_spec("jupyter_server_proxy") is None:
        raise HubError(f"cannot start the hub: jupyter-server-proxy is not installed in {sys.executable} "
                       "(pip install jupyter-server-proxy)")
    server_settings(allow_hosts)  # a bad name is refused now, not in every person's server
    return [sys.executable, "-m", "neglect_kit.hub_server", str(notebooks.resolve()),
            *(f"--allow-host={name}" for name in allow_hosts)]


def hub_config(options: HubOptions) -> dict[str, dict[str, Any]]:
    """The JupyterHub configuration for `options`, as {class name: {trait: value}}.

    Raises:
        HubError: a missing program, account or notebooks folder, or a database URL the kernels cannot use.
        ServeError, SettingsError: the settings' [server] table or an `--allow-host` name is not usable.
    """
    if not (options.notebooks / "index.ipynb").exists():
        raise ServeError(f"{options.notebooks}: no index.ipynb here (use --notebooks)")
    db = kernel_database(options.db or database_url())
    users = checked_users(options.users)
    if not users and not options.config_file:
        raise HubError("--users: name the people who may sign in (their operating-system accounts), or give a "
                       "JupyterHub config file (--config) whose authenticator allows them")
    base = "/" + options.base_url.strip("/") + "/" if options.base_url.strip("/") else "/"
    state = state_folder(options.state)
    env = {"NEGLECT_KIT_DB": db}
    if os.environ.get("NEGLECT_KIT_SETTINGS"):
        env["NEGLECT_KIT_SETTINGS"] = str(Path(os.environ["NEGLECT_KIT_SETTINGS"]).resolve())
    # after sign-in: the person's server started if need be, then the kit's start page on it
    start = quote(f"{base}hub/user-redirect/{START_PAGE}", safe="")
    return {
        "JupyterHub": {
            "bind_url": f"http://127.0.0.1:{options.port}{base}",
            "hub_bind_url": f"http://127.0.0.1:{free_port()}",
            "db_url": f"sqlite:///{state / 'jupyterhub.sqlite'}",
            "cookie_secret_file": str(state / "jupyterhub_cookie_secret"),
            "spawner_class": "localprocess",
            "template_paths": [str(PAGES)],
            "default_url": f"{base}hub/spawn?next={start}",
            "allow_named_servers": False,
            "cleanup_servers": True,
            # a signed-out person's server stops, and with it their kernels and database sessions
            "shutdown_on_logout": True,
        },
        "ConfigurableHTTPProxy": {
            "command": [find_proxy()],
            "api_url": f"http://127.0.0.1:{free_port()}",
            "pid_file": str(state / "proxy.pid"),
        },
        "Authenticator": {
            "allowed_users": set(users),
            "admin_users": set(),
        },
        "Spawner": {
            "cmd": spawner_command(options.notebooks, options.allow_hosts),
            "environment": env,
            "start_timeout": 120,
            "http_timeout": 60,
        },
    }


def run_hub(options: HubOptions) -> int:
    """Run JupyterHub as `options` say until Ctrl-C; its exit code.

    Raises:
        HubError: not run as root, or what `hub_config` refuses.
    """
    if os.geteuid() != 0:
        raise HubError("the hub starts each person's server as their own operating-system account, which only "
                       "root can do: run it as root (e.g. a systemd service)")
    if options.config_file and not Path(options.config_file).is_file():
        raise HubError(f"--config {options.config_file}: no such JupyterHub config file")
    config = hub_config(options)
    from jupyterhub.app import JupyterHub
    from traitlets.config import Config

    hub = JupyterHub.instance(config=Config(config))
    argv = ["--config", options.config_file] if options.config_file else []
    who = ", ".join(sorted(config["Authenticator"]["allowed_users"])) or "as the config file says"
    print(f"The hub is starting on {config['JupyterHub']['bind_url']}; who may sign in: {who}. Ctrl-C stops it "
          "and everyone's server.", flush=True)
    try:
        hub.launch_instance(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0

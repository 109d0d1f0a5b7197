"""`neglect-kit serve`: the apps served by Voila on 127.0.0.1, answering only to the names allowed.

The rules are Voila's and jupyter_server's own, set from the settings' [server] table and run by
`voila_server` (the Voila process):
- the Host header is checked by jupyter_server: loopback addresses and `localhost` pass, another
  name gets a 403 unless allowed, so a page on another site whose name resolves to 127.0.0.1
  (DNS rebinding) reaches nothing; the websocket's Origin must still match the Host (no
  `allow_origin` is set);
- a kernel with no page connected and idle for `idle_seconds` is shut down (culled), and a
  closed page shuts its own kernel down;
- at most `max_kernels` kernels run; a page past that says so.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import ServerSettings, allowed_host, database_url, settings

# how often idle kernels are looked for, at most (seconds): a kernel goes within idle_seconds + this
CULL_INTERVAL = 60


class ServeError(ValueError):
    """The apps cannot be served, with what is missing named."""


def server_settings(allow_hosts: Sequence[str] = ()) -> ServerSettings:
    """The settings' [server] table, with the names given by `--allow-host` added.

    Raises:
        SettingsError: the settings file or a `--allow-host` name is not usable.
    """
    server = settings().server
    extra = tuple(allowed_host(h, "--allow-host") for h in allow_hosts)
    return ServerSettings(allowed_hosts=tuple(dict.fromkeys(server.allowed_hosts + extra)),
                          max_kernels=server.max_kernels, idle_seconds=server.idle_seconds)


def voila_command(notebooks: Path, port: int, server: ServerSettings | None = None) -> list[str]:
    """The command that serves `notebooks` on 127.0.0.1:`port` under `server` (default: the settings)."""
    server = server or server_settings()
    return [sys.executable, "-m", "neglect_kit.voila_server", str(notebooks), "--no-browser",
            "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
            *(f"--KitVoila.allowed_hosts={name}" for name in server.allowed_hosts),
            "--VoilaConfiguration.strip_sources=True", "--VoilaConfiguration.show_tracebacks=False",
            "--VoilaConfiguration.multi_kernel_manager_class=neglect_kit.voila_server.CappedKernelManager",
            f"--CappedKernelManager.max_kernels={server.max_kernels}",
            f"--CappedKernelManager.cull_idle_timeout={server.idle_seconds}",
            f"--CappedKernelManager.cull_interval={min(CULL_INTERVAL, server.idle_seconds)}",
            # a kernel with its page open is kept however long the worker reads: culling it would
            # lose what they were about to save; a closed page shuts its kernel down itself
            "--CappedKernelManager.cull_connected=False"]


def serve(notebooks: Path, port: int, allow_hosts: Sequence[str] = ()) -> int:
    """Serve the apps in `notebooks` until Ctrl-C; Voila's exit code.

    Raises:
        ServeError: no index.ipynb in `notebooks`, or Voila is not installed.
        SettingsError: a [server] setting or an `--allow-host` name is not usable.
    """
    if not (notebooks / "index.ipynb").exists():
        raise ServeError(f"{notebooks}: no index.ipynb here (use --notebooks)")
    if importlib.util.find_spec("voila") is None:
        raise ServeError(f"cannot start Voila: it is not installed in {sys.executable}; install the kit with "
                         "its dependencies (pip install neglect-kit)")
    server = server_settings(allow_hosts)
    env = {**os.environ, "NEGLECT_KIT_DB": database_url()}  # the kernels use the same database
    env.pop("MPLBACKEND", None)
    names = ", ".join(["127.0.0.1", "localhost", *server.allowed_hosts])
    print(f"Serving the apps; the start page is http://127.0.0.1:{port}/voila/render/index.ipynb "
          f"(answering to {names}; at most {server.max_kernels} apps open; Ctrl-C stops)")
    try:
        return subprocess.call(voila_command(notebooks, port, server), env=env)
    except KeyboardInterrupt:
        return 0


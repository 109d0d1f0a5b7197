"""Each person's server under the hub: `python -m neglect_kit.hub_server NOTEBOOKS [--allow-host NAME ...]`.

JupyterHub's `LocalProcessSpawner` runs it as the person's own operating-system account. It starts the kit's
standalone Voila (`serve.voila_command`) under the person's prefix (JUPYTERHUB_SERVICE_PREFIX, /user/NAME/) on a
free loopback port at once, and puts `jupyter-standaloneproxy` (jupyter-server-proxy) in front of it: the
proxy lets through only the person the hub signed in (its OAuth, the server's owner), and Voila serves the
apps and nothing else.

The proxy would start Voila itself, but only on the first page asked for after sign-in, and then looks for it
answering at doubling intervals (0.01 s up to 5 s), which found a Voila ready in 3 s only after 5: twice the
start a plain Voila takes. Started here at once, while the proxy is imported, Voila is answering when the
proxy starts listening (the hub's "your server is starting" lasts until then), so the person's first page
finds it at once; the proxy's own command only stands for it (`sleep`), on Voila's port.

This process ending (the hub sends SIGINT, then SIGTERM) stops Voila, which shuts its kernels down, and Voila
ending ends this process, so the hub sees the server gone.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .serve import server_settings, voila_command

# seconds Voila may take to answer at first (the proxy's wait), and to shut its kernels down when stopped
VOILA_START_SECONDS, VOILA_STOP_SECONDS = 60, 8


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_command(port: int) -> list[str]:
    """The standalone proxy's arguments: the owner only, the whole path passed on, to Voila on `port`."""
    return ["--absolute-url", f"--server-port={port}", f"--timeout={VOILA_START_SECONDS}", "--",
            shutil.which("sleep") or "/bin/sleep", "infinity"]


def main(argv: list[str] | None = None) -> int:
    """Start Voila, then serve the standalone proxy in front of it until stopped; 0 when stopped."""
    parser = argparse.ArgumentParser(prog="python -m neglect_kit.hub_server")
    parser.add_argument("notebooks", type=Path)
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    port = free_port()
    voila = subprocess.Popen([*voila_command(args.notebooks, port, server_settings(args.allow_host)),
                              f"--Voila.base_url={prefix}"], stdin=subprocess.DEVNULL)

    def stop_voila() -> None:
        # the hub's next signal, or the watch below seeing Voila end, must not cut its shutdown short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        voila.terminate()  # Voila shuts its kernels down on SIGTERM
        try:
            voila.wait(timeout=VOILA_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            voila.kill()

    # however this process ends short of being killed: the hub's SIGINT or SIGTERM (which the proxy's process
    # supervisor takes over once it runs, stopping its command and exiting), or Voila having ended
    atexit.register(stop_voila)
    signal.signal(signal.SIGINT, lambda signum, frame: sys.exit(0))
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    # Voila ending (it failed, or was killed) ends the server, so the hub sees it stopped and offers a new one
    threading.Thread(target=lambda: (voila.wait(), os.kill(os.getpid(), signal.SIGTERM)), daemon=True).start()

    from jupyter_server_proxy.standalone.app import StandaloneProxyServer  # a second's import, beside Voila's start

    # the hub counts the server started once the proxy answers: by then Voila answers too, so the person's first
    # page finds it at the proxy's first look, not at its next doubled interval
    wait_for(port, VOILA_START_SECONDS)
    StandaloneProxyServer.launch_instance(proxy_command(port))
    return 0


def wait_for(port: int, seconds: float) -> None:
    """Wait until something listens on 127.0.0.1:`port`, for `seconds` at most (the proxy then says why)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())

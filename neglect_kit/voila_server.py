"""The Voila process that `neglect-kit serve` starts (`python -m neglect_kit.voila_server ARGS`).

Voila itself, configured on its command line by `serve.voila_command`, with four additions:
- `KitVoila.allowed_hosts`: jupyter_server's own Host check (`JupyterHandler.check_host`) turned
  on, which Voila turns off: loopback addresses, `localhost` and these names pass, any other
  Host gets a 403 on the pages, the kernel API and the kernel websocket;
- `CappedKernelManager`: Voila's kernel manager refusing a new kernel past `max_kernels`, so
  page views cannot fill the server's memory; the page says so in words (a 503);
- the `_xsrf` cookie set on each app page: the page's script posts it back when the page closes,
  asking Voila to shut its kernel down, but Voila never sets that cookie (voila-dashboards/voila
  issue 1458), so every shutdown was refused and the kernel lived on;
- the app page (`voila_page/index.html.j2`): Voila's lab page without the two Font Awesome
  stylesheets it links from a CDN (Voila's bundle carries Font Awesome and serves its fonts
  itself), so a page asks nothing of any other site.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer, List, Unicode
from voila.app import Voila

# the app page's template, found before Voila's own lab page (which it extends)
PAGE_TEMPLATE = Path(__file__).parent / "voila_page"
FULL = "The server is running {n} apps, the most it allows; close an app's tab or try again in a few minutes"


class CappedKernelManager(AsyncMappingKernelManager):
    """Voila's kernel manager, with a cap on the kernels running and starting at once."""

    max_kernels = Integer(12, config=True, help="The most kernels (open apps) at once; a page past it is refused.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0  # kernels asked for and not yet running: counted, so a burst cannot pass the cap

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel, or refuse with a 503 page saying why when `max_kernels` are running."""
        running = len(self) + self._starting
        if running >= self.max_kernels:
            self.log.warning("Refused a kernel: %d running or starting, the most allowed", running)
            raise web.HTTPError(503, reason=FULL.format(n=running))
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1


def set_xsrf_cookie(request: web.RequestHandler, notebook: Any, cwd: str) -> None:
    """Voila's prelaunch hook: reading the handler's `xsrf_token` sets the `_xsrf` cookie on the page."""
    _ = request.xsrf_token


class KitVoila(Voila):
    """Voila answering to loopback, `localhost` and `allowed_hosts` only, setting each app page's `_xsrf` cookie."""

    allowed_hosts = List(Unicode(), config=True, help="Host names served besides loopback and localhost.")

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        self.voila_configuration.prelaunch_hook = set_xsrf_cookie

    def setup_template_dirs(self) -> None:
        """Voila's template folders, the kit's page (`voila_page/`: the lab page without its CDN links) first."""
        super().setup_template_dirs()
        if self.voila_configuration.template == "lab":
            self.template_paths.insert(0, str(PAGE_TEMPLATE))

    def init_settings(self) -> dict[str, Any]:
        return {**super().init_settings(), "allow_remote_access": False,
                "local_hostnames": ["localhost", *self.allowed_hosts]}


if __name__ == "__main__":
    KitVoila.launch_instance(sys.argv[1:])

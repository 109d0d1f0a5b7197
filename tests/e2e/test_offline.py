"""Nothing from outside: every app, opened through Voila, asks only the server it came from.

A page of a child's case that fetched a stylesheet or a font from a CDN would tell that CDN who
is reading, when, and (in the Referer) which case; and with no internet it would lose its icons.
Each app is opened as a user opens it, every request the page makes is recorded (those the test
harness aborts included: `page.on("request")` sees a request before any route does), and any to
another host, port or scheme fails the test. The icons must still be drawn, from the server's
own copy of Font Awesome.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
# every app the kit serves: each notebook but Jupyter's own checkpoints
APPS = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.rglob("*.ipynb")
              if ".ipynb_checkpoints" not in p.parts)
LOCAL_SCHEMES = {"data", "blob", "about"}  # made in the page itself; nothing leaves it
SETTLE_MS = 3_000  # after the page is built: late requests (fonts asked for when a glyph is drawn, lazy chunks)

# the font of an ipywidgets icon (`fa fa-refresh` on the start page's button), as the page's stylesheets say
ICON_FONT = """() => { const i = document.querySelector('i.fa'); if (!i) return null;
  const s = getComputedStyle(i, '::before'); return {family: s.fontFamily, weight: s.fontWeight}; }"""
FONT_LOADED = """async ([family, weight]) => (await document.fonts.load(`${weight} 16px ${family}`, '\\uf021'))
  .map(f => f.status)"""


def foreign(url: str, base: str) -> bool:
    """Whether `url` goes anywhere but the server at `base` (another host, port or scheme)."""
    got, own = urlsplit(url), urlsplit(base)
    if got.scheme in LOCAL_SCHEMES:
        return False
    scheme = {"ws": "http", "wss": "https"}.get(got.scheme, got.scheme)  # the kernel's websocket
    return (scheme, got.hostname, got.port) != (own.scheme, own.hostname, own.port)


def test_foreign_tells_the_server_from_anywhere_else():
    base = "http://127.0.0.1:8123"
    assert not foreign(f"{base}/voila/static/x.woff2", base)
    assert not foreign("ws://127.0.0.1:8123/api/kernels/1/channels", base)
    assert not foreign("data:font/woff2;base64,AAAA", base)
    for url in ("https://cdn.jsdelivr.net/npm/x.css", "http://127.0.0.1:9999/x", "http://localhost:8123/x",
                "https://127.0.0.1:8123/x", "ws://example.org/x"):
        assert foreign(url, base), url


@pytest.mark.parametrize("path", APPS)
def test_the_app_asks_nothing_from_outside(page: Page, app: Callable[[str], Page], voila_url: str, path: str,
                                           screenshot: Callable[[Page, str], Path]):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda ws: asked.append(ws.url))
    app(path)
    page.wait_for_timeout(SETTLE_MS)
    screenshot(page, "opened")
    outside = sorted({url for url in asked if foreign(url, voila_url)})
    assert asked, "no request was seen: the listener is not working"
    assert outside == [], f"{path} asked {len(outside)} address(es) outside the server:\n" + "\n".join(outside)


def test_the_icons_come_from_the_server(page: Page, app: Callable[[str], Page], voila_url: str,
                                       screenshot: Callable[[Page, str], Path]):
    """The start page's refresh button draws its Font Awesome glyph with a font the server sent."""
    fonts: list[str] = []
    page.on("requestfinished", lambda request: fonts.append(request.url) if _is_font(request) else None)
    app("index.ipynb")
    page.locator("i.fa").first.wait_for()  # the widgets are drawn after the page has loaded
    icon = page.evaluate(ICON_FONT)
    assert icon, "the start page has no Font Awesome icon (its refresh button should have one)"
    assert "Font Awesome" in icon["family"], f"the icon's font is {icon['family']!r}: no Font Awesome stylesheet"
    assert page.evaluate(FONT_LOADED, [icon["family"], icon["weight"]]) == ["loaded"], "the icon font did not load"
    page.wait_for_timeout(500)
    assert fonts and not [u for u in fonts if foreign(u, voila_url)], f"fonts fetched: {fonts}"
    screenshot(page, "icon")


def _is_font(request: Request) -> bool:
    return request.resource_type == "font"



"""The kit as a user installs it: the wheel built from this checkout, put in a fresh venv, run from elsewhere.

The fresh venv holds the kit alone; a .pth file lets it reach the dependencies already installed for
the tests (the running interpreter's site-packages, and their Jupyter data files through JUPYTER_PATH),
so nothing is downloaded but the build backend.
Every command runs from a temporary folder with no PYTHONPATH, so nothing of the checkout is seen.
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from neglect_kit.shipped import shipped_folder

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("notebooks", "sample_cases")
START_TIMEOUT = 60  # s until the served start page answers


@dataclass
class Installed:
    wheel: Path
    venv: Path
    site: Path  # the fresh venv's site-packages, where the kit is installed
    home: Path  # a folder outside the checkout, where the commands run
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`neglect-kit ARGS` from the fresh venv, as a user types it in their own folder."""
        return subprocess.run([str(self.venv / "bin" / "neglect-kit"), *args], cwd=self.home, env=self.env,
                              capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(base / "dist")],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (base / "dist").glob("neglect_kit-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # the dependencies the tests run with, reached without installing them again
    deps = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (site / "kit-dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True, timeout=300)
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEGLECT_KIT_SETTINGS", "NEGLECT_KIT_DATA")}
    env["NEGLECT_KIT_DB"] = f"sqlite:///{home / 'kit.sqlite'}"
    # and their data files (Voila's templates, the kernel's spec), which an installation would copy in
    env["JUPYTER_PATH"] = str(Path(sysconfig.get_paths()["data"]) / "share" / "jupyter")
    return Installed(wheel, env_dir, site, home, env)


def test_the_wheel_carries_every_notebook_and_sample_case_inside_the_package(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for folder in SHIPPED:
        files = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()}
        assert files, folder
        assert {f"neglect_kit/{f}" for f in files} <= names
    assert "neglect_kit/notebooks/index.ipynb" in names
    assert not [n for n in names if "checkpoint" in n or n.startswith(SHIPPED)]  # nothing at the top level


def test_demo_from_the_installed_wheel_loads_the_sample_cases_outside_a_checkout(installed):
    where = subprocess.run([str(installed.venv / "bin" / "python"), "-c",
                            "import neglect_kit; print(neglect_kit.__file__)"],
                           cwd=installed.home, env=installed.env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(installed.site)  # the installed kit, not the checkout
    init = installed.run("init")
    assert init.returncode == 0, init.stderr
    assert "The database is ready" in init.stdout
    demo = installed.run("demo")
    assert demo.returncode == 0, demo.stderr
    cases = installed.run("cases", "--json")
    assert cases.returncode == 0, cases.stderr
    loaded = {c["id"]: c for c in json.loads(cases.stdout)}
    assert set(loaded) == {"dunmore", "fenwick"}
    assert all(c["entries"] > 0 for c in loaded.values())


def test_the_installed_notebooks_import_from_neglect_kit_apps_only(installed):
    notebooks = sorted((installed.site / "neglect_kit" / "notebooks").rglob("*.ipynb"))
    assert len(notebooks) == len(list((ROOT / "notebooks").rglob("*.ipynb")))
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        imported = {n.module for n in ast.walk(ast.parse(code)) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Import) for a in n.names}
        assert {m for m in imported if m.split(".")[0] == "neglect_kit"} == {"neglect_kit.apps"}, path.name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_from_the_installed_wheel_serves_the_shipped_start_page(installed):
    assert installed.run("serve", "--help").returncode == 0
    port, log = _free_port(), installed.home / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(installed.venv / "bin" / "neglect-kit"), "serve", "--port", str(port)],
                                cwd=installed.home, env=installed.env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, f"serve exited ({proc.returncode}):\n{log.read_text()[-3000:]}"
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/voila/render/index.ipynb")
                resp = conn.getresponse()
                status, body = resp.status, resp.read().decode("utf-8", "replace")
                conn.close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"serve did not answer:\n{log.read_text()[-3000:]}"
                time.sleep(0.3)
        assert status == 200, body[:300]
        assert "What is life like for each child?" in body  # the shipped start page, rendered
        assert "application/vnd.jupyter.widget-view+json" in body  # its case list app ran from the installed kit
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C, as the user stops it
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_a_shipped_folder_is_found_in_the_package_else_at_the_checkouts_root(tmp_path):
    package = tmp_path / "site" / "neglect_kit"
    (package / "notebooks").mkdir(parents=True)
    assert shipped_folder("notebooks", package) == package / "notebooks"  # an installed wheel
    assert shipped_folder("sample_cases", package) == tmp_path / "site" / "sample_cases"  # a checkout
    assert shipped_folder("sample_cases") == ROOT / "sample_cases"  # this checkout (the tests' editable install)

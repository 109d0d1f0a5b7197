"""Root conftest: notebook runs (nbval) get their own database holding the sample cases.

The kernels nbval starts inherit this process's environment, so NEGLECT_KIT_DB (and NEGLECT_KIT_DATA) are
set before any kernel starts; a developer's own database and data folder are never touched by the tests.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not (config.getoption("nbval_lax", default=False) or config.getoption("nbval", default=False)):
        return
    from neglect_kit.cli import main

    folder = Path(tempfile.mkdtemp(prefix="neglect-kit-nbval-"))
    os.environ["NEGLECT_KIT_DB"] = f"sqlite:///{folder / 'nbval.sqlite'}"
    os.environ["NEGLECT_KIT_DATA"] = str(folder / "data")  # each user's last case is remembered there
    os.environ.pop("MPLBACKEND", None)
    if main(["demo"]) != 0:
        raise pytest.UsageError("loading the sample cases for the notebook tests failed")

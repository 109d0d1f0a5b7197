"""What the test runs leave for a person to look at: the browser tests' screenshots and logs in test-results/."""

from pathlib import Path

import pytest

RESULTS = Path(__file__).resolve().parents[1] / "test-results"


def test_no_run_empties_the_folder_the_browser_tests_leave_their_screenshots_in(pytestconfig: pytest.Config) -> None:
    # pytest-playwright empties its output folder when a run starts: `make test` runs the hub tests after the
    # browser tests, so that folder must not be test-results/ or a folder holding it
    emptied = Path(pytestconfig.getoption("--output")).resolve()
    assert emptied not in (RESULTS, *RESULTS.parents), f"each run empties {emptied}"

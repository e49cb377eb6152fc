"""make test's own runs, scanned for Ansible's warnings: every scenario under
the newest ansible-core, the scenarios run under the oldest, and the
execution environment's jobs. Each run's output is kept in build/logs/ (the
Makefile's scenario-%, oldest-% and ee-test targets); `make warnings` runs
this after them. A missing log fails: every run must have been scanned."""

import os
from pathlib import Path

import pytest
from scan import warnings

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOGS = Path(os.environ.get("LOGS", PROJECT_DIR / "build" / "logs"))
SCENARIOS = os.environ.get("SCENARIOS", "").split() or sorted(
    path.parent.name for path in (PROJECT_DIR / "molecule").glob("*/molecule.yml")
)
OLDEST_SCENARIOS = os.environ.get("OLDEST_SCENARIOS", "cluster default").split()
RUNS = [f"scenario-{name}" for name in SCENARIOS] + [f"oldest-{name}" for name in OLDEST_SCENARIOS] + ["ee-test"]


@pytest.mark.parametrize("run", RUNS)
def test_the_run_printed_no_warning(run):
    log = LOGS / f"{run}.log"
    assert log.is_file(), f"{log}: no output kept (make test runs {run})"
    text = log.read_text(errors="replace")

    assert "PLAY RECAP" in text, f"{log}: no playbook ran"
    found = warnings(text)
    assert not found, f"{log}:\n" + "\n".join(found)

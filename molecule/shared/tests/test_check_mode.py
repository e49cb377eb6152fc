"""A converged host stays as it is: a dry run reports nothing to change, and
so do a real run and a dry run that take the full task path.

A run on a converged host normally ends after the host reading, so the
converge and check steps of a scenario alone would only prove that the
reading finds nothing. flask_wsgi_full_run makes every task run and its
module check the host itself: a task that is not idempotent, or that
changes anything in check mode, is caught here."""

import pytest

from conftest import changed_tasks, ran_tasks

FULL_RUN = ("-e", "flask_wsgi_full_run=true")
# Tasks that only a full run gets to on a converged host; their running
# shows that the full path was taken.
FULL_PATH_TASKS = {
    "Start installing the missing packages",
    "Create the daemon user with no login shell",
    "Give the daemon account its home",
    "Create the state, application, releases, virtualenvs, document and last-good directories",
    "Enable the Apache modules the site needs",
    "Write the application's virtual host",
    "Enable the application's site",
    "Start Apache and enable it at boot",
}
# Not in check mode: nothing was deployed to check or to remember.
FULL_PATH_TASKS_NOT_IN_CHECK_MODE = {
    "Request the application",
    "Keep a copy of this deployment's configuration",
    "Record that the current release passed, and remove old releases",
}


def assert_nothing_changed(host, rc, report):
    hostname = host.backend.get_hostname()
    stats = report["stats"][hostname]
    assert rc == 0, stats
    assert stats["failures"] == 0
    assert stats["unreachable"] == 0
    assert stats["changed"] == 0, changed_tasks(report, hostname)
    return set(ran_tasks(report, hostname))


def test_check_mode_on_converged_host_changes_nothing(host, run_playbook):
    assert_nothing_changed(host, *run_playbook("--check"))


@pytest.mark.parametrize("check_mode", [True, False], ids=["check-mode", "real"])
def test_full_task_path_on_converged_host_changes_nothing(host, run_playbook, check_mode):
    ran = assert_nothing_changed(host, *run_playbook(*FULL_RUN, *(["--check"] if check_mode else [])))

    expected = FULL_PATH_TASKS if check_mode else FULL_PATH_TASKS | FULL_PATH_TASKS_NOT_IN_CHECK_MODE
    assert expected - ran == set(), "the full task path was not taken"

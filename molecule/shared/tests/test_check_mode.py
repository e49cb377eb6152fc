"""A converged host stays as it is: a dry run reports nothing to change, and
so do a real run and a dry run that take the full task path.

A run on a converged host normally ends after the host reading, so the
converge and check steps of a scenario alone would only prove that the
reading finds nothing. flask_wsgi_full_run makes every task run and its
module check the host itself: a task that is not idempotent, or that
changes anything in check mode, is caught here."""

import pytest

from conftest import apache_main_pid, changed_tasks, ran_tasks

FULL_RUN = ("-e", "flask_wsgi_full_run=true")
# Tasks that only a full run gets to on a converged host; their running
# shows that the full path was taken.
FULL_PATH_TASKS = {
    "Start installing the missing packages",
    "Create the daemon account and the directories, wait for the packages, and read the host again",
    "Enable the Apache modules and the site",
    "Write the deployment's files that differ",
    "Start Apache and enable it at boot",
    "Apply the changes, check that the application answers, and record the deployment",
}
APPLY = "Apply the changes, check that the application answers, and record the deployment"
# The apply step's steps a full run takes, but not in check mode: nothing
# was deployed to check or to remember.
APPLY_STEPS_NOT_IN_CHECK_MODE = {"health", "record", "release"}


def apply_steps(report, hostname):
    """The steps the apply step ran on HOSTNAME."""
    return {
        name
        for play in report["plays"]
        for task in play["tasks"]
        if task["task"]["name"].endswith(APPLY)
        for name in task["hosts"].get(hostname, {}).get("steps", {})
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
    rc, report = run_playbook(*FULL_RUN, *(["--check"] if check_mode else []))
    ran = assert_nothing_changed(host, rc, report)

    assert FULL_PATH_TASKS - ran == set(), "the full task path was not taken"
    steps = apply_steps(report, host.backend.get_hostname())
    if check_mode:
        assert steps & APPLY_STEPS_NOT_IN_CHECK_MODE == set()
    else:
        assert steps >= APPLY_STEPS_NOT_IN_CHECK_MODE


def host_state(host, cfg):
    """What a dry run must leave as it is: the vhost, the release served,
    the releases, the last good deployment and the running Apache."""
    return {
        "vhost": host.file(cfg.vhost_path).content_string,
        "current": host.check_output(f"readlink {cfg.current}"),
        "releases": host.check_output(f"ls -A {cfg.app_dir}/releases"),
        "known good": host.check_output(f"ls -lA --time-style=+%s {cfg.state_dir}/{cfg.site_name}"),
        "apache": apache_main_pid(host),
    }


def test_check_mode_with_pending_changes_reports_them_and_changes_nothing(host, cfg, run_playbook, tmp_path):
    """A changed variable and, where the application is a WSGI script, new
    code: the dry run reports the changes it would make, and makes none."""
    pending = ["-e", f"flask_wsgi_threads={cfg.threads + 1}"]
    if not host.ansible.get_variables().get("flask_wsgi_entry_point"):
        script = tmp_path / cfg.script_name
        script.write_text(cfg.script_source.read_text() + "\n# A new release of the code.\n")
        pending += ["-e", f"flask_wsgi_script_src={script}"]
    before = host_state(host, cfg)

    rc, report = run_playbook("--check", *pending)

    hostname = host.backend.get_hostname()
    assert rc == 0, report["stats"][hostname]
    assert "vhost" in changed_tasks(report, hostname)
    assert host_state(host, cfg) == before

"""A dry run on a converged host succeeds and reports nothing to change."""

from conftest import changed_tasks


def test_check_mode_on_converged_host_changes_nothing(host, run_playbook):
    rc, report = run_playbook("--check")
    stats = report["stats"][host.backend.get_hostname()]
    assert rc == 0
    assert stats["failures"] == 0
    assert stats["unreachable"] == 0
    assert stats["changed"] == 0, changed_tasks(report, host.backend.get_hostname())

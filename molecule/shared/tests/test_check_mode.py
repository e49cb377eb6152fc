"""A dry run on a converged host succeeds and reports nothing to change."""


def test_check_mode_on_converged_host_changes_nothing(host, run_playbook):
    rc, report = run_playbook("--check")
    stats = report["stats"][host.backend.get_hostname()]
    assert rc == 0
    assert stats["failures"] == 0
    assert stats["unreachable"] == 0
    assert stats["changed"] == 0, [
        task["task"]["name"]
        for play in report["plays"]
        for task in play["tasks"]
        if any(result.get("changed") for result in task["hosts"].values())
    ]

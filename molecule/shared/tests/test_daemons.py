"""The mod_wsgi daemon processes, as `ps` shows them."""

import pytest


@pytest.fixture(scope="module")
def daemons(host, cfg):
    """Processes whose command line is the display name: the WSGI daemons."""
    rows = host.check_output("ps -eo pid=,ppid=,user:64=,args=").splitlines()
    found = []
    for row in rows:
        pid, ppid, user, args = row.split(None, 3)
        if args.split()[0] == cfg.display_name:
            found.append({"pid": int(pid), "ppid": int(ppid), "user": user})
    return found


def test_one_daemon_per_configured_process(daemons, cfg):
    assert len(daemons) == cfg.processes


def test_daemons_run_as_the_daemon_user(daemons, cfg):
    assert daemons
    assert {daemon["user"] for daemon in daemons} == {cfg.user}


def test_daemons_are_children_of_the_apache_master(daemons, apache_master_pid):
    assert daemons
    assert {daemon["ppid"] for daemon in daemons} == {apache_master_pid}


def test_daemons_run_in_the_user_home(host, daemons, cfg):
    for daemon in daemons:
        assert host.check_output(f"readlink /proc/{daemon['pid']}/cwd") == cfg.user_home

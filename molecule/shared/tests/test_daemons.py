"""The mod_wsgi daemon processes, as `ps` shows them."""


def test_one_daemon_per_configured_process(daemons, cfg):
    assert len(daemons) == cfg.processes


def test_daemons_run_as_the_daemon_user(daemons, cfg):
    assert daemons
    assert {daemon["user"] for daemon in daemons} == {cfg.user}


def test_daemons_are_children_of_the_apache_master(daemons, apache_master_pid):
    assert daemons
    assert {daemon["ppid"] for daemon in daemons} == {apache_master_pid}

"""The lb tag: --skip-tags lb leaves the load balancers alone (their
configuration and the rotation), --tags lb changes them alone."""

import json

from test_cluster import LB_HOST, WEB_HOSTS

from conftest import changed_tasks, play, ran_tasks

testinfra_hosts = [f"ansible://{LB_HOST}"]
CONFIG = "/etc/haproxy/haproxy.cfg"
CHANGED = json.dumps({"haproxy_lb_check_interval": 1500})


def test_the_lb_tag_selects_the_load_balancers(host):
    before = host.file(CONFIG).content_string
    try:
        rc, report = play("--skip-tags", "lb", "-e", CHANGED)
        assert rc == 0, report["stats"]
        assert host.file(CONFIG).content_string == before
        assert ran_tasks(report, LB_HOST) == []
        assert all(changed_tasks(report, name) == [] for name in WEB_HOSTS)

        rc, report = play("--tags", "lb", "-e", CHANGED)
        assert rc == 0, report["stats"]
        assert "inter 1500 " in host.file(CONFIG).content_string
        assert "config" in changed_tasks(report, LB_HOST)
        # Nothing of the web hosts' is in the lb part: they are read, not deployed.
        assert all(changed_tasks(report, name) == [] for name in WEB_HOSTS)
    finally:
        rc, report = play()
    assert rc == 0, report["stats"]
    assert host.file(CONFIG).content_string == before

"""The apache_server role's apply entry point is one task: the action
checks its arguments, then runs the steps on the host."""

import pytest
from ansible.errors import AnsibleError
from ansible_collections.flaskwsgi.deploy.plugins.action import apache_apply
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.action.action_run import Host, action, on_host


def test_the_steps_run_on_the_host_with_the_given_server():
    host = Host(service={"changed": True})
    plugin = action(
        apache_apply,
        action="restart",
        ctl="/usr/sbin/apache2ctl",
        note="/var/lib/apache_server/pending",
        apps_dir="/var/lib/flask_wsgi",
        require=["shop"],
        after="Apache's restart for its server-wide configuration",
    )
    result = on_host(plugin, host).run(task_vars={})

    assert host.modules() == ["command", "service", "file", "healthcheck"]
    assert host.calls[1][1] == {"name": "apache2", "state": "restarted"}
    assert host.calls[3][1]["apps"]["after"] == "Apache's restart for its server-wide configuration"
    assert (result["applied"], result["changed"]) == ("restart", True)


def test_check_mode_only_reports_the_restart():
    host = Host(service={"changed": True})
    result = on_host(action(apache_apply, check_mode=True, action="reload", require=["shop"]), host).run(task_vars={})

    assert host.modules() == ["service"]
    assert result["changed"] is True


def test_an_unknown_action_is_refused_before_the_host_is_reached():
    host = Host()
    with pytest.raises(AnsibleError, match="action"):
        on_host(action(apache_apply, action="daemons"), host).run(task_vars={})
    assert host.calls == []


def test_the_registry_s_changed_entries_decide_the_action():
    conf = {
        "name": "acme_conf",
        "path": "/etc/apache2/conf-available/acme.conf",
        "source": "text",
        "picks_up": "reload",
    }
    ca = {"name": "acme_ca", "path": "/var/lib/flask_wsgi/acme/ca.pem", "source": "controller_file"}
    only_ca = {"files": {"changed": True, "changed_entries": ["acme_ca"]}}
    host = Host()
    result = on_host(action(apache_apply, action="none", registry=[conf, ca], results=only_ca), host).run(task_vars={})
    assert (result["action"], host.calls) == ("none", [])

    with_conf = {"files": {"changed": True, "changed_entries": ["acme_ca", "acme_conf"]}, "links": {"skipped": True}}
    host = Host(service={"changed": True})
    result = on_host(action(apache_apply, action="none", registry=[conf, ca], results=with_conf), host).run(
        task_vars={}
    )
    assert (result["action"], result["applied"]) == ("reload", "reload")
    assert host.modules() == ["command", "service"]

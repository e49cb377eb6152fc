"""The one apply step (plugins/plugin_utils/applying.py): configtest before
the running server is touched, one action, the note cleared, one health
check; a failure names its step and says what reached the server."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import applying

SERVER = {"ctl": "/usr/sbin/apache2ctl", "service": "apache2", "apps_dir": "/var/lib/flask_wsgi", "exclude": "shop"}
HEALTH = {"url": "http://127.0.0.1/app/", "wait": 10}
DAEMONS = {"display_name": "(wsgi:shop)", "user": "shop", "script": "/srv/shop/current/app.wsgi"}


class Host:
    def __init__(self, **answers):
        self.calls = []
        self.answers = answers

    def __call__(self, module, args):
        self.calls.append((module.rsplit(".", 1)[-1], args))
        return dict(self.answers.get(module.rsplit(".", 1)[-1], {"changed": module.endswith(("service", "file"))}))

    def modules(self):
        return [name for name, _args in self.calls]


def spec(action, **more):
    return applying.applying_spec(action, dict(SERVER, **more), HEALTH, DAEMONS)


@pytest.mark.parametrize(("action", "state"), [("reload", "reloaded"), ("restart", "restarted")])
def test_the_configtest_comes_before_the_one_server_action(action, state):
    host = Host(command={"changed": True, "rc": 0})
    result = applying.apply(host, spec(action), check_mode=False)

    assert host.modules() == ["command", "service", "healthcheck"]
    assert host.calls[0][1] == {"argv": ["/usr/sbin/apache2ctl", "configtest"]}
    assert host.calls[1][1] == {"name": "apache2", "state": state}
    assert (result["applied"], result["changed"]) == (action, True)
    # The configtest is a check: it changes nothing.
    assert result["steps"]["configtest"]["changed"] is False
    assert not result.get("failed")


def test_a_refused_configuration_never_reaches_the_server():
    host = Host(command={"failed": True, "rc": 1, "stderr": "AH00526: Syntax error"})
    result = applying.apply(host, spec("reload"), check_mode=False)

    assert host.modules() == ["command"]
    assert result["failed"]
    assert result["failed_step"] == "configtest"
    assert result["applied"] == "none"
    assert "AH00526: Syntax error" in result["msg"]


def test_a_failed_reload_counts_as_reaching_the_server():
    host = Host(service={"failed": True, "msg": "Job for apache2.service failed"})
    result = applying.apply(host, spec("reload"), check_mode=False)

    assert result["failed_step"] == "server"
    assert result["applied"] == "reload"
    assert "Job for apache2.service failed" in result["msg"]


def test_the_other_applications_are_asked_only_after_a_reload_or_restart():
    host = Host()
    applying.apply(host, spec("reload", require=["blog"], wait=5), check_mode=False)
    apps = host.calls[-1][1]["apps"]
    assert apps == {
        "dir": "/var/lib/flask_wsgi",
        "exclude": "shop",
        "require": ["blog"],
        "wait": 5.0,
        "after": "Apache's reload for shop",
    }
    assert host.calls[-1][1]["healthcheck"] == HEALTH

    host = Host(flask_wsgi_daemons={"changed": True})
    result = applying.apply(host, spec("daemons", require=["blog"]), check_mode=False)
    assert host.modules() == ["flask_wsgi_daemons", "healthcheck"]
    assert "apps" not in host.calls[-1][1]
    assert result["applied"] == "daemons"


def test_nothing_to_apply_still_checks_the_application():
    host = Host()
    result = applying.apply(host, spec("none"), check_mode=False)
    assert host.modules() == ["healthcheck"]
    assert (result["applied"], result["changed"]) == ("none", False)


def test_a_failed_health_check_fails_the_step_after_the_reload():
    host = Host(healthcheck={"failed": True, "msg": "http://127.0.0.1/app/ answered 500"})
    result = applying.apply(host, spec("reload"), check_mode=False)

    assert result["failed_step"] == "health"
    assert result["applied"] == "reload"
    assert result["msg"] == "The health check failed: http://127.0.0.1/app/ answered 500"


def test_the_note_is_cleared_once_the_change_is_live():
    host = Host()
    applying.apply(host, spec("restart", note="/var/lib/apache_server/pending"), check_mode=False)
    assert host.modules() == ["command", "service", "file", "healthcheck"]
    assert host.calls[2][1] == {"path": "/var/lib/apache_server/pending", "state": "absent"}

    host = Host(service={"failed": True, "msg": "no"})
    applying.apply(host, spec("restart", note="/var/lib/apache_server/pending"), check_mode=False)
    assert "file" not in host.modules()


def test_check_mode_asks_nothing_it_cannot():
    host = Host()
    result = applying.apply(host, spec("restart", require=["blog"]), check_mode=True)
    assert host.modules() == ["service"]
    assert (result["applied"], result["changed"]) == ("restart", True)


def test_a_bad_action_is_refused():
    assert applying.refusal({"action": "reboot"}).startswith("action must be one of")
    assert applying.refusal({"action": "reload"}) == ""
    assert applying.refusal({"action": "daemons"}) == "the daemons action needs the daemons to restart"
    result = applying.apply(Host(), {"action": "reboot"}, check_mode=False)
    assert result["failed"]
    assert result["applied"] == "none"


def test_the_record_runs_once_the_application_answers():
    record = [("record", "flaskwsgi.deploy.managed_files", {"files": []}), ("release", "m.flask_wsgi_release", {})]
    host = Host(managed_files={"changed": True, "changed_entries": ["vhost.known_good"]})
    result = applying.apply(host, applying.applying_spec("reload", SERVER, HEALTH, None, record), check_mode=False)

    assert host.modules() == ["command", "service", "healthcheck", "managed_files", "flask_wsgi_release"]
    assert result["changed_entries"] == ["vhost.known_good"]

    host = Host(healthcheck={"failed": True, "msg": "answered 500"})
    applying.apply(host, applying.applying_spec("reload", SERVER, HEALTH, None, record), check_mode=False)
    assert "managed_files" not in host.modules()

    host = Host()
    applying.apply(host, applying.applying_spec("reload", SERVER, HEALTH, None, record), check_mode=True)
    assert host.modules() == ["service"]

    host = Host(flask_wsgi_release={"failed": True, "msg": "disk full"})
    result = applying.apply(host, applying.applying_spec("none", SERVER, None, None, record), check_mode=False)
    assert result["failed_step"] == "release"
    assert result["msg"] == "What is live could not be recorded: disk full"

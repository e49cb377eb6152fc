"""Applications that share Apache: a second application that would answer on
the first one's port for the same names (or with no name) is refused before
any change; one on a port of its own is served beside it; and a run whose
reload leaves another application failing fails, naming it."""

import json

import pytest

from conftest import changed_tasks, failure_message

SECOND = {
    "flask_wsgi_app_src": "",
    "flask_wsgi_entry_point": "",
    "flask_wsgi_requirements_file": "",
    "flask_wsgi_environment": {},
    "flask_wsgi_static": [],
    "flask_wsgi_release_commands": [],
    "flask_wsgi_site_name": "second",
    "flask_wsgi_app_dir": "/srv/second",
    "flask_wsgi_user": "second",
    "flask_wsgi_group": "second",
    "flask_wsgi_process_group": "second",
    "flask_wsgi_mount_path": "/second",
}
SECOND_VHOST = "/etc/apache2/sites-available/second.conf"
OWN_PORT = 8095


@pytest.fixture(scope="module")
def second(host, run_playbook):
    """Runs the scenario's playbook for the second application; removes it
    afterwards."""

    def run(**changes):
        return run_playbook("-e", json.dumps(SECOND | changes))

    yield run
    rc, report = run(flask_wsgi_port=OWN_PORT, flask_wsgi_state="absent")
    assert rc == 0, report["stats"]


@pytest.mark.parametrize("name", ["", "second.example.test"], ids=["no-name", "named-beside-a-nameless-one"])
def test_a_second_application_on_the_first_one_s_port_is_refused_before_any_change(host, cfg, second, http_get, name):
    rc, report = second(flask_wsgi_server_name=name)

    assert rc != 0
    message = failure_message(report, host.backend.get_hostname())
    assert (
        "the site second and the site wsgi (already on the host) would both answer on port 80 with no server name"
        in message
    )
    assert "flask_wsgi_server_name" in message
    assert "flask_wsgi_port" in message
    assert changed_tasks(report, host.backend.get_hostname()) == []
    for path in (SECOND_VHOST, "/srv/second", "/var/lib/flask_wsgi/second"):
        assert not host.file(path).exists, path
    assert not host.user("second").exists
    assert http_get(f"{cfg.url}/")[0] == 200


def test_on_a_port_of_its_own_both_answer(host, cfg, second, http_get):
    rc, report = second(flask_wsgi_port=OWN_PORT)

    assert rc == 0, report["stats"]
    assert http_get(f"http://127.0.0.1:{OWN_PORT}/second/") == (200, "hello world!")
    assert http_get(f"{cfg.url}/")[0] == 200
    record = json.loads(host.file("/var/lib/flask_wsgi/second/app.json").content_string)
    assert (record["ports"], record["names"]) == ([OWN_PORT], [])
    assert record["healthcheck"]["url"] == f"http://127.0.0.1:{OWN_PORT}/second/"


def test_a_reload_that_leaves_another_application_failing_fails_naming_it(host, cfg, second, run_playbook, http_get):
    # The second application's vhost, edited by hand: Apache only reads it
    # at the next reload, which the first application's change brings.
    host.run(f"sed -i 's|WSGIScriptAlias /second|WSGIScriptAlias /moved|' {SECOND_VHOST}")
    vhost_before = host.file(cfg.vhost_path).content_string
    try:
        rc, report = run_playbook("-e", "flask_wsgi_log_level=info")

        assert rc != 0
        message = failure_message(report, host.backend.get_hostname())
        assert "other applications on the host that answered before no longer do" in message
        assert f"second: http://127.0.0.1:{OWN_PORT}/second/ answered 404" in message
        # This run's change is rolled back.
        assert host.file(cfg.vhost_path).content_string == vhost_before
        assert http_get(f"{cfg.url}/")[0] == 200
    finally:
        rc, report = second(flask_wsgi_port=OWN_PORT)
        assert rc == 0, report["stats"]
    assert http_get(f"http://127.0.0.1:{OWN_PORT}/second/") == (200, "hello world!")
    rc, report = run_playbook()
    assert rc == 0, report["stats"]
    assert changed_tasks(report, host.backend.get_hostname()) == []

"""The rolling deploy holds a host's lock from before the host leaves the
load balancers to after it is back: a run that cannot have it stops with
the host still in rotation, having changed nothing."""

import json
import time

from test_cluster import server_states, web

from conftest import changed_tasks, failure_message, play

testinfra_hosts = ["ansible://flask-wsgi-cluster-lb"]

WEB1 = "flask-wsgi-cluster-web1"
LOCK_DIR = "/run/lock/flaskwsgi.deploy"
# Another controller's run, alive as far as this one can tell.
HOLDER = "deploy@elsewhere.example pid 4242 (777)"


def test_a_host_whose_lock_another_run_holds_stays_in_rotation_unchanged(host):
    target = web(WEB1)
    vhost = target.file("/etc/apache2/sites-available/wsgi.conf").content_string
    held = json.dumps({"owner": HOLDER, "since": time.time()})
    target.check_output(f"mkdir -p {LOCK_DIR} && echo '{held}' > {LOCK_DIR}/lock")
    try:
        rc, report = play("--limit", WEB1, "-e", '{"flask_wsgi_log_level": "info", "flask_wsgi_lock_wait": 2}')

        assert rc != 0
        message = failure_message(report, WEB1)
        assert f"Another run is changing {WEB1}: {HOLDER} has held its lock" in message
        assert changed_tasks(report, WEB1) == []
        assert target.file("/etc/apache2/sites-available/wsgi.conf").content_string == vhost
        assert server_states(host)[WEB1] == "UP"
    finally:
        target.check_output(f"rm -f {LOCK_DIR}/lock")

    rc, report = play("--limit", WEB1)
    assert rc == 0, report["stats"]
    assert server_states(host)[WEB1] == "UP"

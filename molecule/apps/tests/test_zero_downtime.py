"""A new release under continuous load: Apache stays up, only the daemon
group restarts, and no request fails."""

import json
import shutil
import time
from pathlib import Path

import pytest

from conftest import apache_main_pid, changed_tasks, ran_tasks

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
LOAD_OUTPUT = "/tmp/flask-wsgi-load.json"
STOP_FILE = "/tmp/flask-wsgi-load.stop"


@pytest.fixture
def release_two(tmp_path):
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / "echo_app" / "release.py").write_text('RELEASE = "2"\n')
    return release


@pytest.fixture
def load(host, cfg):
    """Start 4 clients, each sending up to 20 requests a second, from inside
    the host; stopping returns what they saw."""
    host.run(f"rm -f {STOP_FILE} {LOAD_OUTPUT}")
    host.run(
        f"nohup python3 /usr/local/lib/flask-wsgi-tests/load.py {cfg.url}/ {STOP_FILE} 4 0.05 "
        f"> {LOAD_OUTPUT} 2>&1 < /dev/null &"
    )

    def stop():
        host.run(f"touch {STOP_FILE}")
        for _ in range(60):
            output = host.file(LOAD_OUTPUT).content_string
            if output.strip():
                return json.loads(output)
            time.sleep(1)
        pytest.fail("the load generator did not report")

    yield stop
    host.run(f"touch {STOP_FILE}")


# The host is left running release 2: a deployment as good as the first.
def test_redeploy_under_load_fails_no_request(host, cfg, run_playbook, load, release_two, http_get):
    apache_before = apache_main_pid(host)
    time.sleep(3)

    rc, report = run_playbook("-e", f"flask_wsgi_app_src={release_two}")
    time.sleep(3)
    seen = load()

    assert rc == 0, report["stats"]
    hostname = host.backend.get_hostname()
    assert "Restart the daemon processes for the new code" in changed_tasks(report, hostname)
    # The requirements did not change, so pip did not run.
    assert "Install the requirements into the application's virtualenv" not in ran_tasks(report, hostname)
    assert apache_main_pid(host) == apache_before
    assert seen["errors"] == {}
    assert set(seen["statuses"]) == {"200"}
    assert set(seen["releases"]) == {"1", "2"}
    status, body = http_get(f"{cfg.url}/")
    assert (status, json.loads(body)["release"]) == (200, "2")

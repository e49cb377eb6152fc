"""A new release under continuous load: Apache stays up, only the daemon
group restarts, and no request fails."""

import json
import shutil
import time
from pathlib import Path

import pytest

from conftest import apache_main_pid, changed_tasks, ran_tasks

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"


@pytest.fixture
def release_two(tmp_path):
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / "echo_app" / "release.py").write_text('RELEASE = "2"\n')
    return release


# The host is left running release 2: a deployment as good as the first.
def test_redeploy_under_load_fails_no_request(host, cfg, run_playbook, start_load, release_two, http_get):
    apache_before = apache_main_pid(host)
    stop_load = start_load(f"{cfg.url}/")
    time.sleep(3)

    started = time.time()
    rc, report = run_playbook("-e", f"flask_wsgi_app_src={release_two}")
    ended = time.time()
    time.sleep(3)
    seen = stop_load()

    assert rc == 0, report["stats"]
    hostname = host.backend.get_hostname()
    assert "Restart the daemon processes for the new code" in changed_tasks(report, hostname)
    # The requirements did not change, so pip did not run.
    assert "Install the requirements into the application's virtualenv" not in ran_tasks(report, hostname)
    assert apache_main_pid(host) == apache_before
    assert seen.failures == {}
    seen.assert_flowing(started, ended)
    assert seen.releases == {"1", "2"}
    status, body = http_get(f"{cfg.url}/")
    assert (status, json.loads(body)["release"]) == (200, "2")

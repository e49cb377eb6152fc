"""Two runs against one host never interleave: the changing part of a run
holds the host's lock. A second run waits for it; it fails, naming the
holder, when the wait runs out, and it stops before changing anything when
the first run changed the host after it read it."""

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import changed_tasks, failure_message, play

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
LOCK = "/run/lock/flaskwsgi.deploy/lock"


def slow_release(tmp_path, marker):
    """A new release (the echo application with one more file) whose release
    command keeps the first run in its changing part for a while."""
    release = tmp_path / marker
    shutil.copytree(SOURCE, release)
    (release / "marker.txt").write_text(marker)
    return {"flask_wsgi_app_src": str(release), "flask_wsgi_release_commands": ["sleep 12"]}


def while_the_first_holds_the_lock(host, first_values, second_args):
    """Starts the first run; once it holds the host's lock, the second.
    Returns both runs' (rc, report)."""
    hostname = host.backend.get_hostname()
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(play, "--limit", hostname, "-e", json.dumps(first_values))
        deadline = time.monotonic() + 300
        while host.run(f"test -e {LOCK}").rc != 0:
            assert not first.done(), "the first run ended without taking the lock"
            assert time.monotonic() < deadline
            time.sleep(0.2)
        second = pool.submit(play, "--limit", hostname, *second_args)
        return first.result(), second.result()


def test_a_second_run_gives_up_after_its_wait_naming_the_first(host, cfg, run_playbook, tmp_path):
    hostname = host.backend.get_hostname()
    vhost = host.file(cfg.vhost_path).content_string
    (rc_first, first), (rc_second, second) = while_the_first_holds_the_lock(
        host,
        slow_release(tmp_path, "one"),
        ["-e", json.dumps({"flask_wsgi_lock_wait": 3, "flask_wsgi_log_level": "info"})],
    )

    assert rc_first == 0, failure_message(first, hostname)
    assert rc_second != 0
    message = failure_message(second, hostname)
    assert f"Another run is changing {hostname}:" in message
    assert "has held its lock" in message
    assert "flask_wsgi_lock_wait" in message
    assert changed_tasks(second, hostname) == []
    assert host.file(cfg.vhost_path).content_string == vhost
    assert not host.file(LOCK).exists


def test_a_second_run_that_waited_while_the_host_changed_stops_unchanged(host, cfg, run_playbook, http_get, tmp_path):
    hostname = host.backend.get_hostname()
    vhost = host.file(cfg.vhost_path).content_string
    (rc_first, first), (rc_second, second) = while_the_first_holds_the_lock(
        host, slow_release(tmp_path, "two"), ["-e", "flask_wsgi_log_level=info"]
    )

    assert rc_first == 0, failure_message(first, hostname)
    assert rc_second != 0
    message = failure_message(second, hostname)
    assert "changed " + hostname + " after this run read it" in message
    assert "run it again" in message
    assert changed_tasks(second, hostname) == []
    # The first run's release is served, and its vhost untouched by the second.
    assert host.file(cfg.vhost_path).content_string == vhost
    assert http_get(f"{cfg.url}/")[0] == 200
    assert not host.file(LOCK).exists

    # Run again, it applies what it wants on the host as it is now.
    rc, report = run_playbook("-e", "flask_wsgi_log_level=info")
    assert rc == 0, report["stats"]
    assert "LogLevel info" in host.file(cfg.vhost_path).content_string
    rc, report = run_playbook()
    assert rc == 0, report["stats"]

"""Releases under continuous load: a new release, daemons killed in a loop
while it is deployed, and going back to an earlier release on demand. Apache
stays up, no request fails, and every answer comes from one whole release:
the application imports a module on each process's first request, so a
process that mixed two releases would say so."""

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import SERVE_RELEASE, apache_main_pid, changed_tasks, ran_tasks

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"


def make_release(directory, name):
    shutil.copytree(SOURCE, directory)
    (directory / "echo_app" / "release.py").write_text(f'RELEASE = "{name}"\n')
    (directory / "echo_app" / "late.py").write_text(f'LATE = "{name}"\n')
    return directory


def served(http_get, cfg):
    status, body = http_get(f"{cfg.url}/")
    assert status == 200, body
    return json.loads(body)["release"]


def current_release(host, cfg):
    return host.check_output(f"readlink {cfg.current}").rpartition("/")[2]


# The host is left running release 2: a deployment as good as the first.
def test_redeploy_under_load_fails_no_request(host, cfg, run_playbook, start_load, tmp_path, http_get):
    apache_before = apache_main_pid(host)
    stop_load = start_load(f"{cfg.url}/")
    time.sleep(3)

    started = time.time()
    rc, report = run_playbook("-e", f"flask_wsgi_app_src={make_release(tmp_path / 'echo', '2')}")
    ended = time.time()
    time.sleep(3)
    seen = stop_load()

    assert rc == 0, report["stats"]
    hostname = host.backend.get_hostname()
    assert SERVE_RELEASE in changed_tasks(report, hostname)
    # The requirements did not change, so pip did not run.
    assert "Install the requirements into a virtualenv of their own" not in ran_tasks(report, hostname)
    assert apache_main_pid(host) == apache_before
    assert seen.failures == {}
    seen.assert_flowing(started, ended)
    assert seen.releases == {"1", "2"}
    assert served(http_get, cfg) == "2"


def test_daemons_killed_in_a_loop_during_a_deploy_see_one_release_each(
    host, cfg, run_playbook, start_load, tmp_path, http_get
):
    """Every daemon process is stopped (SIGTERM: mod_wsgi lets its requests
    finish) every half second while release 3 is built and switched to, and
    for two seconds after the switch, so that processes start, and import
    the late module, on both sides of it. (Killed on, the daemons could never
    all pass the health check.)"""
    release_two = current_release(host, cfg)
    stop_load = start_load(f"{cfg.url}/")
    stop_killing = threading.Event()
    kills = []

    def kill_loop():
        switched_at = None
        while not stop_killing.is_set():
            # mod_wsgi writes the display name over the daemons' command line.
            # pkill -e names each process it signalled: real kills are counted.
            signalled = host.run(f"pkill -e -TERM -u {cfg.user} -f '^{cfg.display_name}'").stdout
            kills.extend(line for line in signalled.splitlines() if " killed (pid " in line)
            if switched_at is None and current_release(host, cfg) != release_two:
                switched_at = time.time()
            if switched_at is not None and time.time() - switched_at > 2:
                return
            stop_killing.wait(0.5)

    killer = threading.Thread(target=kill_loop)
    killer.start()
    try:
        time.sleep(2)
        rc, report = run_playbook("-e", f"flask_wsgi_app_src={make_release(tmp_path / 'echo3', '3')}")
        time.sleep(2)
    finally:
        stop_killing.set()
        killer.join()
    time.sleep(2)
    seen = stop_load()

    assert rc == 0, report["stats"]
    assert len(kills) >= 4, f"only {len(kills)} daemon processes were killed: {kills}"
    assert seen.failures == {}
    assert seen.releases == {"2", "3"}, "a process answered from a mixed release"
    assert served(http_get, cfg) == "3"

    # Back to release 2 on demand, under load: no copy, no pip, no failure.
    stop_load = start_load(f"{cfg.url}/")
    time.sleep(2)
    started = time.time()
    rc, report = run_playbook("-e", "flask_wsgi_release=previous")
    ended = time.time()
    time.sleep(2)
    seen = stop_load()

    assert rc == 0, report["stats"]
    ran = ran_tasks(report, host.backend.get_hostname())
    assert "Unpack the release" not in ran
    assert "Install the requirements into a virtualenv of their own" not in ran
    assert seen.failures == {}
    seen.assert_flowing(started, ended)
    assert served(http_get, cfg) == "2"
    assert current_release(host, cfg) == release_two


@pytest.mark.parametrize("name", ["3", "2"])
def test_a_release_named_by_its_id_is_served_again(host, cfg, run_playbook, http_get, name):
    # The release directory whose code says it is release NAME.
    found = host.check_output(f"grep -l 'RELEASE = \"{name}\"' {cfg.app_dir}/releases/*/echo_app/release.py")
    wanted = found.split("/")[-3]

    rc, report = run_playbook("-e", f"flask_wsgi_release={wanted}")

    assert rc == 0, report["stats"]
    assert current_release(host, cfg) == wanted
    assert served(http_get, cfg) == name


def test_a_release_that_is_not_there_is_refused_by_name(host, cfg, run_playbook, http_get):
    before = current_release(host, cfg)
    rc, report = run_playbook("-e", "flask_wsgi_release=0badc0ffee00")
    assert rc != 0
    assert "flask_wsgi_release is 0badc0ffee00, but there is no release 0badc0ffee00" in json.dumps(report)
    assert current_release(host, cfg) == before

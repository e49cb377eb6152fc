"""Faults: broken releases are rolled back, a bad directive never reaches the
running server, a killed daemon comes back, an interrupted run is finished."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SERVE_RELEASE, apache_main_pid, changed_tasks, failure_message, list_daemons

BROKEN_APPS = {
    "syntax-error": "def application(environ, start_response:\n",
    "missing-module": "import no_such_module_anywhere\n\napplication = no_such_module_anywhere.app\n",
    "no-application-callable": "from flask import Flask\n\napp = Flask(__name__)\n",
}


def daemon_pids(host, cfg):
    return {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}


def fast_healthcheck():
    return ["-e", "flask_wsgi_healthcheck_retries=2", "-e", "flask_wsgi_healthcheck_delay=1"]


@pytest.mark.parametrize("kind", BROKEN_APPS)
def test_broken_release_is_rolled_back(host, cfg, http_get, run_playbook, tmp_path, kind):
    good_script = host.file(cfg.script_path).content_string
    broken = tmp_path / cfg.script_name
    broken.write_text(BROKEN_APPS[kind])

    rc, report = run_playbook("-e", f"flask_wsgi_script_src={broken}", *fast_healthcheck())

    hostname = host.backend.get_hostname()
    assert rc != 0
    assert report["stats"][hostname]["rescued"] == 1
    message = failure_message(report, hostname)
    assert f'failed at "{SERVE_RELEASE}"' in message
    assert "The last good deployment was restored and answers again." in message
    assert host.file(cfg.script_path).content_string == good_script
    assert http_get(cfg.url) == (200, "hello world!")


# The third daemon process to load it fails: each takes the next free slot.
ONE_DAEMON_FAILS = """import os

from flask import Flask

SLOTS = "/var/tmp/flask-wsgi-slots-{token}"
os.makedirs(SLOTS, exist_ok=True)
slot = 0
while True:
    try:
        os.close(os.open(os.path.join(SLOTS, str(slot)), os.O_CREAT | os.O_EXCL))
        break
    except FileExistsError:
        slot += 1
if slot == 2:
    raise RuntimeError("the third daemon process cannot start")

application = Flask(__name__)


@application.route("/")
def hello():
    return "hello world!"
"""


def test_one_daemon_process_that_cannot_start_fails_the_deploy(host, cfg, http_get, run_playbook, tmp_path):
    """Three daemon processes, the third cannot import the code: a request
    answers 200 from one of the others, but the deploy fails, naming the
    process count, and is rolled back."""
    good_script = host.file(cfg.script_path).content_string
    script = tmp_path / cfg.script_name
    script.write_text(ONE_DAEMON_FAILS.format(token=os.urandom(6).hex()))

    # Time for three processes to start twice (the deploy, the rollback).
    rc, report = run_playbook(
        "-e",
        f"flask_wsgi_script_src={script}",
        "-e",
        "flask_wsgi_processes=3",
        "-e",
        "flask_wsgi_healthcheck_retries=6",
        "-e",
        "flask_wsgi_healthcheck_delay=1",
    )

    hostname = host.backend.get_hostname()
    assert rc != 0
    message = failure_message(report, hostname)
    assert "The health check failed" in message
    assert "answered 200, but not every daemon process loaded the application" in message
    assert "3 of 3 daemon processes running (2 loaded, 1 failed)" in message
    assert "The last good deployment was restored and answers again." in message
    assert host.file(cfg.script_path).content_string == good_script
    assert http_get(cfg.url) == (200, "hello world!")

    rc, report = run_playbook()
    assert rc == 0
    assert changed_tasks(report, hostname) == []


def test_an_environment_the_daemons_cannot_load_fails_the_deploy(host, cfg, http_get, run_playbook):
    """The daemons in the C locale, as Apache starts them on Debian 12 (this
    scenario's host) without lang=: a non-ASCII value cannot go into their
    os.environ, and the application would run with none of its variables.
    A request alone still answers 200; the per-process check fails the
    deploy with the reason, and the deploy is rolled back."""
    good_vhost = host.file(cfg.vhost_path).content_string

    rc, report = run_playbook(
        "-e",
        "flask_wsgi_locale=C",
        "-e",
        json.dumps({"flask_wsgi_environment": {"GREETING": "gr\u00fc\u00dfe"}}),
        *fast_healthcheck(),
    )

    hostname = host.backend.get_hostname()
    assert rc != 0
    message = failure_message(report, hostname)
    assert "The health check failed" in message
    assert "without the environment" in message
    assert "the application's environment did not load: 'ascii' codec can't encode" in message
    assert "The last good deployment was restored and answers again." in message
    assert host.file(cfg.vhost_path).content_string == good_vhost
    assert http_get(cfg.url) == (200, "hello world!")

    rc, report = run_playbook()
    assert rc == 0


def test_broken_release_with_new_config_restores_both(host, cfg, http_get, run_playbook, tmp_path):
    good_vhost = host.file(cfg.vhost_path).content_string
    broken = tmp_path / cfg.script_name
    broken.write_text(BROKEN_APPS["syntax-error"])

    rc, report = run_playbook(
        "-e", f"flask_wsgi_script_src={broken}", "-e", f"flask_wsgi_threads={cfg.threads + 1}", *fast_healthcheck()
    )

    hostname = host.backend.get_hostname()
    assert rc != 0
    # Reloaded for the new configuration, then again for the restored one.
    assert changed_tasks(report, hostname).count("Apache reloaded") == 2
    assert host.file(cfg.vhost_path).content_string == good_vhost
    assert http_get(cfg.url) == (200, "hello world!")


def test_bad_directive_never_reaches_the_running_server(host, cfg, http_get, run_playbook):
    good_vhost = host.file(cfg.vhost_path).content_string
    master_before = apache_main_pid(host)
    daemons_before = daemon_pids(host, cfg)

    rc, report = run_playbook("-e", '{"flask_wsgi_vhost_extra_directives": ["NoSuchDirective on"]}')

    hostname = host.backend.get_hostname()
    assert rc != 0
    message = failure_message(report, hostname)
    assert "Apache refuses the new configuration (configtest)" in message
    assert "Invalid command 'NoSuchDirective'" in message
    assert host.file(cfg.vhost_path).content_string == good_vhost
    assert host.run("apache2ctl configtest").rc == 0
    # Not reloaded: the same master and the same daemons keep serving.
    assert apache_main_pid(host) == master_before
    assert daemon_pids(host, cfg) == daemons_before
    assert http_get(cfg.url) == (200, "hello world!")


def test_killed_daemon_is_respawned(host, cfg, http_get):
    before = daemon_pids(host, cfg)
    assert len(before) == cfg.processes
    victim = min(before)

    host.check_output(f"kill -KILL {victim}")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = daemon_pids(host, cfg)
        if victim not in now and len(now) == cfg.processes:
            break
        time.sleep(0.5)
    assert victim not in now
    assert len(now) == cfg.processes
    assert http_get(cfg.url) == (200, "hello world!")


def test_interrupted_run_is_finished_by_the_next(host, cfg, converge):
    """Killed after writing the vhost, before Apache was reloaded: the next
    run sees the change is not applied yet, and applies it."""
    threads = cfg.threads + 4
    daemons_before = daemon_pids(host, cfg)
    command = [
        "ansible-playbook",
        "-i",
        os.environ["MOLECULE_INVENTORY_FILE"],
        "--limit",
        host.backend.get_hostname(),
        str(Path(os.environ["MOLECULE_SCENARIO_DIRECTORY"]).parent / "shared" / "converge.yml"),
        "-e",
        f"flask_wsgi_threads={threads}",
    ]
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_FORCE_COLOR="0", PYTHONUNBUFFERED="1")
    play = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in play.stdout:
            # The role's name before " : " is its FQCN when the playbook names it so.
            if line.startswith("TASK [") and "flask_wsgi : Enable the Apache modules and the site]" in line:
                break
        else:
            pytest.fail("the play ended before the vhost was written")
    finally:
        os.killpg(play.pid, signal.SIGKILL)
        play.wait()

    assert f"threads={threads} " in host.file(cfg.vhost_path).content_string
    assert daemon_pids(host, cfg) == daemons_before, "the interrupted run reloaded Apache"
    # The killed run still holds the host's lock; the next run, from the
    # same controller, sees its process gone and takes the lock over at once.
    assert f"pid {play.pid} " in host.file("/run/lock/flaskwsgi.deploy/lock").content_string

    changed = converge("-e", f"flask_wsgi_threads={threads}", "-e", "flask_wsgi_lock_wait=0")

    assert "Apache reloaded" in changed
    assert not daemons_before & daemon_pids(host, cfg)


def test_failed_first_deploy_says_there_is_nothing_to_roll_back_to(
    host, cfg, http_get, run_playbook, converge, tmp_path
):
    """With no earlier good deployment, the failed one stays and says so.
    (The converge fixture puts the good release back afterwards.)"""
    host.check_output(f"rm -r {cfg.state_dir}/{cfg.site_name}")
    broken = tmp_path / cfg.script_name
    broken.write_text(BROKEN_APPS["missing-module"])

    rc, report = run_playbook("-e", f"flask_wsgi_script_src={broken}", *fast_healthcheck())

    assert rc != 0
    message = failure_message(report, host.backend.get_hostname())
    assert "There was no earlier good deployment to roll back to" in message
    assert host.file(cfg.script_path).content_string == BROKEN_APPS["missing-module"]
    assert http_get(cfg.url)[0] == 500


def test_failed_first_deploy_apache_rejects_leaves_apache_valid(host, cfg, run_playbook, converge):
    """With no earlier good deployment and a configuration Apache rejects, the
    site is disabled: Apache's configuration still passes configtest, so a
    restart for any reason cannot take the host's other sites down. (The
    converge fixture puts the good release back afterwards.)"""
    host.check_output(f"rm -r {cfg.state_dir}/{cfg.site_name}")

    rc, report = run_playbook("-e", json.dumps({"flask_wsgi_vhost_extra_directives": ["NoSuchDirective on"]}))

    assert rc != 0
    message = failure_message(report, host.backend.get_hostname())
    assert "its site was disabled" in message
    assert not host.file(f"/etc/apache2/sites-enabled/{cfg.site_name}.conf").exists
    assert host.run("apache2ctl configtest").rc == 0
    assert host.run("systemctl restart apache2").rc == 0

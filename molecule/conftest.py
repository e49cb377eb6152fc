"""Fixtures shared by the testinfra suites of every molecule scenario.

Expected values come from the host's inventory variables, falling back to the
role's documented defaults written out here (not read from the role), so a
default that drifts from the documentation fails the default scenario.
"""

import collections
import itertools
import json
import os
import shlex
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

DOCUMENTED_DEFAULTS = {
    "flask_wsgi_user": "wsgi",
    "flask_wsgi_log_level": "warn wsgi:info",
    "flask_wsgi_group": "wsgi",
    "flask_wsgi_user_shell": "/usr/sbin/nologin",
    "flask_wsgi_app_dir": "/var/www/flaskapp",
    "flask_wsgi_script_src": "flaskapp.wsgi",
    "flask_wsgi_script_name": "flaskapp.wsgi",
    "flask_wsgi_process_group": "flaskapp",
    "flask_wsgi_processes": "auto",
    "flask_wsgi_threads": 2,
    "flask_wsgi_mount_path": "/app",
    "flask_wsgi_site_name": "wsgi",
    "flask_wsgi_port": 80,
    "flask_wsgi_server_name": "",
    "flask_wsgi_tls_enabled": False,
    "flask_wsgi_tls_port": 443,
    "flask_wsgi_tls_certificate_file": "",
    "flask_wsgi_tls_key_file": "",
    "flask_wsgi_tls_redirect": True,
    "flask_wsgi_tls_hsts_max_age": 0,
    "flask_wsgi_umask": "0027",
    "flask_wsgi_locale": "C.UTF-8",
    "flask_wsgi_request_timeout": 60,
    "flask_wsgi_queue_timeout": 45,
    "flask_wsgi_graceful_timeout": 15,
    "flask_wsgi_startup_timeout": 15,
    "flask_wsgi_vhost_extra_directives": [],
    "flask_wsgi_state_dir": "/var/lib/flask_wsgi",
    # The server-wide settings, the apache_server role's.
    "apache_server_hardening": True,
    "apache_server_disable_autoindex": True,
    "apache_server_disable_default_site": True,
    "apache_server_mpm": "event",
    "apache_server_status": False,
    "apache_server_status_path": "/server-status",
}

PROJECT_DIR = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[1]))


@pytest.fixture(scope="module")
def cfg(host):
    """The role settings this host was deployed with."""
    inventory = host.ansible.get_variables()
    values = {key: inventory.get(key, default) for key, default in DOCUMENTED_DEFAULTS.items()}
    user = values["flask_wsgi_user"]
    group = values["flask_wsgi_process_group"]
    settings = SimpleNamespace(
        **{key.removeprefix("flask_wsgi_").removeprefix("apache_server_"): value for key, value in values.items()}
    )
    if settings.processes == "auto":
        settings.processes = int(host.check_output("nproc"))
    settings.user_home = inventory.get("flask_wsgi_user_home", f"/var/lib/{user}")
    settings.display_name = inventory.get("flask_wsgi_display_name", group)
    settings.document_root = inventory.get("flask_wsgi_document_root", f"{settings.app_dir}-public")
    # mod_wsgi reaches the release served through this link.
    settings.current = f"{settings.app_dir}/current"
    settings.script_path = f"{settings.current}/{settings.script_name}"
    source = Path(settings.script_src)
    settings.script_source = source if source.is_absolute() else PROJECT_DIR / "roles" / "flask_wsgi" / "files" / source
    settings.vhost_path = f"/etc/apache2/sites-available/{settings.site_name}.conf"
    settings.url = f"http://127.0.0.1:{settings.port}{settings.mount_path}"
    return settings


def curl(host, url, host_header=None, *options):
    """curl URL from inside the container; its output. Certificates are not
    checked: the URLs are the container's own loopback address."""
    header = f"-H {shlex.quote('Host: ' + host_header)} " if host_header else ""
    result = host.run(f"curl -sS -k --max-time 10 {header}{' '.join(options)} {shlex.quote(url)}")
    assert result.rc == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def http_get(host, cfg):
    """GET a URL from inside the container; returns (status, body)."""

    def get(url, host_header=None):
        marker = "\n--status--"
        output = curl(host, url, host_header, "-w", shlex.quote(marker + "%{http_code}"))
        body, _, status = output.rpartition(marker)
        return int(status), body

    return get


def response_headers(host, url, host_header=None):
    """GET a URL from inside the container; returns the response's headers."""
    return curl(host, url, host_header, "-o /dev/null", "-D -")


def directives(content, name):
    """The arguments of every line that starts with directive NAME."""
    lines = [line.split() for line in content.splitlines()]
    return [words[1:] for words in lines if words and words[0] == name]


def directive(content, name):
    """The arguments of directive NAME, which every line that sets it (one
    per virtual host) gives alike."""
    matches = directives(content, name)
    assert matches, f"no {name} line"
    assert all(match == matches[0] for match in matches), f"{name} set differently: {matches}"
    return matches[0]


def apache_main_pid(host):
    pid = int(host.check_output("systemctl show --property MainPID --value apache2"))
    assert pid > 0, "apache2.service has no main process"
    return pid


@pytest.fixture(scope="module")
def apache_master_pid(host):
    return apache_main_pid(host)


def list_daemons(host, display_name):
    """Processes whose command line is the display name: the WSGI daemons."""
    found = []
    for row in host.check_output("ps -eo pid=,ppid=,user:64=,args=").splitlines():
        pid, ppid, user, args = row.split(None, 3)
        if args.split()[0] == display_name:
            found.append({"pid": int(pid), "ppid": int(ppid), "user": user})
    return found


@pytest.fixture(scope="module")
def daemons(host, cfg):
    return list_daemons(host, cfg.display_name)


def play(*extra_args, playbook=None):
    """Run PLAYBOOK, by default the scenario's converge playbook (the
    project's site.yml), with EXTRA_ARGS; returns the exit code and the JSON
    report."""
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_CALLBACK_RESULT_FORMAT="json")
    playbook = playbook or Path(os.environ["MOLECULE_SCENARIO_DIRECTORY"]).parent / "shared" / "converge.yml"
    completed = subprocess.run(
        ["ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"], str(playbook), *extra_args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"ansible-playbook printed no JSON report:\n{completed.stdout}\n{completed.stderr}")
    return completed.returncode, report


@pytest.fixture(scope="module")
def run_playbook(host):
    """Run the scenario's converge playbook against this host only."""

    def run(*extra_args):
        return play("--limit", host.backend.get_hostname(), *extra_args)

    return run


@pytest.fixture
def converge(host, run_playbook):
    """Run the playbook with extra arguments; returns the changed task names.
    The host is converged again, with the scenario's own values, afterwards."""

    def run(*extra_args):
        rc, report = run_playbook(*extra_args)
        assert rc == 0, report["stats"]
        return changed_tasks(report, host.backend.get_hostname())

    yield run
    rc, report = run_playbook()
    assert rc == 0, report["stats"]


def ran_tasks(report, hostname):
    """Names (without the role prefix) of the tasks that ran on HOSTNAME."""
    return [
        task["task"]["name"].split(" : ", 1)[-1]
        for play in report["plays"]
        for task in play["tasks"]
        if hostname in task["hosts"] and not task["hosts"][hostname].get("skipped")
    ]


# The one call that serves a new release (or one asked for) when nothing
# else changes: unpack, switch, restart the daemons, health check, record.
SERVE_RELEASE = "Serve the release and check that it answers"


# What an apply step (flaskwsgi.deploy.apache_apply, or flask_wsgi's apply
# stage) reports it did to the running server, as changed_tasks names it.
APPLIED = {"restart": "Apache restarted", "reload": "Apache reloaded", "daemons": "Daemons restarted"}


def changed_tasks(report, hostname):
    """Names (without the role prefix) of the tasks and handlers that
    reported a change on HOSTNAME; for a task that writes registry files
    (flaskwsgi.deploy.managed_files), the names of the entries it changed
    ("vhost", "environment", "vhost.known_good", ...); for an apply step,
    what reached the running server (APPLIED), then the entries its record
    wrote."""
    changed = []
    for play in report["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get(hostname, {})
            if not result.get("changed"):
                continue
            if result.get("applied") in APPLIED:
                changed.append(APPLIED[result["applied"]])
            if "changed_entries" in result:
                changed += result["changed_entries"]
            if result.get("applied") not in APPLIED and "changed_entries" not in result:
                changed.append(task["task"]["name"].split(" : ", 1)[-1])
    return changed


def failure_message(report, hostname):
    """The message of the last task that failed on HOSTNAME."""
    messages = [
        task["hosts"][hostname].get("msg", "")
        for play in report["plays"]
        for task in play["tasks"]
        if task["hosts"].get(hostname, {}).get("failed")
    ]
    assert messages, "no task failed"
    return messages[-1]


LOAD_OUTPUT = "/tmp/flask-wsgi-load.json"
LOAD_STOP_FILE = "/tmp/flask-wsgi-load.stop"
# The longest a client may go without an answered request while the window
# it watches is open: a server that stops answering, or makes requests hang,
# for longer is caught even though no request failed.
LOAD_MAX_GAP = 5.0


class LoadReport:
    """What the load clients saw (molecule/shared/files/load.py): every
    request with when it ended, its outcome and the release that answered."""

    def __init__(self, data):
        self.requests = [tuple(request) for request in data["requests"]]

    @property
    def failures(self):
        """Failed requests by kind of failure."""
        return dict(collections.Counter(outcome for _, outcome, _ in self.requests if outcome != "ok"))

    @property
    def releases(self):
        """The releases that answered."""
        return {release for _, outcome, release in self.requests if outcome == "ok"}

    def answered(self):
        return [when for when, outcome, _ in self.requests if outcome == "ok"]

    def assert_flowing(self, start, end, max_gap=LOAD_MAX_GAP):
        """Requests were answered before START, after END, and all through
        the window between, with no gap longer than MAX_GAP seconds."""
        answered = self.answered()
        before = [when for when in answered if when < start]
        after = [when for when in answered if when > end]
        assert before, "no request was answered before the window opened"
        assert after, "no request was answered after the window closed"
        times = [before[-1], *(when for when in answered if start <= when <= end), after[0]]
        gap, at = max((later - earlier, earlier) for earlier, later in itertools.pairwise(times))
        assert gap <= max_gap, f"no request was answered for {gap:.1f} s from {at - start:+.1f} s into the window"


@pytest.fixture
def start_load(host):
    """start_load(url, clients=4, pause=0.05) starts CLIENTS clients, each
    sending a request to URL, then pausing PAUSE seconds, from inside the host (molecule/shared/files/load.py, which
    the scenario's prepare copies there); it returns stop(), which stops
    them and returns what they saw as a LoadReport. They are stopped after
    the test anyway."""

    def stop():
        host.run(f"touch {LOAD_STOP_FILE}")
        for _ in range(60):
            output = host.file(LOAD_OUTPUT).content_string
            try:
                return LoadReport(json.loads(output))
            except json.JSONDecodeError:
                # Not written yet, or not written to the end.
                time.sleep(1)
        pytest.fail("the load generator did not report")

    def start(url, clients=4, pause=0.05):
        host.run(f"rm -f {LOAD_STOP_FILE} {LOAD_OUTPUT}")
        host.run(
            f"nohup python3 /usr/local/lib/flask-wsgi-tests/load.py {shlex.quote(url)} {LOAD_STOP_FILE} "
            f"{clients} {pause} "
            f"> {LOAD_OUTPUT} 2>&1 < /dev/null &"
        )
        return stop

    yield start
    host.run(f"touch {LOAD_STOP_FILE}")

"""HAProxy in front of three application servers; rolling deploys through
it. Every test runs on the load balancer, and reaches the application
servers through testinfra."""

import datetime
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import testinfra

from conftest import play, ran_tasks

testinfra_hosts = ["ansible://flask-wsgi-cluster-lb"]
LB_HOST = "flask-wsgi-cluster-lb"

WEB_HOSTS = ["flask-wsgi-cluster-web1", "flask-wsgi-cluster-web2", "flask-wsgi-cluster-web3"]
WEB_PLAY = "Serve the Flask application with Apache and mod_wsgi, a few hosts at a time"
SOURCE = Path(__file__).resolve().parents[1] / "files" / "release_app"
# The role's task that starts the steps that change the host.
DEPLOY_STEPS = "flask_wsgi : Bring the host to the state it should be in"
SAMPLER = "/usr/local/lib/flask-wsgi-tests/haproxy_sampler.py"
SAMPLER_OUTPUT = "/tmp/haproxy-samples.json"
SAMPLER_STOP_FILE = "/tmp/haproxy-samples.stop"
DEPLOY_WITHOUT_DRAIN = Path(__file__).resolve().parents[1] / "files" / "deploy_without_drain.yml"
SOCKET_COMMAND = (
    "python3 -c \"import socket; s = socket.socket(socket.AF_UNIX); s.connect('/run/haproxy/admin.sock'); "
    "s.sendall(b'{command}\\n'); print(s.makefile().read())\""
)
SHOW_STAT = SOCKET_COMMAND.format(command="show stat")


def web(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def release_on(name):
    """The release a web host serves, asked on the host itself."""
    return json.loads(web(name).check_output("curl -sS --max-time 10 http://127.0.0.1/app/"))["release"]


def server_states(host):
    """HAProxy's status of each server of the flaskapp backend."""
    lines = host.check_output(SHOW_STAT).splitlines()
    fields = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(fields, line.split(","), strict=False)) for line in lines[1:] if line]
    # "UP 1/2" is UP, still counting the checks that confirm it.
    return {
        row["svname"]: row["status"].split()[0]
        for row in rows
        if row["pxname"] == "flaskapp" and row["svname"] in WEB_HOSTS
    }


def task_time(stamp):
    """Seconds since the epoch of a time stamp of the JSON callback (UTC)."""
    return datetime.datetime.fromisoformat(stamp.rstrip("Z")).replace(tzinfo=datetime.UTC).timestamp()


def role_of(task):
    """The (short) name of the role a task of the JSON report belongs to."""
    name = task["task"]["name"]
    return name.split(" : ")[0].rsplit(".", 1)[-1] if " : " in name else ""


def deploy_windows(report):
    """Each web host's deploy: from the start of the role's steps that change
    it (after the host reading, which is what decides whether to take the
    host out) to the end of its last task, as (start, end) in seconds since
    the epoch."""
    windows = {}
    for entry in report["plays"]:
        role_tasks = [
            task
            for task in entry["tasks"]
            if role_of(task) == "flask_wsgi" and task["hosts"] and "duration" in task["task"]
        ]
        steps = [task for task in role_tasks if task["task"]["name"].endswith(DEPLOY_STEPS)]
        if not steps:
            continue
        [hostname] = steps[0]["hosts"]
        start = task_time(steps[0]["task"]["duration"]["start"])
        windows[hostname] = (start, task_time(role_tasks[-1]["task"]["duration"]["end"]))
    return windows


def sessions_during_deploys(report, samples):
    """New HAProxy sessions each web host got while it was being deployed:
    its session total after the deploy less the one before it."""
    windows = deploy_windows(report)
    assert set(windows) == set(WEB_HOSTS), windows
    counted = {}
    for hostname, (start, end) in windows.items():
        before = [servers for when, servers in samples if when < start]
        after = [servers for when, servers in samples if when > end]
        inside = [servers for when, servers in samples if start <= when <= end]
        assert before, f"HAProxy was not sampled before {hostname}'s deploy"
        assert after, f"HAProxy was not sampled after {hostname}'s deploy"
        assert len(inside) >= 2, f"HAProxy was sampled {len(inside)} times during {hostname}'s deploy"
        counted[hostname] = after[0][hostname][1] - before[-1][hostname][1]
    return counted


def web_batches(report):
    """The hosts of each batch the rolling deploy ran, in order."""
    return [
        sorted({hostname for task in entry["tasks"] for hostname in task["hosts"]})
        for entry in report["plays"]
        if entry["play"]["name"] == WEB_PLAY
    ]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """Copies of the application as other releases: make(name, code)."""

    def make(name, extra_code=""):
        copy = tmp_path_factory.mktemp(name) / "release_app"
        shutil.copytree(SOURCE, copy)
        (copy / "cluster_app" / "release.py").write_text(f'RELEASE = "{name}"\n{extra_code}')
        return copy

    return make


@pytest.fixture
def load(start_load):
    """Clients sending requests through HAProxy from inside the load
    balancer; calling it stops them and returns what they saw."""
    stop = start_load("http://127.0.0.1/app/")
    time.sleep(2)

    def stop_after_a_while():
        time.sleep(2)
        return stop()

    return stop_after_a_while


@pytest.fixture
def sessions(host):
    """Samples HAProxy's server states and session totals every 0.1 s while
    the test runs; calling it stops the sampler and returns the samples."""
    host.run(f"rm -f {SAMPLER_STOP_FILE} {SAMPLER_OUTPUT}")
    host.run(
        f"nohup python3 {SAMPLER} /run/haproxy/admin.sock flaskapp {SAMPLER_STOP_FILE} 0.1 "
        f"> {SAMPLER_OUTPUT} 2>&1 < /dev/null &"
    )

    def stop():
        host.run(f"touch {SAMPLER_STOP_FILE}")
        for _ in range(30):
            try:
                return json.loads(host.file(SAMPLER_OUTPUT).content_string)
            except json.JSONDecodeError:
                time.sleep(1)
        pytest.fail("the HAProxy sampler did not report")

    yield stop
    host.run(f"touch {SAMPLER_STOP_FILE}")


def test_every_server_is_up(host):
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


def test_haproxy_configuration_is_valid(host):
    assert host.run("haproxy -c -f /etc/haproxy/haproxy.cfg").rc == 0
    assert host.service("haproxy").is_enabled


def test_run_with_nothing_to_change_takes_no_host_out_of_rotation(host, sessions):
    rc, report = play()
    samples = sessions()

    assert rc == 0, report["stats"]
    assert all(stats["changed"] == 0 for stats in report["stats"].values()), report["stats"]
    for name in WEB_HOSTS:
        assert "Take this host out of the load balancers" not in ran_tasks(report, name)
    # HAProxy saw every server UP all through the run.
    assert len(samples) >= 2
    states = {status for _when, servers in samples for status, _sessions in servers.values()}
    assert {status.split()[0] for status in states} == {"UP"}


def test_load_balancer_spreads_requests_over_every_server(host):
    answered_by = set()
    for _ in range(12):
        body = host.check_output("curl -sS --max-time 10 http://127.0.0.1/app/")
        answered_by.add(json.loads(body)["host"])
    assert answered_by == set(WEB_HOSTS)


def test_rolling_deploy_under_load_fails_no_request(host, load, sessions, release):
    started = time.time()
    rc, report = play("-e", f"flask_wsgi_app_src={release('2')}")
    ended = time.time()
    seen = load()
    samples = sessions()

    assert rc == 0, report["stats"]
    # serial [1, "50%"] over three hosts: one host, then one (half of three,
    # rounded down), then the last.
    assert [len(batch) for batch in web_batches(report)] == [1, 1, 1]
    assert seen.failures == {}
    seen.assert_flowing(started, ended)
    assert seen.releases == {"1", "2"}
    # Each host was out of rotation while it was deployed: HAProxy opened
    # no session to it from the role's first task on it to its last.
    assert sessions_during_deploys(report, samples) == dict.fromkeys(WEB_HOSTS, 0)
    assert [release_on(name) for name in WEB_HOSTS] == ["2", "2", "2"]
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


def test_deploy_without_draining_is_caught_by_the_drain_check(host, load, sessions, release):
    """The negative control of the check above: the same deploys, one host
    at a time, with no host taken out of the load balancer."""
    rc, report = play("-e", f"flask_wsgi_app_src={release('undrained')}", playbook=DEPLOY_WITHOUT_DRAIN)
    load()
    samples = sessions()

    assert rc == 0, report["stats"]
    assert [release_on(name) for name in WEB_HOSTS] == ["undrained"] * 3
    during = sessions_during_deploys(report, samples)
    assert all(count > 0 for count in during.values()), during


def test_broken_release_stops_the_roll_and_never_gets_traffic(host, load, release):
    broken = release("3", "import no_such_module_anywhere\n")
    before = {name: release_on(name) for name in WEB_HOSTS}

    rc, report = play("-e", f"flask_wsgi_app_src={broken}")
    seen = load()

    assert rc != 0
    batches = web_batches(report)
    assert len(batches) == 1, "the roll went on after a failed host"
    [failed] = batches[0]
    # Clients only ever saw the release that was there before.
    assert seen.failures == {}
    assert seen.releases == set(before.values())
    # The failed host was rolled back, and stays out of rotation.
    assert release_on(failed) == before[failed]
    states = server_states(host)
    assert states.pop(failed) == "MAINT"
    assert set(states.values()) == {"UP"}
    # The others never got the broken release.
    for name in WEB_HOSTS:
        assert release_on(name) == before[name]

    # The next good deploy of that host puts it back.
    rc, report = play("--limit", failed, "-e", f"flask_wsgi_app_src={SOURCE}")
    assert rc == 0, report["stats"]
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


def test_host_left_out_is_put_back_by_a_run_with_nothing_to_change(host):
    rc, report = play("-e", f"flask_wsgi_app_src={SOURCE}")
    assert rc == 0, report["stats"]
    # As a failed deploy leaves a host: in maintenance, though healthy.
    host.check_output(SOCKET_COMMAND.format(command="disable server flaskapp/flask-wsgi-cluster-web2"))
    assert server_states(host)["flask-wsgi-cluster-web2"] == "MAINT"

    rc, report = play("-e", f"flask_wsgi_app_src={SOURCE}")

    assert rc == 0, report["stats"]
    for name in WEB_HOSTS:
        assert "Take this host out of the load balancers" not in ran_tasks(report, name)
    put_back = [name for name in WEB_HOSTS if "Put this host back into the load balancers" in ran_tasks(report, name)]
    assert put_back == ["flask-wsgi-cluster-web2"]
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


def haproxy_worker(host):
    """The PID of the HAProxy worker that answers the admin socket; a reload
    starts a new one."""
    info = host.check_output(SOCKET_COMMAND.format(command="show info"))
    return next(line.split(":")[1].strip() for line in info.splitlines() if line.startswith("Pid:"))


def test_interrupted_load_balancer_run_is_finished_by_the_next(host):
    """Killed after writing HAProxy's configuration, before HAProxy was
    reloaded: the next run sees the change is not applied yet, and applies
    it (as flask_wsgi does, test_faults.py in the lifecycle scenario)."""
    worker = haproxy_worker(host)
    setting = "haproxy_lb_timeout_connect=4000"
    command = [
        "ansible-playbook",
        "-i",
        os.environ["MOLECULE_INVENTORY_FILE"],
        "--limit",
        LB_HOST,
        str(Path(os.environ["MOLECULE_SCENARIO_DIRECTORY"]).parent / "shared" / "converge.yml"),
        "-e",
        setting,
    ]
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_FORCE_COLOR="0", PYTHONUNBUFFERED="1")
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in run.stdout:
            if line.startswith("TASK [") and "haproxy_lb : Start HAProxy and enable it at boot]" in line:
                break
        else:
            pytest.fail("the play ended before the configuration was written")
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    try:
        assert "timeout connect 4000" in host.file("/etc/haproxy/haproxy.cfg").content_string
        assert haproxy_worker(host) == worker, "the interrupted run reloaded HAProxy"

        rc, report = play("--limit", LB_HOST, "-e", setting)

        assert rc == 0, report["stats"]
        assert "Reload HAProxy for the changed configuration" in ran_tasks(report, LB_HOST)
        assert haproxy_worker(host) != worker
        rc, report = play("--limit", LB_HOST, "-e", setting)
        assert report["stats"][LB_HOST]["changed"] == 0
    finally:
        rc, report = play("--limit", LB_HOST)
        assert rc == 0, report["stats"]
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")

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


def server_rows(host):
    """HAProxy's statistics of each web host's server in the flaskapp
    backend, by field name."""
    lines = host.check_output(SHOW_STAT).splitlines()
    fields = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(fields, line.split(","), strict=False)) for line in lines[1:] if line]
    return [row for row in rows if row["pxname"] == "flaskapp" and row["svname"] in WEB_HOSTS]


def server_states(host):
    """HAProxy's status of each server of the flaskapp backend."""
    # "UP 1/2" is UP, still counting the checks that confirm it.
    return {row["svname"]: row["status"].split()[0] for row in server_rows(host)}


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


def test_rolling_configuration_change_under_load_fails_no_request(host, load):
    """A changed setting of the daemons: each host drained, its vhost
    rewritten, Apache reloaded, put back, one at a time."""
    started = time.time()
    rc, report = play("-e", "flask_wsgi_threads=3")
    ended = time.time()
    seen = load()
    try:
        assert rc == 0, report["stats"]
        assert [len(batch) for batch in web_batches(report)] == [1, 1, 1]
        assert seen.failures == {}
        seen.assert_flowing(started, ended)
        for name in WEB_HOSTS:
            assert "threads=3" in web(name).file("/etc/apache2/sites-available/wsgi.conf").content_string
    finally:
        rc, report = play()
        assert rc == 0, report["stats"]
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


# How Apache is reloaded outside a deploy, with no drain: logrotate's
# nightly rotation, and certbot's renewal hook as the role sets it.
RELOADS = ["apache2ctl graceful", "systemctl reload apache2"]
APP_URL = "http://127.0.0.1/app/"
# Clients enough to keep the servers busy: at this load the reloads below
# fail requests when HAProxy does not send them again (the negative control).
BUSY = {"clients": 16, "pause": 0}


def graceful_reloads(count, pause):
    """COUNT graceful reloads of Apache, one application server after the
    other, PAUSE seconds apart, each way of RELOADS in turn. mod_wsgi
    recreates its daemons' socket at each: a request that comes in at that
    moment gets a 503, and one the old daemons had queued a 500."""
    for number in range(count):
        web(WEB_HOSTS[number % len(WEB_HOSTS)]).run_test(RELOADS[number // len(WEB_HOSTS) % len(RELOADS)])
        time.sleep(pause)


def test_reloads_outside_a_deploy_fail_no_request(start_load):
    """haproxy_lb_retry_on's default: HAProxy sends a GET such a reload
    failed again, to another server."""
    stop = start_load(APP_URL, **BUSY)
    time.sleep(2)
    graceful_reloads(30, pause=0.3)
    time.sleep(2)
    seen = stop()

    assert len(seen.requests) > 2000
    assert seen.failures == {}


def test_without_retries_the_same_reloads_fail_requests(host, start_load):
    """The negative control of the test above: HAProxy retrying failed
    connections only (haproxy_lb_retry_on: []), the same reloads under the
    same load pass 503s and 500s on to the clients. Reloads go on, a round
    at a time, until one did."""
    rc, report = play("--limit", LB_HOST, "-e", json.dumps({"haproxy_lb_retry_on": []}))
    assert rc == 0, report["stats"]
    try:
        assert "retry-on" not in host.file("/etc/haproxy/haproxy.cfg").content_string
        failures = {}
        for _ in range(5):
            stop = start_load(APP_URL, **BUSY)
            time.sleep(1)
            graceful_reloads(30, pause=0.3)
            time.sleep(1)
            failures = stop().failures
            if failures:
                break
        assert failures, "150 reloads without retries on 500 and 503 failed no request"
        assert set(failures) <= {"HTTP 500", "HTTP 503"}, failures
    finally:
        rc, report = play("--limit", LB_HOST)
        assert rc == 0, report["stats"]
    assert "retry-on conn-failure empty-response 500 503" in host.file("/etc/haproxy/haproxy.cfg").content_string
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


def redispatches(host):
    """HAProxy's count of requests it sent again to another server, per
    server they were first sent to."""
    return {row["svname"]: int(row["wredis"] or 0) for row in server_rows(host)}


def test_a_get_a_server_fails_goes_to_another_a_post_never(host):
    """With one server's daemons out of reach (their socket moved away:
    mod_wsgi answers 503 at once, as during a reload, but for as long as
    the test needs), every GET is answered, some after HAProxy sent it
    again; a POST the server failed is not sent twice: its client gets the
    503 (the others get Flask's 405 for a POST)."""
    failing = web(WEB_HOSTS[0])
    failing.run_test("for s in /run/apache2/wsgi.*.sock; do mv $s $s.away; done")
    try:
        before = redispatches(host)
        posts = [
            host.check_output(f"curl -sS -o /dev/null -w '%{{http_code}}' --max-time 10 -X POST {APP_URL}")
            for _ in range(6)
        ]
        gets = [
            host.check_output(f"curl -sS -o /dev/null -w '%{{http_code}}' --max-time 10 {APP_URL}") for _ in range(6)
        ]
        after = redispatches(host)
    finally:
        failing.run_test("for s in /run/apache2/wsgi.*.sock.away; do mv $s ${s%.away}; done")
    assert gets == ["200"] * 6
    assert after[WEB_HOSTS[0]] > before[WEB_HOSTS[0]], (before, after)
    assert set(posts) == {"405", "503"}, posts
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
        assert "Reload HAProxy" in ran_tasks(report, LB_HOST)
        assert haproxy_worker(host) != worker
        rc, report = play("--limit", LB_HOST, "-e", setting)
        assert report["stats"][LB_HOST]["changed"] == 0
    finally:
        rc, report = play("--limit", LB_HOST)
        assert rc == 0, report["stats"]
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")

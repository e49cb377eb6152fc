"""HAProxy in front of three application servers; rolling deploys through
it. Every test runs on the load balancer, and reaches the application
servers through testinfra."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import testinfra

from conftest import play

testinfra_hosts = ["ansible://flask-wsgi-cluster-lb"]

WEB_HOSTS = ["flask-wsgi-cluster-web1", "flask-wsgi-cluster-web2", "flask-wsgi-cluster-web3"]
WEB_PLAY = "Serve the Flask application with Apache and mod_wsgi, a few hosts at a time"
SOURCE = Path(__file__).resolve().parents[1] / "files" / "release_app"
SHOW_STAT = (
    "python3 -c \"import socket; s = socket.socket(socket.AF_UNIX); s.connect('/run/haproxy/admin.sock'); "
    "s.sendall(b'show stat\\n'); print(s.makefile().read())\""
)


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


def test_every_server_is_up(host):
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


def test_haproxy_configuration_is_valid(host):
    assert host.run("haproxy -c -f /etc/haproxy/haproxy.cfg").rc == 0
    assert host.service("haproxy").is_enabled


def test_load_balancer_spreads_requests_over_every_server(host):
    answered_by = set()
    for _ in range(12):
        body = host.check_output("curl -sS --max-time 10 http://127.0.0.1/app/")
        answered_by.add(json.loads(body)["host"])
    assert answered_by == set(WEB_HOSTS)


def test_rolling_deploy_under_load_fails_no_request(host, load, release):
    rc, report = play("-e", f"flask_wsgi_app_src={release('2')}")
    seen = load()

    assert rc == 0, report["stats"]
    # serial [1, "50%"] over three hosts: one host, then one (half of three,
    # rounded down), then the last.
    assert [len(batch) for batch in web_batches(report)] == [1, 1, 1]
    assert seen["errors"] == {}
    assert set(seen["statuses"]) == {"200"}
    assert set(seen["releases"]) == {"1", "2"}
    assert [release_on(name) for name in WEB_HOSTS] == ["2", "2", "2"]
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")


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
    assert seen["errors"] == {}
    assert set(seen["statuses"]) == {"200"}
    assert set(seen["releases"]) == set(before.values())
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

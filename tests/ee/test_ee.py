"""The execution environment the way AWX runs it: ansible-runner starts the
image (make ee) with the job's private data directory mounted, the SSH key
given as a credential, and the site playbook from a project that holds only
playbooks and the app; the collections come from the image.

The inventory is the example's (inventory/production/) with its hosts
replaced. The web host is a fresh systemd container on the test's own docker
network, which the job's container joins; the app is checked on a port
published on 127.0.0.1."""

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("EE_IMAGE", "flask-wsgi-ee:latest")
NETWORK = "flask-wsgi-ee"
HOST = "flask-wsgi-ee-web"
HTTP_PORT = os.environ.get("EE_HTTP_PORT", "8083")


def docker(*args, check=True):
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def web_host(tmp_path_factory):
    state = tmp_path_factory.mktemp("ee-host")
    key = state / "id_ed25519"
    docker("rm", "-f", HOST, check=False)
    if docker("network", "inspect", NETWORK, check=False).returncode != 0:
        docker("network", "create", NETWORK)
    subprocess.run(
        [PROJECT_DIR / "scripts" / "build-base-image.sh", "debian13"], check=True, capture_output=True, text=True
    )
    subprocess.run(
        [
            PROJECT_DIR / "scripts" / "start-ssh-host.sh",
            HOST,
            "flask-wsgi-test/debian13:latest",
            key,
            state / "known_hosts",
            "--network",
            NETWORK,
            "-p",
            f"127.0.0.1:{HTTP_PORT}:80",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    yield key
    docker("rm", "-f", HOST, check=False)
    docker("network", "rm", NETWORK, check=False)


def example_inventory(path, **host_vars):
    """The example inventory copied as the README says, its hosts replaced."""
    shutil.copytree(PROJECT_DIR / "inventory" / "production", path)
    inventory = yaml.safe_load((path / "hosts.yml").read_text())
    assert set(inventory) == {"web", "lb"}
    assert not inventory["lb"], "the load balancer group of the example is empty"
    inventory["web"]["hosts"] = {HOST: host_vars or None}
    (path / "hosts.yml").write_text(yaml.safe_dump(inventory))
    return path


@pytest.fixture(scope="module")
def private_data_dir(web_host, tmp_path_factory):
    """What AWX writes for a job: the project checkout, the inventory, the
    machine credential's key and the job's environment."""
    data = tmp_path_factory.mktemp("runner")
    shutil.copytree(PROJECT_DIR / "playbooks", data / "project" / "playbooks")
    shutil.copytree(PROJECT_DIR / "files", data / "project" / "files")
    example_inventory(data / "inventory")
    (data / "env").mkdir()
    (data / "env" / "ssh_key").write_text(web_host.read_text())
    (data / "env" / "envvars").write_text(yaml.safe_dump({"ANSIBLE_HOST_KEY_CHECKING": "False"}))
    (data / "env" / "settings").write_text(
        yaml.safe_dump(
            {
                "process_isolation": True,
                "process_isolation_executable": "docker",
                "container_image": IMAGE,
                "container_options": [f"--network={NETWORK}"],
            }
        )
    )
    return data


def keep(what, output):
    """Add a job's output to EE_LOG, which make test scans for warnings."""
    if os.environ.get("EE_LOG"):
        with open(os.environ["EE_LOG"], "a", encoding="utf-8") as log:
            log.write(f"==== {what}\n{output}\n")


def run_job(data, ident):
    result = subprocess.run(
        [
            PROJECT_DIR / ".venv" / "bin" / "ansible-runner",
            "run",
            data,
            "--playbook",
            "playbooks/site.yml",
            "--ident",
            ident,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    artifacts = data / "artifacts" / ident
    stdout = (artifacts / "stdout").read_text() if (artifacts / "stdout").exists() else result.stdout
    keep(f"ansible-runner job {ident}", stdout)
    return result, (artifacts / "status").read_text() if (artifacts / "status").exists() else "", stdout


def play_recap(data, ident):
    """The run's totals per host, from the job events AWX would store."""
    for path in sorted((data / "artifacts" / ident / "job_events").glob("*.json")):
        event = json.loads(path.read_text())
        if event.get("event") == "playbook_on_stats":
            return event["event_data"]
    raise AssertionError("no playbook_on_stats event")


def test_site_playbook_deploys_from_the_execution_environment(private_data_dir):
    result, status, stdout = run_job(private_data_dir, "first")

    assert status == "successful", stdout[-4000:] + result.stderr[-2000:]
    assert play_recap(private_data_dir, "first")["changed"].get(HOST, 0) > 0
    with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/app", timeout=10) as response:
        assert response.read().decode().strip() == "hello world!"


def test_the_image_holds_the_pinned_core_and_the_collections():
    listing = docker("run", "--rm", IMAGE, "ansible-galaxy", "collection", "list", "--format", "json").stdout
    collections = {name for path in json.loads(listing).values() for name in path}
    assert {"flaskwsgi.deploy", "community.general", "community.crypto"} <= collections
    version = docker("run", "--rm", IMAGE, "ansible", "--version").stdout.splitlines()[0]
    pin = yaml.safe_load((PROJECT_DIR / "execution-environment.yml").read_text())["dependencies"]["ansible_core"]
    assert f"core {pin['package_pip'].split('==')[1]}]" in version


def test_a_second_job_changes_nothing(private_data_dir):
    result, status, stdout = run_job(private_data_dir, "second")

    assert status == "successful", stdout[-4000:] + result.stderr[-2000:]
    recap = play_recap(private_data_dir, "second")
    assert recap["ok"].get(HOST, 0) > 0
    assert recap["changed"].get(HOST, 0) == 0, stdout[-4000:]


def test_ansible_navigator_runs_the_same_image_from_the_checkout(web_host, tmp_path):
    """ansible-navigator.yml: the CLI user's way into the same image."""
    inventory = example_inventory(tmp_path / "inventory", ansible_ssh_private_key_file=str(web_host))
    result = subprocess.run(
        [
            PROJECT_DIR / ".venv" / "bin" / "ansible-navigator",
            "run",
            "playbooks/site.yml",
            "--inventory",
            inventory,
            "--execution-environment-image",
            IMAGE,
            "--container-options=--network=" + NETWORK,
            "--execution-environment-volume-mounts",
            f"{web_host.parent}:{web_host.parent}:ro",
            "--set-environment-variable",
            "ANSIBLE_HOST_KEY_CHECKING=False",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    keep("ansible-navigator run", result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(rf"{HOST}\s*: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0", result.stdout), result.stdout[-3000:]

"""The execution environment the way AWX runs it: ansible-runner starts the
image (make ee) with the job's private data directory mounted, the SSH key
given as a credential, and the site playbook from a project that holds only
playbooks and the app; the collections come from the image.

The inventory is the example's (inventory/production/) with its hosts
replaced. The web host is a fresh systemd container on the test's own docker
network, which the job's container joins; the app is checked on a port
published on 127.0.0.1."""

import importlib.util
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
# The image's size at most, in bytes (as docker counts them).
MAX_SIZE = 350_000_000
# Where ansible-builder installs the collection in the image.
IMAGE_COLLECTION = "/usr/share/ansible/collections/ansible_collections/flaskwsgi/deploy"
# The requirements' tests: how a lock's pins are read.
spec = importlib.util.spec_from_file_location("requirements", PROJECT_DIR / "tests" / "test_requirements.py")
requirements = importlib.util.module_from_spec(spec)
spec.loader.exec_module(requirements)


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


def job_data(data, web_host):
    """What AWX writes for a job besides the project: the inventory, the
    machine credential's key and the job's environment."""
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


@pytest.fixture(scope="module")
def private_data_dir(web_host, tmp_path_factory):
    """A job whose project holds only playbooks and the app: the collection
    comes from the image."""
    data = tmp_path_factory.mktemp("runner")
    shutil.copytree(PROJECT_DIR / "playbooks", data / "project" / "playbooks")
    shutil.copytree(PROJECT_DIR / "files", data / "project" / "files")
    return job_data(data, web_host)


@pytest.fixture(scope="module")
def repository_job_dir(web_host, tmp_path_factory):
    """A job whose project is this repository, as an AWX project sync
    checks it out (its tracked files, links kept), launched with the
    answers of docs/awx.md's survey as the job's extra variables."""
    data = tmp_path_factory.mktemp("runner-repository")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source, target = PROJECT_DIR / name, data / "project" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)
    job_data(data, web_host)
    (data / "env" / "extravars").write_text(json.dumps(survey_answers()))
    return data


def survey_answers():
    """The extra variables AWX sends for docs/awx.md's survey answered with
    its defaults: strings, as a survey's text and multiple-choice answers."""
    text = (PROJECT_DIR / "docs" / "awx.md").read_text()
    spec = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    return {question["variable"]: question["default"] for question in spec["spec"]}


def role_task_paths(data, ident):
    """Where the roles' tasks the job ran came from, from its job events."""
    paths = set()
    for path in (data / "artifacts" / ident / "job_events").glob("*.json"):
        task_path = json.loads(path.read_text()).get("event_data", {}).get("task_path", "")
        if "/roles/flask_wsgi/" in task_path:
            paths.add(task_path.split("/roles/flask_wsgi/")[0])
    return paths


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
    # A project without the collection runs the image's copy.
    assert role_task_paths(private_data_dir, "first") == {IMAGE_COLLECTION}
    with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/app", timeout=10) as response:
        assert response.read().decode().strip() == "hello world!"


def test_the_image_holds_the_pinned_core_and_only_the_collections_it_needs():
    listing = docker("run", "--rm", IMAGE, "ansible-galaxy", "collection", "list", "--format", "json").stdout
    collections = {name: found["version"] for path in json.loads(listing).values() for name, found in path.items()}
    locked = yaml.safe_load((PROJECT_DIR / "requirements" / "ee-collections.yml").read_text())["collections"]
    galaxy = yaml.safe_load((PROJECT_DIR / "galaxy.yml").read_text())
    assert collections == {item["name"]: str(item["version"]) for item in locked} | {
        "flaskwsgi.deploy": galaxy["version"]
    }
    version = docker("run", "--rm", IMAGE, "ansible", "--version").stdout.splitlines()[0]
    pin = yaml.safe_load((PROJECT_DIR / "execution-environment.yml").read_text())["dependencies"]["ansible_core"]
    assert f"core {pin['package_pip'].split('==')[1]}]" in version


def test_the_image_runs_the_python_packages_make_test_runs():
    """ansible-core's dependencies at requirements/deploy.txt's versions (the
    build's pip obeys them), not whatever PyPI had the day it was built."""
    locked = requirements.pins(PROJECT_DIR / "requirements" / "deploy.txt")
    script = (
        "import importlib.metadata as m, json, sys\n"
        "found = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        found[name] = m.version(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        pass\n"
        "print(json.dumps(found))\n"
    )
    installed = json.loads(docker("run", "--rm", IMAGE, "python3", "-c", script, *locked).stdout)
    # The whole `ansible` package is what the image leaves out.
    assert set(locked) - set(installed) == {"ansible"}
    assert installed == {name: version for name, version in locked.items() if name != "ansible"}
    # An image built on this one is not held to the pins.
    assert docker("run", "--rm", IMAGE, "printenv", "PIP_CONSTRAINT").stdout.strip() == ""


def test_the_image_is_lean():
    size = int(docker("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout)
    assert size <= MAX_SIZE, f"{IMAGE} is {size / 1e6:.0f} MB, over {MAX_SIZE / 1e6:.0f} MB"


def test_a_second_job_from_this_repository_with_the_survey_s_answers_changes_nothing(repository_job_dir):
    answers = survey_answers()
    assert set(answers) == {"site_serial", "site_max_fail_percentage"}
    assert all(isinstance(answer, str) for answer in answers.values())

    result, status, stdout = run_job(repository_job_dir, "second")

    assert status == "successful", stdout[-4000:] + result.stderr[-2000:]
    recap = play_recap(repository_job_dir, "second")
    assert recap["ok"].get(HOST, 0) > 0
    assert recap["changed"].get(HOST, 0) == 0, stdout[-4000:]
    # This repository as the project: its ansible.cfg puts the checkout's
    # collections/ (a link to the checkout) first, as docs/awx.md says.
    paths = role_task_paths(repository_job_dir, "second")
    assert paths
    assert all(f"{path}/".startswith("/runner/project/") for path in paths), paths


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

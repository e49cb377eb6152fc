"""The dependency sets: locked with hashes, agreeing with each other, with the
execution environment and with the ansible-core range the collection claims."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

PROJECT_DIR = Path(__file__).resolve().parents[1]
REQUIREMENTS = PROJECT_DIR / "requirements"
SETS = ("deploy", "deploy-py311", "dev", "oldest", "core-2.20")
SANITY = PROJECT_DIR / "tests" / "sanity"


def pins(path):
    """{name: version} of the name==version lines of a requirements file."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^ ;\\]+)", line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def includes(path):
    return [line.split(None, 1)[1] for line in path.read_text().splitlines() if line.startswith("-r ")]


@pytest.mark.parametrize("name", SETS)
def test_every_set_is_locked_with_hashes_and_its_pins(name):
    lock = REQUIREMENTS / f"{name}.txt"
    text = lock.read_text()
    entries = re.findall(r"^[A-Za-z0-9_.-]+==\S+ \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M)
    locked = pins(lock)

    assert len(entries) == len(locked), f"{lock.name}: a requirement without --hash"
    wanted = pins(REQUIREMENTS / f"{name}.in")
    for included in includes(REQUIREMENTS / f"{name}.in"):
        wanted |= pins(REQUIREMENTS / included)
    for package, version in wanted.items():
        assert locked.get(package) == version, f"{lock.name}: {package} is not locked at {version}: make lock"


@pytest.mark.parametrize(("tests", "deploy"), [("dev", "deploy"), ("oldest", "deploy-py311")])
def test_a_deploy_set_is_what_the_scenarios_run(tests, deploy):
    """What users install to deploy is what make test ran the scenarios with:
    the newest core's set in .venv, Python 3.11's (the oldest core) in
    .venv-oldest."""
    tested = pins(REQUIREMENTS / f"{tests}.txt")
    for package, version in pins(REQUIREMENTS / f"{deploy}.txt").items():
        assert tested.get(package) == version, f"{deploy}.txt: {package} {version}, {tests}.txt: {tested.get(package)}"


def core(name):
    return Version(pins(REQUIREMENTS / f"{name}.txt")["ansible-core"])


def test_the_claimed_ansible_core_range_is_the_tested_one():
    claimed = SpecifierSet(yaml.safe_load((PROJECT_DIR / "meta" / "runtime.yml").read_text())["requires_ansible"])
    newest, oldest = core("dev"), core("oldest")
    lower = min(Version(spec.version) for spec in claimed if spec.operator == ">=")
    upper = min(Version(spec.version) for spec in claimed if spec.operator == "<")

    assert newest in claimed
    assert oldest in claimed
    assert (oldest.major, oldest.minor) == (lower.major, lower.minor), "the oldest tested core is the range's first"
    assert (upper.major, upper.minor) == (newest.major, newest.minor + 1), "the newest tested core is the range's last"


def collection_version(venv, fqcn):
    """The version of collection FQCN the `ansible` package installed in VENV."""
    namespace, name = fqcn.split(".")
    [manifest] = (PROJECT_DIR / venv).glob(
        f"lib/python3*/site-packages/ansible_collections/{namespace}/{name}/MANIFEST.json"
    )
    return Version(json.loads(manifest.read_text())["collection_info"]["version"])


@pytest.mark.parametrize("fqcn", ["community.general", "community.crypto"])
def test_the_collection_dependencies_are_the_tested_versions(fqcn):
    """galaxy.yml's range runs from the oldest tested version (the oldest
    core's set) to the next major release of the newest (every scenario's
    set), which requirements/collections.yml pins."""
    claimed = SpecifierSet(yaml.safe_load((PROJECT_DIR / "galaxy.yml").read_text())["dependencies"][fqcn])
    oldest, newest = collection_version(".venv-oldest", fqcn), collection_version(".venv", fqcn)
    pinned = yaml.safe_load((REQUIREMENTS / "collections.yml").read_text())["collections"]

    assert [Version(spec.version) for spec in claimed if spec.operator == ">="] == [oldest]
    assert [Version(spec.version) for spec in claimed if spec.operator == "<"] == [Version(f"{newest.major + 1}.0.0")]
    assert {item["name"]: Version(item["version"]) for item in pinned}[fqcn] == newest


def test_an_awx_project_sync_installs_no_collection_over_the_execution_environment_s():
    """AWX's project sync installs what requirements.yml or
    collections/requirements.yml (.yaml too) lists, ahead of the image's."""
    for path in (
        "requirements.yml",
        "requirements.yaml",
        "collections/requirements.yml",
        "collections/requirements.yaml",
    ):
        assert not (PROJECT_DIR / path).exists(), path


def test_every_supported_core_has_a_set_and_a_sanity_ignore_file():
    """make sanity runs ansible-test under each: the oldest, core-2.20 and dev."""
    tested = {(version.major, version.minor) for version in map(core, ("oldest", "core-2.20", "dev"))}
    newest, oldest = core("dev"), core("oldest")
    supported = {(oldest.major, minor) for minor in range(oldest.minor, newest.minor + 1)}

    assert tested == supported
    for major, minor in supported:
        assert (SANITY / f"ignore-{major}.{minor}.txt").is_file(), f"ignore-{major}.{minor}.txt"
    ignored = {path.name for path in SANITY.glob("ignore-*.txt")}
    assert ignored == {f"ignore-{major}.{minor}.txt" for major, minor in supported}, "an ignore file per supported core"


def test_a_python_3_11_controller_gets_the_newest_core_that_runs_there():
    """ansible-core 2.20 and later need Python 3.12: Debian 12's 3.11 gets the
    oldest supported core, the newest one that still runs there."""
    newest_on_311 = core("deploy-py311")

    assert newest_on_311 == core("oldest")
    assert newest_on_311 < core("deploy")
    assert "-r deploy-py311.in" in (REQUIREMENTS / "oldest.in").read_text()


def find_python(*versions):
    found = subprocess.run(
        [PROJECT_DIR / "scripts" / "find-python.sh", *versions], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found, f"a Python {versions[0]} on this machine (scripts/find-python.sh)"
    return found


@pytest.mark.parametrize(("versions", "lock"), [(("3.11", "3.11"), "deploy-py311.txt"), (("3.12",), "deploy.txt")])
def test_make_deploy_venv_picks_the_set_for_the_controller_s_python(versions, lock, tmp_path):
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-n",
            "deploy-venv",
            f"PYTHON={find_python(*versions)}",
            f"DEPLOY_VENV={tmp_path}/v",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert f"--require-hashes --no-deps -r requirements/{lock}" in result.stdout


def test_the_execution_environment_pins_the_deploy_set():
    definition = yaml.safe_load((PROJECT_DIR / "execution-environment.yml").read_text())
    dependencies = definition["dependencies"]
    deploy, dev = pins(REQUIREMENTS / "deploy.txt"), pins(REQUIREMENTS / "dev.txt")

    assert dependencies["ansible_core"]["package_pip"] == f"ansible-core=={deploy['ansible-core']}"
    assert dependencies["ansible_runner"]["package_pip"] == f"ansible-runner=={dev['ansible-runner']}"
    # No `ansible` package: the two collections the roles use, and this one.
    assert "python" not in dependencies
    tarballs = [item["name"] for item in dependencies["galaxy"]["collections"]]
    assert tarballs == [
        "collections/community-general.tar.gz",
        "collections/community-crypto.tar.gz",
        "collections/flaskwsgi-deploy.tar.gz",
    ]


def test_the_execution_environment_s_collections_are_the_pinned_and_tested_ones():
    locked = yaml.safe_load((REQUIREMENTS / "ee-collections.yml").read_text())["collections"]
    pinned = yaml.safe_load((REQUIREMENTS / "collections.yml").read_text())["collections"]

    assert [(item["name"], str(item["version"])) for item in locked] == [
        (item["name"], str(item["version"])) for item in pinned
    ]
    for item in locked:
        assert collection_version(".venv", item["name"]) == Version(item["version"])
        assert re.fullmatch(r"[0-9a-f]{64}", item["files_sha256"])


@pytest.mark.parametrize(
    ("target", "python", "needed"),
    [("venv", "NEWEST_PYTHON", "3.12"), ("deploy-venv", "PYTHON", "3.11"), ("oldest-venv", "OLDEST_PYTHON", "3.11")],
)
def test_an_older_python_is_refused_by_name(target, python, needed, tmp_path):
    """Ubuntu 22.04's Python 3.10: a clear message, not pip's resolver error."""
    fake = tmp_path / "python3.10"
    fake.write_text('#!/bin/sh\n[ "$1" = -V ] && { echo "Python 3.10.12"; exit 0; }\nexit 1\n')
    fake.chmod(0o755)
    venvs = {f"{name}={tmp_path / name}" for name in ("VENV", "DEPLOY_VENV", "OLDEST_VENV")}
    result = subprocess.run(
        ["make", "--no-print-directory", target, f"{python}={fake}", *sorted(venvs)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert f"needs Python {needed} or newer" in result.stderr
    assert "Python 3.10.12" in result.stderr
    assert not any(tmp_path.glob("*/bin")), "no virtualenv is made"

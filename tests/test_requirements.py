"""The dependency sets: locked with hashes, agreeing with each other, with the
execution environment and with the ansible-core range the collection claims."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

PROJECT_DIR = Path(__file__).resolve().parents[1]
REQUIREMENTS = PROJECT_DIR / "requirements"
SETS = ("deploy", "dev", "oldest")


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


def test_development_runs_the_deploy_set():
    dev = pins(REQUIREMENTS / "dev.txt")
    for package, version in pins(REQUIREMENTS / "deploy.txt").items():
        assert dev.get(package) == version, package


def test_the_claimed_ansible_core_range_is_the_tested_one():
    claimed = SpecifierSet(yaml.safe_load((PROJECT_DIR / "meta" / "runtime.yml").read_text())["requires_ansible"])
    newest = Version(pins(REQUIREMENTS / "dev.txt")["ansible-core"])
    oldest = Version(pins(REQUIREMENTS / "oldest.txt")["ansible-core"])
    lower = min(Version(spec.version) for spec in claimed if spec.operator == ">=")
    upper = min(Version(spec.version) for spec in claimed if spec.operator == "<")

    assert newest in claimed
    assert oldest in claimed
    assert (oldest.major, oldest.minor) == (lower.major, lower.minor), "the oldest tested core is the range's first"
    assert (upper.major, upper.minor) == (newest.major, newest.minor + 1), "the newest tested core is the range's last"


def test_the_execution_environment_pins_the_deploy_set():
    definition = yaml.safe_load((PROJECT_DIR / "execution-environment.yml").read_text())
    dependencies = definition["dependencies"]
    deploy, dev = pins(REQUIREMENTS / "deploy.txt"), pins(REQUIREMENTS / "dev.txt")

    assert dependencies["ansible_core"]["package_pip"] == f"ansible-core=={deploy['ansible-core']}"
    assert dependencies["ansible_runner"]["package_pip"] == f"ansible-runner=={dev['ansible-runner']}"
    assert dependencies["python"] == [f"ansible=={deploy['ansible']}"]


@pytest.mark.parametrize("target", ["venv", "deploy-venv", "oldest-venv"])
def test_an_older_python_is_refused_by_name(target, tmp_path):
    """Ubuntu 22.04's Python 3.10: a clear message, not pip's resolver error."""
    python = tmp_path / "python3.10"
    python.write_text('#!/bin/sh\n[ "$1" = -V ] && { echo "Python 3.10.12"; exit 0; }\nexit 1\n')
    python.chmod(0o755)
    venvs = {f"{name}={tmp_path / name}" for name in ("VENV", "DEPLOY_VENV", "OLDEST_VENV")}
    result = subprocess.run(
        ["make", "--no-print-directory", target, f"PYTHON={python}", *sorted(venvs)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "needs Python 3.11 or newer" in result.stderr
    assert "Python 3.10.12" in result.stderr
    assert not any(tmp_path.glob("*/bin")), "no virtualenv is made"

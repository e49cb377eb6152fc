"""The repository is the collection flaskwsgi.deploy: it builds, its version
agrees with the changelog, and once built and installed into an empty
project it deploys a fresh host over SSH by the playbook's FQCN."""

import json
import os
import re
import subprocess
import tarfile
import urllib.request
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = PROJECT_DIR / ".venv" / "bin"
GALAXY = yaml.safe_load((PROJECT_DIR / "galaxy.yml").read_text())
CONTAINER = "flask-wsgi-collection-test"
HTTP_PORT = 8082


def run(*args, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run([str(arg) for arg in args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("build")
    run(BIN / "ansible-galaxy", "collection", "build", "--output-path", output, cwd=PROJECT_DIR)
    [tarball] = output.glob("*.tar.gz")
    return tarball


def test_version_is_semver_and_the_newest_release_in_the_changelog():
    assert re.fullmatch(r"\d+\.\d+\.\d+", GALAXY["version"])
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (PROJECT_DIR / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert releases, "CHANGELOG.md names no release"
    assert releases[0] == GALAXY["version"]


def tag_mismatches(repository):
    """The release tags (v<version>) of the git REPOSITORY whose galaxy.yml
    names another version, each with the version it names."""
    tags = run("git", "tag", "--list", "v*", cwd=repository).stdout.split()
    released = {tag: yaml.safe_load(run("git", "show", f"{tag}:galaxy.yml", cwd=repository).stdout) for tag in tags}
    return [
        f"{tag} tags version {galaxy['version']}" for tag, galaxy in released.items() if tag != f"v{galaxy['version']}"
    ]


def test_every_release_tag_names_the_version_it_tags():
    assert tag_mismatches(PROJECT_DIR) == []


def test_a_clone_that_holds_release_tags_holds_this_version_s():
    tags = run("git", "tag", "--list", "v*", cwd=PROJECT_DIR).stdout.split()
    if not tags:
        # A shallow clone, or one of the branch alone (CI's), carries no tags.
        pytest.skip("this clone holds no release tags")
    assert f"v{GALAXY['version']}" in tags, f"galaxy.yml's version {GALAXY['version']} has no tag"


def test_the_tag_check_finds_a_tag_of_another_version(tmp_path):
    def commit(version, tag):
        (tmp_path / "galaxy.yml").write_text(yaml.safe_dump({"version": version}))
        run("git", "add", "galaxy.yml", cwd=tmp_path)
        run("git", "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-qm", version, cwd=tmp_path)
        run("git", "tag", tag, cwd=tmp_path)

    run("git", "init", "-q", cwd=tmp_path)
    commit("0.2.0", "v0.2.0")
    assert tag_mismatches(tmp_path) == []
    commit("0.2.1", "v0.3.0")
    assert tag_mismatches(tmp_path) == ["v0.3.0 tags version 0.2.1"]


def test_the_roles_metadata_agrees_with_the_collection_s():
    """One namespace, and the oldest supported ansible-core of meta/runtime.yml."""
    required = yaml.safe_load((PROJECT_DIR / "meta" / "runtime.yml").read_text())["requires_ansible"]
    oldest = re.search(r">=(\d+\.\d+)", required).group(1)
    for meta in sorted(PROJECT_DIR.glob("roles/*/meta/main.yml")):
        info = yaml.safe_load(meta.read_text())["galaxy_info"]
        assert info["namespace"] == GALAXY["namespace"], meta
        assert info["min_ansible_version"] == oldest, meta
        assert info["role_name"] == meta.parent.parent.name, meta
    for field in ("repository", "documentation", "homepage", "issues"):
        assert GALAXY[field].startswith("https://"), field


def test_built_collection_holds_the_roles_and_plugins_only(built):
    with tarfile.open(built) as archive:
        names = archive.getnames()
    manifest = json.loads(archive_member(built, "MANIFEST.json"))

    assert manifest["collection_info"]["namespace"] == GALAXY["namespace"] == "flaskwsgi"
    assert manifest["collection_info"]["name"] == GALAXY["name"] == "deploy"
    for expected in (
        "playbooks/site.yml",
        "roles/flask_wsgi/tasks/main.yml",
        "roles/haproxy_lb/tasks/main.yml",
        "roles/apache_server/tasks/main.yml",
        "roles/flask_wsgi/files/daemon_record.py",
        "plugins/plugin_utils/plan/__init__.py",
        "plugins/plugin_utils/plan/differences.py",
        "plugins/modules/host_reading.py",
        "meta/runtime.yml",
        "files/flaskapp.wsgi",
        "CHANGELOG.md",
    ):
        assert expected in names
    for unwanted in ("molecule", "bench", ".venv", "collections", "scripts", "Makefile", "tests/test_collection.py"):
        assert not any(name == unwanted or name.startswith(unwanted + "/") for name in names), unwanted


def archive_member(tarball, name):
    with tarfile.open(tarball) as archive:
        return archive.extractfile(name).read().decode()


@pytest.fixture(scope="module")
def fresh_host(tmp_path_factory):
    """A fresh systemd container reached over SSH; returns (port, key, known hosts)."""
    state = tmp_path_factory.mktemp("ssh")
    key, known_hosts = state / "id_ed25519", state / "known_hosts"
    run(PROJECT_DIR / "scripts" / "build-base-image.sh", "debian12")
    port = run(
        PROJECT_DIR / "scripts" / "start-ssh-host.sh", CONTAINER, "flask-wsgi-test/debian12:latest", key, known_hosts,
        "-p", f"127.0.0.1:{HTTP_PORT}:80",
        env=dict(os.environ, SSH_PORT="2224"),
    ).stdout.strip()  # fmt: skip
    yield port, key, known_hosts
    run("docker", "rm", "-f", CONTAINER, check=False)


def test_installed_collection_deploys_a_fresh_host_by_fqcn(built, fresh_host, tmp_path):
    project = tmp_path / "project"
    collections = project / "collections"
    project.mkdir()
    # Its dependencies (community.general, community.crypto) come with the
    # ansible package; Galaxy is not reached.
    run(BIN / "ansible-galaxy", "collection", "install", "--no-deps", "-p", collections, built, cwd=project)
    port, key, known_hosts = fresh_host
    ssh_args = f"-o UserKnownHostsFile={known_hosts} -o StrictHostKeyChecking=accept-new"
    inventory = {
        "web": {
            "hosts": {
                "app1": {
                    "ansible_host": "127.0.0.1",
                    "ansible_port": int(port),
                    "ansible_user": "deploy",
                    "ansible_ssh_private_key_file": str(key),
                    "ansible_ssh_common_args": ssh_args,
                }
            }
        }
    }
    (project / "inventory.yml").write_text(yaml.safe_dump(inventory))
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env |= {"ANSIBLE_COLLECTIONS_PATH": str(collections), "ANSIBLE_STDOUT_CALLBACK": "json"}

    def deploy():
        result = run(
            BIN / "ansible-playbook", "-i", "inventory.yml", "flaskwsgi.deploy.site", cwd=project, env=env, check=False
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return json.loads(result.stdout)["stats"]["app1"]

    first = deploy()
    assert first["changed"] > 0
    with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/app", timeout=10) as response:
        assert response.read().decode() == "hello world!"
    assert deploy()["changed"] == 0

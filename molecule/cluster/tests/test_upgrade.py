"""An upgrade from the first release, as users have it: the web hosts are
deployed by flaskwsgi.deploy 0.1.0 (its release tarball, installed with
ansible-galaxy and run by the ansible-core of its time, 2.19), then by this
collection, behind HAProxy under continuous requests. No request fails, a
rerun changes nothing, and nothing of the earlier layout remains.

files/flaskwsgi-deploy-0.1.0.tar.gz is `ansible-galaxy collection build` of
commit 35c39ed (the last of 2026-11-26, the release date), kept here so that
the test needs neither the git history nor Galaxy."""

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from test_cluster import WEB_HOSTS, server_states, web

from conftest import changed_tasks, play

testinfra_hosts = ["ansible://flask-wsgi-cluster-lb"]

PROJECT = Path(__file__).resolve().parents[3]
EARLIEST = Path(__file__).resolve().parents[1] / "files" / "flaskwsgi-deploy-0.1.0.tar.gz"
EARLIEST_SHA256 = "a01ed97779438749c7b0ff4afab18d36c0342b0ce95cb57d362315c9fa601c0f"
# ansible-core 2.19, which 0.1.0 requires (make oldest-venv).
OLDEST_BIN = Path(os.environ.get("FLASK_WSGI_OLDEST_VENV", PROJECT / ".venv-oldest")) / "bin"
APP_DIR = "/var/www/flaskapp"
STATE_DIR = "/var/lib/flask_wsgi/wsgi"
REMOVE_APP = Path(__file__).resolve().parents[1] / "files" / "remove_app.yml"


@pytest.fixture(scope="module")
def earliest(tmp_path_factory):
    """Runs the web play of 0.1.0's playbook, installed from its tarball."""
    assert hashlib.sha256(EARLIEST.read_bytes()).hexdigest() == EARLIEST_SHA256
    assert (OLDEST_BIN / "ansible-playbook").exists(), f"no ansible-core 2.19 in {OLDEST_BIN}: make oldest-venv"
    collections = tmp_path_factory.mktemp("earliest")
    env = dict(
        os.environ,
        # Molecule's own setting (ANSIBLE_COLLECTIONS_PATHS too) points at
        # this collection.
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_COLLECTIONS_PATHS=str(collections),
        # Its roles read injected facts, as ansible-core did by default.
        ANSIBLE_INJECT_FACT_VARS="True",
        ANSIBLE_STDOUT_CALLBACK="json",
        ANSIBLE_CALLBACK_RESULT_FORMAT="json",
        PATH=f"{OLDEST_BIN}:{os.environ['PATH']}",
    )
    # --force: the collection this checkout is (the configured path) is newer.
    subprocess.run(
        [OLDEST_BIN / "ansible-galaxy", "collection", "install", "--offline", "--force", "-p", collections, EARLIEST],
        env=env,
        check=True,
        capture_output=True,
    )
    assert (collections / "ansible_collections" / "flaskwsgi" / "deploy" / "playbooks" / "site.yml").exists()

    def run(*extra_args):
        completed = subprocess.run(
            [OLDEST_BIN / "ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"], "flaskwsgi.deploy.site"]
            + list(extra_args),
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
        return json.loads(completed.stdout)

    return run


def earlier_layout_left(name):
    """What of 0.1.0's layout is on web host NAME."""
    host = web(name)
    found = host.run(f"ls -A {APP_DIR}").stdout.split()
    left = [entry for entry in found if entry not in ("current", "releases", "venvs")]
    left += [path for path in (f"{APP_DIR}-venv", f"{STATE_DIR}/code") if host.file(path).exists]
    return left


def test_an_upgrade_from_0_1_0_under_load_fails_no_request(host, earliest, start_load):
    # The web hosts as 0.1.0 leaves them: this collection's application, its
    # account and records removed first, then 0.1.0's rolling deploy.
    rc, report = play(playbook=REMOVE_APP)
    assert rc == 0, report["stats"]
    for name in WEB_HOSTS:
        web(name).check_output(f"rm -rf {STATE_DIR} /run/lock/flaskwsgi.deploy")
    earliest("--limit", "web")
    for name in WEB_HOSTS:
        assert web(name).file(f"{APP_DIR}/flaskapp.wsgi").exists, name
        assert not web(name).file(f"{APP_DIR}/current").exists, name
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")

    stop = start_load("http://127.0.0.1/app/")
    time.sleep(2)
    started = time.time()
    rc, report = play()
    ended = time.time()
    time.sleep(2)
    seen = stop()

    assert rc == 0, report["stats"]
    assert seen.failures == {}
    seen.assert_flowing(started, ended)
    assert server_states(host) == dict.fromkeys(WEB_HOSTS, "UP")
    for name in WEB_HOSTS:
        assert "Remove what the earlier layout left" in changed_tasks(report, name)
        assert earlier_layout_left(name) == [], name

    rc, report = play()
    assert rc == 0, report["stats"]
    assert all(stats["changed"] == 0 for stats in report["stats"].values()), report["stats"]

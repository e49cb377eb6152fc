"""A second application on the same host, from a git repository at a tag:
its own site, port, account and daemon group, deployed by a second run of
the role. A broken tag is rolled back to the last good commit."""

import json

import pytest

from conftest import SERVE_RELEASE, changed_tasks

GIT_APP = {
    "flask_wsgi_app_src": "",
    "flask_wsgi_app_git_repo": "file:///srv/git/echo.git",
    "flask_wsgi_site_name": "echo-git",
    "flask_wsgi_app_dir": "/srv/echo-git",
    "flask_wsgi_port": 8081,
    "flask_wsgi_user": "gitapp",
    "flask_wsgi_group": "gitapp",
    "flask_wsgi_process_group": "echogit",
    "flask_wsgi_processes": 1,
    "flask_wsgi_threads": 3,
    "flask_wsgi_healthcheck_retries": 3,
    "flask_wsgi_healthcheck_delay": 1,
}
URL = "http://127.0.0.1:8081/echo"


@pytest.fixture(scope="module")
def deploy_git(run_playbook):
    def deploy(version):
        return run_playbook("-e", json.dumps(GIT_APP | {"flask_wsgi_app_git_version": version}))

    return deploy


def commit_of(host, ref):
    return host.check_output(f"git -C /srv/git/echo.git rev-parse {ref}^{{commit}}")


def release_at(http_get, url):
    status, body = http_get(f"{url}/")
    assert status == 200, body
    return json.loads(body)["release"]


def served_commit(host):
    return host.check_output("git -C /srv/echo-git/current rev-parse HEAD")


def test_second_app_deploys_from_a_tag(host, deploy_git, http_get, cfg):
    rc, report = deploy_git("v1")
    assert rc == 0, report["stats"]
    assert release_at(http_get, URL) == "git-1"
    assert served_commit(host) == commit_of(host, "v1")
    # The release is named by its commit.
    assert host.check_output("readlink /srv/echo-git/current").startswith(f"releases/{commit_of(host, 'v1')[:12]}-")
    # The first application is untouched.
    assert release_at(http_get, cfg.url) == "1"


def test_second_app_has_its_own_account_and_daemons(host, http_get):
    status, body = http_get(f"{URL}/env")
    assert status == 200, body
    report = json.loads(body)
    assert (report["user"], report["group"]) == ("gitapp", "gitapp")
    assert report["prefix"] == "/srv/echo-git/current/.flask_wsgi_venv"
    daemons = [line.split() for line in host.check_output("ps -eo user:32=,args=").splitlines()]
    assert [user for user, name, *_ in daemons if name == "echogit"] == ["gitapp"]


def test_second_app_moves_to_a_new_tag(host, deploy_git, http_get):
    rc, report = deploy_git("v2")
    assert rc == 0, report["stats"]
    assert release_at(http_get, URL) == "git-2"
    changed = changed_tasks(report, host.backend.get_hostname())
    assert "Check out the application's code into the release" in changed
    assert SERVE_RELEASE in changed
    assert "Apache reloaded" not in changed


def test_a_rerun_at_the_same_tag_changes_nothing(host, deploy_git):
    rc, report = deploy_git("v2")
    assert rc == 0, report["stats"]
    assert changed_tasks(report, host.backend.get_hostname()) == []


def test_broken_tag_is_rolled_back_to_the_last_good_commit(host, deploy_git, http_get, cfg):
    rc, report = deploy_git("broken")
    assert rc != 0
    failure = json.dumps(report)
    assert "The last good deployment was restored and answers again" in failure
    assert served_commit(host) == commit_of(host, "v2")
    assert release_at(http_get, URL) == "git-2"
    assert release_at(http_get, cfg.url) == "1"
    # The broken release got a virtualenv of its own for its requirements;
    # the good release's, which it switched back to, was never touched.
    changed = changed_tasks(report, host.backend.get_hostname())
    assert changed.count("Install the requirements into a virtualenv of their own") == 1
    assert "Serve the last release that passed its health check again" in changed
    venv = "/srv/echo-git/current/.flask_wsgi_venv"
    assert host.run(f"ls -d {venv}/lib/python3*/site-packages/humanize-4.12.3.dist-info").rc == 0
    assert host.run(f"ls -d {venv}/lib/python3*/site-packages/humanize-4.12.2.dist-info").rc != 0

"""Two applications on one host with settings of their own: neither undoes
the other's, nor does the scenario's own application, so that rerunning
each changes nothing. Server-wide Apache state belongs to the apache_server
role alone."""

from pathlib import Path

import pytest

from conftest import changed_tasks, play

TWO_APPS = Path(__file__).resolve().parents[1] / "files" / "two_apps.yml"


@pytest.fixture(scope="module")
def two_apps(host):
    """Deploys both applications; removes their sites afterwards, so that the
    scenario's other tests see its own application only."""

    def run():
        return play("--limit", host.backend.get_hostname(), playbook=TWO_APPS)

    yield run
    host.run("a2dissite alpha beta && systemctl reload apache2")


def test_two_apps_deploy_and_answer(host, two_apps, http_get):
    rc, report = two_apps()
    assert rc == 0, report["stats"]
    assert http_get("http://127.0.0.1:8091/app/") == (200, "hello world!")
    assert http_get("https://127.0.0.1:8444/app/") == (200, "hello world!")
    assert http_get("http://127.0.0.1:8092/app/") == (200, "hello world!")
    assert host.run("a2query -m ssl").rc == 0


def test_rerunning_both_changes_nothing(host, two_apps):
    rc, report = two_apps()
    assert rc == 0, report["stats"]
    assert changed_tasks(report, host.backend.get_hostname()) == []


def test_the_scenario_s_own_application_undoes_neither(host, run_playbook, two_apps, http_get):
    rc, report = run_playbook()
    assert rc == 0, report["stats"]
    assert changed_tasks(report, host.backend.get_hostname()) == []

    rc, report = two_apps()
    assert rc == 0, report["stats"]
    assert changed_tasks(report, host.backend.get_hostname()) == []
    assert http_get("https://127.0.0.1:8444/app/") == (200, "hello world!")


def test_each_app_keeps_its_own_daemons(host):
    vhosts = {name: host.file(f"/etc/apache2/sites-available/{name}.conf").content_string for name in ("alpha", "beta")}
    assert "processes=1 threads=1 " in vhosts["beta"]
    assert " threads=4 " in vhosts["alpha"]
    assert "LogLevel info" in vhosts["alpha"]
    assert "LogLevel error wsgi:warn" in vhosts["beta"]

"""The status playbook (flaskwsgi.deploy.status) against the host: what it
reports is what the host serves, and it changes nothing."""

import json
import os
import posixpath
from pathlib import Path

from conftest import changed_tasks, play

STATUS = Path(os.environ["MOLECULE_SCENARIO_DIRECTORY"]).parents[1] / "playbooks" / "status.yml"
APP_DIR = "/var/www/flaskapp"
HISTORY = "/var/lib/flask_wsgi/wsgi/releases.json"


def results(report, name, task):
    """The results on host NAME of the tasks named TASK (the role's prefix left out)."""
    return [
        entry["hosts"][name]
        for play_ in report["plays"]
        for entry in play_["tasks"]
        if entry["task"]["name"].split(" : ", 1)[-1] == task and name in entry["hosts"]
    ]


def test_the_status_playbook_reports_what_the_host_serves_and_changes_nothing(host):
    name = host.backend.get_hostname()
    for mode in ((), ("--check",)):
        rc, report = play("--limit", name, *mode, playbook=STATUS)
        assert rc == 0, report["stats"]
        assert changed_tasks(report, name) == []

    [reading] = results(report, name, "Read the application's releases and health")
    row = reading["status"]
    current = posixpath.basename(host.file(f"{APP_DIR}/current").linked_to)
    history = json.loads(host.file(HISTORY).content_string)
    last = [entry for entry in history if entry["id"] == current][-1]
    assert (row["host"], row["site"], row["release"]) == (name, "wsgi", current)
    assert (row["source"], row["live_since"], row["good"]) == (last["source"], last["switched"], True)
    assert row["releases"] == sorted(host.file(f"{APP_DIR}/releases").listdir())
    assert (row["healthy"], row["status"]) == (True, 200)
    # No load balancers in this scenario.
    assert row["in_rotation"] is None

    [table] = results(report, name, "Show what is deployed where")
    assert table["msg"][0].split()[:3] == ["HOST", "APP", "RELEASE"]
    assert [line.split()[:3] for line in table["msg"][1:]] == [[name, "wsgi", current]]

"""The flask_wsgi_release module on a real directory, one call shape per
step: switch, record, restore; and the options a step does not take refused."""

import os

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.modules import flask_wsgi_release
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.modules.module_run import run_module

MODULE = flask_wsgi_release.__file__


def run(tmp_path, check=False, **args):
    args = dict(args, root=str(tmp_path / "app"), history=str(tmp_path / "releases.json"))
    return run_module(MODULE, tmp_path, args, check=check)


@pytest.fixture
def releases(tmp_path):
    for name in ("r1", "r2"):
        (tmp_path / "app" / "releases" / name).mkdir(parents=True)
    return tmp_path


def test_switch_record_and_restore_each_do_their_one_thing(releases):
    switched = run(releases, step="switch", release="r1", source="git 1")
    assert (switched["changed"], switched["current"]) == (True, "r1")
    assert os.readlink(releases / "app" / "current").endswith("r1")
    assert [entry.get("good", False) for entry in switched["history"]] == [False]

    recorded = run(releases, step="record")
    assert recorded["history"][0]["good"] is True
    assert run(releases, step="record")["changed"] is False

    run(releases, step="switch", release="r2")
    restored = run(releases, step="restore", release="good")
    assert (restored["before"], restored["current"]) == ("r2", "r1")


def test_check_mode_switches_nothing(releases):
    result = run(releases, check=True, step="switch", release="r1")
    assert (result["changed"], result["current"]) == (True, "r1")
    assert not (releases / "app" / "current").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"step": "record", "release": "r1"}, "step record does not take release"),
        ({"step": "switch", "release": "r1", "keep": 3}, "step switch does not take keep"),
        ({"step": "restore", "release": "good", "archive": "/tmp/x.tar"}, "does not take archive"),
        ({"step": "unpack", "release": "r3"}, "archive"),
        ({"step": "switch"}, "release"),
    ],
)
def test_a_step_refuses_what_it_does_not_take(releases, args, words):
    result = run(releases, **args)
    assert result["failed"] is True
    assert words in result["msg"]
    assert not (releases / "app" / "current").exists()

"""Every daemon process of a group, not only the one a request reaches: the
verdict from a fake /proc and the recorder's records."""

import json
import os
import signal

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import daemons

UID = os.getuid()
SCRIPT_MTIME = 1_700_000_000_000_000_000


@pytest.fixture
def proc(tmp_path):
    root = tmp_path / "proc"
    root.mkdir()
    return root


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "flaskapp.wsgi"
    path.write_text("application = None\n")
    os.utime(path, ns=(SCRIPT_MTIME, SCRIPT_MTIME))
    return str(path)


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "records"
    path.mkdir()
    return path


def add_process(proc, pid, argv0, start="4242", argv_rest=("-k", "start")):
    """A process as mod_wsgi leaves it: the display name over the first
    argument, padded with spaces to its length."""
    directory = proc / str(pid)
    directory.mkdir()
    (directory / "cmdline").write_bytes(b"\0".join([argv0.encode(), *(a.encode() for a in argv_rest)]) + b"\0")
    fields = ["S", "1", *["0"] * 17, start, "0"]
    (directory / "stat").write_text(f"{pid} (apache2) {' '.join(fields)}\n")


def record(records, pid, scripts, start="4242"):
    (records / str(pid)).write_text(json.dumps({"start": start, "scripts": scripts}))


def verdict(proc, records, script, expected=3):
    return daemons.group_verdict("flaskapp", UID, expected, str(records), script, proc=str(proc))


@pytest.mark.parametrize(
    ("setting", "cpus", "count"), [("auto", 2, 2), ("auto", 512, 256), (3, 2, 3), ("4", 8, 4), ("any", 2, None)]
)
def test_auto_is_one_daemon_per_cpu(setting, cpus, count):
    assert daemons.daemon_processes(setting, cpus) == count


def test_the_group_s_processes_are_named_by_their_display_name(proc):
    add_process(proc, 10, "flaskapp         ")
    add_process(proc, 11, "flaskapp")
    add_process(proc, 12, "flaskapp2        ")
    add_process(proc, 13, "/usr/sbin/apache2")
    (proc / "self").mkdir()
    assert daemons.group_processes("flaskapp", UID, str(proc)) == [10, 11]


def test_another_user_s_process_is_not_the_group_s(proc):
    add_process(proc, 10, "flaskapp")
    assert daemons.group_processes("flaskapp", UID + 1, str(proc)) == []


def test_the_start_is_read_past_a_command_name_with_spaces(proc):
    add_process(proc, 10, "flaskapp", start="999")
    stat = proc / "10" / "stat"
    stat.write_text(stat.read_text().replace("(apache2)", "(a (b) c)"))
    assert daemons.process_start(10, str(proc)) == "999"
    assert daemons.process_start(11, str(proc)) == ""


def test_every_process_loaded_the_script_as_it_is_now(proc, records, script):
    for pid in (10, 11, 12):
        add_process(proc, pid, "flaskapp   ")
        record(records, pid, {script: SCRIPT_MTIME})
    result = verdict(proc, records, script)
    assert result["healthy"] is True
    assert [p["state"] for p in result["processes"]] == ["loaded"] * 3
    assert result["summary"] == "3 of 3 daemon processes running (3 loaded)"


def test_one_process_that_failed_to_import_makes_the_group_unhealthy(proc, records, script):
    for pid in (10, 11, 12):
        add_process(proc, pid, "flaskapp")
        record(records, pid, {script: SCRIPT_MTIME} if pid != 12 else {})
    result = verdict(proc, records, script)
    assert result["healthy"] is False
    assert result["processes"][2] == {"pid": 12, "state": "failed"}
    assert result["summary"] == "3 of 3 daemon processes running (2 loaded, 1 failed)"


def test_a_process_that_loaded_the_script_before_it_changed_is_stale(proc, records, script):
    add_process(proc, 10, "flaskapp")
    record(records, 10, {script: SCRIPT_MTIME - 1})
    assert verdict(proc, records, script, expected=1)["processes"] == [{"pid": 10, "state": "stale"}]


def test_a_record_of_an_earlier_process_with_the_same_pid_does_not_count(proc, records, script):
    add_process(proc, 10, "flaskapp", start="5000")
    record(records, 10, {script: SCRIPT_MTIME}, start="4242")
    assert verdict(proc, records, script, expected=1)["processes"] == [{"pid": 10, "state": "starting"}]


def test_a_process_without_a_record_is_starting(proc, records, script):
    add_process(proc, 10, "flaskapp")
    (records / "10").write_text("{not json")
    assert verdict(proc, records, script, expected=1)["processes"] == [{"pid": 10, "state": "starting"}]


@pytest.mark.parametrize("running", [2, 4])
def test_fewer_or_more_processes_than_expected_is_unhealthy(proc, records, script, running):
    for pid in range(10, 10 + running):
        add_process(proc, pid, "flaskapp")
        record(records, pid, {script: SCRIPT_MTIME})
    result = verdict(proc, records, script)
    assert result["healthy"] is False
    assert result["summary"].startswith(f"{running} of 3 daemon processes running")


def test_no_process_at_all(proc, records, script):
    result = verdict(proc, records, script)
    assert result["healthy"] is False
    assert result["summary"] == "0 of 3 daemon processes running (none)"


def test_a_missing_script_was_loaded_by_no_process(proc, records, tmp_path):
    add_process(proc, 10, "flaskapp")
    record(records, 10, {str(tmp_path / "gone.wsgi"): SCRIPT_MTIME})
    assert verdict(proc, records, str(tmp_path / "gone.wsgi"), expected=1)["processes"][0]["state"] == "stale"


def test_a_restart_signals_each_process_of_the_group_gracefully(proc):
    add_process(proc, 10, "flaskapp")
    add_process(proc, 11, "flaskapp")
    add_process(proc, 12, "other")
    sent = []

    def send(pid, signum):
        if pid == 11:
            raise ProcessLookupError
        sent.append((pid, signum))

    assert daemons.restart_group("flaskapp", UID, str(proc), send=send) == [10, 11]
    assert sent == [(10, signal.SIGUSR1)]


def test_any_count_of_processes_will_do_when_all_loaded(proc, records, script):
    add_process(proc, 10, "flaskapp")
    record(records, 10, {script: SCRIPT_MTIME})
    result = verdict(proc, records, script, expected=None)
    assert result["healthy"] is True
    assert result["summary"] == "1 daemon processes running (1 loaded)"
    assert verdict(proc, records / "none", script, expected=None)["healthy"] is False
    assert daemons.group_verdict("other", UID, None, str(records), script, proc=str(proc))["healthy"] is False


def test_a_process_that_could_not_load_the_environment_makes_the_group_unhealthy(proc, records, script):
    """Apache's C locale on Debian 12: a non-ASCII value cannot go into
    os.environ, and the application runs without any of its variables."""
    error = "'ascii' codec can't encode character '\\xfc' in position 2: ordinal not in range(128)"
    for pid in (10, 11, 12):
        add_process(proc, pid, "flaskapp")
        (records / str(pid)).write_text(
            json.dumps({"start": "4242", "scripts": {script: SCRIPT_MTIME}, "environment": error if pid > 10 else ""})
        )
    result = verdict(proc, records, script)

    assert result["healthy"] is False
    assert result["processes"][1] == {"pid": 11, "state": "environment"}
    assert result["summary"] == (
        "3 of 3 daemon processes running (1 loaded, 2 without the environment); "
        f"the application's environment did not load: {error}"
    )


def test_a_record_from_before_the_environment_was_recorded_still_counts(proc, records, script):
    add_process(proc, 10, "flaskapp")
    record(records, 10, {script: SCRIPT_MTIME})

    assert verdict(proc, records, script, expected=1)["healthy"] is True

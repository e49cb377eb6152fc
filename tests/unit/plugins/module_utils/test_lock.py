"""The host's lock: one run at a time changes the host; a run that waited
while another changed the host stops; a dead run's lock is taken over."""

import json

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import lock


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def take(directory, owner, wait=0, clock=None):
    clock = clock or Clock()
    return lock.take(owner, wait, str(directory), clock.time, clock.sleep)


def test_a_free_lock_is_taken_and_taken_again_by_its_owner(tmp_path):
    assert take(tmp_path, "a")["taken"]
    again = take(tmp_path, "a")
    assert again["taken"]
    assert again["holder"]["owner"] == "a"
    assert (tmp_path / lock.HELD).stat().st_mode & 0o777 == 0o600


def test_another_run_waits_then_gives_up_naming_the_holder(tmp_path):
    take(tmp_path, "alice@laptop pid 1")
    clock = Clock(1010.0)
    refused = take(tmp_path, "awx pid 2", wait=5, clock=clock)
    assert not refused["taken"]
    assert refused["holder"]["owner"] == "alice@laptop pid 1"
    assert 5 <= refused["waited"] < 6
    message = lock.held_message("web1", refused["holder"], refused["waited"], "flask_wsgi_lock_wait", clock.now)
    assert "Another run is changing web1: alice@laptop pid 1 has held its lock for 15 s" in message
    assert "flask_wsgi_lock_wait" in message
    assert "Nothing was changed by this run" in message


def test_a_released_lock_is_taken_by_the_waiting_run(tmp_path):
    take(tmp_path, "a")
    clock = Clock()

    def sleep(seconds):
        clock.now += seconds
        lock.release("a", str(tmp_path))

    got = lock.take("b", 10, str(tmp_path), clock.time, sleep)
    assert got["taken"]
    assert got["holder"]["owner"] == "b"


def test_only_the_owner_releases_and_each_release_counts_a_change(tmp_path):
    take(tmp_path, "a")
    assert not lock.release("b", str(tmp_path))
    assert (tmp_path / lock.HELD).exists()
    assert lock.release("a", str(tmp_path))
    assert not (tmp_path / lock.HELD).exists()
    take(tmp_path, "b")
    lock.release("b", str(tmp_path))
    found = lock.changes(str(tmp_path))
    assert found == {"count": 2, "recent": [{"count": 1, "owner": "a"}, {"count": 2, "owner": "b"}]}
    assert lock.changes(str(tmp_path / "none")) == {"count": 0, "recent": []}


def test_a_release_without_a_change_counts_none(tmp_path):
    take(tmp_path, "a")
    lock.release("a", str(tmp_path), count_change=False)
    assert lock.changes(str(tmp_path))["count"] == 0


def test_changes_by_other_runs_since_the_reading_make_it_out_of_date(tmp_path):
    for owner in ("a", "me", "b"):
        take(tmp_path, owner)
        lock.release(owner, str(tmp_path))
    found = lock.changes(str(tmp_path))
    assert lock.changed_by_others(found, 0, "me") == ["a", "b"]
    assert lock.changed_by_others(found, 2, "me") == ["b"]
    assert lock.changed_by_others(found, 3, "me") == []
    assert "Another run (b) changed web1 after this run read it" in lock.out_of_date_message("web1", ["b"])


def test_only_the_latest_changes_are_kept(tmp_path):
    for number in range(lock.KEPT + 5):
        take(tmp_path, f"run{number}")
        lock.release(f"run{number}", str(tmp_path))
    found = lock.changes(str(tmp_path))
    assert found["count"] == lock.KEPT + 5
    assert len(found["recent"]) == lock.KEPT


def test_a_lock_left_by_a_dead_run_is_taken_over(tmp_path):
    take(tmp_path, "dead", clock=Clock(0.0))
    got = take(tmp_path, "alive", clock=Clock(lock.ABANDONED_AFTER + 1.0))
    assert got["taken"]
    assert json.loads((tmp_path / lock.HELD).read_text())["took_over"] == "dead"
    assert lock.release("alive", str(tmp_path))


def test_a_lock_being_written_is_waited_for(tmp_path):
    (tmp_path / lock.HELD).write_text("")
    assert not take(tmp_path, "a", wait=1)["taken"]


def test_the_lock_of_a_run_known_to_have_ended_is_taken_over_at_once(tmp_path):
    take(tmp_path, "root@ctl pid 7 (100)")
    got = lock.take("root@ctl pid 8 (200)", 0, str(tmp_path), abandoned="root@ctl pid 7 (100)")
    assert got["taken"]
    assert not lock.take("other", 0, str(tmp_path), abandoned="root@ctl pid 7 (100)")["taken"]

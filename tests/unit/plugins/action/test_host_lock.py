"""The lock's owner is the run: the controller's ansible-playbook process.
A run of this controller that has ended is known dead; another
controller's runs never are."""

import socket
from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.flaskwsgi.deploy.plugins.action import host_lock
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import lock


def test_the_owner_names_the_controller_and_the_running_process():
    owner = host_lock.run_owner()
    found = host_lock.OWNER.match(owner)
    assert found, owner
    assert found["host"] == socket.gethostname()
    assert not host_lock.dead_here(owner)


def test_an_ended_run_of_this_controller_is_dead():
    found = host_lock.OWNER.match(host_lock.run_owner())
    reused = f"{found['user']}@{found['host']} pid {found['pid']} ({int(found['started']) + 1})"
    assert host_lock.dead_here(reused)
    assert host_lock.dead_here(f"root@{socket.gethostname()} pid 99999999 (5)")


def test_another_controller_s_run_is_never_known_dead():
    assert not host_lock.dead_here("root@elsewhere.example pid 99999999 (5)")
    assert not host_lock.dead_here("")


def run_lock(tmp_path, monkeypatch, owner, **args):
    """The action as the run OWNER, its module run against TMP_PATH."""
    task = MagicMock(args=args, async_val=0, check_mode=False, action="host_lock")
    loader = DataLoader()
    plugin = host_lock.ActionModule(task, MagicMock(), MagicMock(), loader, Templar(loader=loader), None)
    calls = []

    def execute(module_name, module_args, task_vars):
        calls.append(module_args)
        params = {"state": "present", "wait": 600, "seen": None, "variable": "wait", "abandoned": None}
        return lock.apply(dict(params, **module_args), str(tmp_path))

    monkeypatch.setattr(plugin, "_execute_module", execute)
    monkeypatch.setattr(host_lock, "run_owner", lambda: owner)
    return plugin.run(task_vars={"inventory_hostname": "web1"}), calls


def test_the_action_takes_over_the_lock_of_an_ended_run_of_this_controller(tmp_path, monkeypatch):
    ended = f"root@{socket.gethostname()} pid 99999999 (5)"
    lock.take(ended, 0, str(tmp_path))
    result, calls = run_lock(tmp_path, monkeypatch, "root@here pid 1 (1)")
    assert result["taken"], result
    assert [call.get("abandoned") for call in calls] == [None, ended]


def test_the_action_waits_for_another_run_s_lock(tmp_path, monkeypatch):
    lock.take("root@elsewhere.example pid 7 (7)", 0, str(tmp_path))
    result, calls = run_lock(tmp_path, monkeypatch, "root@here pid 1 (1)", wait=0, variable="flask_wsgi_lock_wait")
    assert result["failed"]
    assert "Another run is changing web1: root@elsewhere.example pid 7 (7)" in result["msg"]
    assert [call["wait"] for call in calls] == [0, 0]
    assert "abandoned" not in calls[1]


def test_the_action_releases_its_own_lock(tmp_path, monkeypatch):
    result, _calls = run_lock(tmp_path, monkeypatch, "me")
    assert result["taken"]
    result, calls = run_lock(tmp_path, monkeypatch, "me", state="absent")
    assert result["released"]
    assert len(calls) == 1

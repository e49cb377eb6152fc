"""The lock's owner is the run: the controller's ansible-playbook process.
A run of this controller that has ended is known dead; another
controller's runs never are."""

import socket

from ansible_collections.flaskwsgi.deploy.plugins.action import host_lock


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

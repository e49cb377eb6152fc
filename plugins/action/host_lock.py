# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Run the host_lock module as this run: the owner is the controller's
user, host and ansible-playbook process (with its start time, so that a
reused process number is another run)."""

import getpass
import os
import socket

from ansible.plugins.action import ActionBase


def run_owner():
    """This run's name: the workers are forked from ansible-playbook, their
    parent."""
    parent = os.getppid()
    started = ""
    try:
        with open(f"/proc/{parent}/stat", encoding="ascii") as handle:
            started = handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        pass
    return f"{getpass.getuser()}@{socket.gethostname()} pid {parent}" + (f" ({started})" if started else "")


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset(("state", "wait", "seen", "variable"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = dict(self._task.args, owner=run_owner(), host=task_vars.get("inventory_hostname", "the host"))
        result.update(
            self._execute_module(module_name="flaskwsgi.deploy.host_lock", module_args=args, task_vars=task_vars)
        )
        return result

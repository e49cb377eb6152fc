# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Run the host_lock module as this run: the owner is the controller's
user, host and ansible-playbook process (with its start time, so that a
reused process number is another run)."""

from __future__ import annotations

import getpass
import os
import re
import socket
from typing import Any

from ansible.plugins.action import ActionBase


def process_start(pid: int) -> str:
    """When process PID started (clock ticks since boot), "" if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def run_owner() -> str:
    """This run's name: the workers are forked from ansible-playbook, their
    parent."""
    parent = os.getppid()
    started = process_start(parent)
    return f"{getpass.getuser()}@{socket.gethostname()} pid {parent}" + (f" ({started})" if started else "")


OWNER = re.compile(r"^(?P<user>[^@]*)@(?P<host>\S+) pid (?P<pid>\d+) \((?P<started>\d+)\)$")


def dead_here(owner: str) -> bool:
    """Whether OWNER was a run on this controller that has ended (killed,
    interrupted): its process is gone, or is another process now."""
    found = OWNER.match(owner or "")
    if not found or found["host"] != socket.gethostname():
        return False
    return process_start(int(found["pid"])) != found["started"]


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset(("state", "wait", "seen", "variable"))

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = dict(self._task.args, owner=run_owner(), host=task_vars.get("inventory_hostname", "the host"))

        def execute(**changes: Any) -> dict[str, Any]:
            executed: dict[str, Any] = self._execute_module(
                module_name="flaskwsgi.deploy.host_lock", module_args=dict(args, **changes), task_vars=task_vars
            )
            return executed

        if args.get("state", "present") != "present":
            return dict(result, **execute())
        # A lock held by a run of this controller that has ended (an
        # interrupted run) is taken over at once; another run's is waited for.
        first = execute(wait=0)
        holder = (first.get("holder") or {}).get("owner", "")
        if first.get("taken") or not first.get("failed") or not holder:
            return dict(result, **first)
        if dead_here(holder):
            return dict(result, **execute(abandoned=holder))
        return dict(result, **execute())

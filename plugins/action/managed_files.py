# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Write a role's differing registry files in one call: resolve each
entry's content here, on the controller (plugin_utils/writes.py), and send
the bundle to the managed_files module."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import writes
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import registry


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset(("registry", "phase", "differing", "restore"))

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        managed = registry.as_entries(args.get("registry") or [])
        if args.get("restore"):
            files = registry.restore_files(managed)
        else:
            phase = args.get("phase")
            phases = [phase] if isinstance(phase, str) else list(phase or [])
            if not phases or any(name not in registry.PHASES for name in phases):
                known = ", ".join(registry.PHASES)
                return dict(result, failed=True, msg=f"managed_files: phase must be one or more of {known}")
            files = writes.phase_files(self, managed, phases, args.get("differing") or [], task_vars)
        if not files:
            return dict(result, changed=False, changed_entries=[], sources_found=[])
        executed: dict[str, Any] = self._execute_module(
            module_name="flaskwsgi.deploy.managed_files", module_args={"files": files}, task_vars=task_vars
        )
        return dict(result, **executed)

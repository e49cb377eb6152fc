# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Write a role's differing registry files in one call: resolve each
entry's content here, on the controller (plugin_utils/plan/registry.py
says where it comes from), and send the bundle to the managed_files
module."""

from __future__ import annotations

import base64
from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import rendered_text


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset(("registry", "phase", "differing", "restore"))

    def _content(self, entry: registry.Entry, task_vars: dict[str, Any]) -> bytes:
        """ENTRY's content, from its source."""
        if entry.source == "template":
            return rendered_text(self, entry.origin, task_vars).encode()
        if entry.source == "variable":
            return registry.variable_content(self._templar.template(task_vars.get(entry.origin))).encode()
        if entry.source in ("role_file", "controller_file"):
            with open(self._find_needle("files", entry.origin), "rb") as handle:
                return handle.read()
        return entry.origin.encode()

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        managed = registry.as_entries(args.get("registry") or [])
        if args.get("restore"):
            files = registry.restore_files(managed)
        else:
            phase = args.get("phase")
            if phase not in registry.PHASES:
                phases = ", ".join(registry.PHASES)
                return dict(result, failed=True, msg=f"managed_files: phase must be one of {phases}")
            writing = registry.due(managed, phase, args.get("differing") or [])
            contents = {
                entry.name: base64.b64encode(self._content(entry, task_vars)).decode()
                for entry in writing
                if entry.present and entry.source in registry.FILE_SOURCES
            }
            files = registry.file_writes(writing, contents)
        if not files:
            return dict(result, changed=False, changed_entries=[], sources_found=[])
        executed: dict[str, Any] = self._execute_module(
            module_name="flaskwsgi.deploy.managed_files", module_args={"files": files}, task_vars=task_vars
        )
        return dict(result, **executed)

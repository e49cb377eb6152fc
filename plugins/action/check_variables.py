# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Check a role's variables against its rules, on the controller.

The checks are plugins/plugin_utils/checks.py."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import checks
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.variables import RULES


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(("role", "values"))

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        role = self._task.args.get("role")
        if role not in RULES:
            return dict(result, failed=True, msg=f"check_variables: role must be one of {', '.join(sorted(RULES))}")
        result.update(changed=False, msg=f"{role}: every variable follows its rules")
        result.update(checks.check(self, role, task_vars or {}, self._task.args.get("values")))
        return result

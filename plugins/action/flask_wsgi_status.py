# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the flask_wsgi application a host's variables describe is on the
host, in one call of the host reading (plugins/plugin_utils/status.py),
changing nothing: the status playbook's row for the host."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import checks, status
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import role_values

ARGUMENT_SPEC: dict[str, Any] = {
    "out_of_rotation": {"type": "list", "elements": "str"},
}
READING = "flaskwsgi.deploy.host_reading"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        # The variables' types and rules, as a deploy checks them; the
        # application's source on the controller is not needed.
        refused = checks.check(self, "flask_wsgi", task_vars, types=True, sources=False)
        if refused.get("failed"):
            return dict(result, **refused)
        values = role_values(self._templar, task_vars, "flask_wsgi_")
        values["inventory_hostname"] = task_vars.get("inventory_hostname", "")
        reading = self._execute_module(
            module_name=READING, module_args=status.reading_args(values), task_vars=task_vars
        )
        if reading.get("failed") or reading.get("unreachable"):
            return dict(result, **reading)
        return dict(result, changed=False, status=status.row(values, reading, params["out_of_rotation"]))

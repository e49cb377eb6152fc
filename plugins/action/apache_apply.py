# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Apply a change to Apache in one task: the apache_server role's `apply`
entry point, which the application role's ACME, rollback and removal steps
call too. The steps are plugins/plugin_utils/applying.py."""

from __future__ import annotations

from typing import Any, cast

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import applying, registry

ARGUMENT_SPEC: dict[str, Any] = {
    "action": {"type": "str", "required": True, "choices": ["none", "reload", "restart"]},
    "ctl": {"type": "str", "default": "apache2ctl"},
    "service": {"type": "str", "default": "apache2"},
    "note": {"type": "str", "default": ""},
    "apps_dir": {"type": "str", "default": ""},
    "exclude": {"type": "str", "default": ""},
    "require": {"type": "list", "elements": "str", "default": []},
    "wait": {"type": "float", "default": 30},
    "after": {"type": "str", "default": ""},
    "registry": {"type": "list", "elements": "dict", "default": []},
    "results": {"type": "dict", "default": {}},
}
# What Apache itself does for a pick-up (new code alone is the daemons', not Apache's).
SERVER_ACTIONS = {"none": "none", "daemons": "none", "reload": "reload", "restart": "restart"}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        # With a registry: also what its entries the results changed need.
        changed = registry.changed_entries(params.pop("results"))
        needed = registry.pick_up(registry.as_entries(params.pop("registry")), changed)
        params["action"] = registry.strongest([params["action"], SERVER_ACTIONS[needed]])
        spec = cast(applying.Applying, {name: value for name, value in params.items() if value not in ("", None)})
        result.update(
            applying.apply(applying.module_runner(self, task_vars), spec, bool(self._play_context.check_mode))
        )
        return result

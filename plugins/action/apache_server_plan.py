# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Work out, on the controller, what the apache_server role makes of a host.

The decisions are plugins/plugin_utils/server.py; this plugin feeds them the
role's variables and returns what they decide as its result, which the role
registers (no facts): the ``wanted`` stage as ``__apache_server_wanted``
(with Apache's layout, vars/Debian.yml, without its prefix), the
``compare`` stage as ``apache_server_plan``, whose ``deploy_needed`` the
rolling deploy (playbooks/site.yml) reads."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import checks, parts, server
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import (
    role_values,
    system_layout,
    template_checksums,
)

PREFIX = "__apache_server_"
LAYOUT = ("packages", "mods_enabled", "conf_available", "conf_enabled", "sites_enabled")
# Where the role registers the wanted stage's result, which compare reads.
WANTED = "__apache_server_wanted"
PLAN = "apache_server_plan"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(("stage", "host"))

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        values = role_values(self._templar, task_vars, "apache_server_", exclude=(PLAN,))
        system = {}
        if args.get("stage") == "wanted":
            refused = checks.check(self, "apache_server", task_vars, types=True)
            if refused.get("failed"):
                return dict(result, changed=False, **refused)
            system = {name.removeprefix(PREFIX): value for name, value in system_layout(self).items()}
            decided = server.wanted(values, {name: system[name] for name in LAYOUT}, parts.of_run(task_vars))
        elif args.get("stage") == "compare":
            if WANTED not in task_vars:
                msg = f"apache_server_plan: the compare stage reads {WANTED}, which the plan entry point registers."
                return dict(result, failed=True, msg=msg)
            wanted = self._templar.template(task_vars[WANTED])
            # What the role's templates render to: the content its files should have.
            checksums = template_checksums(self, wanted["registry"], task_vars)
            decided = server.compare(values, {name: wanted[name] for name in server.COMPARED}, args["host"], checksums)
        else:
            return dict(result, failed=True, msg="apache_server_plan: stage must be wanted or compare")
        result.update(decided, **system)
        result["changed"] = False
        return result

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Work out, on the controller, what the apache_server role makes of a host.

The decisions are plugins/plugin_utils/server.py; this plugin feeds them the
role's variables and sets what they return as the role's facts, each named
__apache_server_<name>."""

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import checks, server
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import role_values, system_layout

PREFIX = "__apache_server_"
LAYOUT = ("packages", "mods_enabled", "conf_available", "conf_enabled", "sites_enabled")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(("stage", "host", "checksums"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = self._task.args
        values = role_values(self._templar, task_vars, "apache_server_", exclude=("apache_server_deploy_needed",))
        system = {}
        if args.get("stage") == "wanted":
            refused = checks.check(self, "apache_server", task_vars, types=True)
            if refused.get("failed"):
                return dict(result, changed=False, **refused)
            system = system_layout(self)
            layout = {name: system[PREFIX + name] for name in LAYOUT}
            facts = server.wanted(values, layout)
        elif args.get("stage") == "compare":
            plan = {name: self._templar.template(task_vars[PREFIX + name]) for name in server.COMPARED}
            facts = server.compare(values, plan, args["host"], args["checksums"])
        else:
            return dict(result, failed=True, msg="apache_server_plan: stage must be wanted or compare")
        result.update(changed=False, ansible_facts={PREFIX + name: value for name, value in facts.items()})
        result["ansible_facts"].update(system)
        if args.get("stage") == "compare":
            # What the rolling deploy reads before it takes a host out.
            result["ansible_facts"]["apache_server_deploy_needed"] = facts["deploy_needed"]
        return result

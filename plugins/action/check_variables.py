# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Check a role's variables against its rules, on the controller."""

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.variables import (
    RULES,
    broken_rules,
    failure_message,
    variable_names,
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(("role", "values"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        role = self._task.args.get("role")
        if role not in RULES:
            return dict(result, failed=True, msg=f"check_variables: role must be one of {', '.join(sorted(RULES))}")
        values = {name: self._templar.template(task_vars[name]) for name in variable_names(role) if name in task_vars}
        values.update(self._task.args.get("values") or {})
        broken = broken_rules(role, values)
        result["changed"] = False
        result["broken"] = [{"name": name, "rule": rule, "value": value} for name, rule, value in broken]
        if broken:
            result["failed"] = True
            result["msg"] = failure_message(role, broken)
        else:
            result["msg"] = f"{role}: every variable follows its rules"
        return result

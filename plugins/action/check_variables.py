# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Check a role's variables against its rules, on the controller."""

import os

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.variables import (
    RULES,
    broken_rules,
    failure_message,
    variable_names,
)

# Per role: the variables naming a directory or file on the controller that
# the role copies to the host, what it is, and how to tell it is there.
COPY_SOURCES = {
    "flask_wsgi": (
        ("flask_wsgi_app_src", "directory", os.path.isdir),
        ("flask_wsgi_pip_ca_bundle", "file", os.path.isfile),
        ("flask_wsgi_tls_acme_ca_bundle", "file", os.path.isfile),
    ),
    "haproxy_lb": (("haproxy_lb_tls_acme_ca_bundle", "file", os.path.isfile),),
}


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
        broken = broken_rules(role, values) + self._missing_sources(role, values)
        result["changed"] = False
        result["broken"] = [{"name": name, "rule": rule, "value": value} for name, rule, value in broken]
        if broken:
            result["failed"] = True
            result["msg"] = failure_message(role, broken)
        else:
            result["msg"] = f"{role}: every variable follows its rules"
        return result

    def _missing_sources(self, role, values):
        """The files and directories on the controller that the role will
        copy to the host and that are not there, as broken rules: found
        here, the run stops before the host is touched."""
        missing = []
        script = values.get("flask_wsgi_script_src")
        if role == "flask_wsgi" and not values.get("flask_wsgi_entry_point") and isinstance(script, str):
            try:
                self._find_needle("files", script)
            except AnsibleError:
                rule = "must name a file on the controller (the role's or the playbook's files/)"
                missing.append(("flask_wsgi_script_src", rule, script))
        for name, kind, exists in COPY_SOURCES.get(role, ()):
            path = values.get(name)
            if isinstance(path, str) and path and not exists(path):
                missing.append((name, f"must be empty or a {kind} on the controller", path))
        return missing

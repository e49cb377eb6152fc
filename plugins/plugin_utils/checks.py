# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""A role's variables checked on the controller, before the host is touched.

Three checks, in order, each naming the variables it refuses: their types
against the role's argument specs (as Ansible's own validation of a role's
entry point does), the rules of plugin_utils/variables.py, then the files
and directories the role copies from the controller. The check_variables
action runs them, and so do the roles' plan actions at their first stage,
so that the rolling deploy checks and plans in one task per role."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.variables import (
    broken_rules,
    failure_message,
    variable_names,
)

Broken = tuple[str, str, Any]

# Per role: the variables naming a directory or file on the controller that
# the role copies to the host, what it is, and how to tell it is there.
COPY_SOURCES: dict[str, tuple[tuple[str, str, Callable[[str], bool]], ...]] = {
    "flask_wsgi": (
        ("flask_wsgi_app_src", "directory", os.path.isdir),
        ("flask_wsgi_pip_ca_bundle", "file", os.path.isfile),
        ("flask_wsgi_tls_acme_ca_bundle", "file", os.path.isfile),
    ),
    "haproxy_lb": (("haproxy_lb_tls_acme_ca_bundle", "file", os.path.isfile),),
}


def spec_options(role_path: str, entry_point: str = "main") -> dict[str, Any]:
    """The options of ROLE_PATH's ENTRY_POINT in its meta/argument_specs.yml."""
    with open(os.path.join(role_path, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        specs = yaml.safe_load(handle)
    options: dict[str, Any] = specs["argument_specs"][entry_point]["options"]
    return options


def type_errors(options: dict[str, Any], values: Mapping[str, Any]) -> list[str]:
    """What the argument specs' OPTIONS refuse in VALUES (the role's
    variables given in the play), one message each, naming the variable."""
    given = {name: value for name, value in values.items() if name in options}
    return list(ArgumentSpecValidator(options).validate(given).error_messages)


def missing_sources(role: str, values: Mapping[str, Any], find_file: Callable[[str], Any]) -> list[Broken]:
    """The files and directories on the controller that the role will copy
    to the host and that are not there, as broken rules. FIND_FILE finds a
    file as a copy task does, raising AnsibleError when there is none."""
    missing: list[Broken] = []
    script = values.get("flask_wsgi_script_src")
    if role == "flask_wsgi" and not values.get("flask_wsgi_entry_point") and isinstance(script, str):
        try:
            find_file(script)
        except AnsibleError:
            rule = "must name a file on the controller (the role's or the playbook's files/)"
            missing.append(("flask_wsgi_script_src", rule, script))
    for name, kind, exists in COPY_SOURCES.get(role, ()):
        path = values.get(name)
        if isinstance(path, str) and path and not exists(path):
            missing.append((name, f"must be empty or a {kind} on the controller", path))
    return missing


def check(
    action: ActionBase,
    role: str,
    task_vars: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    types: bool = False,
    sources: bool = True,
) -> dict[str, Any]:
    """ROLE's variables in TASK_VARS (templated; VALUES added) checked by
    ACTION, a plugin of the role; with TYPES, against the argument specs of
    the role's `main` entry point first; with SOURCES, that the files and
    directories the role copies from the controller are there. Returns the
    result's fields: `broken` (name, rule, value) and, when something is
    refused, `failed` and `msg`."""
    templar = action._templar
    names = set(variable_names(role))
    role_path = getattr(getattr(action._task, "_role", None), "_role_path", None)
    options = spec_options(role_path) if types and role_path else {}
    given = {name: templar.template(task_vars[name]) for name in names | set(options) if name in task_vars}
    given.update(values or {})
    errors = type_errors(options, given) if options else []
    if errors:
        return {"broken": [], "failed": True, "msg": f"{role}: " + " | ".join(errors)}
    broken = broken_rules(role, given)
    if sources:
        broken += missing_sources(role, given, lambda src: action._find_needle("files", src))
    fields: dict[str, Any] = {"broken": [{"name": name, "rule": rule, "value": value} for name, rule, value in broken]}
    if broken:
        fields.update(failed=True, msg=failure_message(role, broken))
    return fields

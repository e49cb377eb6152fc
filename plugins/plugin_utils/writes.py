# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What flaskwsgi.deploy.managed_files writes for a phase of a role's
registry, with each entry's content resolved on the controller
(registry.py says where it comes from), by the action plugin of the task
that writes it: managed_files' own, or a plan action's stage."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ansible.plugins.action import ActionBase
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import rendered_text


def content(action: ActionBase, entry: registry.Entry, task_vars: Mapping[str, Any]) -> bytes:
    """ENTRY's content, from its source, as ACTION (run in the entry's
    role) finds it: a template rendered with TASK_VARS, a variable as JSON,
    a role's or the controller's file, or the text itself."""
    if entry.source == "template":
        return rendered_text(action, entry.origin, task_vars).encode()
    if entry.source == "variable":
        return registry.variable_content(action._templar.template(task_vars.get(entry.origin))).encode()
    if entry.source in ("role_file", "controller_file"):
        with open(action._find_needle("files", entry.origin), "rb") as handle:
            return handle.read()
    return entry.origin.encode()


def phase_files(
    action: ActionBase,
    entries: Sequence[registry.Entry],
    phase: str | Iterable[str],
    differing: Iterable[str],
    task_vars: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """managed_files' files for the entries of PHASE (one, or several)
    whose path is in DIFFERING, each present file's content base64."""
    writing = registry.due(entries, phase, differing)
    contents = {
        entry.name: base64.b64encode(content(action, entry, task_vars)).decode()
        for entry in writing
        if entry.present and entry.source in registry.FILE_SOURCES
    }
    return registry.file_writes(writing, contents)

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""A role's variables as its controller-side actions read them."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ansible.plugins.action import ActionBase
from ansible.plugins.loader import lookup_loader


def truth(value: Any) -> bool:
    """VALUE as Ansible's bool filter reads it (-e gives strings)."""
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "on", "1", "true", "y", "t")
    return bool(value)


def role_values(
    templar: Any, task_vars: Mapping[str, Any], prefix: str, exclude: Collection[str] = ()
) -> dict[str, Any]:
    """The variables named PREFIX... as the play sees them (templated), but
    those in EXCLUDE: facts the role sets for others to read."""
    return {
        name: templar.template(value)
        for name, value in task_vars.items()
        if name.startswith(prefix) and name not in exclude
    }


def system_layout(action: ActionBase) -> dict[str, Any]:
    """The role's layout on Debian and its derivatives (vars/Debian.yml, the
    only family the roles support; each comparison refuses any other), read
    by ACTION, a plan action of the role, instead of by a task of its own."""
    layout: dict[str, Any] = action._loader.load_from_file(action._find_needle("vars", "Debian.yml"))
    return layout


def rendered_text(action: ActionBase, template: str, variables: Mapping[str, Any]) -> str:
    """The role's TEMPLATE rendered with VARIABLES, as ACTION's role writes it."""
    lookup = lookup_loader.get("ansible.builtin.template", loader=action._loader, templar=action._templar)
    text: str = lookup.run([template], variables=variables)[0]
    return text


def rendered_checksum(action: ActionBase, template: str, variables: Mapping[str, Any]) -> str:
    """The SHA-1 of the role's TEMPLATE rendered with VARIABLES, as the
    role will write it."""
    return hashlib.sha1(rendered_text(action, template, variables).encode()).hexdigest()


def template_checksums(
    action: ActionBase, registry: Sequence[Mapping[str, Any]], variables: Mapping[str, Any]
) -> dict[str, str]:
    """The SHA-1 each templated entry of REGISTRY (a role's registry as its
    plan registered it) renders to with VARIABLES, by entry name; each
    template is rendered once, and a last good copy has its entry's."""
    templated = [entry for entry in registry if entry["source"] == "template" and not entry["copy_of"]]
    rendered = {origin: rendered_checksum(action, origin, variables) for origin in {e["origin"] for e in templated}}
    return {entry["name"]: rendered[entry["origin"]] for entry in templated}

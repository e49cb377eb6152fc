# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Preparing a host while its packages install, in the read stage's one
task (flask_wsgi_plan with prepared): which modules to run on the host, in
order, what a failure says, and what the plan notes afterwards."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.accounts import ownership_mark
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.applying import Step, said
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Values

FAILURES = {
    "group": "The daemon group could not be created",
    "user": "The daemon user could not be created",
    "directories": "The application's directories, or the account's mark, could not be written",
    "packages": "The packages could not be installed",
}


def account_steps(values: Values, planned: Mapping[str, Any]) -> list[Step]:
    """The daemon group and user, when they differ (PLANNED, the read
    stage's result), for VALUES (the role's variables): a system account
    with no login shell."""
    prepare: list[Step] = []
    if planned["group_differs"]:
        group = {"name": values["flask_wsgi_group"], "system": True, "state": "present"}
        prepare.append(("group", "ansible.legacy.group", group))
    if planned["user_differs"]:
        user = {
            "name": values["flask_wsgi_user"],
            "group": values["flask_wsgi_group"],
            "system": True,
            "shell": values["flask_wsgi_user_shell"],
            "home": values["flask_wsgi_user_home"],
            "create_home": True,
            "state": "present",
        }
        prepare.append(("user", "ansible.legacy.user", user))
    return prepare


def account_uid(planned: Mapping[str, Any], user: Mapping[str, Any]) -> int | None:
    """The daemon account's uid: as the user step (USER, its result) left
    it, else as the host reading found it; None while it is only pretended
    (check mode)."""
    uid = user.get("uid", planned["host_reading"]["user"].get("uid"))
    return None if uid is None else int(uid)


def host_steps(
    values: Values, planned: Mapping[str, Any], uid: int | None, packages: Mapping[str, Any], timeout: int
) -> list[Step]:
    """After the account: the registry's directories that differ (PLANNED,
    the read stage's result) and the account's mark, when the role creates
    or adopts the account (its UID known), in one call; then the wait, up
    to TIMEOUT seconds, for the install PACKAGES started in the background
    (its registered result)."""
    prepare: list[Step] = []
    entries = registry.as_entries(planned["wanted"]["registry"])
    files = registry.file_writes(registry.due(entries, "prepare", planned["differing"]), {})
    if planned["account"]["verdict"] in ("create", "adopt") and uid is not None:
        mark = next(entry for entry in entries if entry.source == "mark")
        content = ownership_mark(values["flask_wsgi_user"], uid)[0]
        files.append(registry.file_write(mark, content=base64.b64encode(content.encode()).decode()))
    if files:
        prepare.append(("directories", "flaskwsgi.deploy.managed_files", {"files": files}))
    if packages.get("results_file"):
        job = {"results_file": packages["results_file"], "timeout": timeout}
        prepare.append(("packages", "flaskwsgi.deploy.job_result", job))
    return prepare


def reread(packages: Mapping[str, Any]) -> bool:
    """Whether the host is read again: packages were installed (PACKAGES,
    the install's registered result, did not skip), which enable Debian's
    default site and modules."""
    return bool(packages) and not packages.get("skipped")


def failure(name: str, result: Mapping[str, Any]) -> str:
    """What the failed step NAME said (RESULT, its module's result)."""
    return f"{FAILURES[name]}: {said(result)}"


def prepared(done: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What the plan notes once the host is prepared, from DONE (each
    step's result by name): that it is (the role prepares a host once a
    run), whether anything changed and what (changed_entries: the account's
    parts, the directories' entries, packages), and the uid of an account
    it created."""
    changed_entries: list[str] = []
    for name, result in done.items():
        if name == "directories":
            changed_entries += list(result.get("changed_entries") or [])
        elif result.get("changed"):
            changed_entries.append(name)
    noted: dict[str, Any] = {
        "prepared": True,
        "changed": bool(changed_entries),
        "changed_entries": changed_entries,
        "prepare": dict(done),
    }
    if "uid" in done.get("user", {}):
        noted["account_uid"] = done["user"]["uid"]
    return noted

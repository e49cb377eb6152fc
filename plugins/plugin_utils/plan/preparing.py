# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Preparing a host while its packages install, in the read stage's one
task (flask_wsgi_plan with prepared): which modules to run on the host, in
order, what a failure says, and what the plan notes afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Values

# A module to run: the step's name, the module, its arguments.
Step = tuple[str, str, dict[str, Any]]

FAILURES = {
    "group": "The daemon group could not be created",
    "user": "The daemon user could not be created",
    "directories": "The application's directories could not be made",
    "packages": "The packages could not be installed",
}


def steps(values: Values, planned: Mapping[str, Any], packages: Mapping[str, Any], timeout: int) -> list[Step]:
    """What prepares the host, for VALUES (the role's variables) and
    PLANNED (the read stage's result): the daemon group and user when
    they differ, with no login shell; the registry's directories that
    differ, in one call; then the wait, up to TIMEOUT seconds, for the
    install PACKAGES started in the background (its registered result)."""
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
    entries = registry.as_entries(planned["wanted"]["registry"])
    directories = registry.file_writes(registry.due(entries, "prepare", planned["differing"]), {})
    if directories:
        prepare.append(("directories", "flaskwsgi.deploy.managed_files", {"files": directories}))
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
    said = next((str(result[key]).strip() for key in ("msg", "stderr") if str(result.get(key) or "").strip()), "")
    return f"{FAILURES[name]}: {said or 'no reason given'}"


def prepared(done: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What the plan notes once the host is prepared, from DONE (each
    step's result by name): that it is (the role prepares a host once a
    run), whether anything changed and what (changed_entries: the account's
    parts, the directories' entries, packages), and the uid of an account
    it created, which the account's mark records."""
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

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the one reading of a host asks (flaskwsgi.deploy.host_reading's
arguments), from the wanted state: every compared path, the packages, the
account, the service, the releases, the other applications' records and
the application's health; with flask_wsgi_state absent, what is left of
the application. The apache_server role's wanted state, when its plan ran
before (the rolling deploy), adds the server-wide paths and packages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Values
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth


def reading_args(values: Values, wanted: Mapping[str, Any], server: Mapping[str, Any]) -> dict[str, Any]:
    """The host reading's arguments for VALUES (the role's variables) and
    WANTED (wanted()'s result, with Apache's layout); SERVER: the
    apache_server role's wanted state, or {}."""
    args: dict[str, Any] = {
        "user": values["flask_wsgi_user"],
        "group": values["flask_wsgi_group"],
        "service": wanted["apache_service"],
        "lock": True,
        "apps": {"dir": wanted["apps_dir"], "exclude": values["flask_wsgi_site_name"]},
    }
    server_packages = list(server.get("all_packages") or [])
    server_paths = list(server.get("wanted_paths") or [])
    if values["flask_wsgi_state"] == "absent":
        mark = [{"path": wanted["account_mark"]}]
        return dict(args, packages=server_packages, paths=wanted["removed_paths"] + mark + server_paths)
    args.update(
        packages=wanted["all_packages"] + server_packages,
        paths=wanted["wanted_paths"] + server_paths,
        trees=wanted["code_trees"],
        releases={"root": values["flask_wsgi_app_dir"], "history": wanted["release_history"]},
        listings=wanted["listings"],
    )
    if values["flask_wsgi_app_git_repo"]:
        args["git"] = {"repo": values["flask_wsgi_app_git_repo"], "version": values["flask_wsgi_app_git_version"]}
    if wanted["acme"]:
        args["acme"] = {"cert_name": wanted["acme"]["cert_name"]}
    if truth(values["flask_wsgi_healthcheck_enabled"]):
        args["healthcheck"] = wanted["healthcheck"]
    return args

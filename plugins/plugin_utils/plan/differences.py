# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The host reading against the wanted state: which parts differ, what the
account may be, whether the host is as it should be, and why a run must not
touch it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import acme, apps, lock
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.accounts import account_verdict
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.release import release_wanted
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

# What compare reads of wanted's result.
COMPARED = (
    "parts",
    "wanted_paths",
    "code_trees",
    "full_run",
    "registry",
    "account_mark",
    "tls_selfsigned",
    "tls_certificate_path",
    "tls_key_path",
    "acme",
    "release",
    "script_checksum",
    "releases_dir",
    "app_record",
    "listings",
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Reading, Values


class Account(TypedDict):
    """What the role may do with the daemon account, and why."""

    verdict: str
    reason: str


class Compared(TypedDict):
    """compare's result: what the role registers as flask_wsgi_plan, but
    for what the action adds (the vhost's inputs, the checksums, the
    release archive, deploy_needed and host_reading)."""

    port_conflicts: list[str]
    apps_answering: list[str]
    lock_seen: int
    leftovers: list[str]
    differing: list[str]
    known_good_checksums: dict[str, str]
    packages_missing: list[str]
    account: Account
    group_differs: bool
    user_differs: bool
    service_differs: bool
    host_healthy: bool
    tls_given_missing: list[str]
    acme_action: str
    acme_reason: str
    release_wanted: dict[str, Any]
    release_dir: str
    release_only: bool
    converged: bool
    converge_needed: bool


class Removal(TypedDict):
    """removal's result, with flask_wsgi_state absent."""

    removing: list[str]
    account_is_ours: bool
    apps_answering: list[str]
    lock_seen: int


def compare(values: Values, plan: Mapping[str, Any], host: Reading, checksums: Mapping[str, str]) -> Compared:
    """Which parts of HOST (the host reading) differ from PLAN (wanted's
    result, at least the names in COMPARED), given CHECKSUMS (the SHA-1 each
    templated entry of the registry should have, by its name: known once the
    host is read). Returns what the role registers as flask_wsgi_plan, but
    for what the action adds."""
    full_run = plan["full_run"]
    # A run limited by tags to other parts leaves the application (its
    # account, service, release) or the certificates alone; the registry's
    # entries of those parts were left out of the plan already.
    app, tls = "app" in plan["parts"], "tls" in plan["parts"]
    user_existing = truth(values["flask_wsgi_user_existing"])
    # The reading may cover other roles' paths and packages too (the
    # apache_server role's, read in the same call): only this role's count.
    own = {entry["path"] for entry in plan["wanted_paths"]} | {tree["path"] for tree in plan["code_trees"]}
    paths = {path: described for path, described in host["paths"].items() if path in own}
    managed = registry.as_entries(plan["registry"])
    # The templated files (a deployed one and its last good copy) whose
    # content is not what they render to; a last good copy that differs is
    # a change not yet applied to the running server.
    stale = registry.stale_templates(managed, paths, checksums)
    if full_run:
        # Every managed path counts as differing, so that every task runs and
        # its module checks the host itself.
        templated = [entry.path for entry in managed if entry.source == "template"]
        differing = list(paths) + [path for path in templated if path not in paths]
    else:
        differing = [path for path in host["differing"] if path in own]
        differing += [path for path in stale if path not in differing]
    known_good = registry.known_good_checksums(managed, paths)
    packages_missing = registry.missing_packages(managed, host["packages"], every=full_run)
    user = host["user"]
    verdict, reason = account_verdict(
        user,
        values["flask_wsgi_user"],
        values["flask_wsgi_user_home"],
        values["flask_wsgi_user_shell"],
        paths.get(plan["account_mark"], {}).get("checksum", ""),
        user_existing,
    )
    if not app:
        verdict, reason = "leave", ""
    group_differs = app and not user_existing and (full_run or not host["group"]["exists"])
    user_differs = (
        app
        and not user_existing
        and (
            full_run
            or not user["exists"]
            or [user.get("group"), user.get("home"), user.get("shell")]
            != [values["flask_wsgi_group"], values["flask_wsgi_user_home"], values["flask_wsgi_user_shell"]]
        )
    )
    service_differs = app and (full_run or host["service"] != {"active": "active", "enabled": "enabled"})
    # An application that does not answer is deployed again, with its part.
    healthy = host.get("healthcheck", {}).get("healthy", True) or not app
    leftovers = list(host.get("leftovers") or []) if app else []
    # With ACME: what this run must do about the certificate.
    acme_verdict = acme.decide(plan["acme"], host.get("acme") or {}) if plan["acme"] and tls else {"action": "none"}
    tls_given_missing = []
    if tls and truth(values["flask_wsgi_tls_enabled"]) and not plan["tls_selfsigned"] and not plan["acme"]:
        tls_given_missing = [
            path
            for path in (plan["tls_certificate_path"], plan["tls_key_path"])
            if not paths.get(path, {}).get("exists")
        ]
    release = release_wanted(values, plan, host)
    if not app:
        release.update(build=False, switch=False, pending=False)
    # A release changed by hand is built again.
    if not values.get("flask_wsgi_release") and any(tree["path"] in differing for tree in plan["code_trees"]):
        release["build"] = bool(release["id"])
    # Everything but the release as it should be, and the application
    # answering: a new release (or one asked for) takes the short path,
    # build, switch, daemons, health check, with no other task to skip.
    trees = {tree["path"] for tree in plan["code_trees"]}
    rest_converged = (
        not [path for path in differing if path not in trees]
        and not packages_missing
        and not group_differs
        and not user_differs
        and not service_differs
        and healthy
        and acme_verdict["action"] == "none"
        and bool(release["id"])
        and not leftovers
    )
    release_needed = release["build"] or release["switch"] or release["pending"]
    # A build that is no more than the controller's archive unpacked (no
    # git checkout, its virtualenv built already, no release commands) is
    # unpacked by the call that switches to it.
    venvs = (host.get("releases") or {}).get("venvs", [])
    release["on_host"] = bool(
        release["build"]
        and (
            values["flask_wsgi_app_git_repo"]
            or values["flask_wsgi_release_commands"]
            or plan["release"]["venv"] not in ["", *venvs]
        )
    )
    converged = rest_converged and not release_needed
    release_only = bool(rest_converged and release_needed and not full_run)
    record = plan["app_record"]
    return {
        "port_conflicts": apps.port_conflicts(record["site"], record["ports"], record["names"], host.get("apps") or []),
        "apps_answering": apps.answering(host),
        "lock_seen": lock.seen(host),
        "leftovers": leftovers,
        "differing": differing,
        "known_good_checksums": known_good,
        "packages_missing": packages_missing,
        "account": {"verdict": verdict, "reason": reason},
        "group_differs": group_differs,
        "user_differs": user_differs,
        "service_differs": service_differs,
        "host_healthy": healthy,
        "tls_given_missing": tls_given_missing,
        "acme_action": acme_verdict["action"],
        "acme_reason": acme_verdict.get("reason", ""),
        "release_wanted": release,
        "release_dir": f"{plan['releases_dir']}/{release['id']}",
        "release_only": release_only,
        "converged": bool(converged),
        # The deploy takes the full path, whose apply step can also apply
        # the server-wide changes the apache_server role notes (one restart).
        "converge_needed": bool(not converged and not release_only),
    }


def removal(plan: Mapping[str, Any], host: Reading) -> Removal:
    """With flask_wsgi_state absent: the paths still there to remove,
    whether the account is the role's to remove (it left its mark), and the
    other applications that must still answer after."""
    there = [entry["path"] for entry in plan["removed_paths"] if host["paths"].get(entry["path"], {}).get("exists")]
    return {
        "removing": there,
        "account_is_ours": bool(host["paths"].get(plan["account_mark"], {}).get("exists")),
        "apps_answering": apps.answering(host),
        "lock_seen": lock.seen(host),
    }


def refusal(values: Values, host: Reading, compared: Compared) -> str:
    """Why the role must not touch this host, from the host reading HOST and
    COMPARED, compare's result, in one message naming the variable; "" when
    nothing stands in the way. Checked before anything changes."""
    name = values.get("inventory_hostname", "")
    if host.get("os", {}).get("family") != "Debian":
        system = host.get("os", {}).get("name") or "an unknown system"
        return f"flask_wsgi supports Debian and Ubuntu; {name} runs {system}."
    if compared["account"]["verdict"] == "refuse":
        return (
            f"flask_wsgi: flask_wsgi_user names the account {values['flask_wsgi_user']} on {name}, which the "
            f"role did not create and will not take over: {compared['account']['reason']}. Name another account, "
            "or set flask_wsgi_user_existing to run the daemons as this one, as it is."
        )
    if compared["port_conflicts"]:
        return apps.conflict_message(values["flask_wsgi_site_name"], name, compared["port_conflicts"])
    if compared["release_wanted"]["error"]:
        return str(compared["release_wanted"]["error"])
    if compared["tls_given_missing"]:
        return (
            "flask_wsgi: flask_wsgi_tls_certificate_file and flask_wsgi_tls_key_file must be on "
            f"{name} before the role runs; missing: {', '.join(compared['tls_given_missing'])}."
        )
    return ""

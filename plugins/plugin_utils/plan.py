# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the flask_wsgi role makes of a host, and what a run must apply.

Three steps, each a plain function of plain data, unit-tested without a host:

- wanted(values): from the role's variables (and Apache's layout), every
  path the role manages with the state it should be in, the packages, the
  modules and the names the tasks use. Worked out on the controller before
  the host is read.
- compare(values, wanted, host, checksums): the host reading against that:
  which parts differ, what the account may be, whether the host is already
  as it should be. Every task that changes a part runs only when its part is
  named here; no task works this out again.
- apply_action(...): after the tasks ran, what the running server must pick
  up: nothing, the daemons restarted for new code, a graceful reload of
  Apache, or a full restart.
"""

import os

from ansible_collections.flaskwsgi.deploy.plugins.module_utils.accounts import account_verdict
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

ROOT_DIRECTORY = {"type": "directory", "uid": 0, "gid": 0}
ROOT_FILE = {"type": "file", "uid": 0, "gid": 0, "mode": "0644"}
ROOT_SECRET = {"type": "file", "uid": 0, "gid": 0, "mode": "0600"}

# What the server must pick up, from least to most.
ACTIONS = ("none", "daemons", "reload", "restart")
# Which task results mean what; apply_action reads them by these names.
MODULE_RESULTS = ("modules",)
CONFIGURATION_RESULTS = ("vhost", "site", "tls_key", "tls_certificate")
CODE_RESULTS = ("script_copy", "script_template", "restart_marker", "recorder")


def source_names(source):
    """Every file and directory below SOURCE, relative to it: what the
    application directory holds when it is copied there."""
    names = []
    for top, dirs, files in os.walk(source, followlinks=True):
        relative = os.path.relpath(top, source)
        for name in sorted(dirs) + sorted(files):
            names.append(os.path.normpath(os.path.join(relative, name)))
    return names


def healthcheck_url(values):
    """The URL the health check asks: the HTTPS vhost with HTTPS on (it
    serves the application in every case), on the host's loopback."""
    if truth(values["flask_wsgi_tls_enabled"]):
        base = f"https://127.0.0.1:{values['flask_wsgi_tls_port']}"
    else:
        base = f"http://127.0.0.1:{values['flask_wsgi_port']}"
    mount = str(values["flask_wsgi_mount_path"]).rstrip("/")
    return f"{base}{mount}/{str(values['flask_wsgi_healthcheck_path']).lstrip('/')}"


def tls_plan(values, tls_dir):
    """The certificate and key paths, whether the role generates them, and
    the paths the host reading checks for them."""
    if not truth(values["flask_wsgi_tls_enabled"]):
        return {"selfsigned": False, "certificate_path": "", "key_path": "", "paths": []}
    site = values["flask_wsgi_site_name"]
    selfsigned = not values["flask_wsgi_tls_certificate_file"]
    certificate = values["flask_wsgi_tls_certificate_file"] or f"{tls_dir}/{site}.crt"
    key = values["flask_wsgi_tls_key_file"] or f"{tls_dir}/{site}.key"
    if selfsigned:
        # A generated pair belongs to root; its key is readable by root only.
        paths = [
            dict(ROOT_DIRECTORY, path=tls_dir, mode="0700"),
            dict(ROOT_FILE, path=certificate),
            dict(ROOT_FILE, path=key, mode="0600"),
        ]
    else:
        # A given pair only has to exist: an ACME client's live/ paths are links.
        paths = [{"path": certificate, "exists": True}, {"path": key, "exists": True}]
    return {"selfsigned": selfsigned, "certificate_path": certificate, "key_path": key, "paths": paths}


def wanted(values, layout, recorder_checksum=None):
    """The state the role should make of a host, from VALUES (the role's
    variables) and LAYOUT (Apache's paths and the packages, vars/Debian.yml,
    without their __flask_wsgi_ prefix) and RECORDER_CHECKSUM (the SHA-1 of
    the role's files/daemon_record.py). Returns the role's derived names,
    without their __flask_wsgi_ prefix; "paths" is what the host reading
    compares."""
    site = values["flask_wsgi_site_name"]
    app_dir = values["flask_wsgi_app_dir"]
    script_name = values["flask_wsgi_script_name"]
    tls = truth(values["flask_wsgi_tls_enabled"])
    user_existing = truth(values["flask_wsgi_user_existing"])
    state_dir = values["flask_wsgi_state_dir"]
    known_good_dir = f"{state_dir}/{site}"
    plan = {
        "known_good_dir": known_good_dir,
        "script_path": f"{app_dir}/{script_name}",
        "site_file": f"{layout['apache_sites_available']}/{site}.conf",
        "site_link": f"{layout['apache_sites_enabled']}/{site}.conf",
        "restart_marker": f"{known_good_dir}/restart-pending",
        "account_mark": f"{known_good_dir}/account",
        "pip_ca_path": f"{known_good_dir}/pip-ca-bundle.pem",
        "use_venv": bool(values["flask_wsgi_requirements_file"]),
        "requirements_path": f"{app_dir}/{values['flask_wsgi_requirements_file']}",
        "installed_requirements_path": f"{values['flask_wsgi_venv_dir']}/flask-wsgi-installed-requirements.txt",
        "full_run": truth(values.get("flask_wsgi_full_run", False)),
        # mod_wsgi preloads the WSGI script, and the recorder after it, in
        # every daemon process (WSGIImportScript, which takes a literal
        # application group): with the default %{GLOBAL}, the health check
        # covers every process, not only the one a request reaches.
        "preload": values["flask_wsgi_application_group"] == "%{GLOBAL}",
        "daemon_records_dir": f"{state_dir}/{site}.daemons",
        "daemon_recorder": f"{state_dir}/{site}.daemons.py",
    }
    plan["pip_environment"] = {}
    if values["flask_wsgi_pip_ca_bundle"]:
        plan["pip_environment"]["PIP_CERT"] = plan["pip_ca_path"]
    if values["flask_wsgi_pip_index_url"]:
        plan["pip_environment"]["PIP_INDEX_URL"] = values["flask_wsgi_pip_index_url"]

    # The files that make a deployment, and their names in the last good copy.
    plan["deployed_files"] = [
        {"path": plan["script_path"], "saved": "script"},
        {"path": plan["site_file"], "saved": "site.conf"},
    ]
    plan["known_good_paths"] = [f"{known_good_dir}/{entry['saved']}" for entry in plan["deployed_files"]]

    plan["all_packages"] = list(layout["packages"])
    if values["flask_wsgi_app_git_repo"]:
        plan["all_packages"].append("git")
    if plan["use_venv"]:
        plan["all_packages"] += ["python3-venv", "python3-packaging"]
    plan["all_packages"] += list(values["flask_wsgi_extra_packages"])
    if tls:
        plan["all_packages"].append("python3-cryptography")

    # The modules the site needs; server-wide modules are the apache_server
    # role's. mod_headers sets X-Content-Type-Options; mod_rewrite sends
    # plain HTTP to HTTPS. Turning HTTPS off leaves mod_ssl and mod_rewrite
    # on: other sites may use them.
    plan["apache_modules"] = [{"name": "wsgi", "enabled": True}, {"name": "headers", "enabled": True}]
    if tls:
        plan["apache_modules"].append({"name": "ssl", "enabled": True})
        if truth(values["flask_wsgi_tls_redirect"]):
            plan["apache_modules"].append({"name": "rewrite", "enabled": True})
    for module in plan["apache_modules"]:
        module["link"] = f"{layout['apache_mods_enabled']}/{module['name']}.load"

    plan["directories"] = [
        # Root's, but the daemons reach their records below it.
        {"path": state_dir, "mode": "0711"},
        {"path": app_dir, "mode": "0755"},
        {"path": values["flask_wsgi_document_root"], "mode": "0755"},
        {"path": known_good_dir, "mode": "0700"},
    ]
    tls_paths = tls_plan(values, layout["apache_tls_dir"])
    plan["tls_selfsigned"] = tls_paths["selfsigned"]
    plan["tls_certificate_path"] = tls_paths["certificate_path"]
    plan["tls_key_path"] = tls_paths["key_path"]
    # The self-signed certificate names the server name, or the inventory name.
    plan["tls_selfsigned_name"] = values["flask_wsgi_server_name"] or values.get("inventory_hostname", "")

    paths = [dict(ROOT_DIRECTORY, **directory) for directory in plan["directories"]]
    paths += [dict(ROOT_FILE, path=entry["path"]) for entry in plan["deployed_files"]]
    paths += [dict(ROOT_SECRET, path=path) for path in plan["known_good_paths"]]
    paths += [{"path": module["link"], "exists": module["enabled"]} for module in plan["apache_modules"]]
    paths += [
        {"path": plan["restart_marker"], "exists": False},
        {"path": plan["site_link"], "exists": True},
        {"path": plan["account_mark"], "exists": not user_existing},
    ]
    if not user_existing:
        # The daemons' home, which the role keeps unless it uses an existing
        # account as it is.
        paths.append(
            {
                "path": values["flask_wsgi_user_home"],
                "type": "directory",
                "owner": values["flask_wsgi_user"],
                "group": values["flask_wsgi_group"],
                "mode": "0750",
            }
        )
    if plan["preload"]:
        paths.append(
            {
                "path": plan["daemon_records_dir"],
                "type": "directory",
                "owner": values["flask_wsgi_user"],
                "group": values["flask_wsgi_group"],
                "mode": "0700",
            }
        )
        paths.append(dict(ROOT_FILE, path=plan["daemon_recorder"], checksum=recorder_checksum))
    plan["wanted_paths"] = paths + tls_paths["paths"]

    # The code from flask_wsgi_app_src: what the application directory holds
    # (for pruning), and the trees the host reading compares file by file in
    # the application directory and its last good copy (the WSGI script is
    # compared on its own).
    source = values["flask_wsgi_app_src"]
    plan["code_wanted_names"] = (source_names(source) if source else []) + [script_name]
    plan["code_trees"] = []
    if source:
        from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import wanted_tree

        files = wanted_tree(source, [script_name])
        for path in (app_dir, f"{known_good_dir}/code"):
            plan["code_trees"].append({"path": path, "files": files, "ignore": [script_name]})

    headers = {"Host": values["flask_wsgi_server_name"]} if values["flask_wsgi_server_name"] else {}
    plan["healthcheck"] = {
        "url": healthcheck_url(values),
        "headers": headers,
        "status_codes": [int(code) for code in values["flask_wsgi_healthcheck_status_codes"]],
    }
    if plan["preload"]:
        plan["healthcheck"]["daemons"] = {
            "display_name": values["flask_wsgi_display_name"],
            "user": values["flask_wsgi_user"],
            "processes": str(values["flask_wsgi_processes"]),
            "records": plan["daemon_records_dir"],
            "script": plan["script_path"],
        }
    # The rollback restores an earlier configuration, whose process count
    # may differ: every process it runs must have loaded the code.
    plan["rollback_healthcheck"] = dict(plan["healthcheck"])
    if plan["preload"]:
        plan["rollback_healthcheck"]["daemons"] = dict(plan["healthcheck"]["daemons"], processes="any")
    return plan


def daemon_home(values, host):
    """The daemons' home: the account's own when the role uses an existing
    account as it is, else the one the role gives it."""
    if truth(values["flask_wsgi_user_existing"]):
        return host["user"].get("home", "")
    return values["flask_wsgi_user_home"]


# What compare reads of wanted's result.
COMPARED = (
    "wanted_paths",
    "code_trees",
    "all_packages",
    "full_run",
    "deployed_files",
    "known_good_paths",
    "account_mark",
    "tls_selfsigned",
    "tls_certificate_path",
    "tls_key_path",
    "use_venv",
)


def compare(values, plan, host, checksums):
    """Which parts of HOST (the host reading) differ from PLAN (wanted's
    result, at least the names in COMPARED), given CHECKSUMS (the SHA-1 each deployed file should have, by
    its saved name). Returns the role's facts about the host, without their
    __flask_wsgi_ prefix."""
    full_run = plan["full_run"]
    user_existing = truth(values["flask_wsgi_user_existing"])
    # The reading may cover other roles' paths and packages too (the
    # apache_server role's, read in the same call): only this role's count.
    own = {entry["path"] for entry in plan["wanted_paths"]} | {tree["path"] for tree in plan["code_trees"]}
    paths = {path: described for path, described in host["paths"].items() if path in own}
    saved = [entry["saved"] for entry in plan["deployed_files"]]
    deployed = [entry["path"] for entry in plan["deployed_files"]]
    # The deployed files and their last good copies with the SHA-1 they
    # should have; a last good copy that differs is a change not yet applied
    # to the running server.
    wanted_contents = dict(
        zip(deployed + plan["known_good_paths"], [checksums[name] for name in saved * 2], strict=True)
    )
    if full_run:
        # Every managed path counts as differing, so that every task runs and
        # its module checks the host itself.
        differing = list(paths) + [path for path in wanted_contents if path not in paths]
    else:
        differing = [path for path in host["differing"] if path in own]
        differing += [
            path
            for path, checksum in wanted_contents.items()
            if paths.get(path, {}).get("checksum", "") != checksum and path not in differing
        ]
    known_good = {
        name: paths.get(path, {}).get("checksum", "")
        for name, path in zip(saved, plan["known_good_paths"], strict=True)
    }
    packages_missing = [
        name
        for name, installed in host["packages"].items()
        if name in plan["all_packages"] and (full_run or not installed)
    ]
    user = host["user"]
    verdict, reason = account_verdict(
        user,
        values["flask_wsgi_user"],
        values["flask_wsgi_user_home"],
        values["flask_wsgi_user_shell"],
        paths.get(plan["account_mark"], {}).get("checksum", ""),
        user_existing,
    )
    group_differs = not user_existing and (full_run or not host["group"]["exists"])
    user_differs = not user_existing and (
        full_run
        or not user["exists"]
        or [user.get("group"), user.get("home"), user.get("shell")]
        != [values["flask_wsgi_group"], values["flask_wsgi_user_home"], values["flask_wsgi_user_shell"]]
    )
    service_differs = full_run or host["service"] != {"active": "active", "enabled": "enabled"}
    healthy = host.get("healthcheck", {}).get("healthy", True)
    tls_given_missing = []
    if truth(values["flask_wsgi_tls_enabled"]) and not plan["tls_selfsigned"]:
        tls_given_missing = [
            path
            for path in (plan["tls_certificate_path"], plan["tls_key_path"])
            if not paths.get(path, {}).get("exists")
        ]
    # A code directory is compared file by file; code from a repository or a
    # requirements file is compared by the tasks that deploy it, so with
    # either the tasks always run.
    converged = (
        not differing
        and not packages_missing
        and not group_differs
        and not user_differs
        and not service_differs
        and healthy
        and not (values["flask_wsgi_app_git_repo"] or plan["use_venv"])
    )
    return {
        "differing": differing,
        "known_good_checksums": known_good,
        "packages_missing": packages_missing,
        "account": {"verdict": verdict, "reason": reason},
        "group_differs": group_differs,
        "user_differs": user_differs,
        "service_differs": service_differs,
        "host_healthy": healthy,
        "tls_given_missing": tls_given_missing,
        "converged": converged,
    }


def changed(result):
    return isinstance(result, dict) and bool(result.get("changed"))


def apply_action(results, wanted_checksums, known_good_checksums, restart_pending, daemons_unhealthy=False):
    """What the running server must pick up after this run's tasks.

    RESULTS holds the registered task results by the names in
    MODULE_RESULTS, CONFIGURATION_RESULTS and CODE_RESULTS (a task that did
    not run may be missing). The files as they should be are compared with
    the last deployment that passed its health check, not only with what
    this run changed: a run interrupted after writing a file but before
    Apache picked it up leaves a difference that the next run still sees.

    Returns one of ACTIONS: "restart" when a module was enabled or disabled,
    or no deployment ever passed (Apache must load the modules and daemons
    from scratch); "reload" (graceful, which also restarts the daemons) for
    a configuration change; "daemons" for new code alone, or when the host
    reading found a daemon process that did not load the code as it is
    (DAEMONS_UNHEALTHY); else "none"."""
    if any(changed(results.get(name)) for name in MODULE_RESULTS) or not known_good_checksums.get("site.conf"):
        return "restart"
    if wanted_checksums["site.conf"] != known_good_checksums.get("site.conf") or any(
        changed(results.get(name)) for name in CONFIGURATION_RESULTS
    ):
        return "reload"
    if (
        wanted_checksums["script"] != known_good_checksums.get("script")
        or restart_pending
        or daemons_unhealthy
        or any(changed(results.get(name)) for name in CODE_RESULTS)
    ):
        return "daemons"
    return "none"


ROLLBACK_OUTCOMES = {
    "nothing": "There was no earlier good deployment to roll back to; the failed one is still in place.",
    "disabled": (
        "There was no earlier good deployment to roll back to, and Apache rejects this one's configuration: its "
        "site was disabled, so that Apache and the other sites on the host can still restart."
    ),
    "unchecked": "The last good deployment was restored.",
    "answers": "The last good deployment was restored and answers again.",
    "silent": "The last good deployment was restored but does not answer either; check the Apache error log.",
}


def rollback_outcome(site_disabled, known_good_found, health):
    """What the rollback came to, in words: SITE_DISABLED (a site that never
    passed was disabled), KNOWN_GOOD_FOUND (a last good deployment was
    there to restore) and HEALTH (the result of the restored version's
    health check, the module's; skipped when there was none)."""
    if site_disabled:
        return ROLLBACK_OUTCOMES["disabled"]
    if not known_good_found:
        return ROLLBACK_OUTCOMES["nothing"]
    if health.get("skipped"):
        return ROLLBACK_OUTCOMES["unchecked"]
    healthy = health.get("healthcheck", {}).get("healthy")
    return ROLLBACK_OUTCOMES["answers" if healthy else "silent"]


def refusal(values, host, facts):
    """Why the role must not touch this host, from the host reading HOST and
    compare's FACTS, in one message naming the variable; "" when nothing
    stands in the way. Checked before anything changes."""
    name = values.get("inventory_hostname", "")
    if host.get("os", {}).get("family") != "Debian":
        system = host.get("os", {}).get("name") or "an unknown system"
        return f"flask_wsgi supports Debian and Ubuntu; {name} runs {system}."
    if facts["account"]["verdict"] == "refuse":
        return (
            f"flask_wsgi: flask_wsgi_user names the account {values['flask_wsgi_user']} on {name}, which the "
            f"role did not create and will not take over: {facts['account']['reason']}. Name another account, "
            "or set flask_wsgi_user_existing to run the daemons as this one, as it is."
        )
    if facts["tls_given_missing"]:
        return (
            "flask_wsgi: flask_wsgi_tls_certificate_file and flask_wsgi_tls_key_file must be on "
            f"{name} before the role runs; missing: {', '.join(facts['tls_given_missing'])}."
        )
    return ""

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The state the flask_wsgi role should make of a host: wanted() works out,
from the role's variables and before the host is read, every path it
manages with the shape and checksum the host reading compares, and the
names the tasks use."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import apps
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.parts import PARTS
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import registry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.certificates import acme_plan, tls_plan
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Plan, Reading, Values
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.release import release_plan
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import PathEntry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth


def healthcheck_url(values: Values) -> str:
    """The URL the health check asks: the HTTPS vhost with HTTPS on (it
    serves the application in every case), on the host's loopback."""
    if truth(values["flask_wsgi_tls_enabled"]):
        base = f"https://127.0.0.1:{values['flask_wsgi_tls_port']}"
    else:
        base = f"http://127.0.0.1:{values['flask_wsgi_port']}"
    mount = str(values["flask_wsgi_mount_path"]).rstrip("/")
    return f"{base}{mount}/{str(values['flask_wsgi_healthcheck_path']).lstrip('/')}"


def wanted(
    values: Values,
    layout: Mapping[str, Any],
    recorder_checksum: str | None = None,
    script: bytes = b"",
    start_checksum: str | None = None,
    parts: Sequence[str] = PARTS,
) -> Plan:
    """The state the role should make of a host, from VALUES (the role's
    variables) and LAYOUT (Apache's paths and the packages, vars/Debian.yml,
    without their __flask_wsgi_ prefix), RECORDER_CHECKSUM (the SHA-1 of
    the role's files/daemon_record.py), SCRIPT (the WSGI script, bytes) and
    START_CHECKSUM (the SHA-1 of files/daemon_start.py), for the PARTS of
    a deploy the run selects (parts.py). Returns what the role registers as
    __flask_wsgi_wanted (with the layout, which the action adds);
    "wanted_paths" is what the host reading compares."""
    plan = names(values, layout, script)
    plan["parts"] = list(parts)
    plan["acme"] = acme_plan(values, layout)
    plan["apache_modules"] = apache_modules(values, layout)
    tls_paths = tls_plan(values, layout["apache_tls_dir"], plan["acme"])
    plan["tls_selfsigned"] = tls_paths["selfsigned"]
    plan["tls_certificate_path"] = tls_paths["certificate_path"]
    plan["tls_key_path"] = tls_paths["key_path"]
    plan["tls_dir"] = tls_paths.get("dir", "")
    # The self-signed certificate names the server name, or the inventory name.
    plan["tls_selfsigned_name"] = values["flask_wsgi_server_name"] or values.get("inventory_hostname", "")
    # Removing the application is its part.
    plan["removed_paths"] = removed_paths(values, plan, tls_paths) if "app" in parts else []
    # A release built on the controller is compared file by file: one
    # changed by hand is put back.
    release = plan["release"]
    plan["code_trees"] = (
        [{"path": f"{plan['releases_dir']}/{release['id']}", "files": release["files"]}]
        if release["id"] and "app" in parts
        else []
    )
    plan.update(healthchecks(values, plan))
    # What the other applications on the host know of this one (its last
    # good deployment's record): the ports and names it answers for, which
    # no other application may take, and its health check, which their runs
    # ask after they reload Apache.
    tls = truth(values["flask_wsgi_tls_enabled"])
    ports = [values["flask_wsgi_port"]] + ([values["flask_wsgi_tls_port"]] if tls else [])
    server_names = [values["flask_wsgi_server_name"], *values["flask_wsgi_server_aliases"]]
    plan["app_record"] = apps.record(
        values["flask_wsgi_site_name"], plan["site_link"], ports, server_names, plan["healthcheck"]
    )
    plan["app_record_text"] = apps.record_text(plan["app_record"])
    # Everything else the role manages, one entry a thing (registry.py):
    # what the host reading compares, the writes, the apply and the rollback
    # are derived from it.
    # A run limited to some parts (tags) leaves the others' entries alone.
    managed = registry.only(registry.entries(values, plan, recorder_checksum, start_checksum), parts)
    plan["registry"] = [entry.as_dict() for entry in managed]
    plan["all_packages"] = registry.packages(managed)
    plan["wanted_paths"] = registry.compared_paths(managed) + (tls_paths["paths"] if "tls" in parts else [])
    # The last good copies of the files a rollback puts back.
    plan["known_good_paths"] = [entry.known_good for entry in managed if entry.known_good]
    plan["listings"] = listings(values, plan)
    return plan


def app_paths(values: Values) -> Plan:
    """The paths of the application VALUES describe that need neither
    Apache's layout nor its code: where it lives, its history of releases,
    its state beside the other applications', and what its daemons load.
    The status playbook reads with these too (plugin_utils/status.py)."""
    site = values["flask_wsgi_site_name"]
    app_dir = values["flask_wsgi_app_dir"]
    state_dir = values["flask_wsgi_state_dir"]
    known_good_dir = f"{state_dir}/{site}"
    current = f"{app_dir}/{rel.CURRENT}"
    return {
        "known_good_dir": known_good_dir,
        # mod_wsgi reaches the code, the script and the virtualenv through
        # the current link, so a daemon process loads one whole release.
        "current_dir": current,
        "releases_dir": f"{app_dir}/{rel.RELEASES}",
        "venvs_dir": f"{app_dir}/{rel.VENVS}",
        "venv_link": rel.VENV_LINK,
        "release_history": f"{known_good_dir}/releases.json",
        "script_path": f"{current}/{values['flask_wsgi_script_name']}",
        "python_home": f"{current}/{rel.VENV_LINK}",
        "account_mark": f"{known_good_dir}/account",
        "pip_ca_path": f"{known_good_dir}/pip-ca-bundle.pem",
        # mod_wsgi preloads the WSGI script, and the recorder after it, in
        # every daemon process (WSGIImportScript, which takes a literal
        # application group): with the default %{GLOBAL}, the health check
        # covers every process, not only the one a request reaches.
        "preload": values["flask_wsgi_application_group"] == "%{GLOBAL}",
        "daemon_records_dir": f"{state_dir}/{site}.daemons",
        "daemon_recorder": f"{state_dir}/{site}.daemons.py",
        # Preloaded first in every daemon process: the environment, read from
        # the file beside it, and the release pinned (files/daemon_start.py).
        "daemon_start": f"{state_dir}/{site}.start.py",
        "environment_file": f"{state_dir}/{site}.start.json",
        "apps_dir": state_dir,
        "app_record_path": f"{known_good_dir}/{apps.RECORD}",
    }


def names(values: Values, layout: Mapping[str, Any], script: bytes) -> Plan:
    """The paths and names the tasks use, and the release the controller
    builds."""
    site = values["flask_wsgi_site_name"]
    plan = app_paths(values)
    plan.update(
        {
            "release": release_plan(values, script),
            "script_checksum": hashlib.sha1(script).hexdigest(),
            # Apache's, mod_wsgi's and Flask's.
            "base_packages": list(layout["packages"]),
            "site_file": f"{layout['apache_sites_available']}/{site}.conf",
            "site_link": f"{layout['apache_sites_enabled']}/{site}.conf",
            "use_venv": bool(values["flask_wsgi_requirements_file"]),
            "full_run": truth(values.get("flask_wsgi_full_run", False)),
        }
    )
    plan["pip_environment"] = {}
    if values["flask_wsgi_pip_ca_bundle"]:
        plan["pip_environment"]["PIP_CERT"] = plan["pip_ca_path"]
    if values["flask_wsgi_pip_index_url"]:
        plan["pip_environment"]["PIP_INDEX_URL"] = values["flask_wsgi_pip_index_url"]
    return plan


def apache_modules(values: Values, layout: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The modules the site needs; server-wide modules are the apache_server
    role's. mod_headers sets X-Content-Type-Options; mod_rewrite sends plain
    HTTP to HTTPS. Turning HTTPS off leaves mod_ssl and mod_rewrite on:
    other sites may use them."""
    modules: list[dict[str, Any]] = [{"name": "wsgi", "enabled": True}, {"name": "headers", "enabled": True}]
    if truth(values["flask_wsgi_tls_enabled"]):
        modules.append({"name": "ssl", "enabled": True})
        if truth(values["flask_wsgi_tls_redirect"]):
            modules.append({"name": "rewrite", "enabled": True})
    for module in modules:
        module["link"] = f"{layout['apache_mods_enabled']}/{module['name']}.load"
    return modules


def removed_paths(values: Values, plan: Plan, tls_paths: Mapping[str, Any]) -> list[PathEntry]:
    """With flask_wsgi_state absent: what the role made for this application
    and removes, the site's link first. The daemon home and account go only
    when asked; packages, modules and server-wide state stay."""
    generated = [tls_paths["certificate_path"], tls_paths["key_path"]] if tls_paths["selfsigned"] else []
    return [
        {"path": path, "exists": False}
        for path in [
            plan["site_link"],
            plan["site_file"],
            values["flask_wsgi_app_dir"],
            values["flask_wsgi_document_root"],
            plan["known_good_dir"],
            plan["daemon_records_dir"],
            plan["daemon_recorder"],
            plan["daemon_start"],
            plan["environment_file"],
            *generated,
        ]
    ]


def healthchecks(values: Values, plan: Plan) -> dict[str, dict[str, Any]]:
    """The health check the host reading asks ("healthcheck") and the ones
    the deploy and the rollback ask, waiting for the daemons."""
    headers = {"Host": values["flask_wsgi_server_name"]} if values["flask_wsgi_server_name"] else {}
    check: dict[str, Any] = {
        "url": healthcheck_url(values),
        "headers": headers,
        "status_codes": [int(code) for code in values["flask_wsgi_healthcheck_status_codes"]],
    }
    if plan["preload"]:
        check["daemons"] = {
            "display_name": values["flask_wsgi_display_name"],
            "user": values["flask_wsgi_user"],
            "processes": str(values["flask_wsgi_processes"]),
            "records": plan["daemon_records_dir"],
            "script": plan["script_path"],
        }
    # The host reading asks once. The deploy and the rollback keep asking
    # (twenty times a second) while the daemons restart: as long as retries
    # attempts delay seconds apart, each waiting delay seconds for its answer.
    retries, delay = int(values["flask_wsgi_healthcheck_retries"]), int(values["flask_wsgi_healthcheck_delay"])
    deploy = dict(check, wait=(2 * retries + 1) * delay)
    # The rollback restores an earlier configuration, whose process count
    # may differ: every process it runs must have loaded the code.
    rollback = dict(deploy)
    if plan["preload"]:
        rollback["daemons"] = dict(check["daemons"], processes="any")
    return {"healthcheck": check, "deploy_healthcheck": deploy, "rollback_healthcheck": rollback}


def listings(values: Values, plan: Plan) -> list[dict[str, Any]]:
    """What the earlier layout (code, script and requirements in the
    application directory itself, the virtualenv beside it, a last good
    copy of the code) leaves, for the host reading to list: removed once a
    release of this one serves."""
    app_dir = values["flask_wsgi_app_dir"]
    kept = [
        *plan["known_good_paths"],
        plan["release_history"],
        plan["account_mark"],
        plan["pip_ca_path"],
        plan["app_record_path"],
    ]
    return [
        {"path": app_dir, "keep": [rel.RELEASES, rel.VENVS, rel.CURRENT]},
        {"path": plan["known_good_dir"], "keep": sorted({path.rsplit("/", 1)[1] for path in kept})},
        {"path": f"{app_dir}-venv", "marker": "pyvenv.cfg"},
    ]


def daemon_home(values: Values, host: Reading) -> str:
    """The daemons' home: the account's own when the role uses an existing
    account as it is, else the one the role gives it."""
    if truth(values["flask_wsgi_user_existing"]):
        return str(host["user"].get("home", ""))
    return str(values["flask_wsgi_user_home"])

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the apache_server role makes of a host, and what a run applies.

Server-wide Apache state (the MPM, modules, the hardening configuration,
the default site) belongs to no application: this role sets it once per
host, and the application role manages only its own site. Plain Python
with no Ansible import, unit-tested.

A run that changes anything first notes on the host what Apache must pick
up (a restart or a graceful reload), and clears the note once Apache has:
a run interrupted in between leaves the note, and the next run applies it
even though the files no longer change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import apps, lock
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

MPMS = ("event", "worker", "prefork")
# Named so that conf-enabled/ loads them after Debian's own (security.conf,
# and mod_status's status.conf, which mods-enabled/ loads first).
HARDENING_CONF = "zz-flask-wsgi-hardening"
STATUS_CONF = "zz-flask-wsgi-status"
# What Apache must pick up, from least to most.
ACTIONS = ("none", "reload", "restart")


def note(action: str) -> tuple[str, str]:
    """The content of the note that Apache must pick up ACTION, and its SHA-1
    as the host reading reports it."""
    content = f"{action}\n"
    return content, hashlib.sha1(content.encode()).hexdigest()


def wanted(values: Mapping[str, Any], layout: Mapping[str, Any]) -> dict[str, Any]:
    """The server-wide state from VALUES (the role's variables) and LAYOUT
    (Apache's paths, vars/Debian.yml, without their __apache_server_
    prefix). Returns what the role registers as __apache_server_wanted (with
    the layout, which the action adds)."""
    hardening = truth(values["apache_server_hardening"])
    status = truth(values["apache_server_status"])
    mpm = values["apache_server_mpm"]
    modules: list[dict[str, Any]] = [{"name": f"mpm_{other}", "enabled": False} for other in MPMS if other != mpm]
    modules.append({"name": f"mpm_{mpm}", "enabled": True})
    if truth(values["apache_server_disable_autoindex"]):
        modules.append({"name": "autoindex", "enabled": False})
    # Debian enables mod_status; it stays off unless the page is asked for
    # (or the module, in apache_server_modules).
    modules.append({"name": "status", "enabled": status or "status" in values["apache_server_modules"]})
    modules += [{"name": name, "enabled": True} for name in values["apache_server_modules"] if name != "status"]
    for module in modules:
        module["link"] = f"{layout['mods_enabled']}/{module['name']}.load"
    # The configurations the role writes into conf-available/, each from
    # the template <kind>.conf.j2, enabled or disabled.
    confs: list[dict[str, Any]] = [
        {"kind": "hardening", "name": HARDENING_CONF, "enabled": hardening},
        {"kind": "status", "name": STATUS_CONF, "enabled": status},
    ]
    for conf in confs:
        conf["template"] = f"{conf['kind']}.conf.j2"
        conf["file"] = f"{layout['conf_available']}/{conf['name']}.conf"
        conf["link"] = f"{layout['conf_enabled']}/{conf['name']}.conf"
    plan: dict[str, Any] = {
        "all_packages": list(layout["packages"]),
        "modules": modules,
        "confs": confs,
        "default_site_link": f"{layout['sites_enabled']}/000-default.conf",
        "pending_note": f"{values['apache_server_state_dir']}/apache-server-pending",
    }
    paths = [{"path": module["link"], "exists": module["enabled"]} for module in modules]
    for conf in confs:
        paths.append({"path": conf["link"], "exists": conf["enabled"]})
        if conf["enabled"]:
            paths.append({"path": conf["file"], "type": "file", "uid": 0, "gid": 0, "mode": "0644"})
    if truth(values["apache_server_disable_default_site"]):
        paths.append({"path": plan["default_site_link"], "exists": False})
    paths.append({"path": plan["pending_note"]})
    plan["wanted_paths"] = paths
    return plan


# What compare reads of wanted's result.
COMPARED = ("wanted_paths", "all_packages", "modules", "confs", "pending_note")


def compare(
    values: Mapping[str, Any], plan: Mapping[str, Any], host: Mapping[str, Any], checksums: Mapping[str, str]
) -> dict[str, Any]:
    """What differs on HOST (the host reading) from PLAN, and what Apache
    must pick up: "restart" for a module (or the MPM), "reload" for a
    configuration or a site, the note an interrupted run left, or "none".
    CHECKSUMS: the SHA-1 each configuration's template renders to, by kind."""
    # The reading may cover other roles' paths and packages too (the
    # application role's, read in the same call): only this role's count.
    own = {entry["path"] for entry in plan["wanted_paths"]}
    paths = host["paths"]
    differing = [path for path in host["differing"] if path in own]
    for conf in plan["confs"]:
        rewritten = conf["enabled"] and paths.get(conf["file"], {}).get("checksum") != checksums.get(conf["kind"])
        if rewritten and conf["file"] not in differing:
            differing.append(conf["file"])
    differing = [path for path in differing if path != plan["pending_note"]]
    module_links = {module["link"] for module in plan["modules"]}
    if any(path in module_links for path in differing):
        action = "restart"
    elif differing:
        action = "reload"
    else:
        action = "none"
    left = paths.get(plan["pending_note"], {}).get("checksum", "")
    pending = next((kind for kind in ACTIONS[1:] if note(kind)[1] == left), "none")
    if ACTIONS.index(pending) > ACTIONS.index(action):
        action = pending
    packages_missing = [
        name for name, installed in host["packages"].items() if name in plan["all_packages"] and not installed
    ]
    service_differs = host["service"] != {"active": "active", "enabled": "enabled"}
    return {
        "differing": differing,
        "packages_missing": packages_missing,
        "service_differs": service_differs,
        "action": action,
        "pending": pending,
        "deploy_needed": bool(differing or packages_missing or service_differs or action != "none"),
        "note": note(action)[0] if action != "none" else "",
        # The applications that answered: they must answer after the reload.
        "apps_answering": apps.answering(host),
        # The host's lock's change count when it was read (host_lock's seen).
        "lock_seen": lock.seen(host),
    }

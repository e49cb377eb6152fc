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

import hashlib

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

MPMS = ("event", "worker", "prefork")
# Named so that conf-enabled/ loads it after Debian's security.conf.
HARDENING_CONF = "zz-flask-wsgi-hardening"
# What Apache must pick up, from least to most.
ACTIONS = ("none", "reload", "restart")


def note(action):
    """The content of the note that Apache must pick up ACTION, and its SHA-1
    as the host reading reports it."""
    content = f"{action}\n"
    return content, hashlib.sha1(content.encode()).hexdigest()


def wanted(values, layout):
    """The server-wide state from VALUES (the role's variables) and LAYOUT
    (Apache's paths, vars/Debian.yml, without their __apache_server_
    prefix). Returns the role's derived names, without the prefix."""
    hardening = truth(values["apache_server_hardening"])
    mpm = values["apache_server_mpm"]
    modules = [{"name": f"mpm_{other}", "enabled": False} for other in MPMS if other != mpm]
    modules.append({"name": f"mpm_{mpm}", "enabled": True})
    if truth(values["apache_server_disable_autoindex"]):
        modules.append({"name": "autoindex", "enabled": False})
    modules += [{"name": name, "enabled": True} for name in values["apache_server_modules"]]
    for module in modules:
        module["link"] = f"{layout['mods_enabled']}/{module['name']}.load"
    plan = {
        "all_packages": list(layout["packages"]),
        "modules": modules,
        "hardening_conf": HARDENING_CONF,
        "hardening_file": f"{layout['conf_available']}/{HARDENING_CONF}.conf",
        "hardening_link": f"{layout['conf_enabled']}/{HARDENING_CONF}.conf",
        "default_site_link": f"{layout['sites_enabled']}/000-default.conf",
        "pending_note": f"{values['apache_server_state_dir']}/apache-server-pending",
    }
    paths = [{"path": module["link"], "exists": module["enabled"]} for module in modules]
    paths.append({"path": plan["hardening_link"], "exists": hardening})
    if hardening:
        paths.append({"path": plan["hardening_file"], "type": "file", "uid": 0, "gid": 0, "mode": "0644"})
    if truth(values["apache_server_disable_default_site"]):
        paths.append({"path": plan["default_site_link"], "exists": False})
    paths.append({"path": plan["pending_note"]})
    plan["wanted_paths"] = paths
    return plan


# What compare reads of wanted's result.
COMPARED = ("wanted_paths", "all_packages", "modules", "hardening_file", "pending_note")


def compare(values, plan, host, hardening_checksum):
    """What differs on HOST (the host reading) from PLAN, and what Apache
    must pick up: "restart" for a module (or the MPM), "reload" for the
    hardening configuration or a site, the note an interrupted run left,
    or "none"."""
    # The reading may cover other roles' paths and packages too (the
    # application role's, read in the same call): only this role's count.
    own = {entry["path"] for entry in plan["wanted_paths"]}
    paths = host["paths"]
    differing = [path for path in host["differing"] if path in own]
    hardening = truth(values["apache_server_hardening"])
    rewritten = hardening and paths.get(plan["hardening_file"], {}).get("checksum") != hardening_checksum
    if rewritten and plan["hardening_file"] not in differing:
        differing.append(plan["hardening_file"])
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
    }

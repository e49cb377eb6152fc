# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the apache_server role makes of a host, and what a run applies.

Server-wide Apache state (the MPM, modules, the hardening configuration,
the default site) belongs to no application: this role sets it once per
host, and the application role manages only its own site. Plain Python
with no Ansible import, unit-tested.

What the role manages is its registry (entries(), the shape of
plugin_utils/registry.py): the modules, the configurations and their links,
the default site's link; the comparison, the writes and the action Apache
must take are derived from it.

A run that changes anything first notes on the host what Apache must pick
up (a restart or a graceful reload), and clears the note once Apache has:
a run interrupted in between leaves the note, and the next run applies it
even though the files no longer change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import apps, lock
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.parts import PARTS
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import (
    Entry,
    as_entries,
    compared_paths,
    missing_packages,
    only,
    package_entries,
    packages,
    pick_up,
    stale_templates,
    strongest,
)
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


def entries(values: Mapping[str, Any], layout: Mapping[str, Any]) -> list[Entry]:
    """Everything the role manages on a host (plugin_utils/registry.py),
    from VALUES (the role's variables) and LAYOUT (Apache's packages and
    paths): the packages first. The other MPMs come before the chosen one:
    a2enmod refuses two."""
    hardening = truth(values["apache_server_hardening"])
    status = truth(values["apache_server_status"])
    mpm = values["apache_server_mpm"]
    modules = [(f"mpm_{other}", False) for other in MPMS if other != mpm] + [(f"mpm_{mpm}", True)]
    if truth(values["apache_server_disable_autoindex"]):
        modules.append(("autoindex", False))
    # Debian enables mod_status; it stays off unless the page is asked for
    # (or the module, in apache_server_modules).
    modules.append(("status", status or "status" in values["apache_server_modules"]))
    modules += [(name, True) for name in values["apache_server_modules"] if name != "status"]
    registry = package_entries(layout["packages"])
    registry += [
        Entry(
            f"module:{name}",
            f"{layout['mods_enabled']}/{name}.load",
            "module",
            name,
            present=enabled,
            picks_up="restart",
        )
        for name, enabled in modules
    ]
    # The configurations the role writes into conf-available/, each from
    # the template <kind>.conf.j2, and enabled or not.
    for kind, name, enabled in (("hardening", HARDENING_CONF, hardening), ("status", STATUS_CONF, status)):
        if enabled:
            file = f"{layout['conf_available']}/{name}.conf"
            registry.append(Entry(kind, file, "template", f"{kind}.conf.j2", picks_up="reload"))
        link = f"{layout['conf_enabled']}/{name}.conf"
        registry.append(Entry(f"{kind}_enabled", link, "link", name, present=enabled, picks_up="reload"))
    if truth(values["apache_server_disable_default_site"]):
        default_site = f"{layout['sites_enabled']}/000-default.conf"
        registry.append(Entry("default_site", default_site, "link", "000-default", present=False, picks_up="reload"))
    return registry


def writer(entry: Entry) -> str:
    """Which kind of task of the role writes ENTRY: the apt_packages call,
    the managed_files call, or the apache_links call (Debian's a2enmod,
    a2enconf, a2dissite, ...)."""
    return {"package": "packages", "template": "files:deploy"}.get(entry.source, "links")


def wanted(values: Mapping[str, Any], layout: Mapping[str, Any], parts: Sequence[str] = PARTS) -> dict[str, Any]:
    """The server-wide state from VALUES (the role's variables) and LAYOUT
    (Apache's paths, vars/Debian.yml, without their __apache_server_
    prefix), for the PARTS of a deploy the run selects (parts.py: the
    packages, and the rest is the application's part). Returns what the
    role registers as __apache_server_wanted (with the layout, which the
    action adds)."""
    managed = only(entries(values, layout), parts)
    pending_note = f"{values['apache_server_state_dir']}/apache-server-pending"
    return {
        "all_packages": packages(managed),
        "registry": [entry.as_dict() for entry in managed],
        "pending_note": pending_note,
        "parts": list(parts),
        # What the host reading compares, and the note, read for its content.
        "wanted_paths": compared_paths(managed) + [{"path": pending_note}],
    }


# What compare reads of wanted's result.
COMPARED = ("wanted_paths", "all_packages", "registry", "pending_note", "parts")


def compare(
    values: Mapping[str, Any], plan: Mapping[str, Any], host: Mapping[str, Any], checksums: Mapping[str, str]
) -> dict[str, Any]:
    """What differs on HOST (the host reading) from PLAN, and what Apache
    must pick up: the strongest need of the differing entries ("restart"
    for a module, "reload" for a configuration or a site), or of the note
    an interrupted run left, or "none". CHECKSUMS: the SHA-1 each templated
    entry renders to, by name."""
    managed = as_entries(plan["registry"])
    # The reading may cover other roles' paths and packages too (the
    # application role's, read in the same call): only this role's count.
    own = {entry.path for entry in managed}
    paths = host["paths"]
    differing = [path for path in host["differing"] if path in own]
    differing += [path for path in stale_templates(managed, paths, checksums) if path not in differing]
    changed = [entry.name for entry in managed if entry.path in differing]
    left = paths.get(plan["pending_note"], {}).get("checksum", "")
    pending = next((kind for kind in ACTIONS[1:] if note(kind)[1] == left), "none")
    action = strongest([pick_up(managed, changed), pending])
    packages_missing = missing_packages(managed, host["packages"])
    service_differs = "app" in plan["parts"] and host["service"] != {"active": "active", "enabled": "enabled"}
    return {
        "differing": differing,
        # What the deploy writes in one call, the note first: written before
        # anything changes and cleared once Apache picked the changes up, so
        # that a run interrupted in between is finished by the next.
        "writes": writes(values, plan, managed, differing, action),
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


def writes(
    values: Mapping[str, Any], plan: Mapping[str, Any], managed: list[Entry], differing: list[str], action: str
) -> dict[str, Any]:
    """The registry and the differing paths the deploy's managed_files call
    takes: with an ACTION to note, the note's directory and the note come
    first."""
    if action == "none":
        return {"registry": [entry.as_dict() for entry in managed], "differing": differing}
    directory = Entry("state_dir", values["apache_server_state_dir"], "directory", mode="0700")
    pending = Entry("note", plan["pending_note"], "text", note(action)[0], mode="0600")
    return {
        "registry": [entry.as_dict() for entry in (directory, pending, *managed)],
        "differing": [directory.path, pending.path, *differing],
    }

#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Read, in one module call, everything the collection's roles manage on a host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: host_reading
short_description: Read the state the collection's roles manage on a host, in one call (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Reports the system, the CPUs this process may run on, which packages are
    installed, the account and group, the type, owner, mode and SHA-1 of
    paths, and the state of a systemd service. It changes nothing.
  - Every module call costs a few tenths of a second over SSH; each role
    reads the host once with this module (the flask_wsgi role from its plan
    action, P(flaskwsgi.deploy.flask_wsgi_plan#module)) and runs only the
    tasks whose state differs, so a run with nothing to do stays short.
  - It reads; it does not wait for anything. The health checks that wait for
    an application, or fail when one does not answer, are
    P(flaskwsgi.deploy.healthcheck#module)'s.
  - Formerly C(flaskwsgi.deploy.flask_wsgi_host_state), a name that still
    redirects here.
options:
  packages:
    description: Debian package names whose install status to report.
    type: list
    elements: str
    default: []
  paths:
    description:
      - Paths to describe, each with the state it should have; regular files
        also get their SHA-1.
      - A path is listed in RV(differing) when any of the keys given for it
        has another value on the host. Keys left out are not compared.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The path, not followed if it is a symbolic link.
        type: path
        required: true
      exists:
        description: Whether the path should exist.
        type: bool
      type:
        description: What the path should be.
        type: str
        choices: [file, directory, link, other]
      uid:
        description: Owner it should have.
        type: int
      gid:
        description: Group it should have.
        type: int
      owner:
        description: Owner it should have, by account name.
        type: str
      group:
        description: Group it should have, by name.
        type: str
      mode:
        description: Permission bits it should have, as four octal digits.
        type: str
      checksum:
        description: SHA-1 of the content it should have (regular files).
        type: str
      target:
        description: What it should point to, as written in the link (symbolic links).
        type: str
  user:
    description: Account to look up.
    type: str
  group:
    description: Group to look up.
    type: str
  service:
    description: systemd unit whose active and enabled states to report.
    type: str
  trees:
    description:
      - Directories to compare file by file with the tree they should hold,
        as the plan describes the release's code on the controller. A directory whose files, subdirectories, types,
        owners, modes or contents differ is listed in RV(differing).
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The directory.
        type: path
        required: true
      files:
        description: Relative path to the C(type), C(uid), C(gid), C(mode) and C(checksum) it should have.
        type: dict
        required: true
      ignore:
        description: Names directly under O(trees[].path) left out of the comparison.
        type: list
        elements: str
        default: []
  releases:
    description:
      - An application's releases, as the P(flaskwsgi.deploy.flask_wsgi_release#module)
        module keeps them; reported in RV(releases).
    type: dict
    suboptions:
      root:
        description: The application directory, which holds C(releases/), C(venvs/) and C(current).
        type: path
        required: true
      history:
        description: The JSON file the switches are recorded in.
        type: path
        required: true
  git:
    description:
      - A git repository and version to resolve to a commit, with
        C(git ls-remote) unless the version is a full commit already;
        reported in RV(git).
    type: dict
    suboptions:
      repo:
        description: The repository URL.
        type: str
        required: true
      version:
        description: A branch, a tag, C(HEAD) or a full commit.
        type: str
        required: true
  acme:
    description:
      - A certificate certbot keeps, whose names, expiry and renewal settings
        to report in RV(acme), as P(flaskwsgi.deploy.flask_wsgi_acme#module) compares them.
    type: dict
    suboptions:
      cert_name:
        description: The name certbot keeps it under.
        type: str
        required: true
  listings:
    description:
      - Directories the earlier layout of the role left files in; RV(leftovers)
        lists what it left.
      - With O(listings[].marker), the directory itself is left over when the
        marker is in it; else every entry of it but O(listings[].keep).
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The directory.
        type: path
        required: true
      keep:
        description: The entries of the current layout.
        type: list
        elements: str
        default: []
      marker:
        description: A file that shows the whole directory is the earlier layout's.
        type: str
  lock:
    description: Return RV(lock), the changes counted by the host's lock (M(flaskwsgi.deploy.host_lock)).
    type: bool
    default: false
  apps:
    description:
      - The other applications the collection manages on the host, from the
        record each one's last good deployment leaves in its state directory.
      - Each enabled one is asked once for its health (RV(apps)).
    type: dict
    suboptions:
      dir:
        description: The directory holding one state directory per application.
        type: path
        required: true
      exclude:
        description: The site whose record is left out (the application being deployed).
        type: str
        default: ""
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
  - flaskwsgi.deploy.healthcheck
"""

EXAMPLES = r"""
- name: Read the host and compare it with the state it should be in
  flaskwsgi.deploy.host_reading:
    packages: [apache2, libapache2-mod-wsgi-py3]
    user: wsgi
    group: wsgi
    service: apache2
    paths:
      - {path: /var/www/flaskapp, type: directory, uid: 0, gid: 0, mode: "0755"}
      - {path: /etc/apache2/sites-enabled/000-default.conf, exists: false}
    healthcheck:
      url: http://127.0.0.1/app/
  register: host

- name: Show what differs
  ansible.builtin.debug:
    var: host.differing
"""

RETURN = r"""
os:
  description: C(id), C(id_like), C(name) from os-release, and C(family), Debian for Debian and its derivatives.
  returned: always
  type: dict
cpus:
  description: Number of CPUs this process may run on (what nproc prints).
  returned: always
  type: int
packages:
  description: Package name to whether it is installed.
  returned: always
  type: dict
differing:
  description: The paths of O(paths) whose state differs from the one given, then those of O(trees) that differ.
  returned: always
  type: list
  elements: str
paths:
  description: >-
    Path to C(exists), C(type) (file, directory, link, other), C(uid),
    C(gid), C(owner) and C(group) (names, empty when unknown), C(mode) and,
    for files, C(checksum).
  returned: always
  type: dict
user:
  description: C(exists), C(uid), C(group) (primary group name), C(home), C(shell).
  returned: always
  type: dict
group:
  description: C(exists), C(gid).
  returned: always
  type: dict
service:
  description: C(active) and C(enabled), as systemctl prints them, or empty when systemctl is missing.
  returned: always
  type: dict
releases:
  description: >-
    C(current) (the release C(current) names, or empty), C(releases) (the
    release directories), C(venvs) (the complete virtualenvs) and
    C(history) (the switches, oldest first).
  returned: when O(releases) is given
  type: dict
git:
  description: C(commit) (empty when the version could not be resolved) and C(error) (why).
  returned: when O(git) is given
  type: dict
acme:
  description: >-
    C(certificate) (C(exists), C(names), C(not_after), C(serial), C(issuer)),
    C(renewal) (certbot's C(server), C(renew_hook) and C(renew_before_expiry))
    and C(now), the host's clock.
  returned: when O(acme) is given
  type: dict
leftovers:
  description: The paths O(listings) found left over by the earlier layout.
  returned: always
  type: list
  elements: str
lock:
  description: >-
    C(count), the changing parts runs ended on the host since boot, and
    C(recent), the latest ones' C(count) and C(owner).
  returned: when O(lock) is true
  type: dict
apps:
  description: >-
    The other applications' records (C(site), C(site_link), C(enabled),
    C(ports), C(names), C(healthcheck)) and, for the enabled ones,
    C(healthy) and C(said) (what their health check got).
  returned: when O(apps) is given
  type: list
  elements: dict
healthcheck:
  description: >-
    C(status) (0 when no answer came), C(healthy) (whether the status is one
    of O(healthcheck.status_codes) and, with O(healthcheck.daemons), every
    daemon process loaded the application), C(error) (why there was no
    answer) and, with O(healthcheck.daemons), C(daemons) (C(expected),
    C(processes) with each one's C(pid) and C(state), C(healthy) and
    C(summary)).
  returned: when O(healthcheck) is given
  type: dict
"""


import grp
import os
import pwd
import re
import shutil
from typing import Any

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import acme, apps, lock
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.health import (
    HEALTHCHECK_SPEC,
    healthcheck,
    healthcheck_waiting,
)
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.releases import leftovers, read_releases
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import describe_entry, describe_tree, tree_differs


def os_release() -> dict[str, Any]:
    fields: dict[str, str] = {}
    for candidate in ("/etc/os-release", "/usr/lib/os-release"):
        try:
            with open(candidate, encoding="utf-8") as handle:
                for line in handle:
                    key, sep, value = line.strip().partition("=")
                    if sep:
                        fields[key] = value.strip("\"'")
            break
        except OSError:
            continue
    distro_id = fields.get("ID", "")
    id_like = fields.get("ID_LIKE", "").split()
    family = "Debian" if distro_id == "debian" or "debian" in id_like else fields.get("NAME", distro_id or "unknown")
    return {"id": distro_id, "id_like": id_like, "name": fields.get("NAME", ""), "family": family}


def installed_packages(module: AnsibleModule, names: list[str]) -> dict[str, bool]:
    if not names:
        return {}
    status = dict.fromkeys(names, False)
    dpkg_query = module.get_bin_path("dpkg-query")
    if dpkg_query:
        # Exits 1 when a package is unknown; the known ones are still listed.
        out = module.run_command([dpkg_query, "-W", "-f", "${Package} ${db:Status-Status}\\n", *names])[1]
        for line in out.splitlines():
            name, state = line.partition(" ")[::2]
            if name in status:
                status[name] = state == "installed"
    return status


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return ""


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return ""


def describe(path: str) -> dict[str, Any]:
    try:
        info = os.lstat(path)
    except OSError:
        return {"exists": False}
    described = {
        "exists": True,
        "owner": user_name(info.st_uid),
        "group": group_name(info.st_gid),
        **describe_entry(path, info),
    }
    if described["type"] == "link":
        described["target"] = os.readlink(path)
    return described


def differs(described: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return any(value is not None and described.get(key) != value for key, value in wanted.items() if key != "path")


def account(name: str) -> dict[str, Any]:
    if not name:
        return {"exists": False}
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return {"exists": False}
    return {
        "exists": True,
        "uid": entry.pw_uid,
        "group": group_name(entry.pw_gid),
        "home": entry.pw_dir,
        "shell": entry.pw_shell,
    }


def group_entry(name: str) -> dict[str, Any]:
    if not name:
        return {"exists": False}
    try:
        return {"exists": True, "gid": grp.getgrnam(name).gr_gid}
    except KeyError:
        return {"exists": False}


def service_state(module: AnsibleModule, name: str) -> dict[str, str]:
    systemctl = shutil.which("systemctl")
    if not name or not systemctl:
        return {"active": "", "enabled": ""}
    states: dict[str, str] = {}
    for question in ("is-active", "is-enabled"):
        out = module.run_command([systemctl, question, name])[1]
        states[question[3:]] = out.strip()
    return states


def git_commit(module: AnsibleModule, git: dict[str, Any]) -> dict[str, str]:
    """The commit GIT's version names in its repository."""
    version = git["version"]
    if re.fullmatch(r"[0-9a-f]{40}", version):
        return {"commit": version, "error": ""}
    executable = module.get_bin_path("git")
    if not executable:
        return {"commit": "", "error": "git is not installed"}
    refs = [version] if version == "HEAD" else [f"refs/tags/{version}", f"refs/heads/{version}"]
    rc, out, err = module.run_command(
        [executable, "ls-remote", git["repo"], *refs, *[f"{ref}^{{}}" for ref in refs if ref.startswith("refs/tags/")]],
        environ_update={"GIT_TERMINAL_PROMPT": "0"},
    )
    if rc != 0:
        return {"commit": "", "error": err.strip() or f"git ls-remote exited {rc}"}
    found = dict(reversed(line.split("\t", 1)) for line in out.splitlines() if "\t" in line)
    # An annotated tag names a tag object; its ^{} line names the commit.
    for ref in [f"{ref}^{{}}" for ref in refs] + refs:
        if ref in found:
            return {"commit": found[ref], "error": ""}
    return {
        "commit": "",
        "error": f"{version} is no branch or tag of {git['repo']} (give a commit as its full 40 hex digits)",
    }


def tree_changed(tree: dict[str, Any]) -> bool:
    return tree_differs(describe_tree(tree["path"], tree["ignore"]), tree["files"])


def read_apps(wanted: dict[str, Any]) -> list[dict[str, Any]]:
    """The other applications' records, with each enabled one's health."""
    records = apps.read_records(wanted["dir"], wanted["exclude"])
    health = {answer["site"]: answer for answer in apps.answers(records, healthcheck)}
    return [
        dict(entry, **{key: health[entry["site"]][key] for key in ("healthy", "said")})
        if entry["site"] in health
        else entry
        for entry in records
    ]


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "packages": {"type": "list", "elements": "str", "default": []},
            "paths": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "path": {"type": "path", "required": True},
                    "exists": {"type": "bool"},
                    "type": {"type": "str", "choices": ["file", "directory", "link", "other"]},
                    "uid": {"type": "int"},
                    "gid": {"type": "int"},
                    "owner": {"type": "str"},
                    "group": {"type": "str"},
                    "mode": {"type": "str"},
                    "checksum": {"type": "str"},
                    "target": {"type": "str"},
                },
            },
            "user": {"type": "str"},
            "group": {"type": "str"},
            "service": {"type": "str"},
            "trees": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "path": {"type": "path", "required": True},
                    "files": {"type": "dict", "required": True},
                    "ignore": {"type": "list", "elements": "str", "default": []},
                },
            },
            "releases": {
                "type": "dict",
                "options": {"root": {"type": "path", "required": True}, "history": {"type": "path", "required": True}},
            },
            "git": {
                "type": "dict",
                "options": {"repo": {"type": "str", "required": True}, "version": {"type": "str", "required": True}},
            },
            "acme": {"type": "dict", "options": {"cert_name": {"type": "str", "required": True}}},
            "healthcheck": HEALTHCHECK_SPEC,
            "lock": {"type": "bool", "default": False},
            "listings": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "path": {"type": "path", "required": True},
                    "keep": {"type": "list", "elements": "str", "default": []},
                    "marker": {"type": "str"},
                },
            },
            "apps": {
                "type": "dict",
                "options": {
                    "dir": {"type": "path", "required": True},
                    "exclude": {"type": "str", "default": ""},
                },
            },
        },
        supports_check_mode=True,
    )
    params = module.params
    described = {wanted["path"]: describe(wanted["path"]) for wanted in params["paths"]}
    read: dict[str, Any] = {"healthcheck": healthcheck_waiting(params["healthcheck"])} if params["healthcheck"] else {}
    if params["releases"]:
        read["releases"] = read_releases(params["releases"]["root"], params["releases"]["history"])
    if params["git"]:
        read["git"] = git_commit(module, params["git"])
    if params["acme"]:
        read["acme"] = acme.read(params["acme"]["cert_name"])
    if params["lock"]:
        read["lock"] = lock.changes()
    if params["apps"]:
        read["apps"] = read_apps(params["apps"])
    module.exit_json(
        changed=False,
        os=os_release(),
        cpus=len(os.sched_getaffinity(0)),
        packages=installed_packages(module, params["packages"]),
        paths=described,
        differing=[wanted["path"] for wanted in params["paths"] if differs(described[wanted["path"]], wanted)]
        + [tree["path"] for tree in params["trees"] if tree_changed(tree)],
        user=account(params["user"]),
        group=group_entry(params["group"]),
        service=service_state(module, params["service"]),
        leftovers=[path for listing in params["listings"] for path in leftovers(listing)],
        **read,
    )


if __name__ == "__main__":
    main()

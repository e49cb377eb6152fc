#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Enable and disable Apache modules, configurations and sites, in one call."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apache_links
short_description: Enable and disable Apache modules, configurations and sites in one call (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Runs Debian's own tools (C(a2dismod), C(a2enmod), C(a2disconf),
    C(a2enconf), C(a2dissite), C(a2ensite)) for the registry entries given,
    each tool once for all its names, instead of one task a module.
  - In this order, so that an MPM is disabled before another is enabled
    (C(a2enmod) refuses two) - modules disabled, modules enabled,
    configurations disabled and enabled, sites disabled and enabled.
  - An entry counts as changed when its link under C(mods-enabled/),
    C(conf-enabled/) or C(sites-enabled/) is made or removed. The tools do
    not ask Apache, so a configuration Apache rejects does not stop them
    (the apply step's configtest does, before any reload).
options:
  entries:
    description:
      - Registry entries (C(plugins/plugin_utils/registry.py)), as a role's
        plan registered them; those whose C(source) is C(module) or C(link)
        are made as they should be, the others are left alone.
      - Each has C(name), C(path) (the link), C(origin) (the module's,
        configuration's or site's name), C(source) and C(present).
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
attributes:
  check_mode:
    description: Reports the entries it would change, and runs no tool.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Enable mod_wsgi and the application's site
  flaskwsgi.deploy.apache_links:
    entries:
      - {name: "module:wsgi", path: /etc/apache2/mods-enabled/wsgi.load, origin: wsgi, source: module, present: true}
      - {name: site, path: /etc/apache2/sites-enabled/wsgi.conf, origin: wsgi, source: link, present: true}
"""

RETURN = r"""
changed_entries:
  description: The names of the entries whose link was made or removed (would be, in check mode).
  returned: always
  type: list
  elements: str
commands:
  description: The tools run, each with its names.
  returned: always
  type: list
  elements: list
"""

import os
from typing import Any

from ansible.module_utils.basic import AnsibleModule

# What each kind of link is made with, in the order they run.
KINDS = ("mod", "conf", "site")


def kind(entry: dict[str, Any]) -> str:
    """mod, conf or site: which of Apache's tools makes ENTRY's link."""
    if entry["source"] == "module":
        return "mod"
    return "site" if "/sites-enabled/" in entry["path"] else "conf"


def commands(entries: list[dict[str, Any]]) -> list[list[str]]:
    """The tools to run for ENTRIES (each a module or link entry), in order,
    each once with all its names."""
    planned = []
    for which in KINDS:
        for present in (False, True):
            names = [entry["origin"] for entry in entries if kind(entry) == which and bool(entry["present"]) is present]
            if names:
                tool = f"a2{'en' if present else 'dis'}{which}"
                # -f: disable a module others depend on, as apache2_module's force does.
                planned.append([tool, "-q", *(["-f"] if which == "mod" and not present else []), *names])
    return planned


def main() -> None:
    module = AnsibleModule(
        argument_spec={"entries": {"type": "list", "elements": "dict", "default": []}},
        supports_check_mode=True,
    )
    entries = [entry for entry in module.params["entries"] if entry.get("source") in ("module", "link")]
    for entry in entries:
        missing = [key for key in ("name", "path", "origin", "present") if key not in entry]
        if missing:
            module.fail_json(msg=f"apache_links: the entry {entry.get('name', '?')} has no {', '.join(missing)}")
    due = [entry for entry in entries if os.path.lexists(entry["path"]) is not bool(entry["present"])]
    planned = commands(due)
    if not module.check_mode:
        for command in planned:
            executable = module.get_bin_path(command[0])
            if not executable:
                module.fail_json(msg=f"{' '.join(command)}: {command[0]} is not installed (Apache is not)")
            rc, out, err = module.run_command([executable, *command[1:]])
            if rc != 0:
                module.fail_json(msg=f"{' '.join(command)} exited {rc}: {(err or out).strip()}", commands=planned)
        still = [entry["name"] for entry in due if os.path.lexists(entry["path"]) is not bool(entry["present"])]
        if still:
            module.fail_json(msg=f"apache_links: still not as they should be: {', '.join(still)}", commands=planned)
    changed = [entry["name"] for entry in due]
    module.exit_json(changed=bool(changed), changed_entries=changed, commands=planned)


if __name__ == "__main__":
    main()

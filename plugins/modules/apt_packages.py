#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Install Debian packages that are missing, with apt-get, without python3-apt."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apt_packages
short_description: Install missing Debian packages with apt-get, without python3-apt
author: flask-wsgi project (@flask-wsgi)
description:
  - Installs the packages of O(names) that dpkg does not have installed, in
    one C(apt-get install), after refreshing the package index when it is
    older than O(cache_valid_time) seconds. Packages already installed are
    left alone, at whatever version they are.
  - Unlike M(ansible.builtin.apt), it does not need python3-apt on the host,
    which a fresh Debian host lacks. That module installs it first, one more
    apt-get run on the slowest step of a fresh deploy.
  - Waits up to O(lock_timeout) seconds for another apt or dpkg run
    (unattended-upgrades on a fresh Ubuntu host) instead of failing at once.
  - Meant to run in the background (C(async)) while tasks that do not need
    the packages go on.
options:
  names:
    description: The packages that must be installed.
    type: list
    elements: str
    required: true
  cache_valid_time:
    description: Seconds the package index stays fresh; an older one is refreshed before installing.
    type: int
    default: 3600
  lock_timeout:
    description: Seconds to wait for the dpkg lock held by another apt or dpkg run.
    type: int
    default: 300
attributes:
  check_mode:
    description:
      - Reports the packages it would install (RV(installed)) after apt-get
        resolved them (C(--simulate)), so a name apt does not know fails
        as it would for real.
      - The package index is a cache, not state on the host, and is
        refreshed when stale in check mode too.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Install Apache and mod_wsgi in the background
  flaskwsgi.deploy.apt_packages:
    names: [apache2, libapache2-mod-wsgi-py3]
  async: 1800
  poll: 0
  register: packages_job
"""

RETURN = r"""
installed:
  description: The packages that were missing, and are now installed (or would be, in check mode).
  returned: always
  type: list
  elements: str
index_refreshed:
  description: Whether the package index was refreshed.
  returned: always
  type: bool
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import packages


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "names": {"type": "list", "elements": "str", "required": True},
            "cache_valid_time": {"type": "int", "default": 3600},
            "lock_timeout": {"type": "int", "default": 300},
        },
        supports_check_mode=True,
    )
    names = module.params["names"]
    lock_timeout = module.params["lock_timeout"]
    rc, out, err = module.run_command(packages.status_command(names), environ_update=packages.ENVIRONMENT)
    # dpkg-query exits 1 when a name is unknown to dpkg; its output still
    # lists the others.
    if rc not in (0, 1):
        module.fail_json(msg=f"dpkg-query could not read the installed packages: {err.strip()}", rc=rc)
    wanted = packages.missing(names, out)
    result = {"changed": bool(wanted), "installed": wanted, "index_refreshed": False}
    if not wanted:
        module.exit_json(**result)

    def apt_get(step: str, command: list[str]) -> str:
        rc, out, err = module.run_command(command, environ_update=packages.ENVIRONMENT)
        if rc != 0:
            module.fail_json(
                msg=packages.failure_text(step, wanted, rc, err, out), rc=rc, stdout=out, stderr=err, **result
            )
        return str(out)

    if packages.index_stale(packages.read_index(time.time()), module.params["cache_valid_time"]):
        apt_get("update", packages.update_command(lock_timeout))
        result["index_refreshed"] = True
    result["stdout"] = apt_get("install", packages.install_command(wanted, lock_timeout, simulate=module.check_mode))
    module.exit_json(**result)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Restart the daemon processes of a mod_wsgi group for new code."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: flask_wsgi_daemons
short_description: Restart the daemon processes of a mod_wsgi group gracefully, for new code (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Marks the WSGI script O(script) as changed (its modification time, as
    C(touch) does) and asks every daemon process of the group (the processes
    with the display name O(display_name) that run as O(user)) for a graceful
    restart with C(SIGUSR1). mod_wsgi lets their active requests finish
    within C(graceful-timeout), and Apache starts new processes that load the
    code again; Apache itself and other groups are left alone.
  - The modification time makes the new code tell apart from the old in the
    records of the role's preloaded recorder, which the health check of
    P(flaskwsgi.deploy.host_reading#module) reads; it also makes
    mod_wsgi restart any process the signal missed at its next request.
options:
  display_name:
    description: The group's C(display-name).
    type: str
    required: true
  user:
    description: The account the daemons run as.
    type: str
    required: true
  script:
    description: The WSGI script of the group.
    type: path
    required: true
attributes:
  check_mode:
    description: Reports the processes it would restart, and restarts none.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Restart the daemon processes for the new code
  flaskwsgi.deploy.flask_wsgi_daemons:
    display_name: flaskapp
    user: wsgi
    script: /var/www/flaskapp/flaskapp.wsgi
"""

RETURN = r"""
pids:
  description: The processes asked to restart.
  returned: always
  type: list
  elements: int
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.daemons import (
    GROUP_OPTIONS,
    account_uid,
    group_processes,
    restart,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec=GROUP_OPTIONS,
        supports_check_mode=True,
    )
    params = module.params
    try:
        if module.check_mode:
            pids = group_processes(params["display_name"], account_uid(params["user"]))
        else:
            pids = restart(params["display_name"], params["user"], params["script"])
    except LookupError as error:
        module.fail_json(msg=str(error))
    except OSError as error:
        module.fail_json(msg=f"could not mark {params['script']} as changed: {error}")
    module.exit_json(changed=True, pids=pids)


if __name__ == "__main__":
    main()

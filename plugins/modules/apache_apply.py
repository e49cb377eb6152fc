#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the apache_apply action, which runs its steps' modules on the host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apache_apply
short_description: Apply a change to Apache - configtest, one restart or reload, then the health check (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - The one way the collection's roles make Apache pick up a change, in one
    task - the server-wide state of P(flaskwsgi.deploy.apache_server#role),
    and the ACME challenges, rollback and removal of
    P(flaskwsgi.deploy.flask_wsgi#role), whose deploy runs the same steps in
    its C(apply) stage.
  - For C(reload) or C(restart), runs C(apache2ctl configtest) first and
    fails, with Apache's words, before the running server is touched; then
    the graceful reload or the restart (M(ansible.builtin.service)); then
    removes O(note); then asks the applications of O(require) again
    (M(flaskwsgi.deploy.healthcheck)) and fails naming those that no longer
    answer.
  - Returns C(applied), the action that reached the running server, so a
    rollback knows whether Apache loaded the configuration.
options:
  action:
    description:
      - What Apache must do. C(none) only clears O(note), unless O(results)
        changed entries of O(registry) that Apache must pick up.
    type: str
    required: true
    choices: [none, reload, restart]
  ctl:
    description: Apache's control program.
    type: str
    default: apache2ctl
  service:
    description: Apache's service.
    type: str
    default: apache2
  note:
    description: The file noting the server-wide changes Apache must pick up, removed once it has.
    type: str
    default: ""
  apps_dir:
    description: The directory holding one state directory per application the collection manages.
    type: str
    default: ""
  exclude:
    description: The site whose record is left out of O(require)'s check.
    type: str
    default: ""
  require:
    description: The applications that answered before and must answer after the reload or restart.
    type: list
    elements: str
    default: []
  wait:
    description: How long, in seconds, they may take to answer again.
    type: float
    default: 30
  after:
    description: What the failure message says they stopped answering after.
    type: str
    default: ""
  registry:
    description:
      - A role's registry (C(plugins/plugin_utils/registry.py)), as its
        plan registered it; with O(results), Apache does the strongest of
        O(action) and what the changed entries must be picked up with.
    type: list
    elements: dict
    default: []
  results:
    description: The registered results of the tasks that wrote entries of O(registry), by name.
    type: dict
    default: {}
attributes:
  check_mode:
    description: Skips the configtest and the health check, and reports what the reload or restart would change.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
  action:
    description: Runs as an action plugin, each step one module call on the host.
    support: full
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Apply the changes to Apache
  flaskwsgi.deploy.apache_apply:
    action: reload
    require: [shop]
    apps_dir: /var/lib/flask_wsgi
    after: Apache's reload for its server-wide configuration
"""

RETURN = r"""
action:
  description: The action asked.
  returned: always
  type: str
applied:
  description: The action that reached the running server - C(none) when the configtest refused the configuration.
  returned: always
  type: str
steps:
  description: Each step's module result, by name - C(configtest), C(server), C(note), C(health).
  returned: always
  type: dict
failed_step:
  description: The step that failed.
  returned: failure
  type: str
"""

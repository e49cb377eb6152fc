#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the apache_server_plan action, which runs on the controller."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apache_server_plan
short_description: Work out what the apache_server role makes of a host and what Apache must pick up (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - The decisions of the role P(flaskwsgi.deploy.apache_server#role), in
    tested Python (C(plugins/plugin_utils/server.py)). Runs on the controller
    only, reads the role's variables as the play sees them, and changes
    nothing.
  - It sets no facts. The role registers the C(wanted) stage's result as
    C(__apache_server_wanted) and the C(compare) stage's as
    C(apache_server_plan), and its tasks read them from there.
options:
  stage:
    description:
      - C(wanted) first checks the role's variables (their types against
        the role's argument specs, then its rules) and fails naming each one
        refused; then it sets the server-wide paths with the state they
        should be in, the modules and the packages.
      - C(compare) compares the host reading O(host) and the content the
        server-wide configurations should have (O(checksums)) with them, and sets
        what differs and what Apache must pick up (C(none), C(reload) or
        C(restart)), a note an interrupted run left included.
    type: str
    required: true
    choices: [wanted, compare]
  host:
    description: The result of P(flaskwsgi.deploy.host_reading#module), for C(compare).
    type: dict
  checksums:
    description:
      - The SHA-1 each server-wide configuration's template renders to, by
        kind (C(hardening), C(status)), for C(compare).
    type: dict
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
  - flaskwsgi.deploy.controller_only
"""

EXAMPLES = r"""
- name: Work out the server-wide state Apache should be in
  flaskwsgi.deploy.apache_server_plan:
    stage: wanted
"""

RETURN = r"""
deploy_needed:
  description:
    - Whether the server-wide state differs, or Apache must still pick up a
      change. The rolling deploy reads it as
      C(apache_server_plan.deploy_needed).
  returned: stage is compare
  type: bool
action:
  description: What Apache must pick up, C(none), C(reload) or C(restart).
  returned: stage is compare
  type: str
differing:
  description: The server-wide paths that differ from the state they should be in.
  returned: stage is compare
  type: list
  elements: str
"""

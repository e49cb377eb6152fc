#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the apache_server_plan action, which runs on the controller."""

DOCUMENTATION = r"""
---
module: apache_server_plan
short_description: Work out what the apache_server role makes of a host and what Apache must pick up
author: flask-wsgi project (@flask-wsgi)
description:
  - The decisions of the role P(flaskwsgi.deploy.apache_server#role), in
    tested Python (C(plugins/plugin_utils/server.py)). Runs on the controller
    only, reads the role's variables as the play sees them, and changes
    nothing. Each stage sets facts named C(__apache_server_<name>), internal
    to the role.
options:
  stage:
    description:
      - C(wanted) first checks the role's variables (their types against
        the role's argument specs, then its rules) and fails naming each one
        refused; then it sets the server-wide paths with the state they
        should be in, the modules and the packages.
      - C(compare) compares the host reading O(host) and the content the
        hardening configuration should have (O(checksum)) with them, and sets
        what differs and what Apache must pick up (C(none), C(reload) or
        C(restart)), a note an interrupted run left included.
    type: str
    required: true
    choices: [wanted, compare]
  host:
    description: The result of P(flaskwsgi.deploy.flask_wsgi_host_state#module), for C(compare).
    type: dict
  checksum:
    description: The SHA-1 the hardening configuration should have, for C(compare).
    type: str
extends_documentation_fragment:
  - flaskwsgi.deploy.controller_only
"""

EXAMPLES = r"""
- name: Work out the server-wide state Apache should be in
  flaskwsgi.deploy.apache_server_plan:
    stage: wanted
"""

RETURN = r"""
ansible_facts:
  description: The role's internal facts for the stage, each named C(__apache_server_<name>).
  returned: always
  type: dict
"""

#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the check_variables action, which runs on the controller."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: check_variables
short_description: Check a role's variables against the rules their types cannot express (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Applies the rules of O(role) (ranges, patterns that keep spaces, quotes
    and newlines out of configuration files and command lines, and how values
    relate) to the role's variables as the play sees them.
  - Fails with one message that names every variable breaking a rule, what
    the rule is and the value it got, separated by C( | ). Runs on the
    controller only and changes nothing; the roles call it before they touch
    a host.
options:
  role:
    description: The role whose rules to apply.
    type: str
    required: true
    choices: [apache_server, flask_wsgi, haproxy_lb]
  values:
    description:
      - Values the rules read that are not variables of the play, worked out
        by the role (for haproxy_lb, C(haproxy_lb_backend_hosts) and
        C(haproxy_lb_backend_address)), or values that override the play's.
    type: dict
    default: {}
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
  - flaskwsgi.deploy.controller_only
"""

EXAMPLES = r"""
- name: Check the role's variables
  flaskwsgi.deploy.check_variables:
    role: flask_wsgi
"""

RETURN = r"""
broken:
  description: The variables that break a rule, each with C(name), C(rule) and C(value).
  returned: always
  type: list
  elements: dict
"""

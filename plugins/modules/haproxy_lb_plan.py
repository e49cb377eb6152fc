#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the haproxy_lb_plan action, which runs on the controller."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: haproxy_lb_plan
short_description: Work out what the haproxy_lb role makes of a load balancer and what HAProxy must pick up (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - The decisions of the role P(flaskwsgi.deploy.haproxy_lb#role), in tested
    Python (C(plugins/plugin_utils/balancer.py)). Runs on the controller
    only, reads the role's variables and the backend hosts as the play sees
    them, and changes nothing.
  - It sets no facts. The role registers the C(wanted) stage's result as
    C(__haproxy_lb_wanted) and the C(compare) stage's as C(haproxy_lb_plan).
options:
  stage:
    description:
      - C(wanted) first checks the role's variables against its rules and
        fails naming each one refused; then it sets the packages, the
        backends, the certificate HAProxy loads and, with ACME, what
        certbot gets.
      - C(compare) compares the host reading O(host) and the configuration
        the template renders with them, and says whether HAProxy must be
        reloaded and which certificate it loads.
    type: str
    required: true
    choices: [wanted, compare]
  host:
    description: The result of P(flaskwsgi.deploy.flask_wsgi_host_state#module), for C(compare).
    type: dict
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
  - flaskwsgi.deploy.controller_only
"""

EXAMPLES = r"""
- name: Work out what the load balancer should be
  flaskwsgi.deploy.haproxy_lb_plan:
    stage: wanted
"""

RETURN = r"""
reload_needed:
  description:
    - Whether HAProxy runs another configuration than the one it should
      (or none yet), or the certificate it loads changes.
  returned: stage is compare
  type: bool
tls_generate:
  description: Whether HAProxy loads a generated self-signed certificate (also as ACME's stand-in).
  returned: stage is compare
  type: bool
certificate_changes:
  description: Whether the certificate HAProxy loads changes in this run.
  returned: stage is compare
  type: bool
packages:
  description: The packages the load balancer needs.
  returned: stage is wanted
  type: list
  elements: str
"""

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
      - C(compare) compares the host reading O(host) with the role's
        registry (its configuration rendered on the controller), and says
        which entries differ and which certificate HAProxy loads.
      - C(apply), after the writes, says from their O(results) whether
        HAProxy must be reloaded and the copy of its configuration kept.
    type: str
    required: true
    choices: [wanted, compare, apply]
  host:
    description: The result of P(flaskwsgi.deploy.host_reading#module), for C(compare).
    type: dict
  results:
    description: For C(apply), the writing tasks' registered results, by any name.
    type: dict
  started:
    description: For C(apply), whether this run started HAProxy (it loaded everything then).
    type: bool
    default: false
  applied:
    description: For C(apply), whether an apply step of this run ran before (HAProxy runs the configuration as written).
    type: bool
    default: false
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
registry:
  description: What the role manages on the load balancer, one dict an entry (C(plugins/plugin_utils/registry.py)).
  returned: stage is compare
  type: list
  elements: dict
differing:
  description: The registry's paths that differ on the host.
  returned: stage is compare
  type: list
  elements: str
tls_generate:
  description: Whether HAProxy loads a generated self-signed certificate (also as ACME's stand-in).
  returned: stage is compare
  type: bool
forget_applied:
  description:
    - Whether the certificate HAProxy loads changes in this run, so that
      the copy of the loaded configuration goes first.
  returned: stage is compare
  type: bool
reload:
  description: Whether HAProxy must be reloaded.
  returned: stage is apply
  type: bool
record:
  description: Whether the copy of the configuration HAProxy loaded must be written.
  returned: stage is apply
  type: bool
systemd_reload:
  description: Whether systemd must reread certbot's changed service drop-in.
  returned: stage is apply
  type: bool
packages:
  description: The packages the load balancer needs.
  returned: stage is wanted
  type: list
  elements: str
"""

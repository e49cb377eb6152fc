#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the flask_wsgi_status action, which reads the host with flaskwsgi.deploy.host_reading."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: flask_wsgi_status
short_description: Report what a flask_wsgi application is on a host, changing nothing
author: flask-wsgi project (@flask-wsgi)
description:
  - For the application the host's variables describe (the
    P(flaskwsgi.deploy.flask_wsgi#role) role's, with its defaults when run
    through its C(status) entry point), reads the host in one call of
    M(flaskwsgi.deploy.host_reading) and reports RV(status) - the release
    served, its source and when it went live, the releases kept, the one
    C(flask_wsgi_release=previous) would serve and the last one that passed
    its health check, the health check's answer, whether the load balancers
    send the host traffic, and the other applications the host's records
    name, with their health.
  - Checks the role's variables as a deploy does, and fails naming each one
    refused.
  - The C(flaskwsgi.deploy.status) playbook runs it on every web
    host and prints a table.
options:
  out_of_rotation:
    description:
      - The backend servers the load balancers have out of rotation
        (C(haproxy_lb_rotation | flaskwsgi.deploy.out_of_rotation)); leave it
        out when there are no load balancers.
    type: list
    elements: str
attributes:
  check_mode:
    description: Reads as in a real run; it changes nothing.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
  action:
    description: Runs as an action plugin; the reading is one module call on the host.
    support: full
"""

EXAMPLES = r"""
- name: Report what the application is on this host
  flaskwsgi.deploy.flask_wsgi_status:
  register: flask_wsgi_status
"""

RETURN = r"""
status:
  description:
    - C(host), C(site); C(release) (empty when none is served), C(source)
      (its commit, or its content's checksum), C(live_since) (UTC, ISO 8601)
      and C(good) (whether it passed its health check then); C(releases),
      the releases kept; C(previous) and C(last_good); C(healthy),
      C(status) (the HTTP status, 0 for no answer) and C(answer) (the
      error, or the daemon processes' summary); C(in_rotation) (null
      without load balancers); C(other_apps), each with C(site),
      C(enabled) and C(healthy).
  returned: success
  type: dict
"""

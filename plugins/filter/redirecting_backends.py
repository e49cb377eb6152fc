# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The redirecting_backends filter: backends that would answer HAProxy with a redirect."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: redirecting_backends
short_description: The backend hosts that redirect plain HTTP to HTTPS
author: flask-wsgi project (@flask-wsgi)
description:
  - The hosts whose C(flask_wsgi) HTTPS is on with its redirect
    (C(flask_wsgi_tls_redirect), on by default) on the port HAProxy reaches
    them at. Behind HAProxy, which speaks plain HTTP to them, every request
    would be redirected to HTTPS, and with TLS at the load balancer, loop.
options:
  _input:
    description: The backend hosts' inventory names.
    type: list
    elements: str
    required: true
  hostvars:
    description: The play's C(hostvars).
    type: dict
    required: true
  backend_port:
    description: The port HAProxy reaches the backends at.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: Show the backends that would loop
  ansible.builtin.debug:
    msg: "{{ groups['web'] | flaskwsgi.deploy.redirecting_backends(hostvars, 80) }}"
"""

RETURN = r"""
_value:
  description: The names of those hosts.
  type: list
  elements: str
"""


from collections.abc import Callable
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.balancing import redirecting_backends


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"redirecting_backends": redirecting_backends}

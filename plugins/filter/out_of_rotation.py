# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The out_of_rotation filter: the servers the load balancers have taken out."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: out_of_rotation
short_description: The backend servers the load balancers have out of rotation
author: flask-wsgi project (@flask-wsgi)
description:
  - The names of the backend servers that any load balancer has in
    maintenance or drain, once each, from what the
    P(flaskwsgi.deploy.haproxy_lb#role) role's C(read_rotation) entry point
    registers as C(haproxy_lb_rotation). The rolling deploy
    (C(playbooks/site.yml)) deploys such a host even when nothing else
    differs on it, so that it is put back.
options:
  _input:
    description: The registered C(haproxy_lb_rotation); unset or skipped, no server is out.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the servers out of rotation
  ansible.builtin.debug:
    msg: "{{ haproxy_lb_rotation | default({}) | flaskwsgi.deploy.out_of_rotation }}"
"""

RETURN = r"""
_value:
  description: The servers' names.
  type: list
  elements: str
"""


from collections.abc import Callable
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.balancing import out_of_rotation


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"out_of_rotation": out_of_rotation}

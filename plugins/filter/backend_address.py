# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The backend_address filter: where HAProxy reaches a backend host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: backend_address
short_description: Where HAProxy reaches a backend host
author: flask-wsgi project (@flask-wsgi)
description:
  - The host's C(haproxy_lb_backend_address), else its C(ansible_host), else
    its inventory name.
  - Read from O(hostvars) rather than from the task's variables, because in
    a task delegated to a load balancer C(ansible_host) is the load
    balancer's.
options:
  _input:
    description: The backend's inventory name.
    type: str
    required: true
  hostvars:
    description: The play's C(hostvars).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show where HAProxy reaches this host
  ansible.builtin.debug:
    msg: "{{ inventory_hostname | flaskwsgi.deploy.backend_address(hostvars) }}"
"""

RETURN = r"""
_value:
  description: The address.
  type: str
"""


from collections.abc import Callable
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.balancing import backend_address as address_of


def backend_address(name: str, hostvars: Any) -> str:
    return address_of(name, hostvars.get(name, {}))


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"backend_address": backend_address}

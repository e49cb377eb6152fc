# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The status_table filter: the status playbook's rows as a table."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: status_table
short_description: What is deployed where, as the lines of a table
author: flask-wsgi project (@flask-wsgi)
description:
  - The rows M(flaskwsgi.deploy.flask_wsgi_status) reports, one a host, as
    the lines of a table - host, application, release, source, when it went
    live, the releases kept, the one a rollback would go to, health and
    traffic - then a line for each other application a host has.
options:
  _input:
    description: The rows, each a M(flaskwsgi.deploy.flask_wsgi_status) C(status).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Show what is deployed where
  ansible.builtin.debug:
    msg: "{{ rows | flaskwsgi.deploy.status_table }}"
  vars:
    rows: "{{ ansible_play_hosts | map('extract', hostvars, ['flask_wsgi_status', 'status']) }}"
  run_once: true
"""

RETURN = r"""
_value:
  description: The table's lines.
  type: list
  elements: str
"""


from collections.abc import Callable
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.status import table


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"status_table": table}

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The fail_percentage filter: a play's max_fail_percentage from -e or an AWX survey."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: fail_percentage
short_description: A play's max_fail_percentage from a number or a survey's text
author: flask-wsgi project (@flask-wsgi)
description:
  - The percentage a play's C(max_fail_percentage) takes, from 0 to 100,
    from a number or the text an AWX survey sends (V(10), or V(10%)).
  - Fails with a message naming O(name) for anything else.
options:
  _input:
    description: The setting as given.
    type: raw
    required: true
  name:
    description: The variable's name, for the message.
    type: str
    default: site_max_fail_percentage
"""

EXAMPLES = r"""
- name: Stop the roll when more than a tenth of a batch fails
  hosts: web
  max_fail_percentage: "{{ site_max_fail_percentage | default(0) | flaskwsgi.deploy.fail_percentage }}"
  tasks: []
"""

RETURN = r"""
_value:
  description: The percentage.
  type: float
"""


from collections.abc import Callable
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.rolling import SettingError
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.rolling import fail_percentage as percentage


def fail_percentage(value: Any, name: str = "site_max_fail_percentage") -> int | float:
    try:
        return percentage(value, name)
    except SettingError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"fail_percentage": fail_percentage}

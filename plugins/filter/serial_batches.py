# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The serial_batches filter: a play's serial from -e or an AWX survey."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: serial_batches
short_description: A play's serial batches from a list, a number or a survey's text
author: flask-wsgi project (@flask-wsgi)
description:
  - The batches a play's C(serial) takes (each a number of hosts, or a
    share such as C(25%)), from a list, one number or share, or the text an
    AWX survey sends, a JSON or YAML list (V([1, "50%"])), batches split by
    commas (V(1, 5, 25%)) or one (V(2)).
  - Fails with a message naming O(name) for anything else, such as V(0),
    V(150%) or V(1.5).
options:
  _input:
    description: The setting as given.
    type: raw
    required: true
  name:
    description: The variable's name, for the message.
    type: str
    default: site_serial
"""

EXAMPLES = r"""
- name: A few hosts at a time, as -e or a survey sets it
  hosts: web
  serial: "{{ site_serial | default([1, '50%']) | flaskwsgi.deploy.serial_batches }}"
  tasks: []
"""

RETURN = r"""
_value:
  description: The batches, each a whole number of hosts or a percentage string.
  type: list
  elements: raw
"""


from collections.abc import Callable
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.rolling import Batch, SettingError, batches


def serial_batches(value: Any, name: str = "site_serial") -> list[Batch]:
    try:
        return batches(value, name)
    except SettingError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"serial_batches": serial_batches}

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The mozilla_intermediate filter: Mozilla's intermediate TLS settings."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: mozilla_intermediate
short_description: Mozilla's intermediate TLS settings
author: flask-wsgi project (@flask-wsgi)
description:
  - The TLS 1.2 cipher suites (C(ciphers)) or the TLS 1.3 ones
    (C(ciphersuites)) of Mozilla's "intermediate" configuration, in
    OpenSSL's names, which the roles' HTTPS configurations share.
options:
  _input:
    description: Which list, C(ciphers) or C(ciphersuites).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Show the TLS 1.2 cipher suites
  ansible.builtin.debug:
    msg: "{{ 'ciphers' | flaskwsgi.deploy.mozilla_intermediate | join(':') }}"
"""

RETURN = r"""
_value:
  description: The cipher suites.
  type: list
  elements: str
"""


from collections.abc import Callable
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.tls import INTERMEDIATE


def mozilla_intermediate(which: str) -> list[str]:
    if which not in INTERMEDIATE:
        raise AnsibleFilterError(f"mozilla_intermediate: the input must be one of {', '.join(INTERMEDIATE)}")
    return list(INTERMEDIATE[which])


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"mozilla_intermediate": mozilla_intermediate}

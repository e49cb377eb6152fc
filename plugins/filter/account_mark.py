# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The account_mark filter: the role's ownership mark of a daemon account."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: account_mark
short_description: The content of the role's ownership mark for a daemon account (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Internal to the collection's roles; its input and output may change in any release.
  - Takes an account name and returns the text the role keeps in its state
    directory once it has created that account. The mark names the account
    and its UID, so that a later run manages the account it made and never
    one somebody else made with the same name.
options:
  _input:
    description: The account's name.
    type: str
    required: true
  uid:
    description: The account's UID on the host.
    type: int
    required: true
"""

EXAMPLES = r"""
- name: Keep the mark of the account the role made
  ansible.builtin.copy:
    content: "{{ 'wsgi' | flaskwsgi.deploy.account_mark(998) }}"
    dest: /var/lib/flask-wsgi/flaskapp/account
    mode: "0600"
"""

RETURN = r"""
_value:
  description: The mark's content.
  type: str
"""


from collections.abc import Callable
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.accounts import ownership_mark


def account_mark(name: str, uid: int | str) -> str:
    """The content of the role's ownership mark for account NAME with UID."""
    return ownership_mark(name, int(uid))[0]


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"account_mark": account_mark}

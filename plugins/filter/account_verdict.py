# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The account_verdict filter: may the role manage the daemon account?"""

DOCUMENTATION = r"""
---
name: account_verdict
short_description: Decide whether the role may create, manage or take over the daemon account
author: flask-wsgi project (@flask-wsgi)
description:
  - Takes the account as the host reading found it (C(exists), C(uid),
    C(home), C(shell)) and returns C(verdict) and C(reason).
  - C(create) when there is none; C(manage) when the role's ownership mark
    says the role made it; C(adopt) for a system account with no login shell
    and the expected home; C(use) for an existing account given with
    O(use_existing); C(refuse) for an account that looks like somebody's (a
    login shell, a UID of 1000 or more, a home elsewhere), never taken over.
options:
  _input:
    description: The account, as the host reading reports it.
    type: dict
    required: true
  name:
    description: The account's name.
    type: str
    required: true
  home:
    description: The home the role gives the account.
    type: str
    required: true
  shell:
    description: The shell the role gives the account.
    type: str
    required: true
  mark_checksum:
    description: SHA-1 of the role's ownership mark on the host, empty when there is none.
    type: str
    default: ""
  use_existing:
    description: Use an existing account as it is.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Decide about the account
  ansible.builtin.set_fact:
    account: >-
      {{ host.user | flaskwsgi.deploy.account_verdict(name='wsgi', home='/var/lib/wsgi', shell='/usr/sbin/nologin') }}
"""

RETURN = r"""
_value:
  description: C(verdict) (create, manage, adopt, use or refuse) and C(reason) (why refused).
  type: dict
"""

from ansible_collections.flaskwsgi.deploy.plugins.module_utils.accounts import account_verdict as decide
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.accounts import ownership_mark


def account_verdict(account, name, home, shell, mark_checksum="", use_existing=False):
    verdict, reason = decide(account, name, home, shell, mark_checksum, bool(use_existing))
    return {"verdict": verdict, "reason": reason}


def account_mark(name, uid):
    """The content of the role's ownership mark for account NAME with UID."""
    return ownership_mark(name, int(uid))[0]


class FilterModule:
    def filters(self):
        return {"account_verdict": account_verdict, "account_mark": account_mark}

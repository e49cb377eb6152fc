# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The attributes of the collection's actions that run on the controller only."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and return the same result.
    support: full
  diff_mode:
    description: Returns no diff; it changes nothing.
    support: none
  action:
    description: Runs as an action plugin on the controller; nothing is sent to the host.
    support: full
"""

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The note every module only the collection's roles call carries."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
notes:
  - Internal to the collection's roles, which call it. Its options and results
    may change in any release without a deprecation period; use the roles.
options: {}
"""

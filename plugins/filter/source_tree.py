# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The source_tree filter: a code directory on the controller as the role
deploys it, for the host reading to compare with what the host has."""

DOCUMENTATION = r"""
---
name: source_tree
short_description: Describe a directory on the controller as the role copies it to a host
author: flask-wsgi project (@flask-wsgi)
description:
  - Every file and directory below the input path, by relative path, with the
    type, owner and group (root), mode (C(0755) for directories and executable
    files, else C(0644)) and SHA-1 that a root-owned copy with C(u=rwX,go=rX)
    gives them on the host.
  - The module P(flaskwsgi.deploy.flask_wsgi_host_state#module) compares a
    deployed directory with it (its O(flaskwsgi.deploy.flask_wsgi_host_state#module:trees)),
    so that a run whose code did not change need not copy it again.
options:
  _input:
    description: The directory on the controller.
    type: path
    required: true
  ignore:
    description: Names directly under the directory to leave out.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Describe the code to deploy
  ansible.builtin.set_fact:
    wanted_code: "{{ '/home/deploy/src/myapp' | flaskwsgi.deploy.source_tree }}"
"""

RETURN = r"""
_value:
  description: Relative path to C(type), C(uid), C(gid), C(mode) and, for files, C(checksum).
  type: dict
"""

import os

from ansible.errors import AnsibleFilterError
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import wanted_tree


def source_tree(path, ignore=()):
    if not os.path.isdir(path):
        raise AnsibleFilterError(f"source_tree: {path} is not a directory on the controller")
    return wanted_tree(path, ignore)


class FilterModule:
    def filters(self):
        return {"source_tree": source_tree}

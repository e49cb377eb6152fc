#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The documentation of the tls_selfsigned action, which runs community.crypto's modules on the host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: tls_selfsigned
short_description: Make a role's self-signed certificate and its private key in one task (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Makes the C(generated) entries of a role's registry
    (C(plugins/plugin_utils/registry.py)) - the one whose C(origin) is
    C(key) and the one whose C(origin) is C(certificate) - with
    M(community.crypto.openssl_privatekey) (an ECDSA P-256 key),
    M(community.crypto.openssl_csr_pipe) and
    M(community.crypto.x509_certificate) (self-signed), each one call on the
    host, with the entries' owner, group and mode.
  - The key is made only when its path is in O(differing) (missing, or
    another owner or mode); the certificate when its path is, or when the key
    was made anew. The private key never leaves the host.
  - Returns C(changed_entries), the names of the entries made, which the
    role's apply step picks up (a reload).
options:
  registry:
    description: The role's registry, as its plan registered it.
    type: list
    elements: dict
    required: true
  differing:
    description: The paths the comparison found differing.
    type: list
    elements: str
    required: true
  common_name:
    description: The certificate's common name.
    type: str
    required: true
  subject_alt_name:
    description: The certificate's subject alternative names, such as C(DNS:www.example.com) or C(IP:127.0.0.1).
    type: list
    elements: str
    default: []
  not_after:
    description: When the certificate expires, relative to now.
    type: str
    default: +825d
attributes:
  check_mode:
    description: Reports what it would make; a key it would make anew cannot sign a request yet.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
  action:
    description: Runs as an action plugin, each step one module call on the host.
    support: full
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Generate the self-signed certificate
  flaskwsgi.deploy.tls_selfsigned:
    registry: "{{ __flask_wsgi_wanted.registry }}"
    differing: "{{ flask_wsgi_plan.differing }}"
    common_name: www.example.com
    subject_alt_name: ["DNS:www.example.com", "IP:127.0.0.1"]
"""

RETURN = r"""
changed_entries:
  description: The names of the registry entries made anew.
  returned: always
  type: list
  elements: str
steps:
  description: Each module's result, by step - C(key), C(request), C(certificate).
  returned: always
  type: dict
"""

#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Check that an application answers, and that the host's others still do."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: healthcheck
short_description: Check that an application, and the host's other applications, answer (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - The health checks of the collection's roles, after a change reached the
    running server - the deploy's, the rollback's, and the one after Apache
    reloads for another reason. It changes nothing.
  - With O(healthcheck), asks the application, waiting up to
    O(healthcheck.wait) seconds for it to be healthy, and fails naming the
    status or the error of the last answer.
  - With O(apps), waits up to O(apps.wait) seconds for each application
    named in O(apps.require) to answer, from the records the collection's
    deployments leave on the host, and fails naming those that do not.
  - The host reading, P(flaskwsgi.deploy.host_reading#module), asks the
    same request once and reports the answer without failing.
options:
  apps:
    description: The other applications the collection manages on the host, that must still answer.
    type: dict
    suboptions:
      dir:
        description: The directory holding one state directory per application.
        type: path
        required: true
      exclude:
        description: The site whose record is left out (the application being deployed).
        type: str
        default: ""
      require:
        description: Sites that must answer.
        type: list
        elements: str
        required: true
      wait:
        description: How long, in seconds, they may take to answer.
        type: float
        default: 0
      after:
        description: What the failure message says the applications stopped answering after.
        type: str
        default: the change
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
  - flaskwsgi.deploy.healthcheck
attributes:
  check_mode:
    description: Asks as in a real run; it changes nothing.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
"""

EXAMPLES = r"""
- name: Wait for the application to answer
  flaskwsgi.deploy.healthcheck:
    healthcheck:
      url: http://127.0.0.1/app/
      headers: {Host: app.example.org}
      wait: 30

- name: Check that the host's other applications still answer
  flaskwsgi.deploy.healthcheck:
    apps:
      dir: /var/lib/flask_wsgi
      require: [shop, blog]
      wait: 30
      after: Apache's reload
"""

RETURN = r"""
healthcheck:
  description: >-
    The last answer: C(status) (0 when no answer came), C(healthy), C(error)
    and, with O(healthcheck.daemons), C(daemons), as
    P(flaskwsgi.deploy.host_reading#module) returns it.
  returned: when O(healthcheck) is given
  type: dict
apps:
  description: The other applications' records.
  returned: when O(apps) is given
  type: list
  elements: dict
failing:
  description: The applications of O(apps.require) that did not answer, each with what it got.
  returned: when some failed
  type: list
  elements: dict
"""

from typing import Any

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import apps
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.health import (
    HEALTHCHECK_SPEC,
    healthcheck,
    healthcheck_waiting,
    unhealthy_message,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "healthcheck": HEALTHCHECK_SPEC,
            "apps": {
                "type": "dict",
                "options": {
                    "dir": {"type": "path", "required": True},
                    "exclude": {"type": "str", "default": ""},
                    "require": {"type": "list", "elements": "str", "required": True},
                    "wait": {"type": "float", "default": 0},
                    "after": {"type": "str", "default": "the change"},
                },
            },
        },
        required_one_of=[("healthcheck", "apps")],
        supports_check_mode=True,
    )
    params = module.params
    result: dict[str, Any] = {"changed": False}
    if params["healthcheck"]:
        result["healthcheck"] = healthcheck_waiting(params["healthcheck"])
        if not result["healthcheck"]["healthy"]:
            module.fail_json(msg=unhealthy_message(params["healthcheck"], result["healthcheck"]), **result)
    if params["apps"]:
        wanted = params["apps"]
        result["apps"] = apps.read_records(wanted["dir"], wanted["exclude"])
        failing = apps.still_answering(result["apps"], wanted["require"], healthcheck, wanted["wait"])
        if failing:
            module.fail_json(msg=apps.failing_message(failing, wanted["after"]), failing=failing, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

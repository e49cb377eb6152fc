#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Wait on the host for a background (async) task to end, and return its result."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: job_result
short_description: Wait for a background task to end and return its result, in one call (internal)
author: flask-wsgi project (@flask-wsgi)
description:
  - Waits for a task started with C(async) and C(poll) set to 0 to end, by reading
    its results file on the host several times a second, and returns the
    task's own result. A failed task fails this one with its message.
  - M(ansible.builtin.async_status) with C(until) needs one module call per
    poll, and prints a C(FAILED - RETRYING) line for each. This is one call,
    and it returns within a fifth of a second of the end of the task.
  - Removes the results file once read.
options:
  results_file:
    description: The C(results_file) the task started in the background returned.
    type: path
    required: true
  timeout:
    description: Seconds to wait before failing.
    type: int
    default: 1800
attributes:
  check_mode:
    description: Waits and reads as in a real run; the task it waits for decided what check mode meant for it.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
extends_documentation_fragment:
  - flaskwsgi.deploy.internal
"""

EXAMPLES = r"""
- name: Install the packages in the background
  flaskwsgi.deploy.apt_packages:
    names: [apache2]
  async: 1800
  poll: 0
  register: packages_job

- name: Wait for the packages
  flaskwsgi.deploy.job_result:
    results_file: "{{ packages_job.results_file }}"
"""

RETURN = r"""
finished:
  description: Always true when the module returns; the other keys are the task's own result.
  returned: success
  type: bool
"""

import json
import os
import time
from typing import Any

from ansible.module_utils.basic import AnsibleModule

INTERVAL = 0.2


def read(path: str) -> dict[str, Any] | None:
    """The task's result when it has ended, else None."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except ValueError:
        return None  # being written
    # async_wrapper writes {"started": ...} until the task ends, then the
    # task's own result.
    return None if "started" in data else data


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "results_file": {"type": "path", "required": True},
            "timeout": {"type": "int", "default": 1800},
        },
        supports_check_mode=True,
    )
    path = module.params["results_file"]
    deadline = time.monotonic() + module.params["timeout"]
    while True:
        if not os.path.exists(path):
            module.fail_json(msg=f"job_result: no results file {path}: the task was not started, or was read already")
        result = read(path)
        if result is not None:
            break
        if time.monotonic() > deadline:
            module.fail_json(msg=f"job_result: the task did not end within {module.params['timeout']} s ({path})")
        time.sleep(INTERVAL)
    os.unlink(path)
    result.pop("invocation", None)
    result["finished"] = True
    if result.get("failed"):
        result.pop("failed")
        module.fail_json(msg=result.pop("msg", "the background task failed"), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

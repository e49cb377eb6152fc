# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The health check: one GET to the application from the host, and, with
the daemon group given, every daemon process's record (daemons.py). The
host reading, the deploy and the rollback all ask it this way."""

from __future__ import annotations

import os
import ssl
import time
import urllib.error
import urllib.request
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils.daemons import (
    GROUP_OPTIONS,
    account_uid,
    daemon_processes,
    group_verdict,
)

# The modules' option for it (documented in the healthcheck doc fragment).
# The healthcheck option as HEALTHCHECK_SPEC gives it; and what a check got:
# status (0 when nothing answered), healthy, error, and with the daemon group
# given, the daemons' verdict.
Check = dict[str, Any]
Answer = dict[str, Any]

HEALTHCHECK_SPEC: dict[str, Any] = {
    "type": "dict",
    "options": {
        "url": {"type": "str", "required": True},
        "headers": {"type": "dict", "default": {}},
        "status_codes": {"type": "list", "elements": "int", "default": [200]},
        "timeout": {"type": "int", "default": 10},
        "wait": {"type": "float", "default": 0},
        "daemons": {
            "type": "dict",
            "options": dict(
                GROUP_OPTIONS,
                processes={"type": "str", "required": True},
                records={"type": "path", "required": True},
            ),
        },
    },
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def request_status(check: Check) -> tuple[int, str]:
    """The status of one GET to check's URL, and why there was none."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context), NoRedirect()
    )
    request = urllib.request.Request(check["url"], headers=check["headers"] or {})
    try:
        with opener.open(request, timeout=check["timeout"]) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (OSError, ValueError) as error:
        return 0, str(getattr(error, "reason", error))


def daemons_verdict(daemons: dict[str, Any]) -> dict[str, Any]:
    try:
        uid = account_uid(daemons["user"])
    except LookupError:
        return {"healthy": False, "summary": f"there is no account {daemons['user']} to run the daemons"}
    expected = daemon_processes(daemons["processes"], len(os.sched_getaffinity(0)))
    return group_verdict(daemons["display_name"], uid, expected, daemons["records"], daemons["script"])


def healthcheck_waiting(check: Check) -> Answer:
    """healthcheck, asked again twenty times a second until it passes or
    check's wait (seconds) has gone by: daemons restarting are seen healthy
    as soon as they are, without a module call per attempt."""
    deadline = time.monotonic() + check["wait"]
    while True:
        result = healthcheck(check)
        if result["healthy"] or time.monotonic() >= deadline:
            return result
        time.sleep(0.05)


def healthcheck(check: Check) -> Answer:
    status, error = request_status(check)
    result: Answer = {"status": status, "healthy": status in check["status_codes"], "error": error}
    if check["daemons"]:
        result["daemons"] = daemons_verdict(check["daemons"])
        result["healthy"] = result["healthy"] and result["daemons"]["healthy"]
    return result


def said(answer: Answer) -> str:
    """What a health check got, in a few words: the status, or the error."""
    return f"answered {answer['status']}" if answer["status"] else f"did not answer ({answer['error']})"


def unhealthy_message(check: Check, answer: Answer) -> str:
    """Why the application counts as unhealthy, in one sentence."""
    if answer["status"] in check["status_codes"]:
        return (
            f"{check['url']} answered {answer['status']}, but not every daemon process loaded the application: "
            f"{answer['daemons']['summary']}"
        )
    return f"{check['url']} {said(answer)}, not one of {', '.join(map(str, check['status_codes']))}"

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""After a run's tasks: what the running server must pick up, what a failed
task said, and what a rollback came to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What the server must pick up, from least to most.
ACTIONS = ("none", "daemons", "reload", "restart")

# Which task results mean what; apply_action reads them by these names.
MODULE_RESULTS = ("modules",)
CONFIGURATION_RESULTS = ("vhost", "site", "tls_key", "tls_certificate")
CODE_RESULTS = ("release", "unpack", "recorder", "start", "environment")


def failure_text(result: Mapping[str, Any]) -> str:
    """What a failed task said, for the rollback's message: its error output,
    else its output, else its message; for a loop, each failed item's, with
    the item (a release command's output, for instance)."""

    def said(one: Mapping[str, Any]) -> str:
        for key in ("stderr", "stdout", "msg"):
            text = str(one.get(key) or "").strip()
            if text:
                return text
        return "see the error above"

    failed = [item for item in result.get("results") or [] if isinstance(item, dict) and item.get("failed")]
    if failed:
        return "; ".join(f"{item.get('item')}: {said(item)}" for item in failed)
    return said(result)


def changed(result: Any) -> bool:
    return isinstance(result, dict) and bool(result.get("changed"))


def apply_action(
    results: Mapping[str, Any],
    wanted_checksums: Mapping[str, str],
    known_good_checksums: Mapping[str, str],
    release_pending: bool,
    daemons_unhealthy: bool = False,
) -> str:
    """What the running server must pick up after this run's tasks.

    RESULTS holds the registered task results by the names in
    MODULE_RESULTS, CONFIGURATION_RESULTS and CODE_RESULTS (a task that did
    not run may be missing). The files as they should be are compared with
    the last deployment that passed its health check, not only with what
    this run changed: a run interrupted after writing a file but before
    Apache picked it up leaves a difference that the next run still sees.

    Returns one of ACTIONS: "restart" when a module was enabled or disabled,
    or no deployment ever passed (Apache must load the modules and daemons
    from scratch); "reload" (graceful, which also restarts the daemons) for
    a configuration change; "daemons" for new code alone, for a release that
    never passed its health check (RELEASE_PENDING: a run interrupted after
    the switch), or when the host reading found a daemon process that did
    not load the code as it is (DAEMONS_UNHEALTHY); else "none"."""
    if any(changed(results.get(name)) for name in MODULE_RESULTS) or not known_good_checksums.get("site.conf"):
        return "restart"
    if wanted_checksums["site.conf"] != known_good_checksums.get("site.conf") or any(
        changed(results.get(name)) for name in CONFIGURATION_RESULTS
    ):
        return "reload"
    if release_pending or daemons_unhealthy or any(changed(results.get(name)) for name in CODE_RESULTS):
        return "daemons"
    return "none"


ROLLBACK_OUTCOMES = {
    "nothing": "There was no earlier good deployment to roll back to; the failed one is still in place.",
    "disabled": (
        "There was no earlier good deployment to roll back to, and Apache rejects this one's configuration: its "
        "site was disabled, so that Apache and the other sites on the host can still restart."
    ),
    "unchecked": "The last good deployment was restored.",
    "answers": "The last good deployment was restored and answers again.",
    "silent": "The last good deployment was restored but does not answer either; check the Apache error log.",
}


def rollback_outcome(site_disabled: bool, known_good_found: bool, health: Mapping[str, Any]) -> str:
    """What the rollback came to, in words: SITE_DISABLED (a site that never
    passed was disabled), KNOWN_GOOD_FOUND (a last good deployment was
    there to restore) and HEALTH (the result of the restored version's
    health check, the module's; skipped when there was none)."""
    if site_disabled:
        return ROLLBACK_OUTCOMES["disabled"]
    if not known_good_found:
        return ROLLBACK_OUTCOMES["nothing"]
    if health.get("skipped"):
        return ROLLBACK_OUTCOMES["unchecked"]
    healthy = health.get("healthcheck", {}).get("healthy")
    return ROLLBACK_OUTCOMES["answers" if healthy else "silent"]

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""After a run's tasks: what the running server must pick up, what a failed
task said, and what a rollback came to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.applying import said
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import (
    PICK_UPS,
    Entry,
    changed,
    changed_entries,
    pick_up,
    strongest,
    unapplied,
)

# What the server must pick up, from least to most.
ACTIONS = PICK_UPS

# What the running server must do for a change made by a task that writes
# no registry entry: the release.
OTHER_PICK_UPS = {"release": "daemons", "unpack": "daemons"}


def failure_text(result: Mapping[str, Any]) -> str:
    """What a failed task said, for the rollback's message: its error output,
    else its output, else its message; for a loop, each failed item's, with
    the item (a release command's output, for instance)."""

    unsaid = "see the error above"
    failed = [item for item in result.get("results") or [] if isinstance(item, dict) and item.get("failed")]
    if failed:
        return "; ".join(f"{item.get('item')}: {said(item, unsaid)}" for item in failed)
    return said(result, unsaid)


def apply_action(
    registry: Sequence[Entry],
    results: Mapping[str, Any],
    wanted_checksums: Mapping[str, str],
    known_good_checksums: Mapping[str, str],
    release_pending: bool,
    daemons_unhealthy: bool = False,
) -> str:
    """What the running server must pick up after this run's tasks.

    RESULTS holds the writing tasks' registered results (changed_entries
    reads them; a task that did not run may be missing). The strongest
    action the changed entries of REGISTRY need, or that of a change
    OTHER_PICK_UPS names. The files a rollback restores are also compared,
    as they should be (WANTED_CHECKSUMS), with the last deployment that
    passed its health check (KNOWN_GOOD_CHECKSUMS), both by entry name: a
    run interrupted after writing a file but before Apache picked it up
    leaves a difference that the next run still sees.

    Returns one of ACTIONS: "restart" as well when no deployment ever
    passed (Apache must load the modules and daemons from scratch);
    "daemons" as well for a release that never passed its health check
    (RELEASE_PENDING: a run interrupted after the switch), or when the host
    reading found a daemon process that did not load the code as it is
    (DAEMONS_UNHEALTHY)."""
    if any(not known_good_checksums.get(entry.name) for entry in registry if entry.known_good):
        return "restart"
    changed_names = changed_entries(results)
    needed: list[str] = [pick_up(registry, changed_names)]
    needed += [OTHER_PICK_UPS[name] for name in changed_names if name in OTHER_PICK_UPS]
    needed.append(unapplied(registry, wanted_checksums, known_good_checksums))
    if release_pending or daemons_unhealthy:
        needed.append("daemons")
    return strongest(needed)


def rollback_reloads(restored: Any, applied: str) -> bool:
    """Whether the rollback reloads Apache with the configuration it
    restored (RESTORED, the restore's result): only when this run's apply
    step got past its configtest to a reload or restart (APPLIED, what it
    reports reached the running server), so a configuration the configtest
    rejected never reaches the running server."""
    return changed(restored) and applied in ("reload", "restart")


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

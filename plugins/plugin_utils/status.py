# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What is deployed where (playbooks/status.yml): for a host and the
application its variables describe, the release served, where it came from
and when it went live, the releases kept and the one a rollback would go
to, the health check's answer, and whether the load balancers send it
traffic; and the other applications the host's records name, with their
health. Read in one call of flaskwsgi.deploy.host_reading, changing
nothing. Plain Python, unit-tested."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Values
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.wanted_state import app_paths, healthchecks


class OtherApp(TypedDict):
    site: str
    enabled: bool
    healthy: bool | None


class Status(TypedDict):
    """One host's row."""

    host: str
    site: str
    # The release served ("" when none), its source (a commit, or the
    # content's checksum) and when it went live (UTC, ISO 8601).
    release: str
    source: str
    live_since: str
    # Whether it passed its health check when it went live.
    good: bool
    releases: list[str]
    # What -e flask_wsgi_release=previous would serve, and the last release
    # that passed its health check (what a failed deploy goes back to).
    previous: str
    last_good: str
    healthy: bool
    status: int
    answer: str
    # None without load balancers.
    in_rotation: bool | None
    other_apps: list[OtherApp]


def reading_args(values: Values) -> dict[str, Any]:
    """The host reading's arguments: the releases, the health check (asked
    once, as a deploy's reading asks), the other applications' records."""
    found = app_paths(values)
    args: dict[str, Any] = {
        "releases": {"root": values["flask_wsgi_app_dir"], "history": found["release_history"]},
        "apps": {"dir": values["flask_wsgi_state_dir"], "exclude": values["flask_wsgi_site_name"]},
    }
    if values["flask_wsgi_healthcheck_enabled"]:
        args["healthcheck"] = healthchecks(values, found)["healthcheck"]
    return args


def row(values: Values, reading: Mapping[str, Any], out_of_rotation: Sequence[str] | None) -> Status:
    """The row of the host VALUES' inventory_hostname names, from READING
    (reading_args' answer) and OUT_OF_ROTATION (the backends the load
    balancers have out; None without load balancers)."""
    host = str(values.get("inventory_hostname", ""))
    releases = reading.get("releases") or {}
    history = releases.get("history") or []
    current = str(releases.get("current") or "")
    switches = [entry for entry in history if entry.get("id") == current]
    last = switches[-1] if switches else {}
    health = reading.get("healthcheck") or {}
    said = health.get("error") or (health.get("daemons") or {}).get("summary") or ""
    return {
        "host": host,
        "site": values["flask_wsgi_site_name"],
        "release": current,
        "source": str(last.get("source") or ""),
        "live_since": str(last.get("switched") or ""),
        "good": bool(last.get("good")),
        "releases": list(releases.get("releases") or []),
        "previous": rel.previous_release(history, current),
        "last_good": rel.last_good_release(history),
        "healthy": bool(health.get("healthy", not values["flask_wsgi_healthcheck_enabled"])),
        "status": int(health.get("status") or 0),
        "answer": str(said),
        "in_rotation": None if out_of_rotation is None else host not in out_of_rotation,
        "other_apps": [
            {"site": str(app.get("site", "")), "enabled": bool(app.get("enabled")), "healthy": app.get("healthy")}
            for app in reading.get("apps") or []
        ],
    }


COLUMNS = ("HOST", "APP", "RELEASE", "SOURCE", "LIVE SINCE", "KEPT", "ROLLBACK TO", "HEALTH", "TRAFFIC")


def cells(status: Mapping[str, Any]) -> list[str]:
    health = "ok" if status["healthy"] else f"FAILING ({status['status'] or 'no answer'})"
    traffic = {None: "-", True: "in rotation", False: "OUT"}[status["in_rotation"]]
    return [
        status["host"],
        status["site"],
        status["release"] or "(none)",
        status["source"][:12],
        status["live_since"],
        str(len(status["releases"])),
        status["previous"] or "-",
        health,
        traffic,
    ]


def table(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """ROWS as the lines of a table, a column each field, then the other
    applications each host has."""
    body = [list(COLUMNS)] + [cells(status) for status in rows]
    widths = [max(len(line[column]) for line in body) for column in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in body]
    for status in rows:
        for app in status["other_apps"]:
            state = "disabled" if not app["enabled"] else "ok" if app["healthy"] else "FAILING"
            lines.append(f"{status['host']}: also {app['site']} ({state})")
    return lines

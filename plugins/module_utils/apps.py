# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The applications the collection manages on one host, and how they share
Apache.

Each application's last good deployment leaves a record (RECORD, JSON) in
its state directory: its site, the ports and names its virtual hosts answer
for, and its health check. The host reading reads them all; the plan on the
controller refuses an application that would take another's requests (two
virtual hosts on one port that Apache cannot tell apart); after Apache
reloads, every other application that answered before must answer again."""

from __future__ import annotations

import fnmatch
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import health

RECORD = "app.json"

# An application's record as record() makes it and read_records() reads it
# back; its health as ask() describes it ({"site", "healthy", "said"}).
Record = dict[str, Any]
Health = dict[str, Any]
# module_utils/health.py's healthcheck, or a fake of it in the tests.
Check = Callable[[health.Check], health.Answer]


def record(
    site: str, site_link: str, ports: Iterable[int | str], names: Iterable[str], healthcheck: dict[str, Any]
) -> Record:
    """One application's record: its SITE, the SITE_LINK that enables it,
    the PORTS and server NAMES (ServerName first, then ServerAlias; empty
    when the vhost has no ServerName) its virtual hosts answer for, and the
    HEALTHCHECK (url, headers, status_codes, timeout) that asks it."""
    return {
        "site": site,
        "site_link": site_link,
        "ports": sorted({int(port) for port in ports}),
        "names": [str(name) for name in names if name],
        "healthcheck": {
            "url": healthcheck["url"],
            "headers": dict(healthcheck.get("headers") or {}),
            "status_codes": list(healthcheck.get("status_codes") or [200]),
            "timeout": int(healthcheck.get("timeout", 10)),
        },
    }


def record_text(entry: Record) -> str:
    """The record as the role writes it (its SHA-1 is compared)."""
    return json.dumps(entry, sort_keys=True, indent=1) + "\n"


def read_records(directory: str, exclude: str = "") -> list[Record]:
    """The records under DIRECTORY (one per state directory), but EXCLUDE's,
    each with "enabled" (its site link is there). An unreadable record is
    one with an "error"."""
    try:
        entries = sorted(os.listdir(directory))
    except OSError:
        return []
    records: list[Record] = []
    for entry in entries:
        path = os.path.join(directory, entry, RECORD)
        if entry == exclude or not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                found = json.load(handle)
            if not isinstance(found, dict):
                raise TypeError("not a JSON object")
            found["enabled"] = os.path.lexists(found["site_link"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            found = {"site": entry, "enabled": False, "error": f"{path} is unreadable: {error}"}
        records.append(found)
    return records


def live(entry: Record) -> bool:
    """Whether a record is readable and its site enabled."""
    return bool(entry.get("enabled")) and not entry.get("error")


def name_clash(ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """The names (with wildcards, as ServerAlias takes them) that both OURS
    and THEIRS answer for; either without a name answers for any name the
    other's port gets that no other virtual host claims, so it clashes with
    everything."""
    if not ours or not theirs:
        return ["(no server name)"]
    ours_lower = [name.lower() for name in ours]
    theirs_lower = [name.lower() for name in theirs]
    return sorted(
        {
            mine
            for mine in ours_lower
            for other in theirs_lower
            if mine == other or fnmatch.fnmatchcase(mine, other) or fnmatch.fnmatchcase(other, mine)
        }
    )


def port_conflicts(site: str, ports: Iterable[int], names: Iterable[str], others: Iterable[Record]) -> list[str]:
    """Why the application SITE, answering on PORTS for NAMES, cannot share
    Apache with the enabled applications OTHERS (their records): one
    sentence per other application whose virtual host Apache could not
    tell from this one's. Empty when there is none."""
    found: list[str] = []
    for other in others:
        if not live(other) or other.get("site") == site:
            continue
        shared = sorted(set(ports) & set(other.get("ports", [])))
        clash = name_clash(list(names), list(other.get("names", []))) if shared else []
        if shared and clash:
            which = "with no server name" if clash == ["(no server name)"] else f"for {', '.join(clash)}"
            found.append(
                f"the site {site} and the site {other['site']} (already on the host) would both answer on port "
                f"{', '.join(map(str, shared))} {which}"
            )
    return found


def conflict_message(site: str, host: str, conflicts: Sequence[str]) -> str:
    """The refusal for CONFLICTS (port_conflicts), naming the variables."""
    return (
        f"flask_wsgi: on {host}, {'; '.join(conflicts)}. Apache gives each request on a port to one virtual host, "
        f"so one application would stop answering. Give each application its own flask_wsgi_server_name (names "
        f"that do not overlap, aliases included), or give {site} another flask_wsgi_port (and "
        "flask_wsgi_tls_port)."
    )


def ask(entry: Record, check: Check) -> Health:
    """The health of one application from its record, by CHECK (a function
    taking a health check, module_utils/health.py's healthcheck). One whose
    record is unreadable, or whose site is no longer enabled, is not asked."""
    if entry.get("error"):
        return {"site": entry["site"], "healthy": False, "said": entry["error"]}
    if not entry.get("enabled"):
        return {"site": entry["site"], "healthy": False, "said": f"its site ({entry['site_link']}) is not enabled"}
    answer = check(dict(entry["healthcheck"], daemons=None))
    return {
        "site": entry["site"],
        "healthy": answer["healthy"],
        "said": f"{entry['healthcheck']['url']} {health.said(answer)}",
    }


def answers(records: Iterable[Record], check: Check) -> list[Health]:
    """The health of each enabled application in RECORDS."""
    return [ask(entry, check) for entry in records if entry.get("enabled")]


def answering(reading: Mapping[str, Any]) -> list[str]:
    """The applications a host READING's "apps" found answering: after
    Apache reloads, they must answer again."""
    return [entry["site"] for entry in reading.get("apps") or [] if entry.get("healthy")]


def still_answering(
    records: Iterable[Record],
    required: Sequence[str],
    check: Check,
    wait: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Health]:
    """The applications of REQUIRED (site names) that do not answer within
    WAIT seconds, each as ask() describes it: [] when they all do."""
    wanted = [entry for entry in records if entry["site"] in required]
    known = {entry["site"] for entry in wanted}
    missing = [{"site": site, "healthy": False, "said": "no record of it"} for site in required if site not in known]
    # Unreadable, or no longer enabled: failing without waiting.
    gone = [ask(entry, check) for entry in wanted if not live(entry)]
    waiting = [entry for entry in wanted if live(entry)]
    deadline = clock() + wait
    while True:
        unhealthy = [answer for answer in (ask(entry, check) for entry in waiting) if not answer["healthy"]]
        if not unhealthy or clock() >= deadline:
            return gone + unhealthy + missing
        still = {answer["site"] for answer in unhealthy}
        waiting = [entry for entry in waiting if entry["site"] in still]
        sleep(0.1)


def failing_message(failing: Iterable[Health], after: str) -> str:
    """The failure for FAILING (still_answering's), AFTER what."""
    listed = "; ".join(f"{entry['site']}: {entry['said']}" for entry in failing)
    return f"flask_wsgi: after {after}, other applications on the host that answered before no longer do: {listed}."

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Whether the role may manage the daemon account it is given.

The role creates a system account with no login shell for the daemons and
keeps it as it should be. An account it did not create may be somebody's:
one with a login shell, a UID in the range of people's accounts or a home
elsewhere is never taken over. Plain Python with no Ansible import,
unit-tested.
"""

from __future__ import annotations

import hashlib
from typing import Any

# Shells that let nobody log in.
NO_LOGIN_SHELLS = frozenset(["/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false"])
# Debian's and Ubuntu's first UID for people's accounts (login.defs UID_MIN).
FIRST_HUMAN_UID = 1000


def ownership_mark(name: str, uid: int) -> tuple[str, str]:
    """The content of the file in which the role notes that it created or
    took over account NAME with UID, and its SHA-1 as the host reading
    reports it."""
    content = f"{name} {uid}\n"
    return content, hashlib.sha1(content.encode()).hexdigest()


def account_verdict(
    account: dict[str, Any], name: str, home: str, shell: str, mark_checksum: str, use_existing: bool = False
) -> tuple[str, str]:
    """What the role may do with account NAME as the host reading found it
    (ACCOUNT: exists, uid, home, shell), given the home and shell it should
    have and the checksum of the role's ownership mark ("" when none).

    Returns (verdict, reason): "create" (there is none), "manage" (the role
    made it, so hand changes are put back), "adopt" (a system account with
    no login shell and the expected home, such as an earlier release of the
    role made), "use" (flask_wsgi_user_existing: used as it is) or "refuse"
    (somebody's account; REASON says why)."""
    if use_existing:
        if account.get("exists"):
            return "use", ""
        return "refuse", "it does not exist, and flask_wsgi_user_existing is set"
    if not account.get("exists"):
        return "create", ""
    if mark_checksum and mark_checksum == ownership_mark(name, account["uid"])[1]:
        return "manage", ""
    reasons: list[str] = []
    if account["uid"] >= FIRST_HUMAN_UID:
        reasons.append(f"its UID {account['uid']} is in the range of people's accounts")
    if account["shell"] not in NO_LOGIN_SHELLS | {shell}:
        reasons.append(f"it has the login shell {account['shell']}")
    if account["home"] != home:
        reasons.append(f"its home is {account['home']}, not {home}")
    if reasons:
        return "refuse", "; ".join(reasons)
    return "adopt", ""

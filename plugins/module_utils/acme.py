# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Certificates from an ACME server (Let's Encrypt) through certbot.

certbot does the ACME protocol, keeps the account, the certificates and
their renewal configuration under /etc/letsencrypt, and renews them from
its systemd timer. What is here: reading what certbot left on the host
(read), deciding what a run must do about it (decide), the certbot command
line for that (certbot_command), the renewal settings the role keeps in
certbot's renewal configuration (renewal_text), and a failed certbot's
output in a sentence (failure_detail). Plain functions of plain data, but
read; unit-tested without a host.
"""

from __future__ import annotations

import calendar
import os
import re
import time
from typing import Any

# The certificate a run wants ("names", "directory", "renew_days", "cert_name",
# "deploy_hook", "email", "webroot" or "standalone_port"), as the plan gives
# it; what read() found; what decide() says.
Wanted = dict[str, Any]
Reading = dict[str, Any]
Decision = dict[str, str]

LETSENCRYPT = "/etc/letsencrypt"
# Where mod_alias serves the challenges from, under the webroot certbot writes to.
CHALLENGE_URL = "/.well-known/acme-challenge/"
ACTIONS = ("none", "configure", "renew", "issue")
DAY = 86400


def live_paths(cert_name: str) -> dict[str, str]:
    """The certificate (with its chain) and the private key certbot keeps
    for the lineage CERT_NAME: links to the newest files in its archive."""
    live = f"{LETSENCRYPT}/live/{cert_name}"
    return {"certificate": f"{live}/fullchain.pem", "key": f"{live}/privkey.pem"}


def renewal_path(cert_name: str) -> str:
    return f"{LETSENCRYPT}/renewal/{cert_name}.conf"


def read_certificate(path: str) -> dict[str, Any]:
    """What the role compares of the certificate at PATH: "exists", and,
    when it does, "names" (its DNS names, sorted), "not_after" (seconds
    since the epoch), "serial" (hexadecimal) and "issuer"."""
    if not os.path.exists(path):
        return {"exists": False}
    try:
        from cryptography import x509
        from cryptography.x509.oid import NameOID
    except ImportError:
        return {"exists": True, "error": "python3-cryptography is not installed"}
    try:
        with open(path, "rb") as handle:
            certificate = x509.load_pem_x509_certificate(handle.read())
        try:
            names = certificate.extensions.get_extension_for_class(
                x509.SubjectAlternativeName
            ).value.get_values_for_type(x509.DNSName)
        except x509.ExtensionNotFound:
            common_names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            names = [str(attribute.value) for attribute in common_names]
        # not_valid_after_utc from cryptography 42; the naive one before (UTC too).
        not_after = getattr(certificate, "not_valid_after_utc", None) or certificate.not_valid_after
        return {
            "exists": True,
            "names": sorted(names),
            "not_after": calendar.timegm(not_after.utctimetuple()),
            "serial": format(certificate.serial_number, "x"),
            "issuer": certificate.issuer.rfc4514_string(),
        }
    except (OSError, ValueError) as error:
        return {"exists": True, "error": str(error)}


READ_SETTINGS = (("", "renew_before_expiry"), ("renewalparams", "server"), ("renewalparams", "renew_hook"))


def parse_renewal(text: str) -> dict[str, str]:
    """The settings of certbot's renewal configuration TEXT the role
    compares: the top-level renew_before_expiry, and server and renew_hook
    (the deploy hook) from [renewalparams]."""
    settings: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if (section, key) in READ_SETTINGS:
            settings[key] = value
    return settings


def read(cert_name: str) -> Reading:
    """What certbot keeps on this host for the lineage CERT_NAME: the
    "certificate" (read_certificate), the "renewal" settings (parse_renewal)
    and the host's clock, "now"."""
    paths = live_paths(cert_name)
    renewal: dict[str, str] = {}
    if os.path.isfile(renewal_path(cert_name)):
        with open(renewal_path(cert_name), encoding="utf-8") as handle:
            renewal = parse_renewal(handle.read())
    return {"certificate": read_certificate(paths["certificate"]), "renewal": renewal, "now": int(time.time())}


def renew_before(days: int | str) -> str:
    return f"{int(days)} days"


def decide(wanted: Wanted, reading: Reading) -> Decision:
    """What a run does about the certificate WANTED describes ("names",
    "directory", "renew_days"), from the host READING (read):
    {"action": one of ACTIONS, "reason": why, in words}. "issue" when there
    is none yet, or it names other names or comes from another ACME server;
    "renew" when fewer than renew_days remain; "configure" when only the
    renew_before_expiry certbot's timer uses differs; else "none"."""
    certificate = reading.get("certificate") or {}
    renewal = reading.get("renewal") or {}
    names = sorted(set(wanted["names"]))
    if not certificate.get("exists") or not renewal:
        return {"action": "issue", "reason": "there is no certificate yet"}
    if certificate.get("error"):
        return {"action": "issue", "reason": f"the certificate in place cannot be read: {certificate['error']}"}
    if certificate["names"] != names:
        return {
            "action": "issue",
            "reason": f"the certificate names {', '.join(certificate['names'])}, not {', '.join(names)}",
        }
    if renewal.get("server") != wanted["directory"]:
        return {"action": "issue", "reason": f"the certificate comes from {renewal.get('server') or 'another server'}"}
    remaining = certificate["not_after"] - reading["now"]
    if remaining < int(wanted["renew_days"]) * DAY:
        days = max(remaining, 0) // DAY
        return {
            "action": "renew",
            "reason": f"the certificate expires in {days} days, within {int(wanted['renew_days'])}",
        }
    if renewal.get("renew_before_expiry") != renew_before(wanted["renew_days"]):
        return {"action": "configure", "reason": "certbot's renewal setting differs"}
    return {"action": "none", "reason": "the certificate is valid"}


def authenticator_arguments(wanted: Wanted) -> list[str]:
    """How certbot answers the http-01 challenge: files in the "webroot" a
    web server serves, or, with a "standalone_port", its own server on
    127.0.0.1 at that port, which a proxy in front (HAProxy) forwards the
    challenges to."""
    if wanted.get("standalone_port"):
        return ["--standalone", "--http-01-address", "127.0.0.1", "--http-01-port", str(wanted["standalone_port"])]
    return ["--webroot", "--webroot-path", wanted["webroot"]]


def certbot_command(wanted: Wanted, action: str) -> list[str]:
    """certbot's command line to ISSUE or RENEW (ACTIONS) the certificate
    WANTED describes: http-01 through the webroot Apache serves, the
    graceful reload as the deploy hook, which certbot also keeps for its
    timer's renewals. certbot is only called when a run has decided that
    the certificate must be replaced, so it is told to replace it."""
    if action not in ("issue", "renew"):
        raise ValueError(f"certbot is not called to {action}")
    command = [
        "certbot",
        "certonly",
        "--non-interactive",
        "--agree-tos",
        *authenticator_arguments(wanted),
        "--cert-name",
        wanted["cert_name"],
        "--server",
        wanted["directory"],
        "--deploy-hook",
        wanted["deploy_hook"],
        "--force-renewal",
    ]
    if wanted.get("email"):
        command += ["--email", wanted["email"], "--no-eff-email"]
    else:
        command.append("--register-unsafely-without-email")
    for name in wanted["names"]:
        command += ["--domain", name]
    return command


SETTING = re.compile(r"^\s*#?\s*renew_before_expiry\s*=.*$", re.MULTILINE)


def renewal_text(text: str, days: int | str) -> str:
    """certbot's renewal configuration TEXT with renew_before_expiry set to
    DAYS: the line (or certbot's commented example) replaced, else a line
    added before the first section. certbot keeps it when it rewrites the
    file after a renewal."""
    line = f"renew_before_expiry = {renew_before(days)}"
    if SETTING.search(text):
        return SETTING.sub(line, text, count=1)
    index = text.find("\n[")
    if index < 0:
        return f"{text.rstrip()}\n{line}\n" if text.strip() else f"{line}\n"
    return f"{text[: index + 1]}{line}\n{text[index + 1 :]}"


DETAIL = re.compile(r"^\s*(Domain|Type|Detail):\s*(.*)$")


def failure_detail(output: str) -> str:
    """What a failed certbot run's OUTPUT says went wrong, in one line: the
    ACME server's problem for each domain when it reported one, else the
    last lines that are not certbot's boilerplate."""
    problems: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in output.splitlines():
        match = DETAIL.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "Domain" and current:
            problems.append(current)
            current = {}
        current[key] = value
    if current:
        problems.append(current)
    if problems:
        return "; ".join(
            f"{problem.get('Domain', 'the request')}: {problem.get('Detail') or problem.get('Type', '')}".strip()
            for problem in problems
        )
    boilerplate = ("Ask for help", "See the logfile", "Saving debug log", "Some challenges have failed")
    lines = [line.strip() for line in output.splitlines() if line.strip() and not line.strip().startswith(boilerplate)]
    return " ".join(lines[-3:]) or "certbot said nothing"

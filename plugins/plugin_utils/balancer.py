# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the haproxy_lb role makes of a load balancer, and what HAProxy must
pick up. Plain Python, unit-tested.

- wanted(values, backends): from the role's variables and the backend hosts
  (name, address, whether it would redirect HAProxy), the packages, the
  backends, the certificate HAProxy loads and, with ACME, what certbot gets.
- entries(plan, generate): what the role manages on the load balancer, its
  registry (plugin_utils/registry.py): the configuration (checked by
  HAProxy before it replaces the old one) and the copy of the one HAProxy
  last loaded, the certificate and key (links to a given pair or to
  certbot's, or a generated pair), and certbot's CA and drop-in.
- compare(wanted, reading, checksums): the host reading against the
  registry: what differs, and whether the copy of the loaded configuration
  must be forgotten (a certificate that changes is only loaded by the
  reload at the end: a run interrupted before it leaves a difference that
  the next run still sees).
- apply(registry, results, ...): what HAProxy must pick up after the writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.parts import PARTS
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import (
    Entry,
    as_entries,
    differs,
    known_good_checksums,
    on_paths,
    only,
    package_entries,
    packages,
    pick_up,
    stale_templates,
    strongest,
    unapplied,
    with_copies,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

CONFIG_FILE = "/etc/haproxy/haproxy.cfg"
# A copy of the configuration HAProxy last loaded, kept by the role.
APPLIED_FILE = "/etc/haproxy/haproxy.cfg.last-applied"
TLS_DIR = "/etc/haproxy/tls"
# certbot's own server answers the challenges here; HAProxy forwards them.
ACME_PORT = 8402
ACME_DROPIN = "/etc/systemd/system/certbot.service.d/haproxy-lb-acme.conf"
LETSENCRYPT_LIVE = "/etc/letsencrypt/live"


def wanted(
    values: Mapping[str, Any], backends: Sequence[Mapping[str, Any]], parts: Sequence[str] = PARTS
) -> dict[str, Any]:
    """The load balancer as VALUES (the role's variables) and BACKENDS (each
    backend host's "name" and "address") make it. HAProxy loads the
    certificate from "crt" and, when that file holds no key, the key from the
    same path with .key appended: links to a given pair or to certbot's, or
    a generated self-signed pair under another name, so that a link is
    never written through. PARTS: the parts of a deploy the run selects
    (parts.py)."""
    tls = truth(values["haproxy_lb_tls_enabled"])
    acme = tls and truth(values["haproxy_lb_tls_acme_enabled"])
    selfsigned = tls and not values["haproxy_lb_tls_certificate_file"] and not acme
    name = values["haproxy_lb_backend_name"]
    cert_name = f"haproxy-{name}"
    live = f"{LETSENCRYPT_LIVE}/{cert_name}"
    if acme:
        sources = [f"{live}/fullchain.pem", f"{live}/privkey.pem"]
    else:
        sources = [values["haproxy_lb_tls_certificate_file"], values["haproxy_lb_tls_key_file"]]
    crt = f"{TLS_DIR}/{name}{'-selfsigned' if selfsigned else ''}.pem"
    ca_given = bool(values["haproxy_lb_tls_acme_ca_bundle"])
    plan: dict[str, Any] = {
        "parts": list(parts),
        "config_file": CONFIG_FILE,
        "applied_file": APPLIED_FILE,
        "backends": [{"name": backend["name"], "address": backend["address"]} for backend in backends],
        "tls": {
            "enabled": tls,
            "acme": acme,
            "selfsigned": selfsigned,
            "dir": TLS_DIR,
            "crt": crt,
            "key": f"{crt}.key",
            "sources": sources,
            "ciphers": list(values["haproxy_lb_tls_ciphers"]),
            "ciphersuites": list(values["haproxy_lb_tls_ciphersuites"]),
        },
        "acme": {
            "cert_name": cert_name,
            "port": ACME_PORT,
            "live": live,
            "ca_path": f"{TLS_DIR}/acme-ca-bundle.pem",
            "ca_given": ca_given,
            "dropin": ACME_DROPIN,
            "dropin_dir": ACME_DROPIN.rsplit("/", 1)[0],
        },
    }
    bundle = values["haproxy_lb_tls_acme_ca_bundle"]
    plan["acme"]["ca_bundle"] = bundle
    plan["acme"]["ca_checksum"] = file_checksum(bundle) if acme and ca_given else ""
    plan["packages"] = packages(entries(plan, False))
    # What the host reading looks at: every path the registry may name,
    # whether or not the pair is generated, and certbot's certificate.
    read = {entry.path for generate in (False, True) for entry in on_paths(entries(plan, generate))}
    plan["read_paths"] = [{"path": path} for path in sorted(read)] + ([{"path": sources[0]}] if acme else [])
    return plan


def entries(plan: Mapping[str, Any], generate: bool) -> list[Entry]:
    """Everything the role manages on the load balancer PLAN (wanted's
    result) describes; GENERATE: whether the certificate is a generated
    self-signed pair (until certbot has one, with ACME). The configuration
    has a last good copy: the one HAProxy last loaded. The packages come
    first: HAProxy, and the self-signed pair's and certbot's as they are
    used. Of these, the parts the run selects (plan's "parts")."""
    tls, acme = plan["tls"], plan["acme"]
    names = ["haproxy"] + (["python3-cryptography"] if tls["enabled"] else []) + (["certbot"] if tls["acme"] else [])
    registry = package_entries(names)
    registry += [
        Entry(
            "config",
            plan["config_file"],
            "template",
            "haproxy.cfg.j2",
            picks_up="reload",
            validate="haproxy -c -f %s",
            known_good=plan["applied_file"],
            part="lb",
        )
    ]
    # The certificate's entries are the tls part.
    certificate: list[Entry] = []
    if tls["enabled"]:
        certificate.append(Entry("tls_dir", tls["dir"], "directory", mode="0700", phase="prepare"))
        pair = zip(("certificate", "key"), (tls["crt"], tls["key"]), tls["sources"], strict=True)
        for name, path, source in pair:
            if generate:
                mode = "0600" if name == "key" else "0644"
                certificate.append(Entry(name, path, "generated", name, mode=mode, picks_up="reload"))
            else:
                # A given certificate file that holds its key needs no key beside it.
                certificate.append(Entry(name, path, "symlink", source, present=bool(source), picks_up="reload"))
    if tls["acme"]:
        certificate += [
            Entry("acme_dropin_dir", acme["dropin_dir"], "directory", mode="0755", present=True, phase="prepare"),
            Entry(
                "acme_ca",
                acme["ca_path"],
                "controller_file",
                acme["ca_bundle"],
                present=acme["ca_given"],
                checksum=acme["ca_checksum"],
            ),
            Entry(
                "acme_dropin",
                acme["dropin"],
                "text",
                dropin_text(acme["ca_path"]),
                present=acme["ca_given"],
            ),
        ]
    registry += [replace(entry, part="tls") for entry in certificate]
    # A run limited by tags to other parts leaves these entries alone.
    return only(with_copies(registry), plan["parts"])


def dropin_text(ca_path: str) -> str:
    """certbot's service drop-in that makes its renewals trust CA_PATH."""
    return (
        "# Managed by the flaskwsgi.deploy.haproxy_lb role: the ACME server's CA.\n"
        f"[Service]\nEnvironment=REQUESTS_CA_BUNDLE={ca_path}\n"
    )


def writer(entry: Entry) -> str:
    """Which task of the role writes ENTRY: the apt_packages call, the
    managed_files call of its phase (directories and files), the links'
    loop, or the generated pair's tasks (tls.yml)."""
    kinds = {"package": "packages", "symlink": "links", "generated": "generated"}
    return kinds.get(entry.source, f"files:{entry.phase}")


def compare(plan: Mapping[str, Any], reading: Mapping[str, Any], checksums: Mapping[str, str]) -> dict[str, Any]:
    """What differs on the load balancer (READING, the host reading of
    plan's read_paths) from its registry. CHECKSUMS: what each templated
    entry renders to, by name (the configuration's)."""
    paths = reading.get("paths") or {}
    tls = plan["tls"]
    # With ACME, until certbot has the certificate, a self-signed one
    # stands in, so that HAProxy can start and forward the challenge.
    certbot_has_it = bool(paths.get(tls["sources"][0], {}).get("exists")) if tls["acme"] else False
    generate = tls["selfsigned"] or (tls["acme"] and not certbot_has_it)
    managed = entries(plan, generate)
    absent = {"exists": False}
    differing = [
        entry.path
        for entry in on_paths(managed)
        if entry.source != "template" and differs(entry, paths.get(entry.path, absent))
    ]
    differing += stale_templates(managed, paths, checksums)
    changing = [entry for entry in managed if entry.path in differing]
    return {
        "registry": [entry.as_dict() for entry in managed],
        "differing": differing,
        "tls_generate": generate,
        "known_good_checksums": known_good_checksums(managed, paths),
        "wanted_checksums": dict(checksums),
        # A certificate that changes is loaded only by the reload at the
        # end: until then, the configuration counts as not loaded.
        "forget_applied": any(
            entry.picks_up != "none" and not entry.known_good and entry.source != "template" for entry in changing
        ),
        # certbot's pair, linked in place of the stand-in once certbot has it.
        "acme_links": [entry.as_dict() for entry in entries(plan, False) if entry.source == "symlink"]
        if tls["acme"]
        else [],
    }


def apply(
    registry: Sequence[Mapping[str, Any]],
    changed: Sequence[str],
    wanted: Mapping[str, str],
    known_good: Mapping[str, str],
    started: bool,
) -> dict[str, bool]:
    """What must pick up the entries named CHANGED once they were written:
    HAProxy a reload when one of them needs it, or when the configuration
    is not the copy of the one it last loaded (WANTED and KNOWN_GOOD, by
    name), but not when this run STARTED it (it loaded them then); the copy
    is written whenever HAProxy loads another configuration. systemd
    rereads certbot's changed drop-in."""
    managed = as_entries(registry)
    needed = strongest([pick_up(managed, changed), unapplied(managed, wanted, known_good)]) == "reload"
    # systemd reads a changed drop-in of certbot's service only when told to.
    return {"reload": needed and not started, "record": needed, "systemd_reload": "acme_dropin" in changed}

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the haproxy_lb role makes of a load balancer, and what HAProxy must
pick up. Plain Python, unit-tested.

- wanted(values, backends): from the role's variables and the backend hosts
  (name, address, whether it would redirect HAProxy), the packages, the
  backends, the certificate HAProxy loads and, with ACME, what certbot gets.
- compare(wanted, reading, rendered): the host reading against that. HAProxy
  must be reloaded when the configuration (RENDERED, the SHA-1 the template
  renders to) differs from the one it last loaded, or when the certificate
  it loads changes; a change of certificate forgets the configuration
  HAProxy loaded first, so that a run interrupted before the reload leaves
  a difference that the next run still sees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.tls import INTERMEDIATE

CONFIG_FILE = "/etc/haproxy/haproxy.cfg"
# A copy of the configuration HAProxy last loaded, kept by the role.
APPLIED_FILE = "/etc/haproxy/haproxy.cfg.last-applied"
TLS_DIR = "/etc/haproxy/tls"
# certbot's own server answers the challenges here; HAProxy forwards them.
ACME_PORT = 8402
ACME_DROPIN = "/etc/systemd/system/certbot.service.d/haproxy-lb-acme.conf"
LETSENCRYPT_LIVE = "/etc/letsencrypt/live"


def wanted(values: Mapping[str, Any], backends: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The load balancer as VALUES (the role's variables) and BACKENDS (each
    backend host's "name" and "address") make it. HAProxy loads the
    certificate from "crt" and, when that file holds no key, the key from the
    same path with .key appended: links to a given pair or to certbot's, or
    a generated self-signed pair under another name, so that a link is
    never written through."""
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
    packages = ["haproxy"] + (["python3-cryptography"] if tls else []) + (["certbot"] if acme else [])
    ca_given = bool(values["haproxy_lb_tls_acme_ca_bundle"])
    return {
        "config_file": CONFIG_FILE,
        "applied_file": APPLIED_FILE,
        "packages": packages,
        "backends": [{"name": backend["name"], "address": backend["address"]} for backend in backends],
        "tls": {
            "enabled": tls,
            "acme": acme,
            "selfsigned": selfsigned,
            "dir": TLS_DIR,
            "crt": crt,
            "key": f"{crt}.key",
            "sources": sources,
            "ciphers": list(INTERMEDIATE["ciphers"]),
            "ciphersuites": list(INTERMEDIATE["ciphersuites"]),
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
        # What the host reading looks at: the configuration, the one HAProxy
        # last loaded, the certificate's and key's paths, and certbot's.
        "read_paths": [{"path": path} for path in (CONFIG_FILE, APPLIED_FILE, crt, f"{crt}.key")]
        + ([{"path": sources[0]}] if acme else []),
    }


def certificate_links(plan: Mapping[str, Any], paths: Mapping[str, Any], generate: bool) -> list[dict[str, str]]:
    """The links to a given or certbot's pair that are not as they should be
    (PATHS, the host reading's): {"src", "dest"}, src empty to remove it."""
    tls = plan["tls"]
    if not tls["enabled"] or generate:
        return []
    links = []
    for source, dest in zip(tls["sources"], (tls["crt"], tls["key"]), strict=True):
        found = paths.get(dest, {})
        if source and (found.get("type") != "link" or found.get("target") != source):
            links.append({"src": source, "dest": dest})
        elif not source and found.get("exists"):
            # A given certificate file that holds its key needs no key beside it.
            links.append({"src": "", "dest": dest})
    return links


def compare(plan: Mapping[str, Any], reading: Mapping[str, Any], rendered: str) -> dict[str, Any]:
    """What differs on the load balancer (READING, the host reading of
    plan's read_paths) and what HAProxy must pick up. RENDERED: the SHA-1 of
    the configuration the template renders."""
    paths = reading.get("paths") or {}
    tls = plan["tls"]
    config = paths.get(plan["config_file"], {}).get("checksum", "")
    applied = paths.get(plan["applied_file"], {}).get("checksum", "")
    # With ACME, until certbot has the certificate, a self-signed one
    # stands in, so that HAProxy can start and forward the challenge.
    certbot_has_it = bool(paths.get(tls["sources"][0], {}).get("exists")) if tls["acme"] else False
    generate = tls["selfsigned"] or (tls["acme"] and not certbot_has_it)
    links = certificate_links(plan, paths, generate)
    generated_missing = generate and not all(paths.get(path, {}).get("exists") for path in (tls["crt"], tls["key"]))
    certificate_changes = bool(links or generated_missing)
    return {
        "tls_generate": generate,
        "certificate_links": links,
        "certificate_changes": certificate_changes,
        "config_changes": config != rendered,
        # HAProxy runs another configuration than the one it should, or is
        # about to load another certificate.
        "reload_needed": applied != rendered or certificate_changes,
    }

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""HTTPS: the certificate and key a vhost loads (given, self-signed or from
an ACME server), and with ACME what certbot gets and the paths that serve its
challenges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import acme
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import (
    Values,
    text_checksum,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import Entry
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

# The Apache configuration that serves the ACME challenges, for every site.
ACME_CONF = "flask-wsgi-acme-challenge"


def acme_challenge_conf(webroot: str) -> str:
    """The configuration that answers ACME http-01 challenges from certbot's
    WEBROOT, server-wide: a vhost inherits it, and mod_alias maps the URL
    before a WSGIScriptAlias, even one mounted at /."""
    directory = f"{webroot}{acme.CHALLENGE_URL}"
    return (
        "# Managed by the flaskwsgi.deploy.flask_wsgi role: the ACME http-01\n"
        "# challenges certbot writes, answered for every site on the host.\n"
        f"Alias {acme.CHALLENGE_URL} {directory}\n"
        f"<Directory {directory}>\n"
        "    Options None\n"
        "    AllowOverride None\n"
        "    ForceType text/plain\n"
        "    Require all granted\n"
        "</Directory>\n"
    )


def certbot_dropin(ca_bundle: str) -> str:
    """The drop-in that makes certbot's renewal service trust CA_BUNDLE for
    the ACME server."""
    return (
        "# Managed by the flaskwsgi.deploy.flask_wsgi role: the ACME server's CA.\n"
        f"[Service]\nEnvironment=REQUESTS_CA_BUNDLE={ca_bundle}\n"
    )


def acme_plan(values: Values, layout: Mapping[str, Any]) -> dict[str, Any]:
    """With flask_wsgi_tls_acme_enabled: what the flask_wsgi_acme module
    gets (the certificate certbot keeps under the site's name, for the
    server name and flask_wsgi_tls_acme_names), and the paths that serve
    its challenges; else {}."""
    if not (truth(values["flask_wsgi_tls_enabled"]) and truth(values["flask_wsgi_tls_acme_enabled"])):
        return {}
    acme_dir = layout["acme_dir"]
    ca_source = values["flask_wsgi_tls_acme_ca_bundle"]
    ca_path = f"{acme_dir}/ca-bundle.pem"
    ca_bundle = ca_path if ca_source else ""
    wanted_acme: dict[str, Any] = {
        "cert_name": values["flask_wsgi_site_name"],
        "names": list(dict.fromkeys([values["flask_wsgi_server_name"], *values["flask_wsgi_tls_acme_names"]])),
        "directory": values["flask_wsgi_tls_acme_directory"],
        "email": values["flask_wsgi_tls_acme_email"],
        "webroot": f"{acme_dir}/challenges",
        "renew_days": int(values["flask_wsgi_tls_acme_renew_days"]),
        # A graceful reload: requests in flight finish on the old certificate.
        "deploy_hook": f"systemctl reload {layout['apache_service']}",
        "ca_bundle": ca_bundle,
        "ca_path": ca_path,
        "conf_file": f"{layout['apache_conf_available']}/{ACME_CONF}.conf",
        "conf_link": f"{layout['apache_conf_enabled']}/{ACME_CONF}.conf",
        "alias_link": f"{layout['apache_mods_enabled']}/alias.load",
        "dropin_file": f"{layout['certbot_dropin_dir']}/flask-wsgi-acme.conf",
    }
    wanted_acme["conf_content"] = acme_challenge_conf(wanted_acme["webroot"])
    wanted_acme["dropin_content"] = certbot_dropin(ca_bundle) if ca_bundle else ""
    wanted_acme["dir"] = acme_dir
    wanted_acme["dropin_dir"] = layout["certbot_dropin_dir"]
    wanted_acme["ca_source"] = ca_source
    return wanted_acme


def acme_entries(wanted_acme: Mapping[str, Any]) -> list[Entry]:
    """What serves the ACME challenges and what certbot trusts, as registry
    entries written before the certificate is asked for (phase "acme"):
    the challenges' directories, the configuration that serves them for
    every site and its link, mod_alias, and the ACME server's CA with
    certbot's drop-in (removed when no CA is given any more)."""
    ca_source = wanted_acme["ca_source"]
    given = bool(ca_source)
    entries = [
        Entry("acme_dir", wanted_acme["dir"], "directory", mode="0755", phase="acme"),
        Entry("acme_webroot", wanted_acme["webroot"], "directory", mode="0755", phase="acme"),
    ]
    if given:
        entries.append(Entry("certbot_dropin_dir", wanted_acme["dropin_dir"], "directory", mode="0755", phase="acme"))
    entries += [
        Entry(
            "acme_ca",
            wanted_acme["ca_path"],
            "controller_file",
            ca_source,
            present=given,
            phase="acme",
            checksum=(file_checksum(ca_source) or "") if given else "",
        ),
        # systemd must read a changed drop-in (the role's acme tasks).
        Entry(
            "acme_dropin",
            wanted_acme["dropin_file"],
            "text",
            wanted_acme["dropin_content"],
            present=given,
            phase="acme",
            checksum=text_checksum(wanted_acme["dropin_content"]) if given else "",
        ),
        Entry(
            "acme_conf",
            wanted_acme["conf_file"],
            "text",
            wanted_acme["conf_content"],
            picks_up="reload",
            phase="acme",
            checksum=text_checksum(wanted_acme["conf_content"]),
        ),
        Entry("acme_conf_enabled", wanted_acme["conf_link"], "link", ACME_CONF, picks_up="reload", phase="acme"),
        # A graceful reload loads it (the configuration above needs it).
        Entry("module:alias", wanted_acme["alias_link"], "module", "alias", picks_up="reload", phase="acme"),
    ]
    return [replace(entry, part="tls") for entry in entries]


def tls_plan(values: Values, tls_dir: str, acme_wanted: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The certificate and key paths, whether the role generates them, and
    the paths the host reading checks for them."""
    if not truth(values["flask_wsgi_tls_enabled"]):
        return {"selfsigned": False, "certificate_path": "", "key_path": "", "paths": []}
    if acme_wanted:
        live = acme.live_paths(acme_wanted["cert_name"])
        # certbot's pair; what serves its challenges is in the registry.
        return {"selfsigned": False, "certificate_path": live["certificate"], "key_path": live["key"], "paths": []}
    site = values["flask_wsgi_site_name"]
    selfsigned = not values["flask_wsgi_tls_certificate_file"]
    certificate = values["flask_wsgi_tls_certificate_file"] or f"{tls_dir}/{site}.crt"
    key = values["flask_wsgi_tls_key_file"] or f"{tls_dir}/{site}.key"
    # A generated pair is in the registry (selfsigned_entries); a given pair
    # only has to exist: an ACME client's live/ paths are links.
    paths = [] if selfsigned else [{"path": certificate, "exists": True}, {"path": key, "exists": True}]
    return {"selfsigned": selfsigned, "certificate_path": certificate, "key_path": key, "paths": paths, "dir": tls_dir}


def selfsigned_entries(tls_dir: str, key: str, certificate: str) -> list[Entry]:
    """A self-signed pair, as registry entries: its directory, made with
    the others before anything of the application, and the key and the
    certificate flaskwsgi.deploy.tls_selfsigned generates (root's; the key
    readable by root only), which Apache loads at a reload."""
    return [
        Entry("tls_dir", tls_dir, "directory", mode="0700", phase="prepare", part="tls"),
        Entry("tls_key", key, "generated", "key", mode="0600", picks_up="reload", part="tls"),
        Entry("tls_certificate", certificate, "generated", "certificate", picks_up="reload", part="tls"),
    ]

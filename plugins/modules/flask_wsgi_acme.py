#!/usr/bin/python
# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Get, renew and keep renewing a certificate from an ACME server with certbot."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: flask_wsgi_acme
short_description: Get and renew a certificate from an ACME server (Let's Encrypt) with certbot
author: flask-wsgi project (@flask-wsgi)
description:
  - Reads the certificate certbot keeps for O(cert_name) and decides what to
    do about it. It asks for a new one when there is none, when its names
    differ from O(names) or when it came from another ACME server than
    O(directory). It renews it when fewer than O(renew_days) days remain.
    Otherwise it leaves it alone.
  - certbot answers the http-01 challenge by writing files under
    O(webroot), which the web server must serve at C(/.well-known/acme-challenge/)
    on port 80 for every name; or with its own server on O(standalone_port).
  - certbot keeps O(deploy_hook) and O(renew_days) in the renewal configuration
    of the certificate, so the renewals its systemd timer makes end the same way.
  - When certbot fails, the module fails with what the ACME server said, and
    the certificate in place, if any, is left as it was.
requirements:
  - certbot
  - python3-cryptography
options:
  cert_name:
    description: The name certbot keeps the certificate under, in /etc/letsencrypt/live/.
    type: str
    required: true
  names:
    description: The DNS names the certificate is for; the first is its subject.
    type: list
    elements: str
    required: true
  directory:
    description: The ACME server's directory URL.
    type: str
    required: true
  email:
    description: The contact address the ACME account is registered with; empty registers none.
    type: str
    default: ""
  webroot:
    description:
      - The directory certbot writes the challenges under.
      - One of O(webroot) and O(standalone_port) is required.
    type: path
  standalone_port:
    description:
      - Answer the challenges with certbot's own server on 127.0.0.1 at this
        port instead; a proxy in front (HAProxy) forwards
        C(/.well-known/acme-challenge/) to it.
    type: int
  renew_days:
    description: Renew when fewer than this many days remain, here and from certbot's timer.
    type: int
    default: 30
  deploy_hook:
    description: The command certbot runs after it got or renewed the certificate.
    type: str
    required: true
  ca_bundle:
    description:
      - A CA bundle on the host that certbot trusts for the ACME server's own
        HTTPS, instead of the system's (a test server such as pebble).
    type: path
attributes:
  check_mode:
    description: Reports what it would do (RV(action)), and does not call certbot.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
notes:
  - The ACME account and its key are certbot's own, in /etc/letsencrypt/accounts/.
"""

EXAMPLES = r"""
- name: Get the site's certificate from Let's Encrypt, and keep it renewed
  flaskwsgi.deploy.flask_wsgi_acme:
    cert_name: wsgi
    names: [www.example.com, example.com]
    directory: https://acme-v02.api.letsencrypt.org/directory
    email: admin@example.com
    webroot: /var/lib/flask_wsgi/acme
    deploy_hook: systemctl reload apache2
"""

RETURN = r"""
action:
  description: What the run did (or, in check mode, would do) - none, configure, renew or issue.
  returned: always
  type: str
reason:
  description: Why, in words.
  returned: always
  type: str
certificate:
  description: The certificate served from now on - exists, names, not_after (seconds since the epoch), serial, issuer.
  returned: always
  type: dict
previous_serial:
  description: The serial of the certificate that was there before, if any.
  returned: always
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import acme


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "cert_name": {"type": "str", "required": True},
            "names": {"type": "list", "elements": "str", "required": True},
            "directory": {"type": "str", "required": True},
            "email": {"type": "str", "default": ""},
            "webroot": {"type": "path"},
            "standalone_port": {"type": "int"},
            "renew_days": {"type": "int", "default": 30},
            "deploy_hook": {"type": "str", "required": True},
            "ca_bundle": {"type": "path"},
        },
        required_one_of=[("webroot", "standalone_port")],
        mutually_exclusive=[("webroot", "standalone_port")],
        supports_check_mode=True,
    )
    wanted = module.params
    reading = acme.read(wanted["cert_name"])
    verdict = acme.decide(wanted, reading)
    before = reading["certificate"]
    result = {
        "changed": verdict["action"] != "none",
        "action": verdict["action"],
        "reason": verdict["reason"],
        "certificate": before,
        "previous_serial": before.get("serial", ""),
    }
    if module.check_mode or verdict["action"] == "none":
        module.exit_json(**result)

    if verdict["action"] in ("issue", "renew"):
        environ = {"REQUESTS_CA_BUNDLE": wanted["ca_bundle"]} if wanted["ca_bundle"] else {}
        rc, out, err = module.run_command(acme.certbot_command(wanted, verdict["action"]), environ_update=environ)
        if rc != 0:
            kept = (
                f"The certificate in place (serial {before['serial']}) is still the one served."
                if before.get("serial")
                else "The site has no certificate from it yet."
            )
            module.fail_json(
                msg=(
                    f"flask_wsgi: the ACME server {wanted['directory']} did not issue the certificate for "
                    f"{', '.join(wanted['names'])} ({verdict['reason']}): {acme.failure_detail(err + out)}. {kept} "
                    "Check that every name resolves to this host and reaches it on port 80."
                ),
                rc=rc,
                stdout=out,
                stderr=err,
                **{key: value for key, value in result.items() if key != "changed"},
            )

    path = acme.renewal_path(wanted["cert_name"])
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    updated = acme.renewal_text(text, wanted["renew_days"])
    if updated != text:
        temporary = f"{path}.flask-wsgi"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(updated)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        module.atomic_move(temporary, path)
    result["certificate"] = acme.read(wanted["cert_name"])["certificate"]
    module.exit_json(**result)


if __name__ == "__main__":
    main()

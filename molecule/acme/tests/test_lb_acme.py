"""HTTPS at the load balancer from the ACME server: HAProxy forwards the
http-01 challenge to certbot, serves pebble's certificate with HTTP/2, and a
renewal replaces it."""

import json
import os
from pathlib import Path

from conftest import changed_tasks, play

testinfra_hosts = ["ansible://flask-wsgi-acme-lb"]
NAME = "flask-wsgi-acme-lb"
PEBBLE = "flask-wsgi-acme-pebble"
ROOT = "/etc/pebble-root.pem"
CONVERGE = Path(os.environ.get("MOLECULE_SCENARIO_DIRECTORY", Path(__file__).parents[1])) / "converge.yml"
GET_CERTIFICATE = "Get or renew the load balancer's certificate from the ACME server"


def served(host):
    """Issuer, names and serial of the certificate HAProxy serves."""
    out = host.check_output(
        f"echo | openssl s_client -connect 127.0.0.1:443 -servername {NAME} 2>/dev/null"
        " | openssl x509 -noout -issuer -serial -ext subjectAltName"
    )
    lines = [line.strip() for line in out.splitlines()]
    names = lines[lines.index("X509v3 Subject Alternative Name:") + 1]
    return {
        "issuer": next(line for line in lines if line.startswith("issuer=")),
        "serial": next(line for line in lines if line.startswith("serial=")),
        "names": sorted(part.strip().removeprefix("DNS:") for part in names.split(",")),
    }


def test_haproxy_serves_a_certificate_from_the_acme_server(host):
    host.run_test(
        f"curl -sS --fail --cacert /etc/haproxy/tls/acme-ca-bundle.pem -o {ROOT} https://{PEBBLE}:15000/roots/0"
    )
    certificate = served(host)
    assert "Pebble Intermediate CA" in certificate["issuer"]
    assert certificate["names"] == [NAME]
    # Trusted for its name, over HTTP/2, with the application behind.
    out = host.check_output(f"curl -sS --fail --http2 --cacert {ROOT} -w '\\n%{{http_version}}' https://{NAME}/")
    assert out.splitlines() == ["hello world!", "2"]
    # The challenges stay on plain HTTP (to certbot, not running now: 503);
    # everything else is redirected.
    challenge = host.check_output(
        f"curl -sS -o /dev/null -w '%{{http_code}}' http://{NAME}/.well-known/acme-challenge/t"
    )
    assert challenge == "503"
    page = host.check_output(f"curl -sS -o /dev/null -w '%{{http_code}} %{{redirect_url}}' http://{NAME}/page")
    assert page == f"301 https://{NAME}/page"


def test_a_renewal_reloads_haproxy_with_the_new_certificate(host):
    before = served(host)["serial"]
    try:
        rc, report = play(
            "--limit", NAME, "-e", json.dumps({"haproxy_lb_tls_acme_renew_days": 3650}), playbook=CONVERGE
        )
        assert rc == 0, report["stats"]
        assert GET_CERTIFICATE in changed_tasks(report, NAME)
        assert served(host)["serial"] != before
    finally:
        rc, report = play("--limit", NAME, playbook=CONVERGE)
    assert rc == 0, report["stats"]
    renewal = host.file("/etc/letsencrypt/renewal/haproxy-flaskapp.conf").content_string
    assert "renew_before_expiry = 30 days" in renewal.splitlines()
    assert "renew_hook = systemctl reload haproxy" in renewal.splitlines()
    # Nothing changes on a run with nothing to do.
    rc, report = play("--limit", NAME, playbook=CONVERGE)
    assert changed_tasks(report, NAME) == []

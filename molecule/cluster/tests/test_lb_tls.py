"""HTTPS at the load balancer: HAProxy terminates TLS (Mozilla's intermediate
settings, HTTP/2), redirects plain HTTP, and tells the plain HTTP backends
the client's scheme and address; a backend that would redirect HAProxy's
requests to HTTPS is refused before anything changes."""

import base64
import json
import re

from test_cluster import LB_HOST, WEB_HOSTS, web

from conftest import changed_tasks, failure_message, play

testinfra_hosts = [f"ansible://{LB_HOST}"]
GIVEN_CERTIFICATE = "/etc/ssl/lb-given.crt"
GIVEN_KEY = "/etc/ssl/lb-given.key"


def handshake(client, *options):
    """Whether a TLS handshake with the load balancer succeeds from CLIENT
    with openssl's OPTIONS; at security level 0, so that only the server
    can refuse."""
    command = f"openssl s_client -connect {LB_HOST}:443 -servername {LB_HOST} {' '.join(options)} </dev/null"
    return client.run(command).rc == 0


# A throwaway HAProxy on the load balancer with the role's bind options and
# every cipher OpenSSL has (security level 0): only the protocol version can
# refuse a handshake there.
TLS_PROBE = """global
    ssl-default-bind-ciphers DEFAULT:@SECLEVEL=0
    {options}
defaults
    mode http
    timeout connect 1s
    timeout client 2s
    timeout server 2s
frontend tls_probe
    bind 127.0.0.1:9443 ssl crt {crt}
    http-request return status 200
"""


def tls11_accepted(lb, options, crt):
    """Whether an HAProxy with the OPTIONS line accepts a TLS 1.1 handshake
    from openssl s_client at security level 0, on the load balancer LB."""
    config = base64.b64encode(TLS_PROBE.format(options=options, crt=crt).encode()).decode()
    lb.run_test(
        f"echo {config} | base64 -d > /tmp/tls-probe.cfg && haproxy -f /tmp/tls-probe.cfg -D -p /tmp/tls-probe.pid"
    )
    try:
        return (
            lb.run("openssl s_client -connect 127.0.0.1:9443 -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null").rc == 0
        )
    finally:
        # Gone, and its port free, before the next probe binds it.
        lb.run(
            "pid=$(cat /tmp/tls-probe.pid); kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.1; done; "
            "rm -f /tmp/tls-probe.cfg /tmp/tls-probe.pid"
        )


def served_subject(client):
    return client.check_output(
        f"echo | openssl s_client -connect {LB_HOST}:443 -servername {LB_HOST} 2>/dev/null"
        " | openssl x509 -noout -subject"
    )


# TLS 1.3's suites set by the user: Mozilla's intermediate ones but AES-128.
USERS_SUITES = {
    "haproxy_lb_tls_enabled": True,
    "haproxy_lb_tls_ciphersuites": ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"],
}


def test_https_at_the_load_balancer(host):
    client = web(WEB_HOSTS[1])
    # The client's address on the scenario's network, as HAProxy sees it.
    client_address = client.check_output(f"getent hosts {WEB_HOSTS[1]}").split()[0]
    try:
        rc, report = play("-e", json.dumps(USERS_SUITES))
        assert rc == 0, report["stats"]

        # HTTP/2 over TLS; the application behind (plain HTTP, ProxyFix)
        # sees the client's scheme and address, not HAProxy's.
        out = client.check_output(f"curl -sS --fail -k --http2 -w '\\n%{{http_version}}' https://{LB_HOST}/app/client")
        body, version = out.rsplit("\n", 1)
        assert version == "2"
        seen = json.loads(body)
        assert seen["scheme"] == "https"
        assert seen["remote_addr"] == client_address
        assert seen["url"] == f"https://{LB_HOST}/app/client"
        # Plain HTTP is redirected, path kept.
        redirect = client.check_output(
            f"curl -sS -o /dev/null -w '%{{http_code}} %{{redirect_url}}' http://{LB_HOST}/app/client?a=1"
        )
        assert redirect == f"301 https://{LB_HOST}/app/client?a=1"
        # Mozilla's intermediate settings: TLS 1.2 with an AEAD suite and
        # TLS 1.3 accepted; a CBC suite refused.
        assert handshake(client, "-tls1_3")
        assert handshake(client, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")
        # TLS 1.3's suites are the user's: AES-128 left out is refused.
        assert handshake(client, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384")
        assert not handshake(client, "-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256")
        assert not handshake(client, "-tls1_2", "-cipher", "'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'")
        # TLS 1.1 refused by the role's bind options, where this HAProxy and
        # this client would otherwise agree on it (OpenSSL 3 refuses it at
        # its default security level anyway, so the load balancer itself
        # would not show that the setting works).
        config = host.file("/etc/haproxy/haproxy.cfg").content_string
        options = re.search(r"^\s*(ssl-default-bind-options .*)$", config, re.M).group(1)
        crt = re.search(r"^\s*bind \S+:443 ssl crt (\S+)", config, re.M).group(1)
        assert "ssl-min-ver TLSv1.2" in options
        assert tls11_accepted(host, options.replace("ssl-min-ver TLSv1.2", "ssl-min-ver TLSv1.0"), crt)
        assert not tls11_accepted(host, options, crt)
        # The self-signed certificate, for the load balancer's name.
        assert LB_HOST in served_subject(client)
        # Nothing changes on a second run.
        rc, report = play("-e", json.dumps(USERS_SUITES))
        assert rc == 0, report["stats"]
        assert changed_tasks(report, LB_HOST) == []

        # A given certificate and key, linked where HAProxy loads them.
        host.run_test(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 "
            f"-subj '/CN=given.example.test' -keyout {GIVEN_KEY} -out {GIVEN_CERTIFICATE}"
        )
        given = {
            "haproxy_lb_tls_enabled": True,
            "haproxy_lb_tls_certificate_file": GIVEN_CERTIFICATE,
            "haproxy_lb_tls_key_file": GIVEN_KEY,
        }
        rc, report = play("--limit", LB_HOST, "-e", json.dumps(given))
        assert rc == 0, report["stats"]
        assert "given.example.test" in served_subject(client)
    finally:
        rc, report = play()
    # Off again: plain HTTP only, and the application still answers through it.
    assert rc == 0, report["stats"]
    assert client.run(f"curl -sS --max-time 5 -k https://{LB_HOST}/").rc != 0
    plain = json.loads(client.check_output(f"curl -sS --fail http://{LB_HOST}/app/client"))
    assert plain["scheme"] == "http"
    assert plain["remote_addr"] == client_address


def test_a_backend_that_would_redirect_haproxy_is_refused(host):
    config = host.file("/etc/haproxy/haproxy.cfg").content_string
    # HTTPS with its redirect on the backends: HAProxy's plain HTTP requests
    # would all be answered with a redirect.
    rc, report = play("-e", json.dumps({"flask_wsgi_tls_enabled": True}))
    assert rc != 0
    message = failure_message(report, LB_HOST)
    assert "flask_wsgi_tls_redirect" in message
    assert all(name in message for name in WEB_HOSTS)
    # Refused before anything changed, on the load balancer or the backends.
    assert host.file("/etc/haproxy/haproxy.cfg").content_string == config
    assert all(web(name).run("ss -ltn | grep -q ':443 '").rc != 0 for name in WEB_HOSTS)
    # Without the redirect, the backends may serve HTTPS too.
    settings = {"flask_wsgi_tls_enabled": True, "flask_wsgi_tls_redirect": False}
    try:
        rc, report = play("-e", json.dumps(settings))
        assert rc == 0, report["stats"]
    finally:
        rc, report = play()
    assert rc == 0, report["stats"]

"""HTTPS: a second vhost with Mozilla's intermediate settings, a generated
self-signed certificate or a given one, and the redirect from plain HTTP."""

import datetime
import json
import shlex

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from conftest import changed_tasks, failure_message, response_headers

# One TLS handshake from inside the container; prints what was agreed and the
# certificate the server sent, or why the handshake failed.
HANDSHAKE = r"""
import json, socket, ssl, sys
port, lowest, highest, ciphers, name = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
context.minimum_version = getattr(ssl.TLSVersion, lowest)
context.maximum_version = getattr(ssl.TLSVersion, highest)
try:
    if ciphers:
        # Security level 0: the client offers the cipher whatever its own
        # defaults think of it, so only the server can refuse it.
        context.set_ciphers(ciphers + ":@SECLEVEL=0")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls:
            print(json.dumps({"version": tls.version(), "cipher": tls.cipher()[0],
                              "certificate": ssl.DER_cert_to_PEM_cert(tls.getpeercert(binary_form=True))}))
except ssl.SSLError as error:
    print(json.dumps({"error": str(error)}))
"""
GIVEN_DIR = "/etc/ssl/given"


@pytest.fixture(scope="module")
def handshake(host, cfg):
    def run(highest="TLSv1_3", ciphers="", lowest="MINIMUM_SUPPORTED"):
        args = [str(cfg.tls_port), lowest, highest, ciphers, cfg.server_name or "localhost"]
        command = "python3 -c " + shlex.quote(HANDSHAKE) + " " + " ".join(shlex.quote(arg) for arg in args)
        return json.loads(host.check_output(command))

    return run


def https_url(cfg, path=""):
    return f"https://127.0.0.1:{cfg.tls_port}{cfg.mount_path}{path}"


def same_certificate(first_pem, second_pem):
    return x509.load_pem_x509_certificate(first_pem.encode()) == x509.load_pem_x509_certificate(second_pem.encode())


def test_https_serves_the_app_from_the_same_daemons(cfg, http_get):
    over_tls = json.loads(http_get(https_url(cfg), cfg.server_name or None)[1])
    over_http = json.loads(http_get(cfg.url, cfg.server_name or None)[1])

    assert over_tls["process_group"] == over_http["process_group"] == cfg.process_group
    assert over_tls["user"] == cfg.user


def test_generated_certificate_is_served_and_its_key_kept_private(host, cfg, handshake):
    certificate = host.file(f"/etc/apache2/tls/{cfg.site_name}.crt")
    key = host.file(f"/etc/apache2/tls/{cfg.site_name}.key")
    assert host.file("/etc/apache2/tls").mode == 0o700
    assert (key.user, key.group, key.mode) == ("root", "root", 0o600)

    served = handshake()["certificate"]
    assert same_certificate(served, certificate.content_string)
    parsed = x509.load_pem_x509_certificate(certificate.content_string.encode())
    names = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [cfg.server_name]


def test_tls_1_3_is_accepted(handshake):
    assert handshake()["version"] == "TLSv1.3"


@pytest.mark.parametrize("version", ["TLSv1", "TLSv1_1"])
def test_tls_1_0_and_1_1_are_refused(handshake, version):
    # The client offers only that version, with every cipher at security
    # level 0, so that only the server's protocol settings can refuse it.
    result = handshake(version, "ALL", lowest=version)
    assert "protocol version" in result.get("error", "") or "unsupported protocol" in result.get("error", ""), result


@pytest.mark.parametrize(
    ("cipher", "accepted"),
    [
        ("ECDHE-ECDSA-AES128-GCM-SHA256", True),
        ("ECDHE-ECDSA-AES256-GCM-SHA384", True),
        # In Mozilla's intermediate suite, left out by flask_wsgi_tls_ciphers (molecule.yml).
        ("ECDHE-ECDSA-CHACHA20-POLY1305", False),
        # CBC and SHA-1: in Debian's default suite, not in Mozilla's intermediate one.
        ("ECDHE-ECDSA-AES128-SHA", False),
        ("ECDHE-ECDSA-AES256-SHA384", False),
    ],
)
def test_tls_1_2_offers_only_the_ciphers_flask_wsgi_tls_ciphers_names(handshake, cipher, accepted):
    result = handshake("TLSv1_2", cipher)
    if accepted:
        assert (result.get("version"), result.get("cipher")) == ("TLSv1.2", cipher)
    else:
        assert "handshake failure" in result.get("error", ""), result


def test_hsts_is_sent_over_https_only(host, cfg):
    over_tls = response_headers(host, https_url(cfg), cfg.server_name or None)
    over_http = response_headers(host, cfg.url, cfg.server_name or None)
    assert f"Strict-Transport-Security: max-age={cfg.tls_hsts_max_age}" in over_tls
    assert "Strict-Transport-Security" not in over_http


def self_signed_pair(common_name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def given_pair(host, name, certificate, key):
    """Put a certificate and key on the host, as an admin or an ACME client
    would; returns the role variables that name them."""
    host.check_output(
        f"install -d -m 0700 {GIVEN_DIR} && printf %s {shlex.quote(certificate)} >{GIVEN_DIR}/{name}.crt"
        f" && (umask 077; printf %s {shlex.quote(key)} >{GIVEN_DIR}/{name}.key)"
    )
    return {
        "flask_wsgi_tls_certificate_file": f"{GIVEN_DIR}/{name}.crt",
        "flask_wsgi_tls_key_file": f"{GIVEN_DIR}/{name}.key",
    }


def test_given_certificate_with_redirect(host, cfg, converge, handshake, http_get):
    certificate, key = self_signed_pair(cfg.server_name)
    given = given_pair(host, "site", certificate, key) | {"flask_wsgi_tls_redirect": True}

    changed = converge("-e", json.dumps(given))

    assert "vhost" in changed
    assert "module:rewrite" in changed
    assert "tls_key" not in changed
    assert "tls_certificate" not in changed
    assert same_certificate(handshake()["certificate"], certificate)
    assert handshake("TLSv1_2", "ECDHE-RSA-AES128-GCM-SHA256")["version"] == "TLSv1.2"
    # With an RSA key the server could agree on RSA key exchange, which has
    # no forward secrecy: the settings must refuse it, AEAD or not.
    for cipher in ("AES128-GCM-SHA256", "AES256-GCM-SHA384"):
        assert "handshake failure" in handshake("TLSv1_2", cipher).get("error", ""), cipher
    assert json.loads(http_get(https_url(cfg), cfg.server_name or None)[1])["process_group"] == cfg.process_group
    headers = response_headers(host, f"{cfg.url}/some/page?q=1", cfg.server_name or None)
    assert headers.splitlines()[0].split()[1] == "301"
    location = f"Location: https://{cfg.server_name}:{cfg.tls_port}{cfg.mount_path}/some/page?q=1"
    assert location in headers.splitlines()


def test_missing_given_certificate_stops_the_run_before_any_change(host, cfg, run_playbook):
    missing = {
        "flask_wsgi_tls_certificate_file": f"{GIVEN_DIR}/missing.crt",
        "flask_wsgi_tls_key_file": f"{GIVEN_DIR}/missing.key",
    }

    rc, report = run_playbook("-e", json.dumps(missing))

    hostname = host.backend.get_hostname()
    assert rc != 0
    assert changed_tasks(report, hostname) == []
    message = failure_message(report, hostname)
    assert f"{GIVEN_DIR}/missing.crt, {GIVEN_DIR}/missing.key" in message


def test_given_key_of_another_certificate_is_refused_before_apache_sees_it(host, cfg, handshake, run_playbook):
    certificate, _ = self_signed_pair(cfg.server_name)
    _, other_key = self_signed_pair(cfg.server_name)
    mismatched = given_pair(host, "odd", certificate, other_key)
    served_before = handshake()["certificate"]

    rc, report = run_playbook("-e", json.dumps(mismatched))

    hostname = host.backend.get_hostname()
    assert rc != 0
    message = failure_message(report, hostname)
    assert "the certificate and key do not belong together" in message
    assert "vhost" not in changed_tasks(report, hostname)
    assert handshake()["certificate"] == served_before

"""Certificates from an ACME server: what a run does about the one certbot
keeps, certbot's command line, its renewal settings and its failures."""

import datetime

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import acme

NOW = 1_800_000_000
WANTED = {
    "cert_name": "wsgi",
    "names": ["www.example.com", "example.com"],
    "directory": "https://acme-v02.api.letsencrypt.org/directory",
    "email": "ops@example.com",
    "webroot": "/var/lib/flask-wsgi-acme/challenges",
    "renew_days": 30,
    "deploy_hook": "systemctl reload apache2",
}


def reading(days_left=60, names=("example.com", "www.example.com"), **renewal):
    settings = {
        "server": WANTED["directory"],
        "renew_before_expiry": "30 days",
        "renew_hook": "systemctl reload apache2",
    }
    settings.update(renewal)
    return {
        "certificate": {
            "exists": True,
            "names": sorted(names),
            "not_after": NOW + days_left * acme.DAY,
            "serial": "a1",
        },
        "renewal": settings,
        "now": NOW,
    }


@pytest.mark.parametrize(
    ("host", "action", "reason"),
    [
        ({"certificate": {"exists": False}, "renewal": {}, "now": NOW}, "issue", "no certificate yet"),
        # A certificate certbot keeps no renewal configuration for is not one it renews.
        (dict(reading(), renewal={}), "issue", "no certificate yet"),
        (
            {"certificate": {"exists": True, "error": "bad PEM"}, "renewal": {"server": "x"}, "now": NOW},
            "issue",
            "bad PEM",
        ),
        (reading(names=["example.com"]), "issue", "names example.com, not example.com, www.example.com"),
        (reading(server="https://acme-staging-v02.api.letsencrypt.org/directory"), "issue", "acme-staging"),
        (reading(days_left=29), "renew", "expires in 29 days, within 30"),
        (reading(days_left=-3), "renew", "expires in 0 days"),
        (reading(renew_before_expiry="10 days"), "configure", "renewal setting"),
        (reading(days_left=30), "none", "valid"),
        (reading(days_left=89), "none", "valid"),
    ],
)
def test_what_a_run_does_about_the_certificate(host, action, reason):
    verdict = acme.decide(WANTED, host)
    assert verdict["action"] == action
    assert reason in verdict["reason"]


def test_the_same_names_in_another_order_or_twice_are_the_same_certificate():
    wanted = dict(WANTED, names=["example.com", "www.example.com", "example.com"])
    assert acme.decide(wanted, reading())["action"] == "none"


def test_certbot_gets_the_challenge_webroot_the_hook_and_every_name():
    command = acme.certbot_command(WANTED, "renew")
    assert command[:2] == ["certbot", "certonly"]
    assert "--non-interactive" in command
    assert command[command.index("--webroot-path") + 1] == WANTED["webroot"]
    assert command[command.index("--cert-name") + 1] == "wsgi"
    assert command[command.index("--server") + 1] == WANTED["directory"]
    assert command[command.index("--deploy-hook") + 1] == "systemctl reload apache2"
    assert "--force-renewal" in command
    assert [command[i + 1] for i, word in enumerate(command) if word == "--domain"] == WANTED["names"]
    assert command[command.index("--email") + 1] == "ops@example.com"


def test_without_an_email_no_address_is_registered():
    command = acme.certbot_command(dict(WANTED, email=""), "issue")
    assert "--register-unsafely-without-email" in command
    assert "--email" not in command


def test_certbot_is_not_called_for_nothing():
    with pytest.raises(ValueError, match="not called to none"):
        acme.certbot_command(WANTED, "none")


RENEWAL = """# renew_before_expiry = 30 days
version = 2.1.0
archive_dir = /etc/letsencrypt/archive/wsgi

# Options used in the renewal process
[renewalparams]
authenticator = webroot
server = https://acme-v02.api.letsencrypt.org/directory
renew_hook = systemctl reload apache2
renew_before_expiry = 5 days
"""


def test_the_renewal_settings_are_read_from_their_sections():
    assert acme.parse_renewal(RENEWAL) == {
        "server": "https://acme-v02.api.letsencrypt.org/directory",
        "renew_hook": "systemctl reload apache2",
    }
    assert acme.parse_renewal(acme.renewal_text(RENEWAL, 45))["renew_before_expiry"] == "45 days"


def test_renew_before_expiry_replaces_certbot_s_example_and_stays_at_the_top():
    text = acme.renewal_text(RENEWAL, 45)
    assert text.splitlines()[0] == "renew_before_expiry = 45 days"
    assert acme.renewal_text(text, 45) == text
    assert acme.renewal_text(text, 30).splitlines()[0] == "renew_before_expiry = 30 days"


def test_renew_before_expiry_goes_before_the_first_section_when_missing():
    text = acme.renewal_text("version = 2.1.0\n[renewalparams]\nserver = x\n", 30)
    assert text == "version = 2.1.0\nrenew_before_expiry = 30 days\n[renewalparams]\nserver = x\n"
    assert acme.renewal_text("", 7) == "renew_before_expiry = 7 days\n"


def test_a_refused_challenge_is_said_with_the_acme_server_s_words():
    output = """Saving debug log to /var/log/letsencrypt/letsencrypt.log
Some challenges have failed.
Certbot failed to authenticate some domains (authenticator: webroot). The Certificate Authority reported these problems:
  Domain: wrong-name.invalid
  Type:   dns
  Detail: During secondary validation: lookup wrong-name.invalid: no such host

  Domain: other.invalid
  Type:   connection

Hint: The Certificate Authority failed to download the temporary challenge files.
Ask for help or search for solutions at https://community.letsencrypt.org.
"""
    assert acme.failure_detail(output) == (
        "wrong-name.invalid: During secondary validation: lookup wrong-name.invalid: no such host; "
        "other.invalid: connection"
    )


def test_another_failure_is_said_with_certbot_s_last_lines():
    output = "Saving debug log to /x.log\nAn unexpected error occurred:\nConnection refused\nAsk for help or search\n"
    assert acme.failure_detail(output) == "An unexpected error occurred: Connection refused"
    assert acme.failure_detail("") == "certbot said nothing"


def test_a_certificate_is_read_for_its_names_expiry_and_serial(tmp_path):
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.example.com")])
    not_after = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)  # noqa: UP017
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0xABC)
        .not_valid_before(datetime.datetime(2029, 1, 1, tzinfo=datetime.timezone.utc))  # noqa: UP017
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("www.example.com"), x509.DNSName("example.com")]), False
        )
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "fullchain.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    assert acme.read_certificate(str(path)) == {
        "exists": True,
        "names": ["example.com", "www.example.com"],
        "not_after": int(not_after.timestamp()),
        "serial": "abc",
        "issuer": "CN=www.example.com",
    }
    assert acme.read_certificate(str(tmp_path / "missing.pem")) == {"exists": False}
    (tmp_path / "broken.pem").write_text("not a certificate")
    assert acme.read_certificate(str(tmp_path / "broken.pem"))["exists"] is True
    assert "error" in acme.read_certificate(str(tmp_path / "broken.pem"))


def test_behind_a_proxy_certbot_answers_on_its_own_local_port():
    command = acme.certbot_command(dict(WANTED, webroot=None, standalone_port=8402), "issue")
    assert "--webroot" not in command
    start = command.index("--standalone")
    assert command[start : start + 5] == ["--standalone", "--http-01-address", "127.0.0.1", "--http-01-port", "8402"]

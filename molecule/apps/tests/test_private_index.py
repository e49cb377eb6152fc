"""pip installs the requirements from a private index whose certificate a
private CA signed: it fails without the CA bundle and works with it
(flask_wsgi_pip_index_url, flask_wsgi_pip_ca_bundle, flask_wsgi_pip_extra_args).

The index is a static `simple/` tree served over HTTPS on the host's own
loopback address, by a server this test starts; the CA, the server's
certificate and the one package in the index are made here."""

import base64
import datetime
import hashlib
import io
import json
import shlex
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SOURCE = Path(__file__).resolve().parents[1] / "files" / "echo"
# The virtualenv of the release served.
VENV = "/var/www/flaskapp/current/.flask_wsgi_venv"
INDEX_DIR = "/srv/private-index"
PORT = 9443
# The index's own name, which the host resolves to its loopback address.
INDEX_HOST = "pypi.internal.test"
INDEX_URL = f"https://{INDEX_HOST}:{PORT}/simple/"
PIP_TASK = "Install the requirements into a virtualenv of their own"
SERVER = f"""
import functools, http.server, ssl
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="{INDEX_DIR}/www")
server = http.server.ThreadingHTTPServer(("127.0.0.1", {PORT}), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain("{INDEX_DIR}/server.crt", "{INDEX_DIR}/server.key")
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""


def pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def certificate(subject, issuer, public_key, signing_key, extensions):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def private_ca_and_server_pair():
    """A CA of our own, and a key and certificate for INDEX_HOST it signed."""
    # With the extensions Python 3.13's strict verification asks for.
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate(
        "flask-wsgi test CA",
        "flask-wsgi test CA",
        ca_key.public_key(),
        ca_key,
        [
            (x509.BasicConstraints(ca=True, path_length=None), True),
            (x509.KeyUsage(False, False, False, False, False, True, True, False, False), True),
            (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
        ],
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = certificate(
        INDEX_HOST,
        "flask-wsgi test CA",
        server_key.public_key(),
        ca_key,
        [
            (x509.SubjectAlternativeName([x509.DNSName(INDEX_HOST)]), False),
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (x509.KeyUsage(True, False, False, False, False, False, False, False, False), True),
            (x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), False),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False),
        ],
    )
    return ca, server, pem(server_key)


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel(name, version):
    """A pure-Python wheel of module NAME (its distribution name with - as _)."""
    module = name.replace("-", "_")
    info = f"{module}-{version}.dist-info"
    files = {
        f"{module}/__init__.py": f'VERSION = "{version}"\n'.encode(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: flask-wsgi-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return f"{module}-{version}-py3-none-any.whl", buffer.getvalue()


def put(host, path, data):
    encoded = base64.b64encode(data).decode()
    host.check_output(f"install -d {shlex.quote(str(Path(path).parent))} && echo {encoded} | base64 -d > {path}")


@pytest.fixture(scope="module")
def private_index(host, tmp_path_factory):
    """Serves a private index with echo-private 1.0 on the host; returns the
    path of its CA's certificate on the controller."""
    ca, server_certificate, server_key = private_ca_and_server_pair()
    ca_path = tmp_path_factory.mktemp("private-ca") / "ca.pem"
    ca_path.write_bytes(ca)
    wheel_name, wheel_data = wheel("echo-private", "1.0")
    digest = hashlib.sha256(wheel_data).hexdigest()
    page = f'<html><body><a href="../../files/{wheel_name}#sha256={digest}">{wheel_name}</a></body></html>\n'
    put(host, f"{INDEX_DIR}/www/files/{wheel_name}", wheel_data)
    put(host, f"{INDEX_DIR}/www/simple/echo-private/index.html", page.encode())
    put(host, f"{INDEX_DIR}/server.crt", server_certificate)
    put(host, f"{INDEX_DIR}/server.key", server_key)
    host.check_output(f"grep -q ' {INDEX_HOST}$' /etc/hosts || echo '127.0.0.1 {INDEX_HOST}' >> /etc/hosts")
    host.check_output(f"systemd-run --unit flask-wsgi-private-index python3 -c {shlex.quote(SERVER)}")
    for _ in range(30):
        if host.run(f"curl -sSk -o /dev/null {INDEX_URL}echo-private/").rc == 0:
            break
        time.sleep(0.5)
    yield ca_path
    host.run("systemctl stop flask-wsgi-private-index")


@pytest.fixture
def release_from_private_index(tmp_path):
    """The echo application, requiring the private index's package."""
    release = tmp_path / "echo"
    shutil.copytree(SOURCE, release)
    (release / "requirements.txt").write_text("echo-private==1.0\n")
    return release


def pip_result(report, hostname):
    """The result of the deploy's pip task."""
    return next(
        task["hosts"][hostname]
        for play in report["plays"]
        for task in play["tasks"]
        if task["task"]["name"].endswith(PIP_TASK) and hostname in task["hosts"]
    )


def test_pip_refuses_the_private_index_without_its_ca(
    host, cfg, private_index, release_from_private_index, run_playbook
):
    settings = {
        "flask_wsgi_app_src": str(release_from_private_index),
        "flask_wsgi_pip_index_url": INDEX_URL,
        "flask_wsgi_pip_ca_bundle": "",
        "flask_wsgi_pip_extra_args": ["--retries=0", "--timeout=10"],
    }
    rc, report = run_playbook("-e", json.dumps(settings))

    hostname = host.backend.get_hostname()
    assert rc != 0
    result = pip_result(report, hostname)
    assert result.get("failed"), result
    assert result["cmd"][2:4] == ["--retries=0", "--timeout=10"]
    assert "CERTIFICATE_VERIFY_FAILED" in json.dumps(result)
    assert host.run(f"{VENV}/bin/python -c 'import echo_private'").rc != 0
    # The failed deploy was rolled back: the application still answers.
    assert host.run(f"curl -sS -f -o /dev/null {cfg.url}/").rc == 0


def test_pip_installs_from_the_private_index_with_its_ca(
    host, private_index, release_from_private_index, converge, http_get, cfg
):
    settings = {
        "flask_wsgi_app_src": str(release_from_private_index),
        "flask_wsgi_pip_index_url": INDEX_URL,
        "flask_wsgi_pip_ca_bundle": str(private_index),
    }
    changed = converge("-e", json.dumps(settings))

    assert PIP_TASK in changed
    installed = host.check_output(f"{VENV}/bin/python -c 'import echo_private; print(echo_private.__file__)'")
    assert installed.startswith(f"{VENV}/lib/python3")
    assert host.file("/var/lib/flask_wsgi/wsgi/pip-ca-bundle.pem").content == private_index.read_bytes()
    status, _ = http_get(f"{cfg.url}/")
    assert status == 200

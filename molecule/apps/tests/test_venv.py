"""The application's requirements live in a virtualenv built with the
python3 mod_wsgi embeds, and the daemons run inside it."""

import json

import pytest

VENV = "/var/www/flaskapp-venv"


@pytest.fixture(scope="module")
def app_env(http_get, cfg):
    status, body = http_get(f"{cfg.url}/env")
    assert status == 200, body
    return json.loads(body)


def test_daemons_run_in_the_virtualenv(app_env):
    assert app_env["prefix"] == VENV


def test_requirements_come_from_the_virtualenv(app_env):
    assert app_env["humanize"].startswith(f"{VENV}/lib/python3")


def test_debian_packages_stay_visible(app_env):
    assert app_env["flask"].startswith("/usr/lib/python3/dist-packages/")


def test_virtualenv_uses_the_python_mod_wsgi_embeds(host):
    config = host.file(f"{VENV}/pyvenv.cfg").content_string
    assert "home = /usr/bin" in config
    assert "include-system-site-packages = true" in config


def test_virtualenv_is_root_owned(host):
    venv = host.file(VENV)
    assert (venv.user, venv.group) == ("root", "root")
    assert not venv.mode & 0o022


def test_vhost_points_the_daemons_at_the_virtualenv(host, cfg):
    daemon_line = next(
        line for line in host.file(cfg.vhost_path).content_string.splitlines() if "WSGIDaemonProcess" in line
    )
    assert f"python-home={VENV}" in daemon_line.split()


def test_pip_trusted_the_supplied_ca_bundle(host):
    bundle = host.file("/var/lib/flask_wsgi/wsgi/pip-ca-bundle.pem")
    assert bundle.is_file
    assert "BEGIN CERTIFICATE" in bundle.content_string

"""What the server tells and serves: nothing beyond the application."""

import posixpath
import shlex

import pytest

HARDENING_CONF = "zz-flask-wsgi-hardening"


def response_headers(host, cfg, method="GET", path=None):
    url = f"http://127.0.0.1:{cfg.port}{path if path is not None else cfg.mount_path}"
    host_header = f"-H {shlex.quote('Host: ' + cfg.server_name)} " if cfg.server_name else ""
    raw = host.check_output(f"curl -sS -X {method} {host_header}-D - -o /dev/null {shlex.quote(url)}")
    status_line, *lines = raw.splitlines()
    headers = dict(line.split(": ", 1) for line in lines if ": " in line)
    return int(status_line.split()[1]), headers


def test_responses_carry_nosniff(host, cfg):
    _, headers = response_headers(host, cfg)
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_server_header_names_no_version(host, cfg):
    _, headers = response_headers(host, cfg)
    if cfg.hardening:
        assert headers["Server"] == "Apache"
    else:
        assert headers["Server"].startswith("Apache/2.4")


def test_error_pages_carry_no_signature(http_get, cfg):
    status, body = http_get(f"http://127.0.0.1:{cfg.port}/no-such-page", cfg.server_name or None)
    assert status == 404
    assert "Server at" not in body
    assert "Apache/" not in body


def test_trace_is_refused(host, cfg):
    status, _ = response_headers(host, cfg, method="TRACE")
    assert status == 405


def test_hardening_conf_state(host, cfg):
    enabled = host.run(f"a2query -c {HARDENING_CONF}").rc == 0
    assert enabled is cfg.hardening
    if cfg.hardening:
        content = host.file(f"/etc/apache2/conf-available/{HARDENING_CONF}.conf").content_string
        for line in ("ServerTokens Prod", "ServerSignature Off", "TraceEnable Off", "WSGIRestrictEmbedded On"):
            assert line in content


def test_autoindex_state(host, cfg):
    enabled = host.run("a2query -m autoindex").rc == 0
    assert enabled is not cfg.disable_autoindex


def test_status_page_only_when_asked_for(host, cfg, http_get):
    """Debian enables mod_status; the role keeps it off unless asked."""
    assert (host.run("a2query -m status").rc == 0) is cfg.status
    status, body = http_get(f"http://127.0.0.1:{cfg.port}{cfg.status_path}?auto", cfg.server_name or None)
    if cfg.status:
        assert status == 200
        assert "ServerUptimeSeconds:" in body
    else:
        assert "ServerUptimeSeconds" not in body


def test_document_root_is_empty(host, cfg):
    assert host.file(cfg.document_root).listdir() == []


def test_no_directory_is_listed(http_get, cfg):
    status, body = http_get(f"http://127.0.0.1:{cfg.port}/", cfg.server_name or None)
    assert status in (403, 404)
    assert "Index of" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/{script}",
        "/{app_base}/{script}",
        "/../{app_base}/{script}",
        "{mount}/../{app_base}/{script}",
        "/{app_base}/",
    ],
)
def test_code_is_never_served_as_text(host, cfg, path):
    url_path = path.format(
        script=cfg.script_name,
        app_base=posixpath.basename(cfg.app_dir),
        mount=cfg.mount_path.rstrip("/"),
    )
    url = f"http://127.0.0.1:{cfg.port}{url_path}"
    host_header = f"-H {shlex.quote('Host: ' + cfg.server_name)} " if cfg.server_name else ""
    body = host.check_output(f"curl -sS --path-as-is {host_header}{shlex.quote(url)}")
    assert "def application" not in body
    assert "import" not in body


def test_no_configuration_is_world_writable(host, cfg):
    found = host.check_output(f"find /etc/apache2 {cfg.app_dir} {cfg.document_root} -perm -o+w ! -type l -print")
    assert found == ""


def test_known_good_copy_is_root_only(host, cfg):
    saved = host.file(f"{cfg.state_dir}/{cfg.site_name}")
    assert (saved.user, saved.mode) == ("root", 0o700)
    for name in saved.listdir():
        copy = host.file(f"{cfg.state_dir}/{cfg.site_name}/{name}")
        assert (copy.user, copy.mode) == ("root", 0o600)
    assert (
        host.file(f"{cfg.state_dir}/{cfg.site_name}/site.conf").content_string
        == host.file(cfg.vhost_path).content_string
    )

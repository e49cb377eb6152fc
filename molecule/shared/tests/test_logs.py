"""The vhost logs to files of its own, which Debian's logrotate rotates."""

import uuid

import pytest

from conftest import directive

VERBOSE_LEVELS = ("info", "debug", "trace")


def site_log(cfg, kind):
    return f"/var/log/apache2/{cfg.site_name}-{kind}.log"


def test_vhost_logs_to_its_own_files(host, cfg):
    content = host.file(cfg.vhost_path).content_string

    assert directive(content, "ErrorLog") == [f"${{APACHE_LOG_DIR}}/{cfg.site_name}-error.log"]
    assert directive(content, "CustomLog") == [f"${{APACHE_LOG_DIR}}/{cfg.site_name}-access.log", "combined"]
    assert directive(content, "LogLevel") == cfg.log_level.split()


def test_requests_are_logged_to_the_site_access_log(host, cfg, http_get):
    marker = uuid.uuid4().hex
    http_get(f"{cfg.url}?log-probe={marker}")

    assert marker in host.file(site_log(cfg, "access")).content_string


def test_daemon_messages_go_to_the_site_error_log(host, cfg):
    base, *modules = cfg.log_level.split()
    wsgi_level = dict(pair.split(":", 1) for pair in modules).get("wsgi", base)
    if not wsgi_level.startswith(VERBOSE_LEVELS):
        pytest.skip(f"mod_wsgi logs at {wsgi_level}: no info messages to look for")
    assert "[wsgi:info]" in host.file(site_log(cfg, "error")).content_string


def test_logrotate_covers_the_site_logs(host, cfg):
    rotated = host.file("/etc/logrotate.d/apache2").content_string

    assert "/var/log/apache2/*.log" in rotated

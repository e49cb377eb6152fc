"""HTTPS with every default (port 443, a generated certificate, the
redirect) turned on for a deployed site, then off again."""

import json

from conftest import changed_tasks, response_headers


def test_https_on_then_off(host, cfg, http_get, run_playbook):
    hostname = host.backend.get_hostname()

    rc, report = run_playbook("-e", json.dumps({"flask_wsgi_tls_enabled": True}))

    assert rc == 0, report["stats"]
    assert {"tls_key", "tls_certificate"} <= set(changed_tasks(report, hostname))
    assert "Apache restarted" in changed_tasks(report, hostname)
    redirect = response_headers(host, f"{cfg.url}/page?x=1").splitlines()
    assert redirect[0].split()[1] == "301"
    assert "Location: https://127.0.0.1/app/page?x=1" in redirect
    assert http_get(f"https://127.0.0.1{cfg.mount_path}") == (200, "hello world!")

    rc, report = run_playbook()

    assert rc == 0, report["stats"]
    assert "vhost" in changed_tasks(report, hostname)
    assert "SSLEngine" not in host.file(cfg.vhost_path).content_string
    assert http_get(cfg.url) == (200, "hello world!")

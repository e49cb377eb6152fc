"""Values at the edges of what validation accepts are values Apache accepts:
each set is deployed (the role runs configtest before any reload), Apache's
configuration passes configtest afterwards, and the application answers."""

import json

import pytest

EDGE_VALUES = [
    {
        "flask_wsgi_server_name": "a-b.c0.example",
        "flask_wsgi_server_aliases": ["example.test", "*.example.test", "x1.example.test"],
        "flask_wsgi_mount_path": "/",
        # The status page is not swallowed by an application mounted at /.
        "apache_server_status": True,
    },
    {
        "flask_wsgi_mount_path": "/~user/v1.2_x-y",
        "flask_wsgi_process_group": "a.b_c-d",
        "flask_wsgi_display_name": "x",
        "flask_wsgi_application_group": "%{RESOURCE}",
        "flask_wsgi_umask": "077",
        "flask_wsgi_log_level": "trace8 wsgi:emerg headers:debug core:info",
    },
    {
        "flask_wsgi_processes": 1,
        "flask_wsgi_threads": 1000,
        "flask_wsgi_request_timeout": 86400,
        "flask_wsgi_queue_timeout": 0,
        "flask_wsgi_graceful_timeout": 86400,
        "flask_wsgi_startup_timeout": 0,
        "flask_wsgi_port": 65535,
    },
]


@pytest.mark.parametrize("values", EDGE_VALUES, ids=["names", "paths-and-levels", "numbers"])
def test_accepted_edge_values_pass_apache_configtest(host, converge, http_get, values):
    converge("-e", json.dumps(values))

    assert host.run("apache2ctl configtest").rc == 0
    port = values.get("flask_wsgi_port", 80)
    mount = values.get("flask_wsgi_mount_path", "/app").rstrip("/")
    status, body = http_get(f"http://127.0.0.1:{port}{mount}/", values.get("flask_wsgi_server_name") or None)
    assert (status, body) == (200, "hello world!")
    if values.get("apache_server_status"):
        status, body = http_get(f"http://127.0.0.1:{port}/server-status?auto", values.get("flask_wsgi_server_name"))
        assert status == 200
        assert "ServerUptimeSeconds:" in body

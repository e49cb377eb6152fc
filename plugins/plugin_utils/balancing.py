# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Where HAProxy reaches a backend host, and whether it would answer
HAProxy with a redirect. Plain Python, unit-tested."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth


def backend_address(name: str, variables: Mapping[str, Any]) -> str:
    """The address of backend host NAME, whose variables are VARIABLES: its
    haproxy_lb_backend_address, else its ansible_host, else its name."""
    return str(variables.get("haproxy_lb_backend_address") or variables.get("ansible_host") or name)


def redirects_plain_http(variables: Mapping[str, Any], backend_port: int | str) -> bool:
    """Whether a backend host with VARIABLES answers HAProxy's plain HTTP on
    BACKEND_PORT with a redirect to HTTPS: flask_wsgi's HTTPS on, with its
    redirect (on by default), on that port (flask_wsgi_port, 80 by default)."""
    port = str(variables.get("flask_wsgi_port", 80))
    return (
        truth(variables.get("flask_wsgi_tls_enabled", False))
        and truth(variables.get("flask_wsgi_tls_redirect", True))
        and port == str(backend_port)
    )


def redirecting_backends(names: Iterable[str], hostvars: Mapping[str, Any], backend_port: int | str) -> list[str]:
    """The backend hosts among NAMES (whose variables are in HOSTVARS) that
    redirect HAProxy's requests: behind HAProxy, a loop."""
    return [name for name in names if redirects_plain_http(hostvars.get(name, {}), backend_port)]


def out_of_rotation(reading: Mapping[str, Any]) -> list[str]:
    """The backend servers any load balancer has out of rotation, once
    each, from READING: the registered result of the haproxy_lb role's
    read_rotation entry point (one script run per load balancer, a server
    name a line); an unset or skipped reading names none."""
    names: list[str] = []
    for result in (reading or {}).get("results") or []:
        names += [line for line in result.get("stdout_lines") or [] if line and line not in names]
    return names

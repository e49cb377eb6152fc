# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Where HAProxy reaches a backend host. Plain Python, unit-tested."""


def backend_address(name, variables):
    """The address of backend host NAME, whose variables are VARIABLES: its
    haproxy_lb_backend_address, else its ansible_host, else its name."""
    return variables.get("haproxy_lb_backend_address") or variables.get("ansible_host") or name

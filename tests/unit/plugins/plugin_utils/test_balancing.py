"""Where HAProxy reaches a backend host."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.balancing import backend_address


@pytest.mark.parametrize(
    ("variables", "address"),
    [
        ({"haproxy_lb_backend_address": "10.0.0.5", "ansible_host": "web1.example.com"}, "10.0.0.5"),
        ({"haproxy_lb_backend_address": "", "ansible_host": "web1.example.com"}, "web1.example.com"),
        ({"ansible_host": "192.0.2.7"}, "192.0.2.7"),
        ({}, "web1"),
    ],
)
def test_the_backend_address_then_ansible_host_then_the_name(variables, address):
    assert backend_address("web1", variables) == address

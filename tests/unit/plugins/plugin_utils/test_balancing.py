"""Where HAProxy reaches a backend host."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import balancing
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


def test_a_backend_redirects_haproxy_only_with_https_and_its_redirect_on_the_port_haproxy_uses():
    hostvars = {
        "web1": {"flask_wsgi_tls_enabled": True},
        "web2": {"flask_wsgi_tls_enabled": "true", "flask_wsgi_tls_redirect": "false"},
        "web3": {"flask_wsgi_tls_enabled": True, "flask_wsgi_port": 8080},
        "web4": {},
        "web5": {"flask_wsgi_tls_enabled": "yes", "flask_wsgi_tls_redirect": "yes", "flask_wsgi_port": "80"},
    }
    assert balancing.redirecting_backends(list(hostvars), hostvars, 80) == ["web1", "web5"]
    assert balancing.redirecting_backends(list(hostvars), hostvars, 8080) == ["web3"]


def test_the_servers_out_of_rotation_are_named_once_from_every_load_balancer():
    reading = {
        "results": [
            {"item": "lb1", "stdout_lines": ["web2", "web3"]},
            {"item": "lb2", "stdout_lines": ["web3", ""]},
        ]
    }
    assert balancing.out_of_rotation(reading) == ["web2", "web3"]
    # Unset (no load balancer), or skipped: none.
    assert balancing.out_of_rotation({}) == []
    assert balancing.out_of_rotation({"skipped": True, "results": []}) == []

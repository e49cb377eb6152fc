"""The cipher settings users can change default to Mozilla's intermediate
configuration (plugin_utils/tls.py), in the roles' defaults and specs."""

from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.tls import INTERMEDIATE

ROLES = Path(__file__).resolve().parents[4] / "roles"


@pytest.mark.parametrize(
    ("role", "variable", "kind"),
    [
        ("flask_wsgi", "flask_wsgi_tls_ciphers", "ciphers"),
        ("haproxy_lb", "haproxy_lb_tls_ciphers", "ciphers"),
        ("haproxy_lb", "haproxy_lb_tls_ciphersuites", "ciphersuites"),
    ],
)
def test_the_cipher_defaults_are_mozilla_s_intermediate(role, variable, kind):
    defaults = yaml.safe_load((ROLES / role / "defaults" / "main.yml").read_text())
    specs = yaml.safe_load((ROLES / role / "meta" / "argument_specs.yml").read_text())
    assert defaults[variable] == INTERMEDIATE[kind]
    assert specs["argument_specs"]["main"]["options"][variable]["default"] == INTERMEDIATE[kind]

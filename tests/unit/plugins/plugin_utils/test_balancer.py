"""What the haproxy_lb role makes of a load balancer, and when HAProxy must
be reloaded."""

from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import balancer

ROLE = Path(__file__).resolve().parents[4] / "roles" / "haproxy_lb"
DEFAULTS = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
BACKENDS = [{"name": "web1", "address": "10.0.0.1"}, {"name": "web2", "address": "web2"}]
CONFIG = "c" * 40


def wanted(**changes):
    return balancer.wanted(dict(DEFAULTS, **{f"haproxy_lb_{k}": v for k, v in changes.items()}), BACKENDS)


def test_plain_http_needs_haproxy_alone_and_names_every_backend():
    plan = wanted()

    assert plan["packages"] == ["haproxy"]
    assert plan["backends"] == BACKENDS
    assert not plan["tls"]["enabled"]
    assert [entry["path"] for entry in plan["read_paths"]] == [
        balancer.CONFIG_FILE,
        balancer.APPLIED_FILE,
        "/etc/haproxy/tls/flaskapp.pem",
        "/etc/haproxy/tls/flaskapp.pem.key",
    ]


def test_https_without_a_certificate_generates_one_under_its_own_name():
    plan = wanted(tls_enabled=True)

    assert plan["packages"] == ["haproxy", "python3-cryptography"]
    assert plan["tls"]["selfsigned"]
    assert plan["tls"]["crt"] == "/etc/haproxy/tls/flaskapp-selfsigned.pem"
    assert plan["tls"]["ciphersuites"][0] == "TLS_AES_128_GCM_SHA256"


def test_acme_links_certbot_s_pair_and_reads_whether_certbot_has_it():
    plan = wanted(tls_enabled=True, tls_acme_enabled=True)

    assert plan["packages"] == ["haproxy", "python3-cryptography", "certbot"]
    assert plan["tls"]["sources"] == [
        "/etc/letsencrypt/live/haproxy-flaskapp/fullchain.pem",
        "/etc/letsencrypt/live/haproxy-flaskapp/privkey.pem",
    ]
    assert plan["read_paths"][-1] == {"path": "/etc/letsencrypt/live/haproxy-flaskapp/fullchain.pem"}
    assert not plan["acme"]["ca_given"]


def paths_of(plan, config=CONFIG, applied=CONFIG, **extra):
    found = {plan["config_file"]: {"exists": True, "checksum": config}}
    if applied:
        found[plan["applied_file"]] = {"exists": True, "checksum": applied}
    found.update(extra)
    return {"paths": found}


def test_a_converged_load_balancer_needs_nothing():
    plan = wanted()
    compared = balancer.compare(plan, paths_of(plan), CONFIG)

    assert compared == {
        "tls_generate": False,
        "certificate_links": [],
        "certificate_changes": False,
        "config_changes": False,
        "reload_needed": False,
    }


def test_a_changed_configuration_is_written_and_reloaded():
    plan = wanted()
    compared = balancer.compare(plan, paths_of(plan), "d" * 40)

    assert compared["config_changes"]
    assert compared["reload_needed"]


@pytest.mark.parametrize("applied", ["", "e" * 40])
def test_a_configuration_haproxy_has_not_loaded_is_reloaded_though_the_file_is_right(applied):
    """A run interrupted after writing the file, before the reload (or a
    first run, with nothing recorded): the next run reloads."""
    plan = wanted()
    compared = balancer.compare(plan, paths_of(plan, applied=applied), CONFIG)

    assert not compared["config_changes"]
    assert compared["reload_needed"]


def test_a_given_pair_not_linked_yet_changes_the_certificate():
    plan = wanted(tls_enabled=True, tls_certificate_file="/etc/ssl/lb.pem", tls_key_file="/etc/ssl/lb.key")
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    linked = {crt: {"exists": True, "type": "link", "target": "/etc/ssl/lb.pem"}}
    compared = balancer.compare(plan, paths_of(plan, **linked), CONFIG)

    assert compared["certificate_links"] == [{"src": "/etc/ssl/lb.key", "dest": key}]
    assert compared["reload_needed"]

    linked[key] = {"exists": True, "type": "link", "target": "/etc/ssl/lb.key"}
    assert not balancer.compare(plan, paths_of(plan, **linked), CONFIG)["reload_needed"]


def test_a_key_link_left_beside_a_certificate_that_holds_its_key_goes():
    plan = wanted(tls_enabled=True, tls_certificate_file="/etc/ssl/both.pem")
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    found = {
        crt: {"exists": True, "type": "link", "target": "/etc/ssl/both.pem"},
        key: {"exists": True, "type": "link", "target": "/etc/ssl/old.key"},
    }

    assert balancer.compare(plan, paths_of(plan, **found), CONFIG)["certificate_links"] == [{"src": "", "dest": key}]


def test_acme_stands_in_a_generated_pair_until_certbot_has_the_certificate():
    plan = wanted(tls_enabled=True, tls_acme_enabled=True)
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    generated = {crt: {"exists": True, "type": "file"}, key: {"exists": True, "type": "file"}}

    waiting = balancer.compare(plan, paths_of(plan, **generated), CONFIG)
    assert waiting["tls_generate"]
    assert not waiting["reload_needed"]

    certbot = {plan["tls"]["sources"][0]: {"exists": True}}
    issued = balancer.compare(plan, paths_of(plan, **generated, **certbot), CONFIG)
    assert not issued["tls_generate"]
    assert len(issued["certificate_links"]) == 2
    assert issued["reload_needed"]


def test_a_missing_generated_pair_is_made_and_loaded():
    plan = wanted(tls_enabled=True)
    compared = balancer.compare(plan, paths_of(plan), CONFIG)

    assert compared["tls_generate"]
    assert compared["certificate_changes"]
    assert compared["reload_needed"]

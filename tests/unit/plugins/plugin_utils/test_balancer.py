"""What the haproxy_lb role makes of a load balancer, and when HAProxy must
be reloaded."""

from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import balancer
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import as_entries, by_name, changed_entries

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
    assert [entry["path"] for entry in plan["read_paths"]] == [balancer.CONFIG_FILE, balancer.APPLIED_FILE]


def test_https_without_a_certificate_generates_one_under_its_own_name():
    plan = wanted(tls_enabled=True)

    assert plan["packages"] == ["haproxy", "python3-cryptography"]
    assert plan["tls"]["selfsigned"]
    assert plan["tls"]["crt"] == "/etc/haproxy/tls/flaskapp-selfsigned.pem"
    assert plan["tls"]["ciphersuites"][0] == "TLS_AES_128_GCM_SHA256"


def test_the_cipher_suites_are_the_user_s():
    plan = wanted(
        tls_enabled=True, tls_ciphers=["ECDHE-RSA-AES256-GCM-SHA384"], tls_ciphersuites=["TLS_AES_256_GCM_SHA384"]
    )
    assert (plan["tls"]["ciphers"], plan["tls"]["ciphersuites"]) == (
        ["ECDHE-RSA-AES256-GCM-SHA384"],
        ["TLS_AES_256_GCM_SHA384"],
    )


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
    found = {
        plan["config_file"]: {"exists": True, "type": "file", "uid": 0, "gid": 0, "mode": "0644", "checksum": config}
    }
    if applied:
        found[plan["applied_file"]] = {
            "exists": True,
            "type": "file",
            "uid": 0,
            "gid": 0,
            "mode": "0600",
            "checksum": applied,
        }
    found.update(extra)
    return {"paths": found}


def changed_by_writes(compared):
    """The names of the entries the writes change: those that differ."""
    return [entry["name"] for entry in compared["registry"] if entry["path"] in compared["differing"]]


def reload_after(compared, started=False):
    """What HAProxy picks up once the differing entries are written."""
    return balancer.apply(
        compared["registry"],
        changed_by_writes(compared),
        compared["wanted_checksums"],
        compared["known_good_checksums"],
        started,
    )


def compare(plan, reading, config=CONFIG):
    return balancer.compare(plan, reading, {"config": config})


def test_a_converged_load_balancer_needs_nothing():
    plan = wanted()
    compared = compare(plan, paths_of(plan))

    assert compared["differing"] == []
    assert compared["forget_applied"] is False
    assert compared["tls_generate"] is False
    assert reload_after(compared) == {"reload": False, "record": False, "systemd_reload": False}


def test_a_changed_configuration_is_written_checked_by_haproxy_and_reloaded():
    plan = wanted()
    compared = compare(plan, paths_of(plan), "d" * 40)

    assert compared["differing"] == [balancer.CONFIG_FILE, balancer.APPLIED_FILE]
    config = by_name(as_entries(compared["registry"]))["config"]
    assert config.validate == "haproxy -c -f %s"
    assert config.known_good == balancer.APPLIED_FILE
    assert reload_after(compared) == {"reload": True, "record": True, "systemd_reload": False}
    # A HAProxy this run started loaded it already: only the copy is kept.
    assert reload_after(compared, started=True) == {"reload": False, "record": True, "systemd_reload": False}


@pytest.mark.parametrize("applied", ["", "e" * 40])
def test_a_configuration_haproxy_has_not_loaded_is_reloaded_though_the_file_is_right(applied):
    """A run interrupted after writing the file, before the reload (or a
    first run, with nothing recorded): the next run reloads."""
    plan = wanted()
    compared = compare(plan, paths_of(plan, applied=applied))

    assert balancer.CONFIG_FILE not in compared["differing"]
    assert reload_after(compared) == {"reload": True, "record": True, "systemd_reload": False}


def test_a_given_pair_not_linked_yet_changes_the_certificate():
    plan = wanted(tls_enabled=True, tls_certificate_file="/etc/ssl/lb.pem", tls_key_file="/etc/ssl/lb.key")
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    directory = {"/etc/haproxy/tls": {"exists": True, "type": "directory", "uid": 0, "gid": 0, "mode": "0700"}}
    linked = {crt: {"exists": True, "type": "link", "target": "/etc/ssl/lb.pem"}}
    compared = compare(plan, paths_of(plan, **directory, **linked))

    assert compared["differing"] == [key]
    assert compared["forget_applied"] is True
    assert reload_after(compared)["reload"] is True

    linked[key] = {"exists": True, "type": "link", "target": "/etc/ssl/lb.key"}
    compared = compare(plan, paths_of(plan, **directory, **linked))
    assert compared["differing"] == []
    assert reload_after(compared)["reload"] is False


def test_a_key_link_left_beside_a_certificate_that_holds_its_key_goes():
    plan = wanted(tls_enabled=True, tls_certificate_file="/etc/ssl/both.pem")
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    found = {
        crt: {"exists": True, "type": "link", "target": "/etc/ssl/both.pem"},
        key: {"exists": True, "type": "link", "target": "/etc/ssl/old.key"},
    }
    compared = compare(plan, paths_of(plan, **found))
    entry = by_name(as_entries(compared["registry"]))["key"]

    assert key in compared["differing"]
    assert (entry.source, entry.present) == ("symlink", False)


def test_acme_stands_in_a_generated_pair_until_certbot_has_the_certificate():
    plan = wanted(tls_enabled=True, tls_acme_enabled=True)
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    owned = {"exists": True, "type": "file", "uid": 0, "gid": 0}
    generated = {crt: dict(owned, mode="0644"), key: dict(owned, mode="0600")}

    waiting = compare(plan, paths_of(plan, **generated))
    assert waiting["tls_generate"]
    assert crt not in waiting["differing"]
    assert reload_after(waiting)["reload"] is False
    # certbot's pair, linked by acme.yml once certbot has it.
    assert [(link["name"], link["origin"]) for link in waiting["acme_links"]] == [
        ("certificate", plan["tls"]["sources"][0]),
        ("key", plan["tls"]["sources"][1]),
    ]

    certbot = {plan["tls"]["sources"][0]: {"exists": True}}
    issued = compare(plan, paths_of(plan, **generated, **certbot))
    assert not issued["tls_generate"]
    assert {crt, key} <= set(issued["differing"])
    assert reload_after(issued)["reload"] is True


def test_a_missing_generated_pair_is_made_and_loaded():
    plan = wanted(tls_enabled=True)
    compared = compare(plan, paths_of(plan))

    assert compared["tls_generate"]
    assert compared["forget_applied"] is True
    assert reload_after(compared)["reload"] is True


def test_certbot_s_ca_and_drop_in_are_written_or_removed_as_asked(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("CA\n")
    plan = wanted(tls_enabled=True, tls_acme_enabled=True, tls_acme_ca_bundle=str(bundle))
    named = by_name(balancer.entries(plan, True))
    assert named["acme_ca"].present
    assert named["acme_ca"].checksum == file_checksum(str(bundle))
    assert "REQUESTS_CA_BUNDLE=/etc/haproxy/tls/acme-ca-bundle.pem" in named["acme_dropin"].origin
    compared = compare(plan, paths_of(plan))
    assert {named["acme_ca"].path, named["acme_dropin"].path} <= set(compared["differing"])
    # Not asked for: both go, and nothing is reloaded for them.
    plan = wanted(tls_enabled=True, tls_acme_enabled=True)
    named = by_name(balancer.entries(plan, True))
    assert not named["acme_ca"].present
    assert not named["acme_dropin"].present
    present = {named["acme_dropin"].path: {"exists": True, "type": "file"}}
    compared = compare(plan, paths_of(plan, **present))
    assert named["acme_dropin"].path in compared["differing"]
    applied = balancer.apply(compared["registry"], ["acme_dropin"], {}, {}, False)
    assert (applied["reload"], applied["systemd_reload"]) == (False, True)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"tls_enabled": True},
        {"tls_enabled": True, "tls_certificate_file": "/etc/ssl/both.pem"},
        {"tls_enabled": True, "tls_acme_enabled": True, "tls_acme_ca_bundle": __file__},
    ],
)
def test_every_entry_is_read_and_has_a_writer(changes):
    """The registry drives the reading and the writes: every path an entry
    names is read, and its kind of writer is a task of the role."""
    plan = wanted(**changes)
    tasks = "".join(path.read_text() for path in (ROLE / "tasks").glob("*.yml"))
    writers = {
        "packages": "flaskwsgi.deploy.apt_packages",
        "files:prepare": "phase: prepare",
        "links": "selectattr('source', 'equalto', 'symlink') | selectattr('present')",
        "generated": "flaskwsgi.deploy.tls_selfsigned",
        "files:deploy": "phase: deploy",
        "files:record": "phase: record",
    }
    read = {entry["path"] for entry in plan["read_paths"]}
    for generate in (False, True):
        for entry in balancer.entries(plan, generate):
            assert entry.path in (plan["packages"] if entry.source == "package" else read)
            assert writers[balancer.writer(entry)] in tasks


def test_the_links_loops_results_lists_name_the_changed_links():
    plan = wanted(tls_enabled=True, tls_certificate_file="/etc/ssl/lb.pem", tls_key_file="/etc/ssl/lb.key")
    compared = compare(plan, paths_of(plan))
    links = [
        {"changed": True, "item": {"name": "certificate"}},
        {"changed": False, "item": {"name": "key"}},
    ]
    changed = changed_entries({"links": links, "unlinked": []})
    assert changed == ["certificate"]
    applied = balancer.apply(compared["registry"], changed, {"config": CONFIG}, {"config": CONFIG}, False)
    assert applied["reload"] is True


def test_a_generated_key_anyone_may_read_is_made_again():
    plan = wanted(tls_enabled=True)
    crt, key = plan["tls"]["crt"], plan["tls"]["key"]
    owned = {"exists": True, "type": "file", "uid": 0, "gid": 0}
    compared = compare(plan, paths_of(plan, **{crt: dict(owned, mode="0644"), key: dict(owned, mode="0644")}))
    assert key in compared["differing"]
    assert crt not in compared["differing"]

"""A run limited by tags to parts of a deploy (plugin_utils/parts.py): what
each role's plan keeps, and what it leaves as it is."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import balancer, parts, plan, server
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import as_entries
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.plugin_utils import test_balancer, test_server
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.plugin_utils.test_plan import (
    CHECKSUMS,
    LAYOUT,
    SCRIPT,
    converged_host,
    values,
)

ALL = ["packages", "app", "tls", "lb"]


@pytest.mark.parametrize(
    ("run", "skip", "chosen"),
    [
        (None, None, ALL),
        (["all"], [], ALL),
        (["tagged"], [], ALL),
        (["app"], [], ["app"]),
        (["app", "tls"], [], ["app", "tls"]),
        (["all"], ["lb"], ["packages", "app", "tls"]),
        (["app"], ["app"], []),
        (["always"], [], []),
        (["untagged"], [], []),
        (["all"], ["all"], []),
        (["packages", "unknown"], ["tls"], ["packages"]),
    ],
)
def test_the_parts_are_the_tags_ansible_selects(run, skip, chosen):
    assert parts.selected(run, skip) == chosen
    assert parts.of_run({"ansible_run_tags": run, "ansible_skip_tags": skip}) == chosen


def flask_plan(chosen, **changes):
    return plan.wanted(values(**changes), LAYOUT, None, SCRIPT, None, chosen)


def test_every_entry_of_the_application_role_belongs_to_one_part():
    wanted = flask_plan(ALL, tls_enabled=True, tls_acme_enabled=True, server_name="www.example.com")
    entries = as_entries(wanted["registry"])
    by_part = {part: {entry.name for entry in entries if entry.part == part} for part in ALL}
    assert {"package:apache2", "package:certbot"} <= by_part["packages"]
    assert {"vhost", "vhost.known_good", "site", "app_dir", "account_mark"} <= by_part["app"]
    assert {"acme_conf", "acme_webroot", "module:alias"} <= by_part["tls"]
    assert not by_part["lb"]
    assert sum(len(names) for names in by_part.values()) == len(entries)
    selfsigned = as_entries(flask_plan(ALL, tls_enabled=True)["registry"])
    assert {entry.name for entry in selfsigned if entry.part == "tls"} == {"tls_dir", "tls_key", "tls_certificate"}


def test_a_run_limited_to_the_packages_reads_and_writes_nothing_else():
    wanted = flask_plan(["packages"], tls_enabled=True)
    assert {entry["part"] for entry in wanted["registry"]} == {"packages"}
    assert wanted["wanted_paths"] == []
    assert wanted["code_trees"] == []
    assert "python3-cryptography" in wanted["all_packages"]


def test_a_run_without_the_application_leaves_its_release_account_and_service_alone():
    full = flask_plan(ALL)
    host = converged_host(full)
    # A new release, a stopped Apache, a missing account: all the
    # application's part.
    host["releases"]["current"] = "0" * 12
    host["service"] = {"active": "inactive", "enabled": "enabled"}
    host["user"] = {"exists": False}
    host["group"] = {"exists": False}
    host["healthcheck"] = {"healthy": False, "status": 502}
    host["packages"]["python3-flask"] = False
    compared = plan.compare(values(), flask_plan(["packages", "tls"]), host, CHECKSUMS)

    assert not compared["release_wanted"]["build"]
    assert not compared["release_wanted"]["switch"]
    assert (compared["group_differs"], compared["user_differs"], compared["service_differs"]) == (False, False, False)
    assert compared["account"]["verdict"] == "leave"
    assert compared["packages_missing"] == ["python3-flask"]
    assert compared["converge_needed"]
    # Everything as it should be but the application: nothing to do.
    host["packages"]["python3-flask"] = True
    assert plan.compare(values(), flask_plan(["packages", "tls"]), host, CHECKSUMS)["converged"]
    # With the application, all of it differs.
    compared = plan.compare(values(), full, host, CHECKSUMS)
    assert compared["release_wanted"]["switch"] or compared["release_wanted"]["build"]
    assert compared["group_differs"]
    assert compared["service_differs"]


def test_a_run_without_tls_asks_no_certificate():
    changes = {"tls_enabled": True, "tls_acme_enabled": True, "server_name": "www.example.com"}
    without = flask_plan(["packages", "app"], **changes)
    assert not {entry["part"] for entry in without["registry"]} & {"tls"}
    compared = plan.compare(values(**changes), without, converged_host(without), CHECKSUMS)
    assert compared["acme_action"] == "none"


def test_the_web_server_role_keeps_its_packages_or_its_state():
    layout = test_server.LAYOUT
    only_packages = server.wanted(test_server.values(), layout, ["packages"])
    assert only_packages["all_packages"] == ["apache2"]
    assert only_packages["registry"] == [entry for entry in only_packages["registry"] if entry["part"] == "packages"]
    stopped = test_server.converged_host(only_packages, service={"active": "inactive", "enabled": "enabled"})
    assert not server.compare(test_server.values(), only_packages, stopped, test_server.CHECKSUMS)["service_differs"]
    without_packages = server.wanted(test_server.values(), layout, ["app"])
    assert without_packages["all_packages"] == []
    assert any(entry["source"] == "module" for entry in without_packages["registry"])


def test_the_load_balancer_keeps_the_parts_the_run_selects():
    values_ = dict(test_balancer.DEFAULTS, haproxy_lb_tls_enabled=True)
    only_tls = balancer.wanted(values_, test_balancer.BACKENDS, ["tls"])
    assert only_tls["packages"] == []
    generated = {entry.name for entry in balancer.entries(only_tls, True)}
    assert generated == {"tls_dir", "certificate", "key"}
    only_lb = balancer.wanted(values_, test_balancer.BACKENDS, ["lb"])
    assert {entry.name for entry in balancer.entries(only_lb, True)} == {"config", "config.known_good"}
    assert [entry["path"] for entry in only_lb["read_paths"]] == [balancer.CONFIG_FILE, balancer.APPLIED_FILE]

"""Server-wide Apache: the wanted state and what a run applies."""

from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import server
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import compare_form

ROLE = Path(__file__).resolve().parents[4] / "roles" / "apache_server"
DEFAULTS = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
LAYOUT = {
    name.removeprefix("__apache_server_"): value
    for name, value in yaml.safe_load((ROLE / "vars" / "Debian.yml").read_text()).items()
}
HARDENING = "h1"
STATUS = "s1"
CHECKSUMS = {"hardening": HARDENING, "status": STATUS}


def values(**changes):
    return dict(DEFAULTS, **{f"apache_server_{k}": v for k, v in changes.items()})


def wanted(**changes):
    return server.wanted(values(**changes), LAYOUT)


def by_path(plan):
    return {entry["path"]: entry for entry in plan["wanted_paths"]}


def modules(plan):
    return [(entry["origin"], entry["present"]) for entry in plan["registry"] if entry["source"] == "module"]


def converged_host(plan, **changes):
    paths = {entry["path"]: {"exists": entry.get("exists", True)} for entry in plan["wanted_paths"]}
    for entry in plan["registry"]:
        if entry["source"] == "template":
            paths[entry["path"]] = {"exists": True, "checksum": CHECKSUMS[entry["name"]]}
    paths[plan["pending_note"]] = {"exists": False}
    host = {
        "paths": paths,
        "differing": [],
        "packages": dict.fromkeys(plan["all_packages"], True),
        "service": {"active": "active", "enabled": "enabled"},
    }
    host.update(changes)
    return host


def compare(host=None, checksum=HARDENING, status_checksum=STATUS, **changes):
    plan = wanted(**changes)
    checksums = {"hardening": checksum, "status": status_checksum}
    return server.compare(values(**changes), plan, host or converged_host(plan), checksums)


def test_the_defaults_keep_event_harden_and_disable_autoindex_and_the_default_site():
    paths = by_path(wanted())
    links = "/etc/apache2/mods-enabled"
    assert paths[f"{links}/mpm_event.load"]["exists"] is True
    assert paths[f"{links}/mpm_worker.load"]["exists"] is False
    assert paths[f"{links}/mpm_prefork.load"]["exists"] is False
    assert paths[f"{links}/autoindex.load"]["exists"] is False
    assert paths["/etc/apache2/conf-enabled/zz-flask-wsgi-hardening.conf"]["exists"] is True
    assert paths["/etc/apache2/conf-available/zz-flask-wsgi-hardening.conf"]["mode"] == "0644"
    assert paths["/etc/apache2/sites-enabled/000-default.conf"]["exists"] is False


def test_the_other_mpms_are_disabled_before_the_chosen_one_is_enabled():
    names = modules(wanted(mpm="worker"))
    assert names[:3] == [("mpm_event", False), ("mpm_prefork", False), ("mpm_worker", True)]


def test_extra_modules_are_enabled():
    assert ("proxy_http", True) in modules(wanted(modules=["proxy_http"]))
    assert by_path(wanted(modules=["proxy_http"]))["/etc/apache2/mods-enabled/proxy_http.load"]["exists"] is True


def test_what_is_turned_off_is_left_alone():
    paths = by_path(wanted(disable_autoindex=False, disable_default_site="false", hardening=False))
    assert "/etc/apache2/mods-enabled/autoindex.load" not in paths
    assert "/etc/apache2/sites-enabled/000-default.conf" not in paths
    assert paths["/etc/apache2/conf-enabled/zz-flask-wsgi-hardening.conf"]["exists"] is False
    assert "/etc/apache2/conf-available/zz-flask-wsgi-hardening.conf" not in paths


def test_a_host_as_it_should_be_needs_nothing():
    facts = compare()
    assert facts["action"] == "none"
    assert facts["deploy_needed"] is False
    assert facts["note"] == ""


def test_a_module_that_differs_needs_a_restart():
    plan = wanted()
    host = converged_host(plan, differing=["/etc/apache2/mods-enabled/autoindex.load"])
    facts = server.compare(values(), plan, host, CHECKSUMS)
    assert facts["action"] == "restart"
    assert facts["note"] == "restart\n"
    # Written first, in the deploy's one managed_files call: its directory, then the note.
    first = facts["writes"]["registry"][:2]
    assert [(entry["name"], entry["source"], entry["mode"]) for entry in first] == [
        ("state_dir", "directory", "0700"),
        ("note", "text", "0600"),
    ]
    assert first[1]["origin"] == "restart\n"
    assert facts["writes"]["differing"][:2] == [first[0]["path"], plan["pending_note"]]
    assert compare()["writes"]["differing"] == []


@pytest.mark.parametrize(
    "path", ["/etc/apache2/conf-enabled/zz-flask-wsgi-hardening.conf", "/etc/apache2/sites-enabled/000-default.conf"]
)
def test_a_configuration_or_site_that_differs_needs_a_reload(path):
    plan = wanted()
    facts = server.compare(values(), plan, converged_host(plan, differing=[path]), CHECKSUMS)
    assert facts["action"] == "reload"


def test_hardening_content_that_differs_is_rewritten_and_reloaded():
    facts = compare(checksum="h2")
    assert facts["differing"] == ["/etc/apache2/conf-available/zz-flask-wsgi-hardening.conf"]
    assert facts["action"] == "reload"


def test_hardening_off_is_not_compared_by_content():
    assert compare(checksum="h2", hardening=False)["action"] == "none"


@pytest.mark.parametrize("left", ["reload", "restart"])
def test_a_note_an_interrupted_run_left_is_applied(left):
    plan = wanted()
    host = converged_host(plan)
    host["paths"][plan["pending_note"]] = {"exists": True, "checksum": server.note(left)[1]}
    facts = server.compare(values(), plan, host, CHECKSUMS)
    assert facts["pending"] == left
    assert facts["action"] == left
    assert facts["deploy_needed"] is True


def test_the_biggest_need_wins():
    plan = wanted()
    host = converged_host(plan, differing=["/etc/apache2/mods-enabled/autoindex.load"])
    host["paths"][plan["pending_note"]] = {"exists": True, "checksum": server.note("reload")[1]}
    assert server.compare(values(), plan, host, CHECKSUMS)["action"] == "restart"


def test_missing_packages_or_a_stopped_service_need_a_deploy():
    plan = wanted()
    assert server.compare(values(), plan, converged_host(plan, packages={"apache2": False}), CHECKSUMS)["deploy_needed"]
    stopped = converged_host(plan, service={"active": "inactive", "enabled": "enabled"})
    assert server.compare(values(), plan, stopped, CHECKSUMS)["service_differs"] is True


def test_only_this_role_s_paths_and_packages_count():
    plan = wanted()
    host = converged_host(plan, differing=["/var/www/flaskapp"])
    host["packages"]["libapache2-mod-wsgi-py3"] = False
    facts = server.compare(values(), plan, host, CHECKSUMS)
    assert facts["differing"] == []
    assert facts["deploy_needed"] is False


def test_the_status_page_is_off_by_default_debian_s_too():
    paths = by_path(wanted())
    assert paths["/etc/apache2/mods-enabled/status.load"]["exists"] is False
    assert paths["/etc/apache2/conf-enabled/zz-flask-wsgi-status.conf"]["exists"] is False
    assert "/etc/apache2/conf-available/zz-flask-wsgi-status.conf" not in paths


def test_the_status_page_on_enables_the_module_and_its_configuration():
    paths = by_path(wanted(status=True))
    assert paths["/etc/apache2/mods-enabled/status.load"]["exists"] is True
    assert paths["/etc/apache2/conf-enabled/zz-flask-wsgi-status.conf"]["exists"] is True
    assert paths["/etc/apache2/conf-available/zz-flask-wsgi-status.conf"]["mode"] == "0644"
    # Listed in apache_server_modules too, it is still one module; listed
    # there alone, the module is on (with Debian's own page) and the role's
    # page is not.
    names = [module[0] for module in modules(wanted(status=True, modules=["status"]))]
    assert names.count("status") == 1
    paths = by_path(wanted(modules=["status"]))
    assert paths["/etc/apache2/mods-enabled/status.load"]["exists"] is True
    assert paths["/etc/apache2/conf-enabled/zz-flask-wsgi-status.conf"]["exists"] is False


def test_a_status_configuration_that_differs_is_rewritten_and_reloaded():
    facts = compare(status_checksum="s2", status=True)
    assert facts["differing"] == ["/etc/apache2/conf-available/zz-flask-wsgi-status.conf"]
    assert facts["action"] == "reload"
    # Off, its content does not matter.
    assert compare(status_checksum="s2")["action"] == "none"


def test_turning_the_status_page_on_restarts_apache_for_the_module():
    plan = wanted(status=True)
    host = converged_host(wanted())
    host["differing"] = [
        "/etc/apache2/mods-enabled/status.load",
        "/etc/apache2/conf-enabled/zz-flask-wsgi-status.conf",
    ]
    assert server.compare(values(status=True), plan, host, CHECKSUMS)["action"] == "restart"


def test_the_applications_that_answered_must_answer_after_a_reload():
    plan = wanted()
    apps = [{"site": "shop", "healthy": True}, {"site": "blog", "healthy": False}, {"site": "off"}]
    facts = server.compare(values(), plan, converged_host(plan, apps=apps), CHECKSUMS)
    assert facts["apps_answering"] == ["shop"]
    assert compare()["apps_answering"] == []


def test_a_configuration_link_that_differs_is_reloaded():
    plan = wanted(hardening=False)
    hardening_link = "/etc/apache2/conf-enabled/zz-flask-wsgi-hardening.conf"
    facts = server.compare(values(hardening=False), plan, converged_host(plan, differing=[hardening_link]), CHECKSUMS)
    assert facts["differing"] == [hardening_link]
    assert facts["action"] == "reload"


@pytest.mark.parametrize("changes", [{}, {"status": True, "mpm": "worker"}, {"hardening": False, "modules": ["ssl"]}])
def test_every_entry_is_compared_and_has_a_writer(changes):
    """The registry drives the comparison and the writes: every entry's
    path is read, and its kind of writer is a task of the role."""
    plan = wanted(**changes)
    tasks = (ROLE / "tasks" / "converge.yml").read_text()
    writers = {
        "packages": "flaskwsgi.deploy.apt_packages",
        "files:deploy": "flaskwsgi.deploy.managed_files",
        "links": "flaskwsgi.deploy.apache_links",
    }
    read = by_path(plan)
    for entry in server.as_entries(plan["registry"]):
        if entry.source == "package":
            assert entry.path in plan["all_packages"]
        else:
            assert read[entry.path] == compare_form(entry)
        assert writers[server.writer(entry)] in tasks
    assert plan["all_packages"] == ["apache2"]

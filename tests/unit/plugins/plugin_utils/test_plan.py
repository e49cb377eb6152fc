"""What flask_wsgi makes of a host: the wanted state, the comparison with a
host reading, and what a run applies."""

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import plan
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.accounts import ownership_mark
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import registry

ROLE = Path(__file__).resolve().parents[4] / "roles" / "flask_wsgi"


def resolve(values):
    """The role's defaults with their simple "{{ flask_wsgi_x }}" references
    worked out, as the play sees them."""
    reference = re.compile(r"\{\{ (flask_wsgi_[a-z_]+) \}\}")
    for _round in range(3):
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = reference.sub(lambda match: str(values[match.group(1)]), value)
    return values


DEFAULTS = resolve(yaml.safe_load((ROLE / "defaults" / "main.yml").read_text()))
LAYOUT = {
    name.removeprefix("__flask_wsgi_"): value
    for name, value in yaml.safe_load((ROLE / "vars" / "Debian.yml").read_text()).items()
}


def values(**changes):
    return dict(DEFAULTS, inventory_hostname="web1", **{f"flask_wsgi_{k}": v for k, v in changes.items()})


SCRIPT = b"def application(environ, start_response): ...\n"


def wanted(**changes):
    return plan.wanted(values(**changes), LAYOUT, None, SCRIPT)


def by_path(paths):
    return {entry["path"]: entry for entry in paths}


# --- wanted ---------------------------------------------------------------


def test_the_defaults_manage_the_role_s_paths_as_root_s():
    paths = by_path(wanted()["wanted_paths"])
    assert paths["/var/www/flaskapp"] == {
        "path": "/var/www/flaskapp",
        "type": "directory",
        "uid": 0,
        "gid": 0,
        "mode": "0755",
    }
    assert paths["/var/lib/flask_wsgi/wsgi"]["mode"] == "0700"
    assert paths["/var/www/flaskapp/releases"]["mode"] == "0755"
    assert paths["/var/www/flaskapp/venvs"]["uid"] == 0
    assert paths["/etc/apache2/sites-available/wsgi.conf"]["type"] == "file"
    assert paths["/var/lib/flask_wsgi/wsgi/site.conf"]["mode"] == "0600"
    assert paths["/etc/apache2/sites-enabled/wsgi.conf"] == {
        "path": "/etc/apache2/sites-enabled/wsgi.conf",
        "exists": True,
    }
    assert paths["/etc/apache2/mods-enabled/wsgi.load"]["exists"] is True
    assert paths["/var/lib/wsgi"] == {
        "path": "/var/lib/wsgi",
        "type": "directory",
        "owner": "wsgi",
        "group": "wsgi",
        "mode": "0750",
    }


def test_every_wanted_path_is_named_once():
    for case in (wanted(), wanted(tls_enabled=True), wanted(user_existing=True, processes=4)):
        paths = [entry["path"] for entry in case["wanted_paths"]]
        assert len(paths) == len(set(paths))


def test_the_default_packages_are_apache_mod_wsgi_and_flask():
    assert wanted()["all_packages"] == ["apache2", "libapache2-mod-wsgi-py3", "python3-flask"]


@pytest.mark.parametrize(
    ("changes", "extra"),
    [
        ({"app_git_repo": "https://git.example/app.git"}, ["git"]),
        ({"requirements_file": "requirements.txt"}, ["python3-venv", "python3-packaging"]),
        ({"extra_packages": ["libpq5"]}, ["libpq5"]),
        ({"tls_enabled": True}, ["python3-cryptography"]),
    ],
)
def test_code_sources_and_https_add_what_they_need(changes, extra):
    assert wanted(**changes)["all_packages"][3:] == extra


def test_server_wide_state_is_not_the_application_s():
    plan_ = wanted()
    assert [entry["name"] for entry in plan_["registry"] if entry["rollback"]] == ["vhost"]
    for path in by_path(plan_["wanted_paths"]):
        assert "hardening" not in path
        assert not path.endswith(("000-default.conf", "autoindex.load", "mpm_event.load"))


def test_an_existing_account_s_home_is_not_managed_and_not_marked():
    paths = by_path(wanted(user_existing=True)["wanted_paths"])
    assert "/var/lib/wsgi" not in paths
    assert paths["/var/lib/flask_wsgi/wsgi/account"]["exists"] is False


@pytest.mark.parametrize(
    ("changes", "modules"),
    [
        ({}, ["wsgi", "headers"]),
        ({"tls_enabled": True}, ["wsgi", "headers", "ssl", "rewrite"]),
        ({"tls_enabled": True, "tls_redirect": False}, ["wsgi", "headers", "ssl"]),
        ({"tls_enabled": "true", "tls_redirect": "false"}, ["wsgi", "headers", "ssl"]),
    ],
)
def test_apache_modules_follow_the_settings(changes, modules):
    assert [module["name"] for module in wanted(**changes)["apache_modules"]] == modules


def test_a_self_signed_pair_is_root_s_with_a_secret_key():
    plan_ = wanted(tls_enabled=True, server_name="app.example.com")
    paths = by_path(plan_["wanted_paths"])
    assert plan_["tls_selfsigned"] is True
    assert paths["/etc/apache2/tls"]["mode"] == "0700"
    assert paths["/etc/apache2/tls/wsgi.crt"]["mode"] == "0644"
    assert paths["/etc/apache2/tls/wsgi.key"]["mode"] == "0600"
    assert plan_["tls_selfsigned_name"] == "app.example.com"
    assert wanted(tls_enabled=True)["tls_selfsigned_name"] == "web1"


def test_a_given_pair_only_has_to_exist():
    plan_ = wanted(tls_enabled=True, tls_certificate_file="/etc/ssl/a.pem", tls_key_file="/etc/ssl/a.key")
    paths = by_path(plan_["wanted_paths"])
    assert plan_["tls_selfsigned"] is False
    assert paths["/etc/ssl/a.pem"] == {"path": "/etc/ssl/a.pem", "exists": True}
    assert paths["/etc/ssl/a.key"] == {"path": "/etc/ssl/a.key", "exists": True}
    assert "/etc/apache2/tls" not in paths


@pytest.mark.parametrize(
    ("changes", "url"),
    [
        ({}, "http://127.0.0.1:80/app/"),
        ({"mount_path": "/", "healthcheck_path": "/health"}, "http://127.0.0.1:80/health"),
        ({"mount_path": "/app/", "healthcheck_path": "ping"}, "http://127.0.0.1:80/app/ping"),
        ({"port": 8080, "tls_enabled": True, "tls_port": 8443}, "https://127.0.0.1:8443/app/"),
    ],
)
def test_the_health_check_asks_the_vhost_that_serves_the_app(changes, url):
    assert wanted(**changes)["healthcheck"]["url"] == url


def test_the_health_check_names_the_server_and_takes_statuses_as_numbers():
    check = wanted(server_name="app.example.com", healthcheck_status_codes=["200", 204])["healthcheck"]
    assert check["headers"] == {"Host": "app.example.com"}
    assert check["status_codes"] == [200, 204]
    assert wanted()["healthcheck"]["headers"] == {}


def test_pip_settings_reach_pip_s_environment():
    assert wanted()["pip_environment"] == {}
    env = wanted(pip_ca_bundle="/tmp/ca.pem", pip_index_url="https://pypi.internal.test/simple")["pip_environment"]
    assert env == {
        "PIP_CERT": "/var/lib/flask_wsgi/wsgi/pip-ca-bundle.pem",
        "PIP_INDEX_URL": "https://pypi.internal.test/simple",
    }


def test_a_code_directory_is_compared_in_its_release(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "flaskapp.wsgi").write_text("left out: the role writes the script\n")
    plan_ = wanted(app_src=str(tmp_path))
    release = plan_["release"]["id"]
    assert re.fullmatch(r"[0-9a-f]{12}", release)
    assert [tree["path"] for tree in plan_["code_trees"]] == [f"/var/www/flaskapp/releases/{release}"]
    files = plan_["code_trees"][0]["files"]
    assert set(files) == {"pkg", "pkg/__init__.py", "flaskapp.wsgi"}
    assert files["flaskapp.wsgi"]["checksum"] == plan_["script_checksum"]
    assert wanted()["code_trees"][0]["files"].keys() == {"flaskapp.wsgi"}


def test_the_release_id_follows_the_code_the_script_and_the_requirements(tmp_path):
    (tmp_path / "app.py").write_text("app = 1\n")
    (tmp_path / "requirements.txt").write_text("humanize==4.12.3\n")
    first = wanted(app_src=str(tmp_path), requirements_file="requirements.txt")["release"]
    assert first == wanted(app_src=str(tmp_path), requirements_file="requirements.txt")["release"]
    assert first["files"][".flask_wsgi_venv"]["type"] == "link"
    (tmp_path / "app.py").write_text("app = 2\n")
    code_change = wanted(app_src=str(tmp_path), requirements_file="requirements.txt")["release"]
    assert code_change["id"] != first["id"]
    # A code change keeps the virtualenv; new requirements get another.
    assert code_change["venv"] == first["venv"]
    (tmp_path / "requirements.txt").write_text("humanize==4.12.2\n")
    assert wanted(app_src=str(tmp_path), requirements_file="requirements.txt")["release"]["venv"] != first["venv"]
    other_index = wanted(app_src=str(tmp_path), requirements_file="requirements.txt", pip_index_url="https://x.test/")
    assert other_index["release"]["venv"] != first["venv"]
    assert plan.wanted(values(), LAYOUT, None, b"other")["release"]["id"] != wanted()["release"]["id"]


def test_a_release_from_git_waits_for_its_commit():
    plan_ = wanted(app_git_repo="https://git.example/app.git")
    assert plan_["release"]["id"] == ""
    assert plan_["code_trees"] == []


def test_mod_wsgi_reaches_everything_through_the_current_link():
    plan_ = wanted(requirements_file="requirements.txt")
    assert plan_["script_path"] == "/var/www/flaskapp/current/flaskapp.wsgi"
    assert plan_["python_home"] == "/var/www/flaskapp/current/.flask_wsgi_venv"
    assert plan_["healthcheck"]["daemons"]["script"] == plan_["script_path"]


def test_the_release_archive_holds_the_code_the_script_and_the_link(tmp_path):
    import tarfile

    source = tmp_path / "src"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "__init__.py").write_text("app = 1\n")
    (source / "run.sh").write_text("#!/bin/sh\n")
    (source / "run.sh").chmod(0o700)
    (source / "requirements.txt").write_text("humanize\n")
    settings = values(app_src=str(source), requirements_file="requirements.txt")
    release = plan.release_plan(settings, SCRIPT)
    path = plan.release_archive(str(tmp_path / "r.tar"), settings, SCRIPT, release["venv"])
    with tarfile.open(path) as archive:
        members = {member.name: member for member in archive.getmembers()}
        assert archive.extractfile("flaskapp.wsgi").read() == SCRIPT
    assert set(members) == {"pkg", "pkg/__init__.py", "run.sh", "requirements.txt", "flaskapp.wsgi", ".flask_wsgi_venv"}
    assert {(m.uid, m.gid) for m in members.values()} == {(0, 0)}
    assert oct(members["run.sh"].mode) == "0o755"
    assert oct(members["pkg"].mode) == "0o755"
    assert oct(members["pkg/__init__.py"].mode) == "0o644"
    assert members[".flask_wsgi_venv"].linkname == f"../../venvs/{release['venv']}"


def test_the_entry_point_script_imports_the_callable_as_application():
    script = plan.entry_point_script("myapp.wsgi:app")
    assert "from myapp.wsgi import app as application\n" in script
    namespace = {}
    exec(compile(script.replace("from myapp.wsgi import app", "app = 42\nfrom math import pi"), "s", "exec"), namespace)
    assert namespace["application"] == 3.141592653589793


def test_full_run_is_read_as_ansible_reads_a_boolean():
    assert wanted(full_run="true")["full_run"] is True
    assert wanted(full_run="no")["full_run"] is False


# --- host ------------------------------------------------------------------


def test_the_daemons_home_is_the_existing_account_s_when_used_as_is():
    host = {"user": {"exists": True, "home": "/srv/svc"}}
    assert plan.daemon_home(values(user_existing=True), host) == "/srv/svc"
    assert plan.daemon_home(values(), host) == "/var/lib/wsgi"


# --- compare ---------------------------------------------------------------

CHECKSUMS = {"vhost": "c1"}


def converged_host(plan_, **changes):
    """A host reading of a host already as PLAN_ wants it."""
    paths = {entry["path"]: {"exists": True} for entry in plan_["wanted_paths"]}
    for entry in plan_["registry"]:
        if entry["source"] == "template":
            paths[entry["path"]]["checksum"] = CHECKSUMS[entry["copy_of"] or entry["name"]]
    paths[plan_["account_mark"]]["checksum"] = ownership_mark("wsgi", 998)[1]
    release = plan_["release"]["id"]
    host = {
        "releases": {
            "current": release,
            "releases": [release],
            "venvs": [],
            "history": [{"id": release, "good": True}],
        },
        "paths": paths,
        "differing": [],
        "packages": dict.fromkeys(plan_["all_packages"], True),
        "user": {"exists": True, "uid": 998, "group": "wsgi", "home": "/var/lib/wsgi", "shell": "/usr/sbin/nologin"},
        "group": {"exists": True},
        "service": {"active": "active", "enabled": "enabled"},
        "healthcheck": {"healthy": True, "status": 200},
        "cpus": 2,
    }
    host.update(changes)
    return host


def compare(host=None, checksums=None, **changes):
    plan_ = wanted(**changes)
    return plan.compare(values(**changes), plan_, host or converged_host(plan_), checksums or CHECKSUMS)


def test_a_host_as_it_should_be_is_converged():
    facts = compare()
    assert facts["converged"] is True
    assert facts["differing"] == []
    assert facts["account"] == {"verdict": "manage", "reason": ""}
    assert facts["known_good_checksums"] == CHECKSUMS


def test_a_file_whose_content_differs_is_differing():
    facts = compare(checksums=dict(CHECKSUMS, **{"vhost": "c2"}))
    assert facts["differing"] == ["/etc/apache2/sites-available/wsgi.conf", "/var/lib/flask_wsgi/wsgi/site.conf"]
    assert facts["converged"] is False


def test_a_path_the_reading_found_differing_is_differing_once():
    plan_ = wanted()
    host = converged_host(plan_, differing=["/etc/apache2/sites-available/wsgi.conf"])
    facts = plan.compare(values(), plan_, host, dict(CHECKSUMS, **{"vhost": "c2"}))
    assert facts["differing"].count("/etc/apache2/sites-available/wsgi.conf") == 1


def test_a_full_run_counts_every_path_as_differing():
    facts = compare(full_run=True)
    assert set(facts["differing"]) == {entry["path"] for entry in wanted()["wanted_paths"]}
    assert facts["packages_missing"] == ["apache2", "libapache2-mod-wsgi-py3", "python3-flask"]
    assert facts["user_differs"]
    assert facts["group_differs"]
    assert facts["service_differs"]
    assert facts["converged"] is False


@pytest.mark.parametrize(
    ("changes", "fact"),
    [
        ({"packages": {"apache2": False}}, "packages_missing"),
        ({"group": {"exists": False}}, "group_differs"),
        ({"user": {"exists": False}}, "user_differs"),
        ({"service": {"active": "inactive", "enabled": "enabled"}}, "service_differs"),
        ({"service": {"active": "active", "enabled": "disabled"}}, "service_differs"),
    ],
)
def test_each_part_that_differs_stops_convergence(changes, fact):
    plan_ = wanted()
    facts = plan.compare(values(), plan_, converged_host(plan_, **changes), CHECKSUMS)
    assert facts[fact]
    assert facts["converged"] is False


@pytest.mark.parametrize("field", ["group", "home", "shell"])
def test_an_account_changed_by_hand_differs(field):
    plan_ = wanted()
    host = converged_host(plan_)
    host["user"][field] = "/other"
    assert plan.compare(values(), plan_, host, CHECKSUMS)["user_differs"] is True


def test_an_existing_account_used_as_is_never_differs():
    plan_ = wanted(user_existing=True)
    host = converged_host(plan_, user={"exists": True, "uid": 1001, "home": "/home/svc", "shell": "/bin/bash"})
    facts = plan.compare(values(user_existing=True), plan_, host, CHECKSUMS)
    assert facts["account"]["verdict"] == "use"
    assert not facts["user_differs"]
    assert not facts["group_differs"]


def test_somebody_s_account_is_refused():
    plan_ = wanted()
    host = converged_host(plan_, user={"exists": True, "uid": 1000, "home": "/home/ann", "shell": "/bin/bash"})
    host["paths"][plan_["account_mark"]] = {"exists": False}
    facts = plan.compare(values(), plan_, host, CHECKSUMS)
    assert facts["account"]["verdict"] == "refuse"
    assert "UID 1000" in facts["account"]["reason"]


def test_the_application_s_record_is_managed_with_its_ports_names_and_health_check():
    plan_ = wanted(tls_enabled=True, server_name="shop.test", server_aliases=["*.shop.test"])
    record = plan_["app_record"]
    assert (record["site"], record["ports"], record["names"]) == ("wsgi", [80, 443], ["shop.test", "*.shop.test"])
    assert record["healthcheck"]["url"] == plan_["healthcheck"]["url"]
    assert record["healthcheck"]["headers"] == {"Host": "shop.test"}
    entry = by_path(plan_["wanted_paths"])["/var/lib/flask_wsgi/wsgi/app.json"]
    assert (entry["uid"], entry["mode"]) == (0, "0600")
    assert entry["checksum"] == plan.text_checksum(plan_["app_record_text"])


def test_an_application_on_another_s_port_with_no_name_is_refused_naming_both():
    plan_ = wanted()
    first = dict(plan_["app_record"], site="first", enabled=True, healthy=True)
    apps = [first, dict(first, site="second", ports=[8080], healthy=False)]
    host = converged_host(plan_, apps=apps, os={"family": "Debian"})
    facts = plan.compare(values(), plan_, host, CHECKSUMS)
    assert facts["apps_answering"] == ["first"]
    refused = plan.refusal(values(), host, facts)
    assert "the site wsgi and the site first (already on the host) would both answer on port 80" in refused
    assert "flask_wsgi_server_name" in refused
    assert "second" not in refused
    named = wanted(server_name="b.test")
    host = converged_host(named, apps=[dict(first, names=["a.test"])])
    facts = plan.compare(values(server_name="b.test"), named, host, CHECKSUMS)
    assert facts["port_conflicts"] == []


def test_an_application_that_does_not_answer_is_not_converged():
    plan_ = wanted()
    facts = plan.compare(values(), plan_, converged_host(plan_, healthcheck={"healthy": False}), CHECKSUMS)
    assert facts["host_healthy"] is False
    assert facts["converged"] is False


def test_without_a_health_check_the_host_counts_as_healthy():
    plan_ = wanted()
    host = converged_host(plan_)
    del host["healthcheck"]
    assert plan.compare(values(), plan_, host, CHECKSUMS)["converged"] is True


def with_releases(host, current, existing, history):
    host["releases"] = {"current": current, "releases": existing, "venvs": [], "history": history}
    return host


def test_a_new_release_is_built_and_switched_to():
    plan_ = wanted()
    new = plan_["release"]["id"]
    host = with_releases(converged_host(plan_), "old", ["old"], [{"id": "old", "good": True}])
    release = plan.compare(values(), plan_, host, CHECKSUMS)["release_wanted"]
    assert (release["id"], release["build"], release["switch"], release["pending"]) == (new, True, True, True)
    assert plan.compare(values(), plan_, host, CHECKSUMS)["converged"] is False


def test_a_release_built_but_never_switched_to_is_built_again():
    plan_ = wanted()
    new = plan_["release"]["id"]
    host = with_releases(converged_host(plan_), "old", ["old", new], [{"id": "old", "good": True}])
    assert plan.compare(values(), plan_, host, CHECKSUMS)["release_wanted"]["build"] is True


def test_a_release_switched_to_but_never_passed_is_pending():
    plan_ = wanted()
    new = plan_["release"]["id"]
    host = with_releases(converged_host(plan_), new, ["old", new], [{"id": "old", "good": True}, {"id": new}])
    facts = plan.compare(values(), plan_, host, CHECKSUMS)
    assert [facts["release_wanted"][key] for key in ("build", "switch", "pending")] == [False, False, True]
    assert facts["converged"] is False


def test_a_release_changed_by_hand_is_built_again():
    plan_ = wanted()
    tree = plan_["code_trees"][0]["path"]
    facts = plan.compare(values(), plan_, converged_host(plan_, differing=[tree]), CHECKSUMS)
    assert facts["release_wanted"]["build"] is True
    assert facts["converged"] is False


def test_a_git_release_is_named_by_its_commit():
    changes = {"app_git_repo": "https://git.example/a.git"}
    plan_ = wanted(**changes)
    commit = "4f2a9c1e0b7d" + "0" * 28
    host = converged_host(plan_, git={"commit": commit, "error": ""})
    release = plan.compare(values(**changes), plan_, host, CHECKSUMS)["release_wanted"]
    assert release["id"].startswith("4f2a9c1e0b7d-")
    assert release["source"] == f"git {commit}"
    with_releases(host, release["id"], [release["id"]], [{"id": release["id"], "good": True}])
    assert plan.compare(values(**changes), plan_, host, CHECKSUMS)["converged"] is True


def test_a_git_version_that_does_not_resolve_is_refused_by_name():
    changes = {"app_git_repo": "https://git.example/a.git", "app_git_version": "v9"}
    plan_ = wanted(**changes)
    host = converged_host(plan_, git={"commit": "", "error": "v9 is no branch or tag"}, os={"family": "Debian"})
    host["packages"]["git"] = True
    facts = plan.compare(values(**changes), plan_, host, CHECKSUMS)
    message = plan.refusal(values(**changes), host, facts)
    assert "flask_wsgi_app_git_version v9" in message
    assert "v9 is no branch or tag" in message
    # Before git is installed, the reading cannot tell: no refusal yet.
    host["packages"]["git"] = False
    assert plan.refusal(values(**changes), host, plan.compare(values(**changes), plan_, host, CHECKSUMS)) == ""


@pytest.mark.parametrize(("asked", "served"), [("previous", "b"), ("good", "a"), ("a", "a")])
def test_a_release_asked_for_is_served_without_a_build(asked, served):
    plan_ = wanted()
    history = [{"id": "a", "good": True}, {"id": "b"}, {"id": "c", "good": False}]
    host = with_releases(converged_host(plan_), "c", ["a", "b", "c"], history)
    release = plan.compare(values(release=asked), plan_, host, CHECKSUMS)["release_wanted"]
    assert (release["id"], release["build"], release["switch"], release["error"]) == (served, False, True, "")


def test_a_release_asked_for_that_is_not_there_is_refused_by_name():
    plan_ = wanted()
    host = with_releases(converged_host(plan_, os={"family": "Debian"}), "a", ["a"], [{"id": "a"}])
    for asked in ("previous", "0badc0de"):
        facts = plan.compare(values(release=asked), plan_, host, CHECKSUMS)
        assert plan.refusal(values(release=asked), host, facts).startswith(f"flask_wsgi: flask_wsgi_release is {asked}")


def test_a_given_certificate_missing_on_the_host_is_named():
    given = {"tls_enabled": True, "tls_certificate_file": "/etc/ssl/a.pem", "tls_key_file": "/etc/ssl/a.key"}
    plan_ = wanted(**given)
    host = converged_host(plan_)
    host["paths"]["/etc/ssl/a.key"] = {"exists": False}
    assert plan.compare(values(**given), plan_, host, CHECKSUMS)["tls_given_missing"] == ["/etc/ssl/a.key"]
    assert compare(tls_enabled=True)["tls_given_missing"] == []


# --- apply -----------------------------------------------------------------

CHANGED, UNCHANGED = {"changed": True}, {"changed": False}


def apply(results=None, wanted_checksums=None, known_good=None, pending=False, **changes):
    return plan.apply_action(
        registry.as_entries(wanted(**changes)["registry"]),
        results or {},
        wanted_checksums or CHECKSUMS,
        CHECKSUMS if known_good is None else known_good,
        pending,
    )


def test_nothing_to_pick_up():
    results = dict.fromkeys(["files", "links", *plan.OTHER_PICK_UPS], UNCHANGED)
    assert apply(results) == "none"


def test_a_module_change_restarts_apache():
    links = {"changed": True, "changed_entries": ["module:wsgi"]}
    assert apply({"links": links}) == "restart"


def test_a_first_deployment_restarts_apache():
    assert apply(known_good=dict(CHECKSUMS, **{"vhost": ""})) == "restart"
    assert apply(known_good={}) == "restart"


@pytest.mark.parametrize(
    "results",
    [
        {"files": {"changed": True, "changed_entries": ["vhost"]}},
        {"links": {"changed": True, "changed_entries": ["site"]}},
        {"tls": {"changed": True, "changed_entries": ["tls_key", "tls_certificate"]}},
        {"tls": {"changed": True, "changed_entries": ["tls_certificate"]}},
    ],
)
def test_a_configuration_change_reloads_apache(results):
    assert apply(results, tls_enabled=True) == "reload"


def test_a_configuration_not_yet_applied_reloads_apache():
    # An interrupted run wrote the vhost, but no deployment with it passed.
    assert apply(known_good=dict(CHECKSUMS, **{"vhost": "c0"})) == "reload"


@pytest.mark.parametrize("name", ["daemon_start", "daemon_recorder", "environment"])
def test_the_daemons_files_restart_the_daemons_only(name):
    assert apply({"files": {"changed": True, "changed_entries": [name]}}, environment={"A": "1"}) == "daemons"


@pytest.mark.parametrize("name", ["release", "unpack"])
def test_new_code_restarts_the_daemons_only(name):
    assert apply({name: CHANGED}) == "daemons"


def test_a_release_not_yet_picked_up_restarts_the_daemons():
    assert apply(pending=True) == "daemons"


def test_the_biggest_need_wins():
    files = {"changed": True, "changed_entries": ["daemon_start", "vhost"]}
    links = {"changed": True, "changed_entries": ["module:wsgi"]}
    assert apply({"links": links, "files": files, "release": CHANGED}) == "restart"
    assert apply({"files": files, "release": CHANGED}) == "reload"


def test_skipped_and_missing_results_count_as_unchanged():
    assert apply({"files": {"skipped": True}, "tls_key": {}}) == "none"


# --- rollback --------------------------------------------------------------


@pytest.mark.parametrize(
    ("disabled", "found", "health", "outcome"),
    [
        (True, False, {"skipped": True}, "disabled"),
        (False, False, {"skipped": True}, "nothing"),
        (False, True, {"skipped": True}, "unchecked"),
        (False, True, {"healthcheck": {"healthy": True}}, "answers"),
        (False, True, {"healthcheck": {"healthy": False}}, "silent"),
    ],
)
def test_the_rollback_says_what_it_came_to(disabled, found, health, outcome):
    assert plan.rollback_outcome(disabled, found, health) == plan.ROLLBACK_OUTCOMES[outcome]


# --- every daemon process ----------------------------------------------------


def test_the_daemons_record_their_loading_beside_the_root_only_state():
    plan_ = wanted()
    paths = by_path(wanted()["wanted_paths"])
    assert plan_["preload"] is True
    assert paths["/var/lib/flask_wsgi"]["mode"] == "0711"
    assert paths["/var/lib/flask_wsgi/wsgi.daemons"] == {
        "path": "/var/lib/flask_wsgi/wsgi.daemons",
        "type": "directory",
        "owner": "wsgi",
        "group": "wsgi",
        "mode": "0700",
    }
    assert paths["/var/lib/flask_wsgi/wsgi.daemons.py"]["mode"] == "0644"
    assert plan_["healthcheck"]["daemons"] == {
        "display_name": "flaskapp",
        "user": "wsgi",
        "processes": "auto",
        "records": "/var/lib/flask_wsgi/wsgi.daemons",
        "script": "/var/www/flaskapp/current/flaskapp.wsgi",
    }


def test_the_rollback_s_check_takes_any_count_of_processes():
    plan_ = wanted(processes=3)
    assert plan_["healthcheck"]["daemons"]["processes"] == "3"
    assert plan_["rollback_healthcheck"]["daemons"]["processes"] == "any"
    assert (
        wanted(application_group="%{SERVER}")["rollback_healthcheck"]
        == wanted(application_group="%{SERVER}")["deploy_healthcheck"]
    )


def test_the_recorder_is_compared_by_content():
    paths = by_path(plan.wanted(values(), LAYOUT, "abc")["wanted_paths"])
    assert paths["/var/lib/flask_wsgi/wsgi.daemons.py"]["checksum"] == "abc"


@pytest.mark.parametrize("group", ["%{SERVER}", "%{RESOURCE}"])
def test_without_the_global_application_group_nothing_is_preloaded(group):
    plan_ = wanted(application_group=group)
    assert plan_["preload"] is False
    assert "daemons" not in plan_["healthcheck"]
    assert "/var/lib/flask_wsgi/wsgi.daemons" not in by_path(plan_["wanted_paths"])


def test_daemons_the_reading_found_unhealthy_are_restarted():
    managed = registry.as_entries(wanted()["registry"])
    assert plan.apply_action(managed, {}, CHECKSUMS, CHECKSUMS, False, daemons_unhealthy=True) == "daemons"
    vhost = {"files": {"changed": True, "changed_entries": ["vhost"]}}
    assert plan.apply_action(managed, vhost, CHECKSUMS, CHECKSUMS, False, daemons_unhealthy=True) == "reload"


def test_only_this_role_s_paths_and_packages_count():
    plan_ = wanted()
    host = converged_host(plan_, differing=["/etc/apache2/mods-enabled/autoindex.load"])
    host["paths"]["/etc/apache2/mods-enabled/autoindex.load"] = {"exists": True}
    host["packages"]["apache2-utils"] = False
    facts = plan.compare(values(), plan_, host, CHECKSUMS)
    assert facts["differing"] == []
    assert facts["packages_missing"] == []
    assert facts["converged"] is True


# --- refusal ---------------------------------------------------------------


def test_a_host_the_role_may_touch_is_not_refused():
    plan_ = wanted()
    host = converged_host(plan_, os={"family": "Debian", "name": "Debian GNU/Linux"})
    assert plan.refusal(values(), host, plan.compare(values(), plan_, host, CHECKSUMS)) == ""


def test_another_system_is_refused_by_name():
    plan_ = wanted()
    host = converged_host(plan_, os={"family": "Red Hat Enterprise Linux", "name": "Rocky Linux"})
    message = plan.refusal(values(), host, plan.compare(values(), plan_, host, CHECKSUMS))
    assert message == "flask_wsgi supports Debian and Ubuntu; web1 runs Rocky Linux."


def test_somebody_s_account_is_refused_naming_the_variable():
    plan_ = wanted()
    host = converged_host(plan_, os={"family": "Debian"})
    host["user"] = {"exists": True, "uid": 1000, "home": "/home/ann", "shell": "/bin/bash"}
    host["paths"][plan_["account_mark"]] = {"exists": False}
    message = plan.refusal(values(), host, plan.compare(values(), plan_, host, CHECKSUMS))
    assert message.startswith("flask_wsgi: flask_wsgi_user names the account wsgi on web1")
    assert "login shell /bin/bash" in message
    assert "flask_wsgi_user_existing" in message


def test_a_given_certificate_missing_is_refused():
    given = {"tls_enabled": True, "tls_certificate_file": "/etc/ssl/a.pem", "tls_key_file": "/etc/ssl/a.key"}
    plan_ = wanted(**given)
    host = converged_host(plan_, os={"family": "Debian"})
    host["paths"]["/etc/ssl/a.pem"] = {"exists": False}
    message = plan.refusal(values(**given), host, plan.compare(values(**given), plan_, host, CHECKSUMS))
    assert message.endswith("missing: /etc/ssl/a.pem.")
    assert "flask_wsgi_tls_certificate_file" in message


# --- environment, removal, failures -------------------------------------------


def test_the_environment_is_the_daemons_group_s_to_read_and_compared_by_content():
    secret = {"SECRET_KEY": "hunter2", "WORKERS": 4}
    paths = by_path(wanted(environment=secret)["wanted_paths"])
    entry = paths["/var/lib/flask_wsgi/wsgi.start.json"]
    assert (entry["uid"], entry["group"], entry["mode"]) == (0, "wsgi", "0640")
    assert entry["checksum"] == hashlib.sha1(b'{"SECRET_KEY": "hunter2", "WORKERS": 4}').hexdigest()
    assert "hunter2" not in json.dumps(wanted(environment=secret))
    assert paths["/var/lib/flask_wsgi/wsgi.start.py"]["mode"] == "0644"
    assert by_path(wanted()["wanted_paths"])["/var/lib/flask_wsgi/wsgi.start.json"] == {
        "path": "/var/lib/flask_wsgi/wsgi.start.json",
        "exists": False,
    }


def test_a_new_environment_restarts_the_daemons_only():
    written = {"changed": True, "changed_entries": ["environment"]}
    assert apply({"files": written}, environment={"A": "1"}) == "daemons"
    assert apply({"files": written}) == "daemons"  # removed


def test_removal_names_what_is_left_and_whether_the_account_is_ours():
    plan_ = wanted()
    removed = [entry["path"] for entry in plan_["removed_paths"]]
    assert removed[0] == "/etc/apache2/sites-enabled/wsgi.conf"
    assert {"/var/www/flaskapp", "/var/www/flaskapp-public", "/var/lib/flask_wsgi/wsgi"} <= set(removed)
    assert "/var/lib/wsgi" not in removed
    assert "/var/lib/flask_wsgi" not in removed
    host = {"paths": {"/var/www/flaskapp": {"exists": True}, plan_["account_mark"]: {"exists": True}}}
    assert plan.removal(plan_, host) == {
        "removing": ["/var/www/flaskapp"],
        "account_is_ours": True,
        "apps_answering": [],
        "lock_seen": 0,
    }
    assert plan.removal(plan_, {"paths": {}}) == {
        "removing": [],
        "account_is_ours": False,
        "apps_answering": [],
        "lock_seen": 0,
    }


def test_the_failure_says_what_the_failed_task_or_command_printed():
    assert plan.failure_text({"msg": "non-zero return code", "stderr": "boom\n"}) == "boom"
    assert plan.failure_text({"msg": "it broke"}) == "it broke"
    looped = {
        "msg": "One or more items failed",
        "results": [
            {"item": "true", "failed": False},
            {"item": "flask db upgrade", "failed": True, "stderr": "", "stdout": "no such table"},
        ],
    }
    assert plan.failure_text(looped) == "flask db upgrade: no such table"
    assert plan.failure_text({}) == "see the error above"


def test_only_a_new_release_takes_the_short_path():
    plan_ = wanted()
    host = with_releases(converged_host(plan_), "old", ["old"], [{"id": "old", "good": True}])
    assert plan.compare(values(), plan_, host, CHECKSUMS)["release_only"] is True
    # The new release's directory, not there yet, differs: it is the release's to build.
    host["differing"] = [plan_["code_trees"][0]["path"]]
    assert plan.compare(values(), plan_, host, CHECKSUMS)["release_only"] is True
    # Anything else differing, an application that does not answer, or a
    # full run takes the full path.
    host["differing"] = ["/var/www/flaskapp"]
    assert plan.compare(values(), plan_, host, CHECKSUMS)["release_only"] is False
    host["differing"] = []
    host["healthcheck"] = {"healthy": False}
    assert plan.compare(values(), plan_, host, CHECKSUMS)["release_only"] is False
    host["healthcheck"] = {"healthy": True}
    assert plan.compare(values(full_run=True), wanted(full_run=True), host, CHECKSUMS)["release_only"] is False
    # Nothing to do at all: neither path.
    assert plan.compare(values(), plan_, converged_host(plan_), CHECKSUMS)["release_only"] is False


def test_only_the_full_path_applies_the_server_wide_changes_too():
    plan_ = wanted()
    host = with_releases(converged_host(plan_), "old", ["old"], [{"id": "old", "good": True}])
    assert plan.compare(values(), plan_, host, CHECKSUMS)["converge_needed"] is False
    host["differing"] = ["/var/www/flaskapp"]
    assert plan.compare(values(), plan_, host, CHECKSUMS)["converge_needed"] is True
    assert plan.compare(values(), plan_, converged_host(plan_), CHECKSUMS)["converge_needed"] is False


def test_a_pip_ca_bundle_is_compared_by_content_when_pip_runs(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    paths = by_path(wanted(pip_ca_bundle=str(bundle), requirements_file="requirements.txt")["wanted_paths"])
    assert (
        paths["/var/lib/flask_wsgi/wsgi/pip-ca-bundle.pem"]["checksum"] == hashlib.sha1(bundle.read_bytes()).hexdigest()
    )
    # With no requirements there is no pip run to give it to.
    assert "/var/lib/flask_wsgi/wsgi/pip-ca-bundle.pem" not in by_path(
        wanted(pip_ca_bundle=str(bundle))["wanted_paths"]
    )


def test_a_release_that_is_only_unpacked_goes_with_its_switch(tmp_path):
    (tmp_path / "app.py").write_text("app = 1\n")
    (tmp_path / "requirements.txt").write_text("humanize==4.12.3\n")
    changes = {"app_src": str(tmp_path), "requirements_file": "requirements.txt"}
    plan_ = wanted(**changes)
    host = with_releases(converged_host(plan_), "old", ["old"], [{"id": "old", "good": True}])

    def on_host(**more):
        return plan.compare(values(**changes, **more), plan_, host, CHECKSUMS)["release_wanted"]["on_host"]

    # Its virtualenv is not built yet: pip runs on the host before the switch.
    assert on_host() is True
    host["releases"]["venvs"] = [plan_["release"]["venv"]]
    assert on_host() is False
    # Release commands run in it before the switch.
    assert on_host(release_commands=["flask db upgrade"]) is True
    # Nothing to build: a switch on demand.
    assert on_host(release="old") is False


def test_the_health_check_waits_as_long_as_its_retries_would():
    assert wanted()["deploy_healthcheck"]["wait"] == 22
    assert wanted()["rollback_healthcheck"]["wait"] == 22
    assert wanted(healthcheck_retries=2, healthcheck_delay=1)["deploy_healthcheck"]["wait"] == 5
    assert wanted(healthcheck_retries=0, healthcheck_delay=0)["deploy_healthcheck"]["wait"] == 0
    # The host reading asks once.
    assert "wait" not in wanted()["healthcheck"]


def test_a_virtualenv_is_linked_relatively_and_marked_complete_inside():
    assert plan.venv_paths("/srv/app/venvs", "abc") == {
        "release_venv": "abc",
        "release_venv_target": "../../venvs/abc",
        "release_venv_path": "/srv/app/venvs/abc",
        "release_venv_complete": "/srv/app/venvs/abc/flask-wsgi-installed-requirements.txt",
    }


# --- ACME -------------------------------------------------------------------

ACME = {"tls_enabled": True, "tls_acme_enabled": True, "server_name": "www.example.com"}


def acme_reading(days_left=60, names=("www.example.com",), server=None):
    return {
        "certificate": {"exists": True, "names": list(names), "not_after": 1_800_000_000 + days_left * 86400},
        "renewal": {
            "server": server or DEFAULTS["flask_wsgi_tls_acme_directory"],
            "renew_before_expiry": "30 days",
        },
        "now": 1_800_000_000,
    }


def test_acme_serves_certbot_s_certificate_and_answers_the_challenges(tmp_path):
    ca = tmp_path / "pebble.pem"
    ca.write_text("CA\n")
    plan_ = wanted(**ACME, tls_acme_names=["example.com", "www.example.com"], tls_acme_ca_bundle=str(ca))
    assert plan_["tls_certificate_path"] == "/etc/letsencrypt/live/wsgi/fullchain.pem"
    assert plan_["tls_key_path"] == "/etc/letsencrypt/live/wsgi/privkey.pem"
    assert plan_["tls_selfsigned"] is False
    assert "certbot" in plan_["all_packages"]
    acme_ = plan_["acme"]
    assert acme_["names"] == ["www.example.com", "example.com"]
    assert acme_["deploy_hook"] == "systemctl reload apache2"
    assert acme_["ca_bundle"] == "/var/lib/flask-wsgi-acme/ca-bundle.pem"
    assert (
        "Alias /.well-known/acme-challenge/ /var/lib/flask-wsgi-acme/challenges/.well-known/acme-challenge/"
        in (acme_["conf_content"])
    )
    assert "REQUESTS_CA_BUNDLE=/var/lib/flask-wsgi-acme/ca-bundle.pem" in acme_["dropin_content"]
    paths = by_path(plan_["wanted_paths"])
    assert paths["/etc/apache2/conf-enabled/flask-wsgi-acme-challenge.conf"]["exists"] is True
    assert paths["/etc/apache2/mods-enabled/alias.load"]["exists"] is True
    assert paths["/var/lib/flask-wsgi-acme/ca-bundle.pem"]["checksum"] == hashlib.sha1(b"CA\n").hexdigest()
    # The certificate is certbot's: never removed with the application.
    removed = [entry["path"] for entry in plan_["removed_paths"]]
    assert not [path for path in removed if "letsencrypt" in path or "acme" in path]


def test_without_a_ca_bundle_certbot_trusts_the_system_s_and_the_role_s_copy_goes():
    plan_ = wanted(**ACME)
    assert plan_["acme"]["ca_bundle"] == ""
    paths = by_path(plan_["wanted_paths"])
    assert paths["/var/lib/flask-wsgi-acme/ca-bundle.pem"] == {
        "path": "/var/lib/flask-wsgi-acme/ca-bundle.pem",
        "exists": False,
    }
    assert paths["/etc/systemd/system/certbot.service.d/flask-wsgi-acme.conf"]["exists"] is False


def test_acme_is_off_without_https():
    assert wanted(tls_acme_enabled=True, server_name="www.example.com")["acme"] == {}
    assert wanted(tls_enabled=True)["acme"] == {}


@pytest.mark.parametrize(
    ("reading", "action"),
    [
        (acme_reading(), "none"),
        (acme_reading(days_left=10), "renew"),
        (acme_reading(names=["old.example.com"]), "issue"),
        ({"certificate": {"exists": False}, "renewal": {}, "now": 1}, "issue"),
    ],
)
def test_a_certificate_to_get_or_renew_makes_a_converged_host_run(reading, action):
    plan_ = wanted(**ACME)
    facts = plan.compare(values(**ACME), plan_, converged_host(plan_, acme=reading), CHECKSUMS)
    assert facts["acme_action"] == action
    assert facts["converged"] is (action == "none")
    # The certificate certbot will get is no given certificate to refuse for.
    assert facts["tls_given_missing"] == []


def test_what_the_earlier_layout_left_is_removed_once_a_release_serves():
    plan_ = wanted()
    listed = {entry["path"]: entry for entry in plan_["listings"]}
    assert listed["/var/www/flaskapp"]["keep"] == ["releases", "venvs", "current"]
    assert {"site.conf", "app.json", "releases.json", "account"} <= set(listed["/var/lib/flask_wsgi/wsgi"]["keep"])
    assert listed["/var/www/flaskapp-venv"]["marker"] == "pyvenv.cfg"
    left = ["/var/www/flaskapp/flaskapp.wsgi", "/var/www/flaskapp-venv"]
    facts = plan.compare(values(), plan_, converged_host(plan_, leftovers=left), CHECKSUMS)
    assert facts["leftovers"] == left
    assert not facts["converged"]
    assert not facts["release_only"]

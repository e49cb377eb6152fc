"""The registry of what the flask_wsgi role manages (plan/registry.py):
every entry is compared by the host reading, written by a task of the role,
picked up by the apply step and, when it says so, rolled back. A new entry
that one of these misses fails here, not silently on a host."""

from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import plan
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import registry
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.plugin_utils.test_plan import LAYOUT, SCRIPT, values

TASKS = Path(__file__).resolve().parents[4] / "roles" / "flask_wsgi" / "tasks"

VARIANTS = {
    "defaults": {},
    "https": {"tls_enabled": True},
    "environment": {"environment": {"SECRET": "s"}},
    "no preload": {"application_group": "%{SERVER}"},
    "existing account": {"user_existing": True},
    "virtualenv": {"requirements_file": "requirements.txt", "pip_ca_bundle": __file__},
    "acme": {"tls_enabled": True, "tls_acme_enabled": True, "server_name": "www.example.com"},
    "acme with its CA": {
        "tls_enabled": True,
        "tls_acme_enabled": True,
        "server_name": "www.example.com",
        "tls_acme_ca_bundle": __file__,
    },
}


def plan_of(**changes):
    return plan.wanted(values(**changes), LAYOUT, "r" * 40, SCRIPT, "s" * 40)


def managed(**changes):
    return registry.as_entries(plan_of(**changes)["registry"])


def tasks():
    """Every task of the role, blocks flattened."""
    found = []

    def walk(items):
        for task in items or []:
            found.append(task)
            for key in ("block", "rescue", "always"):
                walk(task.get(key))

    for path in sorted(TASKS.glob("*.yml")):
        walk(yaml.safe_load(path.read_text()))
    return found


def phases_of(args):
    """The phases a managed_files task writes: one, or a list."""
    phase = args.get("phase") or []
    return [phase] if isinstance(phase, str) else phase


def writers():
    """The writer names (registry.writer) the role's tasks provide."""
    provided = set()
    for task in tasks():
        if "flaskwsgi.deploy.managed_files" in task:
            args = task["flaskwsgi.deploy.managed_files"]
            provided.update(["restore"] if args.get("restore") else [f"files:{phase}" for phase in phases_of(args)])
        stage = task.get("flaskwsgi.deploy.flask_wsgi_plan", {})
        if stage.get("prepared"):
            # The read stage that prepares the host makes the directories.
            provided.add("files:prepare")
        if stage.get("stage") == "apply":
            # The apply stage records what passed.
            provided.add("files:record")
        if "flaskwsgi.deploy.tls_selfsigned" in task:
            provided.add("generated")
        if "flaskwsgi.deploy.apache_links" in task:
            provided.add("links")
        if "flaskwsgi.deploy.apt_packages" in task:
            provided.add("packages")
    return provided


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_entry_is_compared_as_it_is_declared(changes):
    wanted = plan_of(**changes)
    entries = registry.as_entries(wanted["registry"])
    compared = {entry["path"]: entry for entry in wanted["wanted_paths"]}
    for entry in entries:
        if entry.source == "package":
            assert entry.path in wanted["all_packages"], entry.name
            continue
        form = compared[entry.path]
        if "exists" in form:
            assert form["exists"] is entry.present, entry.name
            continue
        assert form["mode"] == entry.mode, entry.name
        assert form.get("owner", "root" if form.get("uid") == 0 else None) == entry.owner, entry.name
        assert form.get("group", "root" if form.get("gid") == 0 else None) == entry.group, entry.name
        if entry.source in ("text", "variable", "role_file", "controller_file"):
            assert form["checksum"] == entry.checksum, entry.name


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_entry_has_a_task_that_writes_it(changes):
    entries = managed(**changes)
    provided = writers()
    for entry in entries:
        assert registry.writer(entry) in provided, entry.name
    assert "restore" in provided


def test_every_entry_names_one_path_and_one_name():
    for changes in VARIANTS.values():
        entries = managed(**changes)
        assert len({entry.path for entry in entries}) == len(entries)
        assert len({entry.name for entry in entries}) == len(entries)


def test_the_apply_step_is_given_every_writer_s_result():
    apply = yaml.safe_load((TASKS / "apply.yml").read_text())
    results = apply[0]["flaskwsgi.deploy.flask_wsgi_plan"]["results"]
    assert "links" in set(results)
    assert set(plan.OTHER_PICK_UPS) <= set(results)
    # Each call that writes files before the apply step: its result is given.
    registered = [
        task["register"]
        for task in tasks()
        if {"build", "deploy"} & set(phases_of(task.get("flaskwsgi.deploy.managed_files", {})))
    ]
    assert len(registered) == 2
    for name in registered:
        assert any(name in str(value) for value in results.values()), name


def result_of(entry):
    """The result of the task that wrote ENTRY, as apply.yml passes it."""
    if entry.source in ("module", "link"):
        return {"links": {"changed": True, "changed_entries": [entry.name]}}
    return {"files": {"changed": True, "changed_entries": [entry.name]}}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_change_to_any_entry_is_picked_up_as_it_declares(changes):
    entries = managed(**changes)
    checksums = {entry.name: "c" for entry in entries if entry.rollback}
    for entry in entries:
        if entry.source in ("directory", "mark"):
            continue
        action = plan.apply_action(entries, result_of(entry), checksums, checksums, False)
        assert action == entry.picks_up, entry.name


def test_every_rolled_back_entry_has_a_last_good_copy_written_after_the_health_check():
    entries = managed()
    copies = {entry.copy_of: entry for entry in entries if entry.copy_of}
    rolled_back = [entry for entry in entries if entry.rollback]
    assert [entry.name for entry in rolled_back] == ["vhost"]
    for entry in rolled_back:
        copy = copies[entry.name]
        assert (copy.path, copy.phase, copy.mode, copy.source) == (entry.known_good, "record", "0600", entry.source)
    assert [(item["path"], item["copy_from"]) for item in registry.restore_files(entries)] == [
        (entry.path, entry.known_good) for entry in rolled_back
    ]


def test_a_rolled_back_entry_never_passed_restarts_and_one_not_yet_live_is_picked_up():
    entries = managed()
    assert plan.apply_action(entries, {}, {"vhost": "new"}, {}, False) == "restart"
    assert plan.apply_action(entries, {}, {"vhost": "new"}, {"vhost": "old"}, False) == "reload"
    assert plan.apply_action(entries, {}, {"vhost": "new"}, {"vhost": "new"}, False) == "none"


def test_a_phase_writes_only_its_differing_files_and_secrets_stay_marked():
    entries = managed(environment={"SECRET": "s"})
    by_name = registry.by_name(entries)
    differing = [by_name[name].path for name in ("environment", "daemon_start", "app_record", "state_dir")]
    contents = {"environment": "e30=", "daemon_start": "cHk="}
    writes = registry.file_writes(registry.due(entries, "deploy", differing), contents)
    assert writes == []
    writes = registry.file_writes(registry.due(entries, "build", differing), contents)
    assert [write["name"] for write in writes] == ["daemon_start", "environment"]
    assert [write["secret"] for write in writes] == [False, True]
    assert (writes[1]["group"], writes[1]["mode"]) == ("wsgi", "0640")


def test_a_removed_file_is_sent_without_content():
    entries = managed()
    environment = registry.by_name(entries)["environment"]
    assert environment.present is False
    writes = registry.file_writes(registry.due(entries, "build", [environment.path]), {})
    assert writes == [
        {
            "name": "environment",
            "path": environment.path,
            "present": False,
            "owner": "root",
            "group": "wsgi",
            "mode": "0640",
            "secret": True,
            "validate": "",
            "directory": False,
        }
    ]


def test_no_secret_is_in_the_registry():
    wanted = plan_of(environment={"SECRET": "do-not-show"})
    assert "do-not-show" not in str(wanted["registry"])


def test_the_strongest_action_wins():
    assert registry.strongest([]) == "none"
    assert registry.strongest(["daemons", "restart", "reload"]) == "restart"


def test_the_rollback_reloads_only_after_the_apply_step_reached_apache():
    restored = {"changed": True}
    assert plan.rollback_reloads(restored, "reload") is True
    assert plan.rollback_reloads(restored, "restart") is True
    # The configtest refused: the apply step reports that nothing reached Apache.
    assert plan.rollback_reloads(restored, "none") is False
    assert plan.rollback_reloads(restored, "daemons") is False
    assert plan.rollback_reloads({"changed": False}, "reload") is False


def test_the_directories_are_written_by_the_prepare_call_in_order():
    entries = managed()
    directories = [entry for entry in entries if entry.source == "directory"]
    writes = registry.file_writes(registry.due(entries, "prepare", [entry.path for entry in entries]), {})
    assert [write["name"] for write in writes] == [entry.name for entry in directories]
    assert all(write["directory"] and "content" not in write for write in writes)
    # A directory comes before what is in it.
    paths = [write["path"] for write in writes]
    for index, path in enumerate(paths):
        assert not any(path.startswith(other + "/") for other in paths[index + 1 :]), path


def test_the_account_mark_is_root_s_alone_and_written_with_the_directories():
    mark = next(entry for entry in managed() if entry.source == "mark")
    assert (mark.owner, mark.group, mark.mode, mark.phase) == ("root", "root", "0600", "prepare")
    assert registry.writer(mark) == "files:prepare"


def test_several_phases_are_written_in_one_call_in_the_registry_s_order():
    entries = managed(environment={"GREETING": "hi"})
    paths = [entry.path for entry in entries]
    both = registry.due(entries, ["build", "deploy"], paths)
    assert {entry.phase for entry in both} == {"build", "deploy"}
    assert sorted(both, key=entries.index) == both
    assert {entry.name for entry in both} == {
        entry.name for entry in registry.due(entries, "build", paths) + registry.due(entries, "deploy", paths)
    }


def test_what_serves_the_acme_challenges_is_written_before_the_certificate_and_reloads_apache():
    entries = managed(**VARIANTS["acme with its CA"])
    acme = {entry.name: entry for entry in entries if entry.phase == "acme"}
    assert set(acme) == {
        "acme_dir",
        "acme_webroot",
        "certbot_dropin_dir",
        "acme_ca",
        "acme_dropin",
        "acme_conf",
        "acme_conf_enabled",
        "module:alias",
    }
    assert {name for name, entry in acme.items() if entry.picks_up == "reload"} == {
        "acme_conf",
        "acme_conf_enabled",
        "module:alias",
    }
    # Without a CA, certbot's are removed, and the drop-ins' directory is left alone.
    without = {entry.name: entry for entry in managed(**VARIANTS["acme"]) if entry.phase == "acme"}
    assert (without["acme_ca"].present, without["acme_dropin"].present) == (False, False)
    assert "certbot_dropin_dir" not in without


def test_the_packages_are_entries_installed_first_and_compared_by_the_package_database():
    wanted = plan_of(extra_packages=["libpq5", "apache2"], requirements_file="requirements.txt")
    entries = registry.as_entries(wanted["registry"])
    packages = [entry for entry in entries if entry.source == "package"]
    # First, once each, before anything of the application.
    assert entries[: len(packages)] == packages
    assert [entry.path for entry in packages] == [
        "apache2",
        "libapache2-mod-wsgi-py3",
        "python3-flask",
        "python3-venv",
        "python3-packaging",
        "libpq5",
    ]
    assert {(entry.phase, entry.picks_up, entry.name) for entry in packages} == {
        ("prepare", "none", f"package:{entry.path}") for entry in packages
    }
    assert wanted["all_packages"] == registry.packages(entries)
    # A package is no path: the host reading's package database reports it.
    assert not {entry.path for entry in packages} & {form["path"] for form in wanted["wanted_paths"]}
    assert {registry.writer(entry) for entry in packages} == {"packages"} <= writers()


def test_only_the_registry_s_packages_the_reading_reports_missing_are_installed():
    entries = managed()
    installed = {"apache2": True, "libapache2-mod-wsgi-py3": False, "python3-flask": False, "curl": False}
    assert registry.missing_packages(entries, installed) == ["libapache2-mod-wsgi-py3", "python3-flask"]
    # A full run hands apt every package, which it checks itself.
    assert registry.missing_packages(entries, installed, every=True) == [
        "apache2",
        "libapache2-mod-wsgi-py3",
        "python3-flask",
    ]
    assert registry.missing_packages(entries, {}) == []

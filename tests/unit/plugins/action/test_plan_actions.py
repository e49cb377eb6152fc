"""The plan actions return their decisions as the task's result, which the
roles register, and set no facts (ansible-core 2.24 stops injecting them as
variables). A later stage reads the earlier ones' results by name, and says
so when they are missing."""

import base64
from pathlib import Path

import pytest
import yaml
from ansible_collections.flaskwsgi.deploy.plugins.action import apache_server_plan, flask_wsgi_plan, haproxy_lb_plan
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import server
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan import registry
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.action.action_run import Host, action, on_host

CHECKSUMS = {"vhost": "a" * 40}
PLAN = {
    "wanted_checksums": CHECKSUMS,
    "known_good_checksums": {"vhost": "b" * 40},
    "release_wanted": {"pending": False},
    "deploy_needed": True,
    "differing": [],
}
HOST = {"healthcheck": {"daemons": {"healthy": True}}}
VHOST = registry.Entry("vhost", "/etc/apache2/sites-available/wsgi.conf", "template", "wsgi.conf.j2", rollback=True)
WANTED = {"registry": [dict(VHOST.as_dict(), picks_up="reload", known_good="/var/lib/flask_wsgi/wsgi/site.conf")]}


APPLYING = {"ctl": "apache2ctl", "service": "apache2", "exclude": "shop", "require": [], "apps_dir": "/var/lib/x"}
HEALTHCHECK = {"url": "http://127.0.0.1/app/", "wait": 5}


def test_apply_reads_the_registered_plan_applies_the_action_and_checks_the_application():
    vhost_written = {"changed": True, "changed_entries": ["vhost"]}
    host = Host(service={"changed": True})
    plugin = action(
        flask_wsgi_plan, stage="apply", results={"files": vhost_written}, applying=APPLYING, healthcheck=HEALTHCHECK
    )
    result = on_host(plugin, host).run(
        task_vars={"flask_wsgi_plan": PLAN, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": WANTED}
    )

    assert "ansible_facts" not in result
    assert (result["action"], result["applied"], result["changed"]) == ("reload", "reload", True)
    assert host.modules() == ["command", "service", "healthcheck"]
    assert host.calls[0][1] == {"argv": ["apache2ctl", "configtest"]}
    assert host.calls[1][1] == {"name": "apache2", "state": "reloaded"}
    assert host.calls[2][1] == {"healthcheck": HEALTHCHECK}


def test_apply_with_the_known_good_configuration_live_only_checks_the_application():
    plan = dict(PLAN, known_good_checksums=CHECKSUMS)
    host = Host()
    plugin = action(flask_wsgi_plan, stage="apply", results={}, applying=APPLYING, healthcheck=HEALTHCHECK)
    result = on_host(plugin, host).run(
        task_vars={"flask_wsgi_plan": plan, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": WANTED}
    )

    assert (result["action"], result["applied"], result["changed"]) == ("none", "none", False)
    assert host.modules() == ["healthcheck"]


def test_apply_records_the_deployment_once_it_answers():
    record = registry.Entry(
        "app_record", "/var/lib/flask_wsgi/wsgi/app.json", "text", '{"site": "wsgi"}', phase="record"
    )
    wanted = {"registry": [*WANTED["registry"], record.as_dict()]}
    plan = dict(PLAN, known_good_checksums=CHECKSUMS, differing=[record.path])
    release = {"root": "/srv/wsgi", "history": "/var/lib/flask_wsgi/wsgi/releases.json", "keep": 3}
    host = Host()
    plugin = action(
        flask_wsgi_plan, stage="apply", results={}, applying=APPLYING, healthcheck=HEALTHCHECK, record_release=release
    )
    on_host(plugin, host).run(
        task_vars={"flask_wsgi_plan": plan, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": wanted}
    )

    assert host.modules() == ["healthcheck", "managed_files", "flask_wsgi_release"]
    written = host.calls[1][1]["files"]
    assert [file["name"] for file in written] == ["app_record"]
    assert base64.b64decode(written[0]["content"]) == b'{"site": "wsgi"}'
    assert host.calls[2][1] == dict(release, step="record")


def test_apply_restarts_the_daemons_for_new_code_without_apache():
    plan = dict(PLAN, known_good_checksums=CHECKSUMS)
    host = Host(flask_wsgi_daemons={"changed": True})
    daemons = {"display_name": "shop", "user": "shop", "script": "/srv/shop/current/app.wsgi"}
    plugin = action(
        flask_wsgi_plan, stage="apply", results={"release": {"changed": True}}, applying=APPLYING, daemons=daemons
    )
    result = on_host(plugin, host).run(
        task_vars={"flask_wsgi_plan": plan, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": WANTED}
    )

    assert (result["action"], result["applied"]) == ("daemons", "daemons")
    assert host.calls == [("flaskwsgi.deploy.flask_wsgi_daemons", daemons)]


def test_apply_on_a_host_apache_is_only_pretended_on_reaches_nothing():
    host = Host()
    plugin = action(flask_wsgi_plan, stage="apply", results={}, applying=APPLYING, installed=False)
    result = on_host(plugin, host).run(
        task_vars={"flask_wsgi_plan": PLAN, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": WANTED}
    )

    assert (result["action"], result["applied"], result["changed"]) == ("reload", "none", True)
    assert host.calls == []


def test_apply_takes_the_server_wide_changes_left_to_it():
    plan = dict(PLAN, known_good_checksums=CHECKSUMS)
    task_vars = {"flask_wsgi_plan": plan, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": WANTED}
    for server_action, expected in (("none", "none"), ("reload", "reload"), ("restart", "restart")):
        plugin = action(flask_wsgi_plan, stage="apply", results={}, server_action=server_action)
        result = on_host(plugin, Host()).run(task_vars=task_vars)
        assert result["action"] == expected
    written = {"files": {"changed": True, "changed_entries": ["vhost"]}}
    plugin = action(flask_wsgi_plan, stage="apply", results=written, server_action="none")
    result = on_host(plugin, Host()).run(task_vars=task_vars)
    assert result["action"] == "reload"


def test_a_refused_configtest_fails_the_apply_stage_before_apache_and_says_so():
    host = Host(command={"failed": True, "rc": 1, "stderr": "AH00526: Syntax error on line 3"})
    written = {"files": {"changed": True, "changed_entries": ["vhost"]}}
    plugin = action(flask_wsgi_plan, stage="apply", results=written, applying=APPLYING)
    result = on_host(plugin, host).run(
        task_vars={"flask_wsgi_plan": PLAN, "__flask_wsgi_host": HOST, "__flask_wsgi_wanted": WANTED}
    )

    assert result["failed"]
    assert (result["applied"], result["failed_step"]) == ("none", "configtest")
    assert "Syntax error on line 3" in result["msg"]
    assert host.modules() == ["command"]


@pytest.mark.parametrize(("applied", "reload"), [("reload", True), ("restart", True), ("none", False)])
def test_restored_says_whether_apache_loads_the_restored_configuration(applied, reload):
    results = {"restore": {"changed": True}, "applied": applied}
    result = action(flask_wsgi_plan, stage="restored", results=results).run(task_vars={})
    assert result["reload"] is reload
    assert result["changed"] is False


def test_rollback_returns_its_outcome_and_the_failure():
    failed = {"failed": True, "msg": "configtest failed", "stderr": "Syntax error on line 3"}
    result = action(
        flask_wsgi_plan,
        stage="rollback",
        results={"failed": failed, "known_good_found": True, "site_disabled": {}, "health": {"status": 200}},
    ).run(task_vars={})

    assert "ansible_facts" not in result
    assert "Syntax error on line 3" in result["failure"]
    assert result["outcome"]


def test_a_stage_without_the_wanted_state_says_which_entry_point_to_run():
    result = action(flask_wsgi_plan, stage="venv").run(task_vars={"flask_wsgi_state": "present"})

    assert result["failed"]
    assert "__flask_wsgi_wanted" in result["msg"]
    assert "read entry point" in result["msg"]


ABSENT_WANTED = {
    "removed_paths": [{"path": "/etc/apache2/sites-enabled/wsgi.conf", "exists": False}],
    "account_mark": "/var/lib/flask_wsgi/wsgi/account",
    "apache_service": "apache2",
    "apps_dir": "/var/lib/flask_wsgi",
}
ROLE_VALUES = {
    "flask_wsgi_state": "absent",
    "flask_wsgi_user": "wsgi",
    "flask_wsgi_group": "wsgi",
    "flask_wsgi_site_name": "wsgi",
}


def reading_action(monkeypatch, reading, **args):
    """The read stage, with the wanted state ABSENT_WANTED, the variables
    accepted, and READING as what the host reading module returns; the
    module's arguments are kept in the returned list."""
    sent = []
    plugin = action(flask_wsgi_plan, stage="read", **args)
    monkeypatch.setattr(flask_wsgi_plan.checks, "check", lambda *_args, **_kwargs: {})
    monkeypatch.setattr(plugin, "_wanted", lambda _values, _task_vars: dict(ABSENT_WANTED))

    def execute(module_name, module_args, task_vars):
        sent.append((module_name, module_args))
        return dict(reading, invocation={"module_args": module_args})

    monkeypatch.setattr(plugin, "_execute_module", execute)
    return plugin, sent


def test_read_reads_the_host_once_and_says_what_is_left_to_remove(monkeypatch):
    host = {"paths": {"/etc/apache2/sites-enabled/wsgi.conf": {"exists": True}}, "apps": []}
    plugin, sent = reading_action(monkeypatch, host)
    server = {"all_packages": ["apache2"], "wanted_paths": [{"path": "/etc/apache2/mods-enabled/wsgi.load"}]}

    result = plugin.run(task_vars=dict(ROLE_VALUES, __apache_server_wanted=server))

    assert [call[0] for call in sent] == ["flaskwsgi.deploy.host_reading"]
    paths = [entry["path"] for entry in sent[0][1]["paths"]]
    assert paths == [
        "/etc/apache2/sites-enabled/wsgi.conf",
        "/var/lib/flask_wsgi/wsgi/account",
        "/etc/apache2/mods-enabled/wsgi.load",
    ]
    assert sent[0][1]["packages"] == ["apache2"]
    assert result["removing"] == ["/etc/apache2/sites-enabled/wsgi.conf"]
    assert result["account_is_ours"] is False
    assert (result["deploy_needed"], result["host_reading"], result["wanted"]) == (True, host, ABSENT_WANTED)
    assert result["changed"] is False
    assert "ansible_facts" not in result


def test_read_passes_a_failed_reading_on(monkeypatch):
    plugin = reading_action(monkeypatch, {"failed": True, "msg": "no python3"})[0]

    result = plugin.run(task_vars=dict(ROLE_VALUES))

    assert result["failed"]
    assert result["msg"] == "no python3"


def test_read_refuses_bad_variables_before_the_host_is_read(monkeypatch):
    plugin, sent = reading_action(monkeypatch, {})
    refused = {"failed": True, "msg": "flask_wsgi_threads: must be a positive integer"}
    monkeypatch.setattr(flask_wsgi_plan.checks, "check", lambda *_args, **_kwargs: refused)

    result = plugin.run(task_vars=dict(ROLE_VALUES))

    assert result["failed"]
    assert "flask_wsgi_threads" in result["msg"]
    assert sent == []


def test_apply_without_the_plan_names_it():
    result = action(flask_wsgi_plan, stage="apply", results={}).run(task_vars={"__flask_wsgi_host": HOST})

    assert result["failed"]
    assert "flask_wsgi_plan" in result["msg"]


def apache_values(**changes):
    values = {
        "apache_server_hardening": True,
        "apache_server_status": False,
        "apache_server_mpm": "event",
        "apache_server_disable_autoindex": True,
        "apache_server_modules": [],
        "apache_server_disable_default_site": True,
        "apache_server_state_dir": "/var/lib/apache-server",
    }
    values.update(changes)
    return values


LAYOUT = {
    "packages": ["apache2"],
    "mods_enabled": "/etc/apache2/mods-enabled",
    "conf_available": "/etc/apache2/conf-available",
    "conf_enabled": "/etc/apache2/conf-enabled",
    "sites_enabled": "/etc/apache2/sites-enabled",
}


def test_apache_compare_reads_the_registered_wanted_state(monkeypatch):
    wanted = server.wanted(apache_values(), LAYOUT)
    default_site = "/etc/apache2/sites-enabled/000-default.conf"
    hardening = "/etc/apache2/conf-available/zz-flask-wsgi-hardening.conf"
    host = {
        "paths": {hardening: {"exists": True, "checksum": "h" * 40}},
        "differing": [default_site],
        "packages": {"apache2": True},
        "service": {"active": "active", "enabled": "enabled"},
    }
    rendered = []

    def checksums(_action, registry, _variables):
        rendered.extend(entry["name"] for entry in registry if entry["source"] == "template")
        return {"hardening": "h" * 40}

    monkeypatch.setattr(apache_server_plan, "template_checksums", checksums)
    result = action(apache_server_plan, stage="compare", host=host).run(
        task_vars=dict(apache_values(), __apache_server_wanted=wanted)
    )

    assert "ansible_facts" not in result
    assert rendered == ["hardening"]
    assert result["deploy_needed"] is True
    assert result["action"] == "reload"
    assert result["differing"] == [default_site]


def test_apache_compare_without_the_wanted_state_names_it():
    result = action(apache_server_plan, stage="compare", host={}).run(task_vars=apache_values())

    assert result["failed"]
    assert "__apache_server_wanted" in result["msg"]


HAPROXY_DEFAULTS = yaml.safe_load(
    (Path(__file__).resolve().parents[4] / "roles" / "haproxy_lb" / "defaults" / "main.yml").read_text()
)


def haproxy_vars(**changes):
    """What a load balancer's play gives the role: its defaults, and two
    backend hosts, one with an address of its own."""
    hostvars = {"web1": {"haproxy_lb_backend_address": "10.0.0.1"}, "web2": {}}
    return dict(HAPROXY_DEFAULTS, groups={"web": ["web1", "web2"]}, hostvars=hostvars, **changes)


def test_haproxy_wanted_names_the_backends_and_their_addresses():
    result = action(haproxy_lb_plan, stage="wanted").run(task_vars=haproxy_vars())

    assert not result.get("failed"), result
    assert result["backends"] == [{"name": "web1", "address": "10.0.0.1"}, {"name": "web2", "address": "web2"}]
    assert result["changed"] is False
    assert "ansible_facts" not in result


def test_haproxy_wanted_refuses_a_backend_that_would_redirect_haproxy():
    task_vars = haproxy_vars()
    task_vars["hostvars"]["web2"] = {"flask_wsgi_tls_enabled": True}
    result = action(haproxy_lb_plan, stage="wanted").run(task_vars=task_vars)

    assert result["failed"]
    assert "flask_wsgi_tls_redirect" in result["msg"]
    assert "web2" in result["msg"]


def test_haproxy_compare_without_the_wanted_state_names_it():
    result = action(haproxy_lb_plan, stage="compare", host={}).run(task_vars=haproxy_vars())

    assert result["failed"]
    assert "__haproxy_lb_wanted" in result["msg"]


def test_haproxy_apply_reads_the_registered_comparison():
    from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import balancer

    wanted = balancer.wanted(
        {name: value for name, value in haproxy_vars().items() if name.startswith("haproxy_lb_")},
        [{"name": "web1", "address": "10.0.0.1"}],
    )
    compared = balancer.compare(wanted, {"paths": {}}, {"config": "c" * 40})
    task_vars = dict(haproxy_vars(), haproxy_lb_plan=compared)
    written = {"files": {"changed": True, "changed_entries": ["config"]}}

    result = action(haproxy_lb_plan, stage="apply", results=written).run(task_vars=task_vars)
    assert (result["reload"], result["record"], result["changed"]) == (True, True, False)
    started = action(haproxy_lb_plan, stage="apply", results=written, started=True).run(task_vars=task_vars)
    assert (started["reload"], started["record"]) == (False, True)
    # After an apply step of the same run, nothing changed since: nothing to do.
    after = action(haproxy_lb_plan, stage="apply", results={}, applied=True).run(task_vars=task_vars)
    assert (after["reload"], after["record"]) == (False, False)
    missing = action(haproxy_lb_plan, stage="apply", results={}).run(task_vars=haproxy_vars())
    assert missing["failed"]
    assert "haproxy_lb_plan" in missing["msg"]


def test_read_after_preparing_notes_it_and_reads_again_only_when_asked(monkeypatch):
    host = {"paths": {}, "apps": []}
    plugin, sent = reading_action(monkeypatch, host, prepared=True, packages={"skipped": True})
    earlier = {
        "deploy_needed": True,
        "differing": ["/var/www/flaskapp"],
        "prepared": False,
        "group_differs": False,
        "user_differs": False,
        "account": {"verdict": "manage"},
        "host_reading": {"user": {"exists": True, "uid": 998}},
        "wanted": {"registry": []},
    }

    noted = plugin.run(task_vars=dict(ROLE_VALUES, flask_wsgi_plan=earlier))
    assert sent == []
    assert (noted["prepared"], noted["changed"]) == (True, False)
    assert noted["differing"] == ["/var/www/flaskapp"]

    job = {"ansible_job_id": "1", "results_file": "/root/.ansible_async/1", "started": 1}
    plugin, sent = reading_action(monkeypatch, host, prepared=True, packages=job)
    read = plugin.run(task_vars=dict(ROLE_VALUES, flask_wsgi_plan=earlier))
    assert [name for name, _args in sent] == ["flaskwsgi.deploy.job_result", "flaskwsgi.deploy.host_reading"]
    assert sent[0][1] == {"results_file": "/root/.ansible_async/1", "timeout": 1800}
    assert read["prepared"] is True
    assert read["host_reading"] == host
    first = reading_action(monkeypatch, host)[0].run(task_vars=dict(ROLE_VALUES))
    assert first["prepared"] is False


def test_preparing_makes_the_account_and_the_directories_then_waits(monkeypatch):
    home = registry.Entry(
        "home", "/var/lib/wsgi", "directory", owner="wsgi", group="wsgi", mode="0750", phase="prepare"
    )
    vhost = dict(VHOST.as_dict(), phase="deploy")
    mark = registry.Entry("account_mark", "/var/lib/flask_wsgi/wsgi/account", "mark", mode="0600", phase="prepare")
    earlier = {
        "differing": ["/var/lib/wsgi", VHOST.path],
        "prepared": False,
        "group_differs": True,
        "user_differs": True,
        "account": {"verdict": "create"},
        "host_reading": {"user": {"exists": False}},
        "wanted": {"registry": [home.as_dict(), vhost, mark.as_dict()]},
    }
    answers = {
        "ansible.legacy.group": {"changed": True},
        "ansible.legacy.user": {"changed": True, "uid": 998},
        "flaskwsgi.deploy.managed_files": {"changed": True, "changed_entries": ["home"]},
    }
    sent = []
    plugin = action(flask_wsgi_plan, stage="read", prepared=True, packages={"skipped": True})

    def execute(module_name, module_args, task_vars):
        sent.append((module_name, module_args))
        return answers[module_name]

    monkeypatch.setattr(plugin, "_execute_module", execute)
    account = {"flask_wsgi_user_shell": "/usr/sbin/nologin", "flask_wsgi_user_home": "/var/lib/wsgi"}
    result = plugin.run(task_vars=dict(ROLE_VALUES, flask_wsgi_plan=earlier, **account))

    assert [name for name, _args in sent] == list(answers)
    assert (sent[1][1]["shell"], sent[1][1]["home"]) == ("/usr/sbin/nologin", "/var/lib/wsgi")
    # Only the prepare phase's directories, and the mark of the account just made, with its uid.
    written = sent[2][1]["files"]
    assert [write["name"] for write in written] == ["home", "account_mark"]
    assert base64.b64decode(written[1]["content"]) == b"wsgi 998\n"
    assert written[1]["path"] == "/var/lib/flask_wsgi/wsgi/account"
    assert (result["changed"], result["changed_entries"]) == (True, ["group", "user", "home"])
    assert result["account_uid"] == 998

    answers["ansible.legacy.user"] = {"failed": True, "msg": "useradd: UID 0 is not unique"}
    sent.clear()
    failed = plugin.run(task_vars=dict(ROLE_VALUES, flask_wsgi_plan=earlier, **account))
    assert failed["failed"]
    assert failed["msg"] == "The daemon user could not be created: useradd: UID 0 is not unique"
    assert len(sent) == 2

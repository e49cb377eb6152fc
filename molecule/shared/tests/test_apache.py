"""Apache: the vhost file, which sites and modules are on, and the service."""

import re
import shlex

from conftest import directive, directives


def app_vhosts(cfg):
    """How many virtual hosts serve the application: with HTTPS on and no
    redirect, the HTTP and the HTTPS one."""
    return 2 if cfg.tls_enabled and not cfg.tls_redirect else 1


def test_vhost_runs_the_app_in_a_daemon_process_group(host, cfg):
    content = host.file(cfg.vhost_path).content_string
    assert len(directives(content, "WSGIDaemonProcess")) == 1
    name, *options = directive(content, "WSGIDaemonProcess")
    assert name == cfg.process_group
    timeouts = {
        "request-timeout": cfg.request_timeout,
        "queue-timeout": cfg.queue_timeout,
        "graceful-timeout": cfg.graceful_timeout,
        "startup-timeout": cfg.startup_timeout,
    }
    assert dict(option.split("=", 1) for option in options) == {
        "user": cfg.user,
        "group": cfg.group,
        "processes": str(cfg.processes),
        "threads": str(cfg.threads),
        "display-name": cfg.display_name,
        "home": cfg.user_home,
        "python-path": cfg.current,
        "umask": cfg.umask,
        "lang": cfg.locale,
        "locale": cfg.locale,
        **{option: str(seconds) for option, seconds in timeouts.items() if seconds > 0},
    }
    assert directive(content, "WSGIProcessGroup") == [cfg.process_group]
    assert directive(content, "WSGIScriptAlias") == [cfg.mount_path, cfg.script_path]
    ports = [cfg.port] + ([cfg.tls_port] if cfg.tls_enabled else [])
    assert directives(content, "<VirtualHost") == [[f"*:{port}>"] for port in ports]
    assert directive(content, "DocumentRoot") == [cfg.document_root]


def test_vhost_grants_only_the_code_and_the_empty_document_root(host, cfg):
    content = host.file(cfg.vhost_path).content_string
    blocks = [line.split()[1].rstrip(">") for line in content.splitlines() if line.strip().startswith("<Directory")]
    assert blocks == [cfg.document_root, cfg.app_dir] * app_vhosts(cfg)
    assert content.count("Require all granted") == 2 * app_vhosts(cfg)
    assert content.count("Options None") == app_vhosts(cfg)
    # The code is reached through the current link, which only root can change.
    assert content.count("Options FollowSymLinks") == app_vhosts(cfg)
    assert content.count("AllowOverride None") == 2 * app_vhosts(cfg)


def test_vhost_ends_with_the_extra_directives(host, cfg):
    lines = [line.strip() for line in host.file(cfg.vhost_path).content_string.splitlines()]
    closings = [index for index, line in enumerate(lines) if line == "</VirtualHost>"]
    extra = cfg.vhost_extra_directives
    for closing in closings[-app_vhosts(cfg) :]:
        assert lines[closing - len(extra) : closing] == extra


def test_vhost_server_name(host, cfg):
    content = host.file(cfg.vhost_path).content_string
    if cfg.server_name:
        assert directive(content, "ServerName") == [cfg.server_name]
    else:
        assert "ServerName" not in content


def test_site_is_enabled(host, cfg):
    assert host.run(f"a2query -s {shlex.quote(cfg.site_name)}").rc == 0


def test_default_site_state(host, cfg):
    enabled = host.run("a2query -s 000-default").rc == 0
    assert enabled is not cfg.disable_default_site


def test_mpm_is_the_one_asked_for(host, cfg):
    mpm = re.search(r"Server MPM:\s+(\w+)", host.check_output("apache2ctl -V"))
    assert mpm is not None
    assert mpm.group(1) == cfg.mpm


def test_wsgi_module_is_enabled(host):
    assert host.run("a2query -m wsgi").rc == 0


def test_configuration_is_valid(host):
    result = host.run("apache2ctl configtest")
    assert result.rc == 0
    assert "Syntax OK" in result.stderr


def test_apache_is_running_and_enabled(host):
    service = host.service("apache2")
    assert service.is_running
    assert service.is_enabled


def test_apache_listens_on_the_port(host, cfg):
    assert host.socket(f"tcp://0.0.0.0:{cfg.port}").is_listening or host.socket(f"tcp://:::{cfg.port}").is_listening

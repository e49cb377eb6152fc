"""Every rule of every role, with values it must accept and values it must
refuse; and the message that names the variables."""

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils import variables

# A complete, valid set of values for each role: the defaults, resolved.
GOOD = {
    "apache_server": {
        "apache_server_mpm": "event",
        "apache_server_modules": [],
        "apache_server_state_dir": "/var/lib/apache_server",
        "apache_server_apt_cache_valid_time": 3600,
        "apache_server_lock_wait": 600,
        "apache_server_status_path": "/server-status",
        "apache_server_status_allow": [],
    },
    "flask_wsgi": {
        "flask_wsgi_processes": "auto",
        "flask_wsgi_threads": 2,
        "flask_wsgi_port": 80,
        "flask_wsgi_tls_enabled": False,
        "flask_wsgi_tls_redirect": False,
        "flask_wsgi_tls_port": 443,
        "flask_wsgi_tls_certificate_file": "",
        "flask_wsgi_tls_key_file": "",
        "flask_wsgi_tls_hsts_max_age": 0,
        "flask_wsgi_tls_acme_enabled": False,
        "flask_wsgi_tls_acme_directory": "https://acme-v02.api.letsencrypt.org/directory",
        "flask_wsgi_tls_acme_email": "",
        "flask_wsgi_tls_acme_names": [],
        "flask_wsgi_tls_acme_renew_days": 30,
        "flask_wsgi_tls_acme_ca_bundle": "",
        "flask_wsgi_mount_path": "/app",
        "flask_wsgi_process_group": "flaskapp",
        "flask_wsgi_display_name": "flaskapp",
        "flask_wsgi_user": "wsgi",
        "flask_wsgi_group": "wsgi",
        "flask_wsgi_user_shell": "/usr/sbin/nologin",
        "flask_wsgi_user_home": "/var/lib/wsgi",
        "flask_wsgi_app_dir": "/var/www/flaskapp",
        "flask_wsgi_document_root": "/var/www/flaskapp-public",
        "flask_wsgi_state_dir": "/var/lib/flask_wsgi",
        "flask_wsgi_script_name": "flaskapp.wsgi",
        "flask_wsgi_site_name": "wsgi",
        "flask_wsgi_server_name": "",
        "flask_wsgi_server_aliases": [],
        "flask_wsgi_application_group": "%{GLOBAL}",
        "flask_wsgi_umask": "0027",
        "flask_wsgi_locale": "C.UTF-8",
        "flask_wsgi_request_timeout": 60,
        "flask_wsgi_queue_timeout": 45,
        "flask_wsgi_graceful_timeout": 15,
        "flask_wsgi_startup_timeout": 15,
        "flask_wsgi_log_level": "warn wsgi:info",
        "flask_wsgi_vhost_extra_directives": [],
        "flask_wsgi_extra_packages": [],
        "flask_wsgi_tls_ciphers": ["ECDHE-ECDSA-AES128-GCM-SHA256"],
        "flask_wsgi_app_src": "",
        "flask_wsgi_app_git_repo": "",
        "flask_wsgi_app_git_version": "HEAD",
        "flask_wsgi_entry_point": "",
        "flask_wsgi_requirements_file": "",
        "flask_wsgi_keep_releases": 5,
        "flask_wsgi_lock_wait": 600,
        "flask_wsgi_release": "",
        "flask_wsgi_environment": {},
        "flask_wsgi_static": [],
        "flask_wsgi_static_max_age": 3600,
        "flask_wsgi_release_commands": [],
        "flask_wsgi_state": "present",
        "flask_wsgi_pip_index_url": "",
        "flask_wsgi_pip_extra_args": [],
        "flask_wsgi_apt_cache_valid_time": 3600,
        "flask_wsgi_healthcheck_path": "",
        "flask_wsgi_healthcheck_status_codes": [200],
        "flask_wsgi_healthcheck_retries": 5,
        "flask_wsgi_healthcheck_delay": 2,
    },
    "haproxy_lb": {
        "haproxy_lb_backend_group": "web",
        "haproxy_lb_backend_hosts": ["web1", "web2"],
        "haproxy_lb_backend_name": "flaskapp",
        "haproxy_lb_backend_port": 80,
        "haproxy_lb_port": 80,
        "haproxy_lb_bind_address": "*",
        "haproxy_lb_stats_port": 8404,
        "haproxy_lb_stats_bind_address": "127.0.0.1",
        "haproxy_lb_stats_path": "/stats",
        "haproxy_lb_stats_allow": [],
        "haproxy_lb_healthcheck_path": "/app/",
        "haproxy_lb_healthcheck_host": "localhost",
        "haproxy_lb_check_interval": 2000,
        "haproxy_lb_check_rise": 2,
        "haproxy_lb_check_fall": 2,
        "haproxy_lb_backend_address": ["10.0.0.5", "web2.example.com", "fd00::5"],
        "haproxy_lb_tls_enabled": False,
        "haproxy_lb_tls_port": 443,
        "haproxy_lb_tls_certificate_file": "",
        "haproxy_lb_tls_key_file": "",
        "haproxy_lb_tls_ciphers": ["ECDHE-ECDSA-AES128-GCM-SHA256"],
        "haproxy_lb_tls_ciphersuites": ["TLS_AES_128_GCM_SHA256"],
        "flask_wsgi_tls_redirect": [],
        "haproxy_lb_tls_acme_enabled": False,
        "haproxy_lb_tls_acme_names": [],
        "haproxy_lb_tls_acme_directory": "https://acme-v02.api.letsencrypt.org/directory",
        "haproxy_lb_tls_acme_email": "",
        "haproxy_lb_tls_acme_renew_days": 30,
        "haproxy_lb_tls_acme_ca_bundle": "",
    },
}

# Per rule: values it accepts, and values it refuses, each with the other
# values of GOOD (a case may change those too: a dict of changes).
CASES = {
    "flask_wsgi_processes": (["auto", 1, "4", 256], [0, 257, "3; rm -rf /", "automatic", 2.5, True, None]),
    "flask_wsgi_threads": ([1, "8", 1000], [0, 1001, "many", -1]),
    "flask_wsgi_port": ([1, 8080, "65535"], [0, 70000, "http"]),
    "flask_wsgi_tls_port": (
        [443, 8443, {"flask_wsgi_tls_port": 80}],
        [70000, 0, {"flask_wsgi_tls_port": 80, "flask_wsgi_tls_enabled": True}],
    ),
    "flask_wsgi_tls_certificate_file": (
        ["", {"flask_wsgi_tls_certificate_file": "/etc/ssl/site.crt", "flask_wsgi_tls_key_file": "/etc/ssl/site.key"}],
        ["/etc/ssl/certs/site.pem", "site.crt", {"flask_wsgi_tls_key_file": "/etc/ssl/site.key"}],
    ),
    "flask_wsgi_tls_key_file": (
        ["", {"flask_wsgi_tls_certificate_file": "/etc/ssl/site.crt", "flask_wsgi_tls_key_file": "/etc/ssl/site.key"}],
        [
            {"flask_wsgi_tls_certificate_file": "/etc/ssl/site.crt", "flask_wsgi_tls_key_file": "site.key"},
            {"flask_wsgi_tls_certificate_file": "/etc/ssl/site.crt", "flask_wsgi_tls_key_file": "/etc/ssl/a key"},
        ],
    ),
    "flask_wsgi_tls_hsts_max_age": ([0, 63072000], [-1, 63072001, "forever"]),
    "flask_wsgi_tls_acme_enabled": (
        [
            False,
            "no",
            {
                "flask_wsgi_tls_acme_enabled": True,
                "flask_wsgi_tls_enabled": True,
                "flask_wsgi_server_name": "www.example.com",
            },
        ],
        [
            "maybe",
            # ACME on with HTTPS off, without a server name, or with a certificate given.
            {"flask_wsgi_tls_acme_enabled": True, "flask_wsgi_server_name": "www.example.com"},
            {"flask_wsgi_tls_acme_enabled": True, "flask_wsgi_tls_enabled": True},
            {
                "flask_wsgi_tls_acme_enabled": True,
                "flask_wsgi_tls_enabled": True,
                "flask_wsgi_server_name": "www.example.com",
                "flask_wsgi_tls_certificate_file": "/etc/ssl/site.crt",
            },
        ],
    ),
    "flask_wsgi_tls_acme_directory": (
        ["https://acme-staging-v02.api.letsencrypt.org/directory", "https://pebble:14000/dir"],
        ["http://acme.example.com/directory", "", "https://a b/", 'https://x/"'],
    ),
    "flask_wsgi_tls_acme_email": (["", "ops@example.com"], ["ops", "ops@", "a b@example.com", "ops@exa mple.com"]),
    "flask_wsgi_tls_acme_names": (
        [[], ["example.com", "api.example.com"]],
        [["*.example.com"], [""], ["bad name"], "example.com", [f"n{i}.example.com" for i in range(100)]],
    ),
    "flask_wsgi_tls_acme_renew_days": ([1, "30", 3650], [0, -1, 3651, "month"]),
    "flask_wsgi_tls_acme_ca_bundle": (["", "/etc/ssl/pebble.pem", "/root/.ansible/ca.pem"], ["ca.pem", "/a\nb.pem"]),
    "flask_wsgi_mount_path": (
        ["/", "/app", "/api/v1", "/~user"],
        ["app", "/app/", '/app"\nWSGIScriptAlias / /etc/passwd', ""],
    ),
    "flask_wsgi_process_group": (["flaskapp", "my-app.2"], ["flask app", "flaskapp\n", ".hidden", ""]),
    "flask_wsgi_display_name": (["pyapi-daemon"], ["x\nLoadModule evil /tmp/evil.so", "a b"]),
    "flask_wsgi_user": (["wsgi", "_app", "web-1"], ["root", "Bad User", "a" * 33, "1user"]),
    "flask_wsgi_group": (["wsgi", "webapps"], ["wsgi;reboot", "root", "Group"]),
    "flask_wsgi_user_shell": (["/usr/sbin/nologin", "/bin/false"], ["nologin", "/bin/sh -c reboot"]),
    "flask_wsgi_user_home": (
        ["/var/lib/wsgi", "/srv/webapp-home"],
        ["/var/www/flaskapp/home", "relative", "/var/www", "/var/www/flaskapp-public/x"],
    ),
    "flask_wsgi_app_dir": (["/var/www/flaskapp", "/srv/pyapi"], ["/etc", "/", "relative/dir", "/var/www"]),
    "flask_wsgi_document_root": (
        ["/var/www/flaskapp-public", "/srv/pyapi-static"],
        ["/var/www/flaskapp/static", "/var/www", "/tmp", {"flask_wsgi_document_root": "/var/www/flaskapp"}],
    ),
    "flask_wsgi_state_dir": (["/var/lib/flask_wsgi"], ["/", "/var/lib", "state", "/var/www/flaskapp/state"]),
    "flask_wsgi_script_name": (["flaskapp.wsgi", "api.wsgi"], ["../evil.wsgi", "a b.wsgi", "dir/app.wsgi"]),
    "flask_wsgi_site_name": (["wsgi", "pyapi"], ["000-default", "my site", "../site"]),
    "flask_wsgi_server_name": (
        ["", "example.com", "api.example.test", "a-b.c0.example"],
        ["example.com\nInclude /etc/shadow", "exa mple.com", "-bad.example.com", "*.example.com"],
    ),
    "flask_wsgi_server_aliases": (
        [[], ["example.com", "*.example.com"]],
        [["*"], ["a b"], [""], "example.com", ["www.example.com\nInclude /etc/shadow"], ["x.*.example.com"]],
    ),
    "flask_wsgi_application_group": (["%{GLOBAL}", "%{RESOURCE}", "myapp"], ["%{ENV:EVIL}", "my app"]),
    "flask_wsgi_umask": (["0027", "077", "0777"], ["777x", "0027\n", "0028", 27]),
    "flask_wsgi_locale": (
        ["C.UTF-8", "en_US.UTF-8", "de_DE.utf8", "C", "sr_RS.UTF-8@latin"],
        ["", "C.UTF-8 x", "en_US.UTF-8\n", "C.UTF-8 home=/tmp", 8],
    ),
    "flask_wsgi_request_timeout": ([0, 60, 86400], [-5, 86401, "soon"]),
    "flask_wsgi_queue_timeout": ([0, 20], [-1, "later"]),
    "flask_wsgi_graceful_timeout": ([0, 15], [86401]),
    "flask_wsgi_startup_timeout": ([30], ["soon", -1]),
    "flask_wsgi_log_level": (
        [
            "warn",
            "warn wsgi:info",
            "trace8 wsgi:emerg headers:debug core:info",
            {"flask_wsgi_log_level": "notice wsgi:debug ssl:trace3", "flask_wsgi_tls_enabled": True},
        ],
        [
            "loud",
            "warn\nInclude /etc/shadow",
            "warn wsgi:loud",
            "trace9",
            # Apache refuses a module it has not loaded.
            "warn ssl:debug",
            "warn proxy:info",
            {"flask_wsgi_log_level": "warn rewrite:trace1", "flask_wsgi_tls_enabled": True},
        ],
    ),
    "flask_wsgi_vhost_extra_directives": (
        [[], ["LimitRequestBody 1048576", 'Header always set X-A "b"']],
        [["LimitRequestBody 1\nInclude /etc/shadow"], "LimitRequestBody 1", [1]],
    ),
    "flask_wsgi_tls_ciphers": ([["ECDHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"]], [[], ["A\nB"], [1]]),
    "flask_wsgi_extra_packages": ([[], ["python3-requests", "libpq5"]], [["curl; reboot"], "curl", ["Curl"]]),
    "flask_wsgi_app_src": (
        ["", "/home/deploy/src/myapp/"],
        ["/src\n/etc", {"flask_wsgi_app_src": "/src", "flask_wsgi_app_git_repo": "https://git.example.com/a.git"}],
    ),
    "flask_wsgi_app_git_repo": (
        ["", "https://git.example.com/app.git", "file:///srv/git/echo.git"],
        ["file:///srv/a repo"],
    ),
    "flask_wsgi_app_git_version": (["HEAD", "v1.4.2", "release/2", "a1b2c3"], ["--upload-pack=touch /tmp/pwned", ""]),
    "flask_wsgi_entry_point": (["", "myapp:app", "myapp.wsgi:application"], ["echo_app", "os:system('reboot')"]),
    "flask_wsgi_requirements_file": (
        ["", "requirements.txt", "deploy/requirements.txt"],
        ["../../etc/requirements.txt", "/etc/requirements.txt"],
    ),
    "flask_wsgi_keep_releases": ([2, 5, "10", 100], [0, 1, 101, "five", True]),
    # Dict cases name their variable: a bare dict sets several variables.
    "flask_wsgi_environment": (
        [
            {"flask_wsgi_environment": {}},
            {"flask_wsgi_environment": {"DATABASE_URL": "postgresql://db/a", "N": 4, "DEBUG": False, "_X": "a 'b'"}},
        ],
        [
            {"flask_wsgi_environment": {"1BAD": "x"}},
            {"flask_wsgi_environment": {"A-B": "x"}},
            {"flask_wsgi_environment": {"A": ["list"]}},
            {"flask_wsgi_environment": {"A": None}},
            {"flask_wsgi_environment": {"A": "nul\0"}},
            ["A=1"],
            "A=1",
        ],
    ),
    "flask_wsgi_static": (
        [[], [{"url": "/app/static", "dir": "myapp/static"}], [{"url": "/media", "dir": "media"}]],
        [
            [{"url": "/", "dir": "static"}],
            [{"url": "/static", "dir": "../etc"}],
            [{"url": "/static", "dir": "/etc"}],
            [{"url": "static", "dir": "static"}],
            [{"url": "/static", "dir": "static", "extra": 1}],
            [{"url": "/s p", "dir": "static"}],
            "/static",
        ],
    ),
    "flask_wsgi_static_max_age": ([0, 3600, 31536000], [-1, 31536001, "an hour"]),
    "flask_wsgi_release_commands": (
        [[], ["flask --app myapp db upgrade", "python -m myapp.check && echo ok"]],
        [[""], ["  "], ["two\nlines"], "flask db upgrade", [["nested"]]],
    ),
    "flask_wsgi_state": (["present", "absent"], ["removed", "", None]),
    "flask_wsgi_release": (
        ["", "previous", "good", "3f2a9c1e0b7d", "4f2a9c1e0b7d-1a2b3c4d"],
        ["latest", "../etc", "3F2A", "-e", "previous\n"],
    ),
    "flask_wsgi_pip_index_url": (
        ["", "https://pypi.internal.test/simple/", "http://127.0.0.1:3141/root/pypi/"],
        ["pypi.example.test/simple", "https://pypi.example.test/simple --trusted-host=evil", "ftp://x/"],
    ),
    "flask_wsgi_pip_extra_args": (
        [[], ["--retries=2", "--extra-index-url=https://x.test/simple/"]],
        [["--retries 0; reboot"], "--retries=0", ["retries=2"]],
    ),
    "flask_wsgi_apt_cache_valid_time": ([0, 3600], [-1, "hourly"]),
    "flask_wsgi_lock_wait": ([0, 600, "30"], [-1, "ten minutes"]),
    "flask_wsgi_healthcheck_path": (["", "health", "/ready?full=1"], ["a b", 'x"y']),
    "flask_wsgi_healthcheck_status_codes": ([[200], [200, "301"]], [[700], [], "200", [99]]),
    "flask_wsgi_healthcheck_retries": ([0, 100], [101, -1]),
    "flask_wsgi_healthcheck_delay": ([0, 60], [61, "soon"]),
    "apache_server_mpm": (["event", "worker", "prefork"], ["Event", "itk", ""]),
    "apache_server_modules": ([[], ["status", "proxy_http"]], [["mod status"], "status", ["status\nLoadModule x"]]),
    "apache_server_state_dir": (["/var/lib/apache_server"], ["var/lib", "/var", "/"]),
    "apache_server_apt_cache_valid_time": ([0, "3600"], [-1, "hourly"]),
    "apache_server_lock_wait": ([0, 600], [-1, "soon"]),
    "apache_server_status_path": (["/server-status", "/_status"], ["/", "server-status", "/a b", ""]),
    "apache_server_status_allow": (
        [[], ["10.0.9.0/24", "192.0.2.7", "fd00::/64"]],
        [["10.0.9.0/33"], ["admin network"], "10.0.9.0/24", ["10.0.9.0/24 all"]],
    ),
    "haproxy_lb_stats_port": ([8404, "9000"], [80, 0, 65536, {"haproxy_lb_stats_port": 80, "haproxy_lb_port": "80"}]),
    "haproxy_lb_tls_port": (
        [443, "8443", {"haproxy_lb_tls_port": 80}],
        [0, 65536, {"haproxy_lb_tls_port": 80, "haproxy_lb_tls_enabled": True}],
    ),
    "haproxy_lb_tls_ciphers": ([["ECDHE-RSA-AES128-GCM-SHA256", "!aNULL", "@SECLEVEL=2"]], [[], ["A:B"], ["A B"], "A"]),
    "haproxy_lb_tls_ciphersuites": ([["TLS_AES_256_GCM_SHA384"]], [[], ["TLS_AES_256_GCM_SHA384'"]]),
    "haproxy_lb_tls_certificate_file": (["", "/etc/letsencrypt/live/lb/fullchain.pem"], ["lb.pem", "/etc/a b.pem"]),
    "haproxy_lb_tls_key_file": (
        ["", {"haproxy_lb_tls_certificate_file": "/etc/ssl/lb.crt", "haproxy_lb_tls_key_file": "/etc/ssl/lb.key"}],
        [
            "/etc/ssl/lb.key",
            {"haproxy_lb_tls_certificate_file": "/etc/ssl/lb.crt", "haproxy_lb_tls_key_file": "lb.key"},
        ],
    ),
    "haproxy_lb_tls_acme_enabled": (
        [
            "false",
            {
                "haproxy_lb_tls_acme_enabled": True,
                "haproxy_lb_tls_enabled": True,
                "haproxy_lb_tls_acme_names": ["www.example.com"],
            },
        ],
        [
            {"haproxy_lb_tls_acme_enabled": True, "haproxy_lb_tls_enabled": True},
            {"haproxy_lb_tls_acme_enabled": True, "haproxy_lb_tls_acme_names": ["www.example.com"]},
        ],
    ),
    "haproxy_lb_tls_acme_names": ([[], ["www.example.com", "example.com"]], [["*.example.com"], "example.com"]),
    "haproxy_lb_tls_acme_directory": (["https://pebble:14000/dir"], ["http://acme.example.com/dir"]),
    "haproxy_lb_tls_acme_email": (["", "ops@example.com"], ["ops"]),
    "haproxy_lb_tls_acme_renew_days": ([30], [0, 4000]),
    "haproxy_lb_tls_acme_ca_bundle": (["", "/root/.ansible/ca.pem"], ["ca.pem"]),
    # Filled by the role: the backends that redirect plain HTTP to HTTPS.
    "flask_wsgi_tls_redirect": ([[]], [["web1"]]),
    "haproxy_lb_stats_bind_address": (["127.0.0.1", "*", "[::1]"], ["localhost", "127.0.0.1\nlisten evil"]),
    "haproxy_lb_stats_path": (["/stats", "/haproxy/stats"], ["stats", "/a b"]),
    "haproxy_lb_stats_allow": ([["10.0.9.0/24"]], [["everyone"], "10.0.9.0/24"]),
    "haproxy_lb_backend_group": (["web"], [{"haproxy_lb_backend_hosts": []}]),
    "haproxy_lb_backend_name": (["flaskapp", "web.servers-1"], ["web servers", ""]),
    "haproxy_lb_backend_port": ([80, "8080"], [0, "80; rm -rf /"]),
    "haproxy_lb_port": ([80, 443], [0, 65536]),
    "haproxy_lb_bind_address": (["*", "127.0.0.1", "[::1]"], ["0.0.0.0\nlisten evil", "localhost", "::1"]),
    "haproxy_lb_healthcheck_path": (["/app/", "/", "/health"], ["app", "/a b"]),
    "haproxy_lb_healthcheck_host": (["localhost", "api.example.com"], ["bad host", ""]),
    "haproxy_lb_check_interval": ([100, 2000], [10, 99]),
    "haproxy_lb_check_rise": ([1, 5], [0]),
    "haproxy_lb_check_fall": ([1], [0, -1]),
    "haproxy_lb_backend_address": ([["web1"], ["10.0.0.5", "fd00::5"]], [["web 1"], ["10.0.0.5\nserver evil"]]),
}


def role_of(name):
    """The role whose rule NAME is: the load balancer also checks one host
    variable of the application's backends."""
    return next(role for role, rules in variables.RULES.items() if name in [rule[0] for rule in rules])


def values_with(name, case):
    changes = case if isinstance(case, dict) else {name: case}
    return GOOD[role_of(name)] | changes


def cases(accepted):
    return [
        pytest.param(name, case, id=f"{name}={case!r}")
        for name, (good, bad) in CASES.items()
        for case in (good if accepted else bad)
    ]


@pytest.mark.parametrize("role", sorted(variables.RULES))
def test_the_good_values_break_no_rule(role):
    assert variables.broken_rules(role, GOOD[role]) == []


def test_every_rule_has_cases():
    ruled = {name for rules in variables.RULES.values() for name, _rule, _check in rules}
    assert ruled == set(CASES)


@pytest.mark.parametrize(("name", "case"), cases(accepted=True))
def test_rule_accepts(name, case):
    assert variables.broken_rules(role_of(name), values_with(name, case)) == []


@pytest.mark.parametrize(("name", "case"), cases(accepted=False))
def test_rule_refuses_and_names_the_variable(name, case):
    # A value may break other rules too: an application directory of /
    # also holds the document root.
    broken = variables.broken_rules(role_of(name), values_with(name, case))
    assert name in [variable for variable, _rule, _value in broken]


def test_message_names_every_broken_variable_with_its_rule_and_value():
    values = GOOD["flask_wsgi"] | {"flask_wsgi_threads": 0, "flask_wsgi_mount_path": "app"}

    message = variables.failure_message("flask_wsgi", variables.broken_rules("flask_wsgi", values))

    assert message == (
        "flask_wsgi: flask_wsgi_threads must be a whole number from 1 to 1000; got 0 | "
        "flask_wsgi_mount_path must be a URL path that starts with / and has no trailing /, spaces or quotes; "
        'got "app"'
    )


@pytest.mark.parametrize(
    ("value", "number"), [(3, 3), ("3", 3), (" 7 ", 7), ("-2", -2), (True, None), (2.5, None), ("2.5", None)]
)
def test_whole_numbers(value, number):
    assert variables.whole(value) == number


def test_a_broken_environment_is_named_by_its_keys_never_its_values():
    broken = variables.broken_rules(
        "flask_wsgi", GOOD["flask_wsgi"] | {"flask_wsgi_environment": {"SECRET_KEY": "hunter2", "BAD-NAME": "x"}}
    )
    message = variables.failure_message("flask_wsgi", broken)
    assert "flask_wsgi_environment" in message
    assert '["BAD-NAME", "SECRET_KEY"]' in message
    assert "hunter2" not in message

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The rules the roles' variables must follow beyond their types.

meta/argument_specs.yml checks the types; these rules check what a type
cannot say: ranges, patterns that keep spaces, quotes and newlines out of
the Apache and HAProxy configuration and out of command lines, and how
values relate to each other. The action plugin check_variables applies them
before a role touches a host, and names every variable that breaks one.

Each rule is (variable, what it must be, check); check(value, values) gets
the variable's value and every value of the role, and says whether the
value is good. Plain Python with no Ansible import, so that the unit tests
exercise every rule directly.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

# The variables a rule may read (the role's, and what DERIVED names); a check
# of one value against them; a rule: (variable, what it must be, check).
Values = Mapping[str, Any]
Check = Callable[[Any, Values], bool]
Rule = tuple[str, str, Check]

# \Z, not $: $ would also accept a trailing newline.
NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
ACCOUNT = re.compile(r"[a-z_][a-z0-9_-]{0,31}\Z")
PATH = re.compile(r"(/[A-Za-z0-9_+-][A-Za-z0-9_.+-]*)+\Z")
URL_PATH = re.compile(r"(/|(/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)+)\Z")
LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
HOST = re.compile(rf"({LABEL}(\.{LABEL})*)?\Z")
WILDCARD_HOST = re.compile(rf"((\*\.)?{LABEL}(\.{LABEL})*)?\Z")
PACKAGE = re.compile(r"[a-z0-9][a-z0-9+.-]+\Z")
ENTRY_POINT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*\Z")
RELATIVE_PATH = re.compile(r"[A-Za-z0-9_+-][A-Za-z0-9_.+-]*(/[A-Za-z0-9_+-][A-Za-z0-9_.+-]*)*\Z")
RELEASE = re.compile(r"(previous|good|[0-9a-f][0-9a-f-]{0,63})?\Z")
GIT_VERSION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*\Z")
URL = re.compile(r"[^\s'\"]*\Z")
INDEX_URL = re.compile(r"https?://[^\s'\"]+\Z")
PIP_ARGUMENT = re.compile(r"-[^\s'\"]*\Z")
LOG_LEVEL = r"(emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])"
LOG_LEVELS = re.compile(rf"{LOG_LEVEL}( [a-z_]+:{LOG_LEVEL})*\Z")
UMASK = re.compile(r"0?[0-7]{3}\Z")
LOCALE = re.compile(r"[A-Za-z]+(_[A-Za-z]+)?(\.[A-Za-z0-9-]+)?(@[A-Za-z0-9]+)?\Z")
REQUEST_PATH = re.compile(r"[A-Za-z0-9_.~/?=&%+-]*\Z")
HAPROXY_NAME = re.compile(r"[A-Za-z0-9_.-]+\Z")
HAPROXY_PATH = re.compile(r"/[A-Za-z0-9_.~/-]*\Z")
BIND_ADDRESS = re.compile(r"(\*|[0-9.]+|\[[0-9A-Fa-f:]+\])\Z")
ADDRESS = re.compile(r"[A-Za-z0-9.:-]+\Z")
MODULE = re.compile(r"[a-z0-9_]+\Z")
ACME_DIRECTORY = re.compile(r"https://[^\s'\"]+\Z")
EMAIL = re.compile(r"[^\s@'\"]+@[A-Za-z0-9.-]+\Z")
# A file on the controller, only ever a copy's source.
# An OpenSSL cipher or cipher suite name, or one of its keywords (!aNULL,
# @SECLEVEL=1): no colon (the list's separator), space or quote.
CIPHER = re.compile(r"[A-Za-z0-9_+!@=.-]+\Z")
CONTROLLER_PATH = re.compile(r"/[^\r\n]*\Z")
MPMS = ("event", "worker", "prefork")
APPLICATION_GROUPS = ("%{GLOBAL}", "%{SERVER}", "%{RESOURCE}")
SYSTEM_DIRS = frozenset(
    [
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/opt",
        "/proc",
        "/root",
        "/run",
        "/sbin",
        "/srv",
        "/sys",
        "/tmp",
        "/usr",
        "/var",
        "/var/lib",
        "/var/www",
    ]
)


def whole(value: Any) -> int | None:
    """VALUE as a whole number, or None: an int, or a string of digits
    (values given with -e are strings). Booleans and fractions are not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    return None


def between(low: int, high: int | None = None) -> Check:
    """A check that the value is a whole number from LOW to HIGH."""

    def check(value: Any, _values: Values) -> bool:
        number = whole(value)
        return number is not None and number >= low and (high is None or number <= high)

    return check


def matches(pattern: re.Pattern[str], allow_empty: bool = False) -> Check:
    """A check that the value is a string PATTERN matches entirely."""

    def check(value: Any, _values: Values) -> bool:
        if not isinstance(value, str):
            return False
        return (allow_empty and value == "") or pattern.match(value) is not None

    return check


def list_of(pattern: re.Pattern[str]) -> Check:
    """A check that the value is a list whose every item PATTERN matches."""

    def check(value: Any, _values: Values) -> bool:
        return isinstance(value, list) and all(isinstance(item, str) and pattern.match(item) for item in value)

    return check


def ciphers(value: Any, _values: Values) -> bool:
    """A non-empty list of OpenSSL cipher names."""
    return bool(value) and list_of(CIPHER)(value, _values)


def nested(first: str, second: str) -> bool:
    """Whether one of two absolute paths holds the other (or they are one)."""
    first, second = first.rstrip("/") + "/", second.rstrip("/") + "/"
    return first.startswith(second) or second.startswith(first)


def absolute_apart(*others: str, system_dir_allowed: bool = False) -> Check:
    """A check that the value is an absolute path, not a system directory
    (unless SYSTEM_DIR_ALLOWED), and neither holds nor sits inside the
    directories named by OTHERS."""

    def check(value: Any, values: Values) -> bool:
        if not isinstance(value, str) or not PATH.match(value):
            return False
        if value in SYSTEM_DIRS and not system_dir_allowed:
            return False
        return not any(isinstance(values.get(other), str) and nested(value, values[other]) for other in others)

    return check


# Modules a LogLevel module:level pair may name: Apache would refuse one not
# loaded. Those built into Debian's apache2, and those the role enables.
BUILT_IN_MODULES = frozenset(["core", "http", "so", "log_config", "logio", "version", "unixd", "watchdog"])


def log_level(value: Any, values: Values) -> bool:
    if not matches(LOG_LEVELS)(value, values):
        return False
    loaded = BUILT_IN_MODULES | {"wsgi", "headers"}
    if values.get("flask_wsgi_tls_enabled"):
        loaded |= {"ssl", "rewrite"} if values.get("flask_wsgi_tls_redirect") else {"ssl"}
    return all(pair.split(":")[0] in loaded for pair in value.split()[1:])


def processes(value: Any, _values: Values) -> bool:
    return value == "auto" or between(1, 256)(value, _values)


def tls_port(value: Any, values: Values) -> bool:
    same = values.get("flask_wsgi_tls_enabled") and whole(value) == whole(values.get("flask_wsgi_port"))
    return between(1, 65535)(value, values) and not same


def tls_certificate(value: Any, values: Values) -> bool:
    key = values.get("flask_wsgi_tls_key_file", "")
    return matches(PATH, allow_empty=True)(value, values) and (value == "") == (key == "")


def switch_needing(required: Sequence[str], excluded: str) -> Check:
    """A check that a boolean switch is off, or on with every variable in
    REQUIRED set and the one EXCLUDED empty."""

    def check(value: Any, values: Values) -> bool:
        word = str(value).lower()
        if word in ("false", "no", "off", "0"):
            return True
        return (
            word in ("true", "yes", "on", "1")
            and all(values.get(name) for name in required)
            and not values.get(excluded)
        )

    return check


def acme_names(value: Any, values: Values) -> bool:
    """More names for the certificate: host names, no wildcards (http-01
    cannot prove one), at most 100 with the server name (Let's Encrypt's
    limit)."""
    return list_of(HOST)(value, values) and "" not in value and len(value) < 100


def acme_rules(prefix: str) -> list[Rule]:
    """The rules of a role's ACME variables PREFIX_names, _directory,
    _email, _renew_days and _ca_bundle; both roles ask certbot alike."""
    return [
        (
            f"{prefix}_names",
            "must be a list of host names without wildcards (http-01 cannot prove one), fewer than 100",
            acme_names,
        ),
        (f"{prefix}_directory", "must be the https:// URL of an ACME server's directory", matches(ACME_DIRECTORY)),
        (f"{prefix}_email", "must be empty or an e-mail address", matches(EMAIL, allow_empty=True)),
        (f"{prefix}_renew_days", "must be a whole number of days from 1 to 3650", between(1, 3650)),
        (
            f"{prefix}_ca_bundle",
            "must be empty or an absolute path on the controller",
            matches(CONTROLLER_PATH, allow_empty=True),
        ),
    ]


def application_group(value: Any, values: Values) -> bool:
    return value in APPLICATION_GROUPS or matches(NAME)(value, values)


def single_lines(value: Any, _values: Values) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and not re.search(r"[\r\n]", item) for item in value)


def app_src(value: Any, values: Values) -> bool:
    return (
        isinstance(value, str)
        and not re.search(r"[\r\n]", value)
        and not (value and values.get("flask_wsgi_app_git_repo"))
    )


ENVIRONMENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def environment(value: Any, _values: Values) -> bool:
    return isinstance(value, dict) and all(
        isinstance(name, str)
        and ENVIRONMENT_NAME.match(name)
        and isinstance(item, (str, int, float, bool))
        and "\0" not in str(item)
        for name, item in value.items()
    )


def static_mappings(value: Any, _values: Values) -> bool:
    return isinstance(value, list) and all(
        isinstance(entry, dict)
        and set(entry) == {"url", "dir"}
        and isinstance(entry["url"], str)
        and URL_PATH.match(entry["url"])
        and entry["url"] != "/"
        and isinstance(entry["dir"], str)
        and RELATIVE_PATH.match(entry["dir"])
        and ".." not in entry["dir"].split("/")
        for entry in value
    )


def commands(value: Any, _values: Values) -> bool:
    return isinstance(value, list) and all(
        isinstance(command, str) and command.strip() and "\n" not in command and "\0" not in command
        for command in value
    )


def status_codes(value: Any, _values: Values) -> bool:
    codes = [whole(code) for code in value] if isinstance(value, list) else []
    return bool(codes) and all(code is not None and 100 <= code <= 599 for code in codes)


def status_path(value: Any, _values: Values) -> bool:
    return isinstance(value, str) and value != "/" and bool(URL_PATH.match(value))


def networks(value: Any, _values: Values) -> bool:
    """A list of IP addresses or networks, as Apache's Require ip and
    HAProxy's src take them."""
    if not isinstance(value, list):
        return False
    for entry in value:
        try:
            ipaddress.ip_network(entry, strict=False)
        except (TypeError, ValueError):
            return False
    return True


def stats_port(value: Any, values: Values) -> bool:
    return between(1, 65535)(value, values) and whole(value) != whole(values.get("haproxy_lb_port"))


def lb_tls_port(value: Any, values: Values) -> bool:
    ports = [whole(values.get("haproxy_lb_port"))]
    if values.get("haproxy_lb_stats"):
        ports.append(whole(values.get("haproxy_lb_stats_port")))
    return between(1, 65535)(value, values) and (not values.get("haproxy_lb_tls_enabled") or whole(value) not in ports)


def lb_tls_key(value: Any, values: Values) -> bool:
    return matches(PATH, allow_empty=True)(value, values) and (
        value == "" or bool(values.get("haproxy_lb_tls_certificate_file"))
    )


def backend_group(_value: Any, values: Values) -> bool:
    hosts = values.get("haproxy_lb_backend_hosts")
    return isinstance(hosts, list) and len(hosts) > 0


CIPHERS_RULE = "must be a non-empty list of OpenSSL cipher names, without colons, spaces or quotes"

RULES: dict[str, list[Rule]] = {
    "apache_server": [
        ("apache_server_mpm", "must be event, worker or prefork", lambda value, _values: value in MPMS),
        ("apache_server_modules", "must be a list of module names as a2enmod takes them", list_of(MODULE)),
        (
            "apache_server_state_dir",
            "must be an absolute path, not / or a system directory",
            absolute_apart(),
        ),
        ("apache_server_apt_cache_valid_time", "must be a number of seconds, 0 or more", between(0)),
        ("apache_server_lock_wait", "must be a number of seconds, 0 or more", between(0)),
        ("apache_server_status_path", "must be a URL path other than /, such as /server-status", status_path),
        ("apache_server_status_allow", "must be a list of IP addresses or networks (10.0.9.0/24)", networks),
    ],
    "flask_wsgi": [
        ("flask_wsgi_processes", "must be auto or a whole number from 1 to 256", processes),
        ("flask_wsgi_threads", "must be a whole number from 1 to 1000", between(1, 1000)),
        ("flask_wsgi_port", "must be a TCP port from 1 to 65535", between(1, 65535)),
        ("flask_wsgi_tls_port", "must be a TCP port from 1 to 65535, other than flask_wsgi_port", tls_port),
        (
            "flask_wsgi_tls_certificate_file",
            "must be empty or an absolute path, and set together with flask_wsgi_tls_key_file",
            tls_certificate,
        ),
        ("flask_wsgi_tls_key_file", "must be empty or an absolute path", matches(PATH, allow_empty=True)),
        (
            "flask_wsgi_tls_acme_enabled",
            "must be true or false; true needs flask_wsgi_tls_enabled, a flask_wsgi_server_name and no "
            "flask_wsgi_tls_certificate_file",
            # ACME gets the certificate of the HTTPS vhost, named by its ServerName.
            switch_needing(["flask_wsgi_tls_enabled", "flask_wsgi_server_name"], "flask_wsgi_tls_certificate_file"),
        ),
        *acme_rules("flask_wsgi_tls_acme"),
        (
            "flask_wsgi_tls_hsts_max_age",
            "must be a number of seconds from 0 (none sent) to 63072000",
            between(0, 63072000),
        ),
        (
            "flask_wsgi_mount_path",
            "must be a URL path that starts with / and has no trailing /, spaces or quotes",
            matches(URL_PATH),
        ),
        ("flask_wsgi_process_group", "must be a name of letters, digits, '.', '_' and '-'", matches(NAME)),
        ("flask_wsgi_display_name", "must be a name of letters, digits, '.', '_' and '-'", matches(NAME)),
        (
            "flask_wsgi_user",
            "must be a valid system account name (lower case, at most 32 characters)",
            lambda value, values: matches(ACCOUNT)(value, values) and value != "root",
        ),
        (
            "flask_wsgi_group",
            "must be a valid system group name (lower case, at most 32 characters)",
            lambda value, values: matches(ACCOUNT)(value, values) and value != "root",
        ),
        ("flask_wsgi_user_shell", "must be an absolute path", matches(PATH)),
        (
            "flask_wsgi_user_home",
            "must be an absolute path outside the application and document directories",
            absolute_apart("flask_wsgi_app_dir", "flask_wsgi_document_root", system_dir_allowed=True),
        ),
        ("flask_wsgi_app_dir", "must be an absolute path, not / or a system directory", absolute_apart()),
        (
            "flask_wsgi_document_root",
            "must be an absolute path that neither holds nor sits inside the application directory",
            absolute_apart("flask_wsgi_app_dir"),
        ),
        (
            "flask_wsgi_state_dir",
            "must be an absolute path, not / or a system directory, that neither holds nor sits inside the "
            "application directory",
            absolute_apart("flask_wsgi_app_dir"),
        ),
        ("flask_wsgi_script_name", "must be a file name of letters, digits, '.', '_' and '-'", matches(NAME)),
        (
            "flask_wsgi_site_name",
            "must be a file name of letters, digits, '.', '_' and '-', other than 000-default",
            lambda value, values: matches(NAME)(value, values) and value != "000-default",
        ),
        (
            "flask_wsgi_server_name",
            "must be empty or a host name without wildcards (those go in flask_wsgi_server_aliases)",
            matches(HOST),
        ),
        (
            "flask_wsgi_server_aliases",
            "must be a list of host names, each may start with *. (a wildcard)",
            lambda value, values: list_of(WILDCARD_HOST)(value, values) and "" not in value,
        ),
        (
            "flask_wsgi_application_group",
            "must be %{GLOBAL}, %{SERVER}, %{RESOURCE} or a name of letters, digits, '.', '_' and '-'",
            application_group,
        ),
        ("flask_wsgi_umask", "must be an octal umask such as 0027", matches(UMASK)),
        ("flask_wsgi_locale", "must be a locale name such as C.UTF-8 or en_US.UTF-8", matches(LOCALE)),
        ("flask_wsgi_request_timeout", "must be a number of seconds from 0 (no limit) to 86400", between(0, 86400)),
        ("flask_wsgi_queue_timeout", "must be a number of seconds from 0 (no limit) to 86400", between(0, 86400)),
        ("flask_wsgi_graceful_timeout", "must be a number of seconds from 0 (no limit) to 86400", between(0, 86400)),
        ("flask_wsgi_startup_timeout", "must be a number of seconds from 0 (no limit) to 86400", between(0, 86400)),
        (
            "flask_wsgi_log_level",
            'must be an Apache log level, then optional module:level pairs, such as "warn wsgi:info", '
            "for modules Apache has loaded (built in, wsgi, headers; ssl and rewrite with HTTPS)",
            log_level,
        ),
        ("flask_wsgi_vhost_extra_directives", "must be a list of single-line strings", single_lines),
        ("flask_wsgi_extra_packages", "must be a list of Debian package names", list_of(PACKAGE)),
        ("flask_wsgi_tls_ciphers", CIPHERS_RULE, ciphers),
        (
            "flask_wsgi_app_src",
            "must be empty or a directory path, and not set together with flask_wsgi_app_git_repo",
            app_src,
        ),
        ("flask_wsgi_app_git_repo", "must be empty or a repository URL without spaces or quotes", matches(URL)),
        ("flask_wsgi_app_git_version", "must be a branch, tag or commit name", matches(GIT_VERSION)),
        (
            "flask_wsgi_entry_point",
            "must be empty or module:callable, such as myapp.wsgi:app",
            matches(ENTRY_POINT, allow_empty=True),
        ),
        (
            "flask_wsgi_requirements_file",
            "must be empty or a path relative to flask_wsgi_app_dir, without '..'",
            matches(RELATIVE_PATH, allow_empty=True),
        ),
        ("flask_wsgi_keep_releases", "must be a whole number from 2 to 100", between(2, 100)),
        ("flask_wsgi_lock_wait", "must be a number of seconds, 0 or more", between(0)),
        (
            "flask_wsgi_environment",
            "must be a dict of environment variable names (letters, digits, '_') to strings, numbers or booleans",
            environment,
        ),
        (
            "flask_wsgi_static",
            "must be a list of {url: /a/url/path, dir: a/path/in/the/code} (the dir without '..', the url not /)",
            static_mappings,
        ),
        ("flask_wsgi_static_max_age", "must be a number of seconds from 0 to 31536000", between(0, 31536000)),
        ("flask_wsgi_release_commands", "must be a list of one-line shell commands", commands),
        ("flask_wsgi_state", "must be present or absent", lambda value, _values: value in ("present", "absent")),
        (
            "flask_wsgi_release",
            "must be empty, previous, good or a release id (lowercase hex digits and '-')",
            matches(RELEASE),
        ),
        (
            "flask_wsgi_pip_index_url",
            "must be empty or an http:// or https:// URL without spaces or quotes",
            matches(INDEX_URL, allow_empty=True),
        ),
        (
            "flask_wsgi_pip_extra_args",
            "must be a list of pip options without spaces or quotes, such as --retries=2",
            list_of(PIP_ARGUMENT),
        ),
        ("flask_wsgi_apt_cache_valid_time", "must be a number of seconds, 0 or more", between(0)),
        ("flask_wsgi_healthcheck_path", "must be a URL path without spaces or quotes", matches(REQUEST_PATH)),
        (
            "flask_wsgi_healthcheck_status_codes",
            "must be a non-empty list of HTTP statuses from 100 to 599",
            status_codes,
        ),
        ("flask_wsgi_healthcheck_retries", "must be a whole number from 0 to 100", between(0, 100)),
        ("flask_wsgi_healthcheck_delay", "must be a number of seconds from 0 to 60", between(0, 60)),
    ],
    "haproxy_lb": [
        ("haproxy_lb_backend_group", "must name an inventory group with at least one host", backend_group),
        ("haproxy_lb_backend_name", "must be letters, digits, '_', '.' or '-'", matches(HAPROXY_NAME)),
        ("haproxy_lb_backend_port", "must be a port number from 1 to 65535", between(1, 65535)),
        ("haproxy_lb_port", "must be a port number from 1 to 65535", between(1, 65535)),
        ("haproxy_lb_stats_port", "must be a port number from 1 to 65535, other than haproxy_lb_port", stats_port),
        (
            "haproxy_lb_tls_port",
            "must be a port number from 1 to 65535, other than haproxy_lb_port and haproxy_lb_stats_port",
            lb_tls_port,
        ),
        ("haproxy_lb_tls_ciphers", CIPHERS_RULE, ciphers),
        ("haproxy_lb_tls_ciphersuites", CIPHERS_RULE, ciphers),
        (
            "haproxy_lb_tls_certificate_file",
            "must be empty or an absolute path",
            matches(PATH, allow_empty=True),
        ),
        (
            "haproxy_lb_tls_key_file",
            "must be empty or an absolute path, and set only with haproxy_lb_tls_certificate_file",
            lb_tls_key,
        ),
        (
            "haproxy_lb_tls_acme_enabled",
            "must be true or false; true needs haproxy_lb_tls_enabled, haproxy_lb_tls_acme_names and no "
            "haproxy_lb_tls_certificate_file",
            switch_needing(["haproxy_lb_tls_enabled", "haproxy_lb_tls_acme_names"], "haproxy_lb_tls_certificate_file"),
        ),
        *acme_rules("haproxy_lb_tls_acme"),
        (
            "flask_wsgi_tls_redirect",
            "(a host variable of the backends) must be false where flask_wsgi_tls_enabled is true: HAProxy speaks "
            "plain HTTP to the backends, which would answer every request with a redirect to HTTPS (a loop with "
            "HTTPS at the load balancer); the backends that redirect are",
            lambda value, _values: value == [],
        ),
        (
            "haproxy_lb_stats_bind_address",
            "must be '*', an IPv4 address or a bracketed IPv6 address",
            matches(BIND_ADDRESS),
        ),
        ("haproxy_lb_stats_path", "must be a URL path such as /stats", matches(HAPROXY_PATH)),
        ("haproxy_lb_stats_allow", "must be a list of IP addresses or networks (10.0.9.0/24)", networks),
        ("haproxy_lb_bind_address", "must be '*', an IPv4 address or a bracketed IPv6 address", matches(BIND_ADDRESS)),
        (
            "haproxy_lb_healthcheck_path",
            "must be a URL path starting with '/', without spaces or quotes",
            matches(HAPROXY_PATH),
        ),
        (
            "haproxy_lb_healthcheck_host",
            "must be a host name",
            lambda value, values: bool(value) and matches(HOST)(value, values),
        ),
        ("haproxy_lb_check_interval", "must be a number of milliseconds, 100 or more", between(100)),
        ("haproxy_lb_check_rise", "must be 1 or more", between(1)),
        ("haproxy_lb_check_fall", "must be 1 or more", between(1)),
        (
            "haproxy_lb_backend_address",
            "(a host variable of the backends) must be a host name or an IP address",
            list_of(ADDRESS),
        ),
    ],
}

# What the rules read beyond the variables they are named after: worked out
# by the role from the inventory and passed in with the values.
DERIVED: dict[str, list[str]] = {
    "apache_server": [],
    "flask_wsgi": [
        "flask_wsgi_tls_enabled",
        "flask_wsgi_tls_redirect",
        "flask_wsgi_script_src",
        "flask_wsgi_pip_ca_bundle",
        "flask_wsgi_tls_certificate_file",
    ],
    "haproxy_lb": ["haproxy_lb_backend_hosts", "haproxy_lb_tls_enabled", "haproxy_lb_stats"],
}


def broken_rules(role: str, values: Values) -> list[tuple[str, str, Any]]:
    """The rules of ROLE that VALUES break, as (variable, rule, value).

    VALUES holds the role's variables and what DERIVED names; for haproxy_lb,
    haproxy_lb_backend_hosts (the hosts of the backend group) and
    haproxy_lb_backend_address (the address HAProxy reaches each at)."""
    return [(name, rule, values.get(name)) for name, rule, check in RULES[role] if not check(values.get(name), values)]


def variable_names(role: str) -> list[str]:
    """The variables ROLE's rules read."""
    return [name for name, _rule, _check in RULES[role]] + DERIVED[role]


# Variables whose values are secrets: a failure names their keys only.
SECRET_VARIABLES = frozenset(["flask_wsgi_environment"])


def shown(name: str, value: Any) -> str:
    if name in SECRET_VARIABLES:
        return f"keys {json.dumps(sorted(map(str, value)))}" if isinstance(value, dict) else "a value that is no dict"
    return json.dumps(value)


def failure_message(role: str, broken: Sequence[tuple[str, str, Any]]) -> str:
    """One message naming every broken rule, separated by " | "."""
    return f"{role}: " + " | ".join(f"{name} {rule}; got {shown(name, value)}" for name, rule, value in broken)

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Everything the flask_wsgi role manages for one application on a host,
one entry a thing (plugin_utils/registry.py says what an entry is and
what is derived from it).

Adding a managed file is one entry here, plus its template or file.
"""

from __future__ import annotations

from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.certificates import (
    acme_entries,
    selfsigned_entries,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.plan.paths import Plan, Values, text_checksum
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.registry import (
    FILE_SOURCES,
    PHASES,
    PICK_UPS,
    WRITTEN_SOURCES,
    Entry,
    as_entries,
    by_name,
    compare_form,
    compared_paths,
    due,
    file_write,
    file_writes,
    known_good_copy,
    missing_packages,
    only,
    package_entries,
    packages,
    pick_up,
    restore_files,
    strongest,
    variable_content,
    with_copies,
)
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

__all__ = [
    "FILE_SOURCES",
    "PHASES",
    "WRITTEN_SOURCES",
    "PICK_UPS",
    "Entry",
    "as_entries",
    "by_name",
    "compare_form",
    "compared_paths",
    "due",
    "entries",
    "file_write",
    "file_writes",
    "known_good_copy",
    "missing_packages",
    "only",
    "packages",
    "pick_up",
    "restore_files",
    "strongest",
    "variable_content",
    "writer",
]


def writer(entry: Entry) -> str:
    """Which kind of task of the role writes ENTRY: a managed_files call of
    its phase (directories and files; the account's mark, with the
    directories), the apache_links call (the modules and the site link),
    the tls_selfsigned call (a self-signed pair), or the apt_packages call
    (the packages)."""
    if entry.source in WRITTEN_SOURCES or entry.source == "mark":
        return f"files:{entry.phase}"
    return {"link": "links", "module": "links", "generated": "generated", "package": "packages"}[entry.source]


def wanted_packages(values: Values, plan: Plan) -> list[str]:
    """The packages the application needs: Apache's, mod_wsgi's and
    Flask's, then git, the virtualenv's, the extra ones, HTTPS's and
    certbot as it uses them."""
    names = list(plan["base_packages"])
    if values["flask_wsgi_app_git_repo"]:
        names.append("git")
    if plan["use_venv"]:
        names += ["python3-venv", "python3-packaging"]
    names += list(values["flask_wsgi_extra_packages"])
    if truth(values["flask_wsgi_tls_enabled"]):
        names.append("python3-cryptography")
    if plan["acme"]:
        names.append("certbot")
    return names


def entries(
    values: Values,
    plan: Plan,
    recorder_checksum: str | None,
    start_checksum: str | None,
) -> list[Entry]:
    """Everything the role manages for one application, with PLAN (wanted's
    names: the paths it works out from VALUES and Apache's layout): the
    packages first, with ACME what serves its challenges, and a
    self-signed pair (certificates.py). A given or certbot's certificate
    and the releases are not here: certificates.py and release.py decide
    them."""
    site = values["flask_wsgi_site_name"]
    user, group = values["flask_wsgi_user"], values["flask_wsgi_group"]
    user_existing = truth(values["flask_wsgi_user_existing"])
    registry = package_entries(wanted_packages(values, plan))
    registry += [
        # Root's, but the daemons reach their records below it.
        Entry("state_dir", values["flask_wsgi_state_dir"], "directory", mode="0711", phase="prepare"),
        Entry("app_dir", values["flask_wsgi_app_dir"], "directory", mode="0755", phase="prepare"),
        Entry("releases_dir", plan["releases_dir"], "directory", mode="0755", phase="prepare"),
        Entry("venvs_dir", plan["venvs_dir"], "directory", mode="0755", phase="prepare"),
        Entry("document_root", values["flask_wsgi_document_root"], "directory", mode="0755", phase="prepare"),
        Entry("known_good_dir", plan["known_good_dir"], "directory", mode="0700", phase="prepare"),
    ]
    if not user_existing:
        # The daemons' home, which the role keeps unless it uses an existing
        # account as it is.
        registry.append(
            Entry(
                "home",
                values["flask_wsgi_user_home"],
                "directory",
                owner=user,
                group=group,
                mode="0750",
                phase="prepare",
            )
        )
    if plan["preload"]:
        # mod_wsgi preloads the recorder in every daemon process after the
        # WSGI script; it notes there whether the process loaded the script.
        registry.append(
            Entry(
                "daemon_records",
                plan["daemon_records_dir"],
                "directory",
                owner=user,
                group=group,
                mode="0700",
                phase="prepare",
            )
        )
    if plan["use_venv"] and values["flask_wsgi_pip_ca_bundle"]:
        bundle = values["flask_wsgi_pip_ca_bundle"]
        registry.append(
            Entry(
                "pip_ca", plan["pip_ca_path"], "controller_file", bundle, phase="build", checksum=file_checksum(bundle)
            )
        )
    if plan["preload"]:
        registry.append(
            Entry(
                "daemon_recorder",
                plan["daemon_recorder"],
                "role_file",
                "daemon_record.py",
                picks_up="daemons",
                checksum=recorder_checksum or "",
            )
        )
    registry.append(
        Entry(
            "daemon_start",
            plan["daemon_start"],
            "role_file",
            "daemon_start.py",
            picks_up="daemons",
            phase="build",
            checksum=start_checksum or "",
        )
    )
    # Secrets: root's, readable by the daemons' group only.
    environment = variable_content(values.get("flask_wsgi_environment"))
    registry.append(
        Entry(
            "environment",
            plan["environment_file"],
            "variable",
            "flask_wsgi_environment",
            group=group,
            mode="0640",
            present=bool(values.get("flask_wsgi_environment")),
            picks_up="daemons",
            phase="build",
            secret=True,
            checksum=text_checksum(environment),
        )
    )
    registry += [
        Entry(
            f"module:{module['name']}",
            module["link"],
            "module",
            module["name"],
            present=module["enabled"],
            picks_up="restart",
        )
        for module in plan["apache_modules"]
    ]
    registry += [
        Entry(
            "vhost",
            plan["site_file"],
            "template",
            "wsgi.conf.j2",
            picks_up="reload",
            rollback=True,
            known_good=f"{plan['known_good_dir']}/site.conf",
        ),
        Entry("site", plan["site_link"], "link", site, picks_up="reload"),
        # What the other applications on the host know of this one.
        Entry(
            "app_record",
            plan["app_record_path"],
            "text",
            plan["app_record_text"],
            mode="0600",
            phase="record",
            checksum=text_checksum(plan["app_record_text"]),
        ),
        # The mark that tells the next runs the account is the role's.
        # Written as soon as the role created or adopted the account.
        Entry("account_mark", plan["account_mark"], "mark", mode="0600", present=not user_existing, phase="prepare"),
    ]
    if plan["acme"]:
        registry += acme_entries(plan["acme"])
    if plan["tls_selfsigned"]:
        registry += selfsigned_entries(plan["tls_dir"], plan["tls_key_path"], plan["tls_certificate_path"])
    return with_copies(registry)

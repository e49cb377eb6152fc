# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""What the flask_wsgi role makes of a host, and what a run must apply.

Three steps, each a plain function of plain data, unit-tested without a host:

- wanted(values): from the role's variables (and Apache's layout), every
  path the role manages with the state it should be in, the packages, the
  modules and the names the tasks use. Worked out on the controller before
  the host is read.
- compare(values, wanted, host, checksums): the host reading against that:
  which parts differ, what the account may be, whether the host is already
  as it should be. Every task that changes a part runs only when its part is
  named here; no task works this out again.
- apply_action(...): after the tasks ran, what the running server must pick
  up: nothing, the daemons restarted for new code, a graceful reload of
  Apache, or a full restart.
"""

import hashlib
import io
import json
import os
import tarfile

from ansible_collections.flaskwsgi.deploy.plugins.module_utils import acme, apps, lock
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel
from ansible_collections.flaskwsgi.deploy.plugins.module_utils.trees import file_checksum, wanted_tree
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.accounts import account_verdict
from ansible_collections.flaskwsgi.deploy.plugins.plugin_utils.role_vars import truth

ROOT_DIRECTORY = {"type": "directory", "uid": 0, "gid": 0}
ROOT_FILE = {"type": "file", "uid": 0, "gid": 0, "mode": "0644"}
ROOT_SECRET = {"type": "file", "uid": 0, "gid": 0, "mode": "0600"}

# What the server must pick up, from least to most.
ACTIONS = ("none", "daemons", "reload", "restart")
# Which task results mean what; apply_action reads them by these names.
MODULE_RESULTS = ("modules",)
CONFIGURATION_RESULTS = ("vhost", "site", "tls_key", "tls_certificate")
CODE_RESULTS = ("release", "unpack", "recorder", "start", "environment")
# 2000-01-01, the modification time of every file in a release archive.
ARCHIVE_MTIME = 946684800


def digest(*parts):
    """A short SHA-1 of PARTS, each made a string."""
    return hashlib.sha1("\0".join(json.dumps(part, sort_keys=True) for part in parts).encode()).hexdigest()


def entry_point_script(entry_point):
    """The WSGI script that hands mod_wsgi the application ENTRY_POINT
    ("module:callable") under the name it calls."""
    module, attribute = entry_point.split(":", 1)
    return (
        "# Managed by the flaskwsgi.deploy.flask_wsgi role.\n"
        f"# The script mod_wsgi loads: it hands over {entry_point} under the name mod_wsgi calls.\n"
        f"from {module} import {attribute} as application\n"
    )


def venv_id(values, requirements_checksum):
    """The virtualenv the requirements whose SHA-1 is REQUIREMENTS_CHECKSUM
    get, with this index and these pip options: another release with the
    same requirements shares it."""
    return digest(
        requirements_checksum,
        values["flask_wsgi_pip_index_url"],
        list(values["flask_wsgi_pip_extra_args"]),
        bool(values["flask_wsgi_pip_ca_bundle"]),
    )[:12]


def venv_paths(venvs_dir, venv):
    """Where the release's link to the virtualenv VENV points, its path,
    and the file that marks it complete."""
    return {
        "release_venv": venv,
        "release_venv_target": rel.venv_link_target(venv),
        "release_venv_path": f"{venvs_dir}/{venv}",
        "release_venv_complete": f"{venvs_dir}/{venv}/{rel.VENV_COMPLETE}",
    }


def git_release_id(commit, script_checksum, script_name, values):
    """A release from git: the commit, then a digest of what else goes into
    it (the WSGI script, the pip settings its virtualenv is built with)."""
    return f"{commit[:12]}-{digest(script_checksum, script_name, venv_id(values, ''))[:8]}"


def healthcheck_url(values):
    """The URL the health check asks: the HTTPS vhost with HTTPS on (it
    serves the application in every case), on the host's loopback."""
    if truth(values["flask_wsgi_tls_enabled"]):
        base = f"https://127.0.0.1:{values['flask_wsgi_tls_port']}"
    else:
        base = f"http://127.0.0.1:{values['flask_wsgi_port']}"
    mount = str(values["flask_wsgi_mount_path"]).rstrip("/")
    return f"{base}{mount}/{str(values['flask_wsgi_healthcheck_path']).lstrip('/')}"


# The Apache configuration that serves the ACME challenges, for every site.
ACME_CONF = "flask-wsgi-acme-challenge"


def acme_challenge_conf(webroot):
    """The configuration that answers ACME http-01 challenges from certbot's
    WEBROOT, server-wide: a vhost inherits it, and mod_alias maps the URL
    before a WSGIScriptAlias, even one mounted at /."""
    directory = f"{webroot}{acme.CHALLENGE_URL}"
    return (
        "# Managed by the flaskwsgi.deploy.flask_wsgi role: the ACME http-01\n"
        "# challenges certbot writes, answered for every site on the host.\n"
        f"Alias {acme.CHALLENGE_URL} {directory}\n"
        f"<Directory {directory}>\n"
        "    Options None\n"
        "    AllowOverride None\n"
        "    ForceType text/plain\n"
        "    Require all granted\n"
        "</Directory>\n"
    )


def certbot_dropin(ca_bundle):
    """The drop-in that makes certbot's renewal service trust CA_BUNDLE for
    the ACME server."""
    return (
        "# Managed by the flaskwsgi.deploy.flask_wsgi role: the ACME server's CA.\n"
        f"[Service]\nEnvironment=REQUESTS_CA_BUNDLE={ca_bundle}\n"
    )


def acme_plan(values, layout):
    """With flask_wsgi_tls_acme_enabled: what the flask_wsgi_acme module
    gets (the certificate certbot keeps under the site's name, for the
    server name and flask_wsgi_tls_acme_names), and the paths that serve
    its challenges; else {}."""
    if not (truth(values["flask_wsgi_tls_enabled"]) and truth(values["flask_wsgi_tls_acme_enabled"])):
        return {}
    acme_dir = layout["acme_dir"]
    ca_source = values["flask_wsgi_tls_acme_ca_bundle"]
    ca_path = f"{acme_dir}/ca-bundle.pem"
    ca_bundle = ca_path if ca_source else ""
    wanted_acme = {
        "cert_name": values["flask_wsgi_site_name"],
        "names": list(dict.fromkeys([values["flask_wsgi_server_name"], *values["flask_wsgi_tls_acme_names"]])),
        "directory": values["flask_wsgi_tls_acme_directory"],
        "email": values["flask_wsgi_tls_acme_email"],
        "webroot": f"{acme_dir}/challenges",
        "renew_days": int(values["flask_wsgi_tls_acme_renew_days"]),
        # A graceful reload: requests in flight finish on the old certificate.
        "deploy_hook": f"systemctl reload {layout['apache_service']}",
        "ca_bundle": ca_bundle,
        "ca_path": ca_path,
        "conf_file": f"{layout['apache_conf_available']}/{ACME_CONF}.conf",
        "conf_link": f"{layout['apache_conf_enabled']}/{ACME_CONF}.conf",
        "alias_link": f"{layout['apache_mods_enabled']}/alias.load",
        "dropin_file": f"{layout['certbot_dropin_dir']}/flask-wsgi-acme.conf",
    }
    wanted_acme["conf_content"] = acme_challenge_conf(wanted_acme["webroot"])
    wanted_acme["dropin_content"] = certbot_dropin(ca_bundle) if ca_bundle else ""
    paths = [
        dict(ROOT_DIRECTORY, path=acme_dir, mode="0755"),
        dict(ROOT_DIRECTORY, path=wanted_acme["webroot"], mode="0755"),
        dict(ROOT_FILE, path=wanted_acme["conf_file"], checksum=text_checksum(wanted_acme["conf_content"])),
        {"path": wanted_acme["conf_link"], "exists": True},
        {"path": wanted_acme["alias_link"], "exists": True},
    ]
    if ca_bundle:
        paths += [
            dict(ROOT_FILE, path=ca_bundle, checksum=file_checksum(ca_source)),
            dict(ROOT_FILE, path=wanted_acme["dropin_file"], checksum=text_checksum(wanted_acme["dropin_content"])),
        ]
    else:
        paths += [{"path": ca_path, "exists": False}, {"path": wanted_acme["dropin_file"], "exists": False}]
    wanted_acme["paths"] = paths
    return wanted_acme


def text_checksum(text):
    return hashlib.sha1(text.encode()).hexdigest()


def tls_plan(values, tls_dir, acme_wanted=None):
    """The certificate and key paths, whether the role generates them, and
    the paths the host reading checks for them."""
    if not truth(values["flask_wsgi_tls_enabled"]):
        return {"selfsigned": False, "certificate_path": "", "key_path": "", "paths": []}
    if acme_wanted:
        live = acme.live_paths(acme_wanted["cert_name"])
        return {
            "selfsigned": False,
            "certificate_path": live["certificate"],
            "key_path": live["key"],
            "paths": acme_wanted["paths"],
        }
    site = values["flask_wsgi_site_name"]
    selfsigned = not values["flask_wsgi_tls_certificate_file"]
    certificate = values["flask_wsgi_tls_certificate_file"] or f"{tls_dir}/{site}.crt"
    key = values["flask_wsgi_tls_key_file"] or f"{tls_dir}/{site}.key"
    if selfsigned:
        # A generated pair belongs to root; its key is readable by root only.
        paths = [
            dict(ROOT_DIRECTORY, path=tls_dir, mode="0700"),
            dict(ROOT_FILE, path=certificate),
            dict(ROOT_FILE, path=key, mode="0600"),
        ]
    else:
        # A given pair only has to exist: an ACME client's live/ paths are links.
        paths = [{"path": certificate, "exists": True}, {"path": key, "exists": True}]
    return {"selfsigned": selfsigned, "certificate_path": certificate, "key_path": key, "paths": paths}


def release_files(values, script):
    """What a release built on the controller holds (the code directory, if
    any, and the WSGI script SCRIPT, bytes), described as the host reading
    describes a tree; the virtualenv link comes in release_plan."""
    script_name = values["flask_wsgi_script_name"]
    source = values["flask_wsgi_app_src"]
    files = {}
    if source:
        files = wanted_tree(source, [script_name, rel.VENV_LINK])
    files[script_name] = {
        "type": "file",
        "uid": 0,
        "gid": 0,
        "mode": "0644",
        "checksum": hashlib.sha1(script).hexdigest(),
    }
    return files


def release_plan(values, script):
    """The release the variables make, when the controller can tell it
    (a code directory, or the WSGI script alone): its "id", its "files" and
    the "venv" it links to; with git, the id waits for the commit."""
    source = values["flask_wsgi_app_src"]
    files = release_files(values, script)
    venv = ""
    if values["flask_wsgi_requirements_file"] and source:
        requirements = os.path.join(source, values["flask_wsgi_requirements_file"])
        checksum = ""
        if os.path.isfile(requirements):
            checksum = file_checksum(requirements)
        venv = venv_id(values, checksum)
        files[rel.VENV_LINK] = {"type": "link", "uid": 0, "gid": 0, "mode": "0777"}
    if values["flask_wsgi_app_git_repo"]:
        return {"id": "", "files": files, "venv": ""}
    return {"id": digest(files, venv)[:12], "files": files, "venv": venv}


def release_archive(path, values, script, venv):
    """Write to PATH the tar archive of the release: the code directory as
    the role deploys it (root's, u=rwX,go=rX), the WSGI script SCRIPT and
    the link to the virtualenv VENV."""
    source = values["flask_wsgi_app_src"]

    def add(archive, info, data=None):
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        # The same archive for the same release, so that unpacking it over
        # the release as it should be changes nothing.
        info.mtime = ARCHIVE_MTIME
        archive.addfile(info, io.BytesIO(data) if data is not None else None)

    with tarfile.open(path, "w") as archive:
        for name, entry in release_files(values, script).items():
            info = tarfile.TarInfo(name)
            info.mode = int(entry["mode"], 8)
            if entry["type"] == "directory":
                info.type = tarfile.DIRTYPE
                add(archive, info)
            elif name == values["flask_wsgi_script_name"]:
                info.size = len(script)
                add(archive, info, script)
            else:
                with open(os.path.join(source, name), "rb") as handle:
                    data = handle.read()
                info.size = len(data)
                add(archive, info, data)
        if venv:
            info = tarfile.TarInfo(rel.VENV_LINK)
            info.type = tarfile.SYMTYPE
            info.linkname = rel.venv_link_target(venv)
            add(archive, info)
    return path


def environment_content(values):
    """The environment file's content: flask_wsgi_environment as JSON, the
    way the role's copy task writes it (to_json with sorted keys)."""
    return json.dumps(values.get("flask_wsgi_environment") or {}, sort_keys=True)


def wanted(values, layout, recorder_checksum=None, script=b"", start_checksum=None):
    """The state the role should make of a host, from VALUES (the role's
    variables) and LAYOUT (Apache's paths and the packages, vars/Debian.yml,
    without their __flask_wsgi_ prefix), RECORDER_CHECKSUM (the SHA-1 of
    the role's files/daemon_record.py) and SCRIPT (the WSGI script, bytes).
    Returns what the role registers as __flask_wsgi_wanted (with the
    layout, which the action adds); "wanted_paths" is what the host reading
    compares."""
    site = values["flask_wsgi_site_name"]
    app_dir = values["flask_wsgi_app_dir"]
    script_name = values["flask_wsgi_script_name"]
    tls = truth(values["flask_wsgi_tls_enabled"])
    user_existing = truth(values["flask_wsgi_user_existing"])
    state_dir = values["flask_wsgi_state_dir"]
    known_good_dir = f"{state_dir}/{site}"
    current = f"{app_dir}/{rel.CURRENT}"
    release = release_plan(values, script)
    plan = {
        "known_good_dir": known_good_dir,
        # mod_wsgi reaches the code, the script and the virtualenv through
        # the current link, so a daemon process loads one whole release.
        "current_dir": current,
        "releases_dir": f"{app_dir}/{rel.RELEASES}",
        "venvs_dir": f"{app_dir}/{rel.VENVS}",
        "venv_link": rel.VENV_LINK,
        "release_history": f"{known_good_dir}/releases.json",
        "release": release,
        "script_checksum": hashlib.sha1(script).hexdigest(),
        "script_path": f"{current}/{script_name}",
        "python_home": f"{current}/{rel.VENV_LINK}",
        "site_file": f"{layout['apache_sites_available']}/{site}.conf",
        "site_link": f"{layout['apache_sites_enabled']}/{site}.conf",
        "account_mark": f"{known_good_dir}/account",
        "pip_ca_path": f"{known_good_dir}/pip-ca-bundle.pem",
        "use_venv": bool(values["flask_wsgi_requirements_file"]),
        "full_run": truth(values.get("flask_wsgi_full_run", False)),
        # mod_wsgi preloads the WSGI script, and the recorder after it, in
        # every daemon process (WSGIImportScript, which takes a literal
        # application group): with the default %{GLOBAL}, the health check
        # covers every process, not only the one a request reaches.
        "preload": values["flask_wsgi_application_group"] == "%{GLOBAL}",
        "daemon_records_dir": f"{state_dir}/{site}.daemons",
        "daemon_recorder": f"{state_dir}/{site}.daemons.py",
        # Preloaded first in every daemon process: the environment, read from
        # the file beside it, and the release pinned (files/daemon_start.py).
        "daemon_start": f"{state_dir}/{site}.start.py",
        "environment_file": f"{state_dir}/{site}.start.json",
        "environment_set": bool(values.get("flask_wsgi_environment")),
    }
    plan["pip_environment"] = {}
    if values["flask_wsgi_pip_ca_bundle"]:
        plan["pip_environment"]["PIP_CERT"] = plan["pip_ca_path"]
    if values["flask_wsgi_pip_index_url"]:
        plan["pip_environment"]["PIP_INDEX_URL"] = values["flask_wsgi_pip_index_url"]

    # The files that make a deployment, and their names in the last good
    # copy; the code and the WSGI script are in the releases.
    plan["deployed_files"] = [{"path": plan["site_file"], "saved": "site.conf"}]
    plan["known_good_paths"] = [f"{known_good_dir}/{entry['saved']}" for entry in plan["deployed_files"]]

    plan["all_packages"] = list(layout["packages"])
    if values["flask_wsgi_app_git_repo"]:
        plan["all_packages"].append("git")
    if plan["use_venv"]:
        plan["all_packages"] += ["python3-venv", "python3-packaging"]
    plan["all_packages"] += list(values["flask_wsgi_extra_packages"])
    if tls:
        plan["all_packages"].append("python3-cryptography")
    plan["acme"] = acme_plan(values, layout)
    if plan["acme"]:
        plan["all_packages"].append("certbot")

    # The modules the site needs; server-wide modules are the apache_server
    # role's. mod_headers sets X-Content-Type-Options; mod_rewrite sends
    # plain HTTP to HTTPS. Turning HTTPS off leaves mod_ssl and mod_rewrite
    # on: other sites may use them.
    plan["apache_modules"] = [{"name": "wsgi", "enabled": True}, {"name": "headers", "enabled": True}]
    if tls:
        plan["apache_modules"].append({"name": "ssl", "enabled": True})
        if truth(values["flask_wsgi_tls_redirect"]):
            plan["apache_modules"].append({"name": "rewrite", "enabled": True})
    for module in plan["apache_modules"]:
        module["link"] = f"{layout['apache_mods_enabled']}/{module['name']}.load"

    plan["directories"] = [
        # Root's, but the daemons reach their records below it.
        {"path": state_dir, "mode": "0711"},
        {"path": app_dir, "mode": "0755"},
        {"path": plan["releases_dir"], "mode": "0755"},
        {"path": plan["venvs_dir"], "mode": "0755"},
        {"path": values["flask_wsgi_document_root"], "mode": "0755"},
        {"path": known_good_dir, "mode": "0700"},
    ]
    tls_paths = tls_plan(values, layout["apache_tls_dir"], plan["acme"])
    plan["tls_selfsigned"] = tls_paths["selfsigned"]
    plan["tls_certificate_path"] = tls_paths["certificate_path"]
    plan["tls_key_path"] = tls_paths["key_path"]
    # The self-signed certificate names the server name, or the inventory name.
    plan["tls_selfsigned_name"] = values["flask_wsgi_server_name"] or values.get("inventory_hostname", "")

    paths = [dict(ROOT_DIRECTORY, **directory) for directory in plan["directories"]]
    paths += [dict(ROOT_FILE, path=entry["path"]) for entry in plan["deployed_files"]]
    paths += [dict(ROOT_SECRET, path=path) for path in plan["known_good_paths"]]
    paths += [{"path": module["link"], "exists": module["enabled"]} for module in plan["apache_modules"]]
    paths += [
        {"path": plan["site_link"], "exists": True},
        {"path": plan["account_mark"], "exists": not user_existing},
    ]
    if not user_existing:
        # The daemons' home, which the role keeps unless it uses an existing
        # account as it is.
        paths.append(
            {
                "path": values["flask_wsgi_user_home"],
                "type": "directory",
                "owner": values["flask_wsgi_user"],
                "group": values["flask_wsgi_group"],
                "mode": "0750",
            }
        )
    paths.append(dict(ROOT_FILE, path=plan["daemon_start"], checksum=start_checksum))
    if plan["environment_set"]:
        # Secrets: root's, readable by the daemons' group only.
        content = environment_content(values).encode()
        paths.append(
            {
                "path": plan["environment_file"],
                "type": "file",
                "uid": 0,
                "group": values["flask_wsgi_group"],
                "mode": "0640",
                "checksum": hashlib.sha1(content).hexdigest(),
            }
        )
    else:
        paths.append({"path": plan["environment_file"], "exists": False})
    if plan["preload"]:
        paths.append(
            {
                "path": plan["daemon_records_dir"],
                "type": "directory",
                "owner": values["flask_wsgi_user"],
                "group": values["flask_wsgi_group"],
                "mode": "0700",
            }
        )
        paths.append(dict(ROOT_FILE, path=plan["daemon_recorder"], checksum=recorder_checksum))
    if plan["use_venv"] and values["flask_wsgi_pip_ca_bundle"]:
        paths.append(
            dict(ROOT_FILE, path=plan["pip_ca_path"], checksum=file_checksum(values["flask_wsgi_pip_ca_bundle"]))
        )
    plan["wanted_paths"] = paths + tls_paths["paths"]

    # With flask_wsgi_state absent: what the role made for this application
    # and removes, the site's link first. The daemon home and account go
    # only when asked; packages, modules and server-wide state stay.
    plan["removed_paths"] = [
        {"path": path, "exists": False}
        for path in [
            plan["site_link"],
            plan["site_file"],
            app_dir,
            values["flask_wsgi_document_root"],
            known_good_dir,
            plan["daemon_records_dir"],
            plan["daemon_recorder"],
            plan["daemon_start"],
            plan["environment_file"],
            *([tls_paths["certificate_path"], tls_paths["key_path"]] if tls_paths["selfsigned"] else []),
        ]
    ]

    # A release built on the controller is compared file by file: one
    # changed by hand is put back.
    plan["code_trees"] = []
    if release["id"]:
        plan["code_trees"].append({"path": f"{plan['releases_dir']}/{release['id']}", "files": release["files"]})

    headers = {"Host": values["flask_wsgi_server_name"]} if values["flask_wsgi_server_name"] else {}
    plan["healthcheck"] = {
        "url": healthcheck_url(values),
        "headers": headers,
        "status_codes": [int(code) for code in values["flask_wsgi_healthcheck_status_codes"]],
    }
    if plan["preload"]:
        plan["healthcheck"]["daemons"] = {
            "display_name": values["flask_wsgi_display_name"],
            "user": values["flask_wsgi_user"],
            "processes": str(values["flask_wsgi_processes"]),
            "records": plan["daemon_records_dir"],
            "script": plan["script_path"],
        }
    # The host reading asks once. The deploy and the rollback keep asking
    # (twenty times a second) while the daemons restart: as long as retries
    # attempts delay seconds apart, each waiting delay seconds for its answer.
    retries, delay = int(values["flask_wsgi_healthcheck_retries"]), int(values["flask_wsgi_healthcheck_delay"])
    plan["deploy_healthcheck"] = dict(plan["healthcheck"], wait=(2 * retries + 1) * delay)
    # The rollback restores an earlier configuration, whose process count
    # may differ: every process it runs must have loaded the code.
    plan["rollback_healthcheck"] = dict(plan["deploy_healthcheck"])
    if plan["preload"]:
        plan["rollback_healthcheck"]["daemons"] = dict(plan["healthcheck"]["daemons"], processes="any")

    # What the other applications on the host know of this one (its last
    # good deployment's record): the ports and names it answers for, which
    # no other application may take, and its health check, which their runs
    # ask after they reload Apache.
    ports = [values["flask_wsgi_port"]] + ([values["flask_wsgi_tls_port"]] if tls else [])
    names = [values["flask_wsgi_server_name"], *values["flask_wsgi_server_aliases"]]
    plan["apps_dir"] = state_dir
    plan["app_record_path"] = f"{known_good_dir}/{apps.RECORD}"
    # What the earlier layout (code, script and requirements in the
    # application directory itself, the virtualenv beside it, a last good
    # copy of the code) leaves, removed once a release of this one serves.
    plan["listings"] = [
        {"path": app_dir, "keep": [rel.RELEASES, rel.VENVS, rel.CURRENT]},
        {
            "path": known_good_dir,
            "keep": sorted(
                {
                    path.rsplit("/", 1)[1]
                    for path in [
                        *plan["known_good_paths"],
                        plan["release_history"],
                        plan["account_mark"],
                        plan["pip_ca_path"],
                        plan["app_record_path"],
                    ]
                }
            ),
        },
        {"path": f"{app_dir}-venv", "marker": "pyvenv.cfg"},
    ]
    plan["app_record"] = apps.record(site, plan["site_link"], ports, names, plan["healthcheck"])
    plan["app_record_text"] = apps.record_text(plan["app_record"])
    plan["wanted_paths"].append(
        dict(ROOT_SECRET, path=plan["app_record_path"], checksum=text_checksum(plan["app_record_text"]))
    )
    return plan


def daemon_home(values, host):
    """The daemons' home: the account's own when the role uses an existing
    account as it is, else the one the role gives it."""
    if truth(values["flask_wsgi_user_existing"]):
        return host["user"].get("home", "")
    return values["flask_wsgi_user_home"]


# What compare reads of wanted's result.
COMPARED = (
    "wanted_paths",
    "code_trees",
    "all_packages",
    "full_run",
    "deployed_files",
    "known_good_paths",
    "account_mark",
    "tls_selfsigned",
    "tls_certificate_path",
    "tls_key_path",
    "acme",
    "release",
    "script_checksum",
    "releases_dir",
    "app_record",
    "listings",
)


def release_wanted(values, plan, host):
    """The release this run serves, from the host reading's "releases" and
    "git": its "id", "build" (it must be built: it never was switched to),
    "switch" (current names another), "pending" (it was switched to but
    never passed its health check), "source" (for the history) and
    "error" (why it cannot be served, naming the variable)."""
    releases = host.get("releases") or {"current": "", "releases": [], "history": [], "venvs": []}
    current, history = releases["current"], releases["history"]
    switched = {entry["id"]: entry for entry in history}
    wanted_release = str(values.get("flask_wsgi_release") or "")
    source, error = "", ""
    if wanted_release:
        # On demand: a release already on the host, nothing built.
        release, error = rel.resolve(wanted_release, history, current, releases["releases"])
        if error:
            error = f"flask_wsgi: flask_wsgi_release is {wanted_release}, but {error}."
        build = False
    elif values["flask_wsgi_app_git_repo"]:
        # Resolved by the host reading, once git is installed.
        git = host.get("git") or {}
        commit = git.get("commit", "")
        release = (
            git_release_id(commit, plan["script_checksum"], values["flask_wsgi_script_name"], values) if commit else ""
        )
        source = f"git {commit}"
        if not commit and host.get("packages", {}).get("git"):
            error = (
                f"flask_wsgi: flask_wsgi_app_git_version {values['flask_wsgi_app_git_version']} of "
                f"flask_wsgi_app_git_repo {values['flask_wsgi_app_git_repo']} could not be resolved: "
                f"{git.get('error')}."
            )
        build = release not in switched or release not in releases["releases"]
    else:
        release = plan["release"]["id"]
        source = f"directory {values['flask_wsgi_app_src']}" if values["flask_wsgi_app_src"] else "script"
        build = release not in switched or release not in releases["releases"]
    return {
        "id": release,
        "build": build,
        "switch": release != current,
        "pending": bool(release) and not switched.get(release, {}).get("good"),
        "source": source,
        "error": error,
    }


def compare(values, plan, host, checksums):
    """Which parts of HOST (the host reading) differ from PLAN (wanted's
    result, at least the names in COMPARED), given CHECKSUMS (the SHA-1 each
    deployed file should have, by its saved name). Returns what the role
    registers as flask_wsgi_plan, but for what the action adds."""
    full_run = plan["full_run"]
    user_existing = truth(values["flask_wsgi_user_existing"])
    # The reading may cover other roles' paths and packages too (the
    # apache_server role's, read in the same call): only this role's count.
    own = {entry["path"] for entry in plan["wanted_paths"]} | {tree["path"] for tree in plan["code_trees"]}
    paths = {path: described for path, described in host["paths"].items() if path in own}
    saved = [entry["saved"] for entry in plan["deployed_files"]]
    deployed = [entry["path"] for entry in plan["deployed_files"]]
    # The deployed files and their last good copies with the SHA-1 they
    # should have; a last good copy that differs is a change not yet applied
    # to the running server.
    wanted_contents = dict(
        zip(deployed + plan["known_good_paths"], [checksums[name] for name in saved * 2], strict=True)
    )
    if full_run:
        # Every managed path counts as differing, so that every task runs and
        # its module checks the host itself.
        differing = list(paths) + [path for path in wanted_contents if path not in paths]
    else:
        differing = [path for path in host["differing"] if path in own]
        differing += [
            path
            for path, checksum in wanted_contents.items()
            if paths.get(path, {}).get("checksum", "") != checksum and path not in differing
        ]
    known_good = {
        name: paths.get(path, {}).get("checksum", "")
        for name, path in zip(saved, plan["known_good_paths"], strict=True)
    }
    packages_missing = [
        name
        for name, installed in host["packages"].items()
        if name in plan["all_packages"] and (full_run or not installed)
    ]
    user = host["user"]
    verdict, reason = account_verdict(
        user,
        values["flask_wsgi_user"],
        values["flask_wsgi_user_home"],
        values["flask_wsgi_user_shell"],
        paths.get(plan["account_mark"], {}).get("checksum", ""),
        user_existing,
    )
    group_differs = not user_existing and (full_run or not host["group"]["exists"])
    user_differs = not user_existing and (
        full_run
        or not user["exists"]
        or [user.get("group"), user.get("home"), user.get("shell")]
        != [values["flask_wsgi_group"], values["flask_wsgi_user_home"], values["flask_wsgi_user_shell"]]
    )
    service_differs = full_run or host["service"] != {"active": "active", "enabled": "enabled"}
    healthy = host.get("healthcheck", {}).get("healthy", True)
    # With ACME: what this run must do about the certificate.
    acme_verdict = acme.decide(plan["acme"], host.get("acme") or {}) if plan["acme"] else {"action": "none"}
    tls_given_missing = []
    if truth(values["flask_wsgi_tls_enabled"]) and not plan["tls_selfsigned"] and not plan["acme"]:
        tls_given_missing = [
            path
            for path in (plan["tls_certificate_path"], plan["tls_key_path"])
            if not paths.get(path, {}).get("exists")
        ]
    release = release_wanted(values, plan, host)
    # A release changed by hand is built again.
    if not values.get("flask_wsgi_release") and any(tree["path"] in differing for tree in plan["code_trees"]):
        release["build"] = bool(release["id"])
    # Everything but the release as it should be, and the application
    # answering: a new release (or one asked for) takes the short path,
    # build, switch, daemons, health check, with no other task to skip.
    trees = {tree["path"] for tree in plan["code_trees"]}
    rest_converged = (
        not [path for path in differing if path not in trees]
        and not packages_missing
        and not group_differs
        and not user_differs
        and not service_differs
        and healthy
        and acme_verdict["action"] == "none"
        and bool(release["id"])
        and not host.get("leftovers")
    )
    release_needed = release["build"] or release["switch"] or release["pending"]
    # A build that is no more than the controller's archive unpacked (no
    # git checkout, its virtualenv built already, no release commands) is
    # unpacked by the call that switches to it.
    venvs = (host.get("releases") or {}).get("venvs", [])
    release["on_host"] = bool(
        release["build"]
        and (
            values["flask_wsgi_app_git_repo"]
            or values["flask_wsgi_release_commands"]
            or plan["release"]["venv"] not in ["", *venvs]
        )
    )
    converged = rest_converged and not release_needed
    record = plan["app_record"]
    return {
        "port_conflicts": apps.port_conflicts(record["site"], record["ports"], record["names"], host.get("apps") or []),
        "apps_answering": apps.answering(host),
        "lock_seen": lock.seen(host),
        "leftovers": list(host.get("leftovers") or []),
        "differing": differing,
        "known_good_checksums": known_good,
        "packages_missing": packages_missing,
        "account": {"verdict": verdict, "reason": reason},
        "group_differs": group_differs,
        "user_differs": user_differs,
        "service_differs": service_differs,
        "host_healthy": healthy,
        "tls_given_missing": tls_given_missing,
        "acme_action": acme_verdict["action"],
        "acme_reason": acme_verdict.get("reason", ""),
        "release_wanted": release,
        "release_dir": f"{plan['releases_dir']}/{release['id']}",
        "release_only": bool(rest_converged and release_needed and not full_run),
        "converged": bool(converged),
    }


def removal(plan, host):
    """With flask_wsgi_state absent: the paths still there to remove,
    whether the account is the role's to remove (it left its mark), and the
    other applications that must still answer after."""
    there = [entry["path"] for entry in plan["removed_paths"] if host["paths"].get(entry["path"], {}).get("exists")]
    return {
        "removing": there,
        "account_is_ours": bool(host["paths"].get(plan["account_mark"], {}).get("exists")),
        "apps_answering": apps.answering(host),
        "lock_seen": lock.seen(host),
    }


def failure_text(result):
    """What a failed task said, for the rollback's message: its error output,
    else its output, else its message; for a loop, each failed item's, with
    the item (a release command's output, for instance)."""

    def said(one):
        for key in ("stderr", "stdout", "msg"):
            text = str(one.get(key) or "").strip()
            if text:
                return text
        return "see the error above"

    failed = [item for item in result.get("results") or [] if isinstance(item, dict) and item.get("failed")]
    if failed:
        return "; ".join(f"{item.get('item')}: {said(item)}" for item in failed)
    return said(result)


def changed(result):
    return isinstance(result, dict) and bool(result.get("changed"))


def apply_action(results, wanted_checksums, known_good_checksums, release_pending, daemons_unhealthy=False):
    """What the running server must pick up after this run's tasks.

    RESULTS holds the registered task results by the names in
    MODULE_RESULTS, CONFIGURATION_RESULTS and CODE_RESULTS (a task that did
    not run may be missing). The files as they should be are compared with
    the last deployment that passed its health check, not only with what
    this run changed: a run interrupted after writing a file but before
    Apache picked it up leaves a difference that the next run still sees.

    Returns one of ACTIONS: "restart" when a module was enabled or disabled,
    or no deployment ever passed (Apache must load the modules and daemons
    from scratch); "reload" (graceful, which also restarts the daemons) for
    a configuration change; "daemons" for new code alone, for a release that
    never passed its health check (RELEASE_PENDING: a run interrupted after
    the switch), or when the host reading found a daemon process that did
    not load the code as it is (DAEMONS_UNHEALTHY); else "none"."""
    if any(changed(results.get(name)) for name in MODULE_RESULTS) or not known_good_checksums.get("site.conf"):
        return "restart"
    if wanted_checksums["site.conf"] != known_good_checksums.get("site.conf") or any(
        changed(results.get(name)) for name in CONFIGURATION_RESULTS
    ):
        return "reload"
    if release_pending or daemons_unhealthy or any(changed(results.get(name)) for name in CODE_RESULTS):
        return "daemons"
    return "none"


ROLLBACK_OUTCOMES = {
    "nothing": "There was no earlier good deployment to roll back to; the failed one is still in place.",
    "disabled": (
        "There was no earlier good deployment to roll back to, and Apache rejects this one's configuration: its "
        "site was disabled, so that Apache and the other sites on the host can still restart."
    ),
    "unchecked": "The last good deployment was restored.",
    "answers": "The last good deployment was restored and answers again.",
    "silent": "The last good deployment was restored but does not answer either; check the Apache error log.",
}


def rollback_outcome(site_disabled, known_good_found, health):
    """What the rollback came to, in words: SITE_DISABLED (a site that never
    passed was disabled), KNOWN_GOOD_FOUND (a last good deployment was
    there to restore) and HEALTH (the result of the restored version's
    health check, the module's; skipped when there was none)."""
    if site_disabled:
        return ROLLBACK_OUTCOMES["disabled"]
    if not known_good_found:
        return ROLLBACK_OUTCOMES["nothing"]
    if health.get("skipped"):
        return ROLLBACK_OUTCOMES["unchecked"]
    healthy = health.get("healthcheck", {}).get("healthy")
    return ROLLBACK_OUTCOMES["answers" if healthy else "silent"]


def refusal(values, host, compared):
    """Why the role must not touch this host, from the host reading HOST and
    COMPARED, compare's result, in one message naming the variable; "" when
    nothing stands in the way. Checked before anything changes."""
    name = values.get("inventory_hostname", "")
    if host.get("os", {}).get("family") != "Debian":
        system = host.get("os", {}).get("name") or "an unknown system"
        return f"flask_wsgi supports Debian and Ubuntu; {name} runs {system}."
    if compared["account"]["verdict"] == "refuse":
        return (
            f"flask_wsgi: flask_wsgi_user names the account {values['flask_wsgi_user']} on {name}, which the "
            f"role did not create and will not take over: {compared['account']['reason']}. Name another account, "
            "or set flask_wsgi_user_existing to run the daemons as this one, as it is."
        )
    if compared["port_conflicts"]:
        return apps.conflict_message(values["flask_wsgi_site_name"], name, compared["port_conflicts"])
    if compared["release_wanted"]["error"]:
        return compared["release_wanted"]["error"]
    if compared["tls_given_missing"]:
        return (
            "flask_wsgi: flask_wsgi_tls_certificate_file and flask_wsgi_tls_key_file must be on "
            f"{name} before the role runs; missing: {', '.join(compared['tls_given_missing'])}."
        )
    return ""

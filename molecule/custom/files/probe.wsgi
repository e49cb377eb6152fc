"""Test-only WSGI app: reports the process it runs in as JSON.

Shows what the daemon really got from the vhost: user, group, working
directory, parent, mod_wsgi's process group and its process/thread counts,
its encoding, the secret in its environment, and whether it can name a file
in any language.
"""

import grp
import json
import os
import pwd
import sys
import tempfile

import mod_wsgi


def current_umask():
    """The process umask, read without changing it (os.umask would race)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    raise RuntimeError("no Umask line in /proc/self/status")


def file_name_round_trip():
    """Whether a file named in German and with a check mark can be made and
    listed: the name goes through the file system encoding both ways."""
    name = "probe-gr\u00fc\u00dfe-\u2713.txt"
    try:
        directory = tempfile.mkdtemp()
        with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
            handle.write("ok")
        return os.listdir(directory) == [name]
    except (OSError, ValueError):
        return False


def application(environ, start_response):
    report = {
        "user": pwd.getpwuid(os.getuid()).pw_name,
        "group": grp.getgrgid(os.getgid()).gr_name,
        "groups": sorted(grp.getgrgid(gid).gr_name for gid in os.getgroups()),
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "cwd": os.getcwd(),
        "umask": current_umask(),
        "process_group": mod_wsgi.process_group,
        "application_group": mod_wsgi.application_group,
        "maximum_processes": mod_wsgi.maximum_processes,
        "threads_per_process": mod_wsgi.threads_per_process,
        "script_name": environ["SCRIPT_NAME"],
        "multithread": environ["wsgi.multithread"],
        "multiprocess": environ["wsgi.multiprocess"],
        "filesystem_encoding": sys.getfilesystemencoding(),
        "secret": os.environ.get("PROBE_SECRET"),
        "file_name_round_trip": file_name_round_trip(),
    }
    body = json.dumps(report).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

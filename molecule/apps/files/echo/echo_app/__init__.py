"""Test-only Flask application deployed as a code directory with its own
requirements: reports its release and environment, and echoes values
through Flask's context-local proxies."""

import grp
import importlib.metadata
import importlib.util
import os
import pwd
import sys
import threading
import time

from flask import Flask, g, jsonify, request

from echo_app.release import RELEASE

app = Flask(__name__)


@app.route("/", strict_slashes=False)
def index():
    # Imported on a process's first request, not when it starts: a module
    # from another release than the one the process started with shows up
    # as a mixed release.
    from echo_app.late import LATE

    release = RELEASE if LATE == RELEASE else f"mixed {RELEASE} {LATE}"
    return jsonify(release=release, pid=os.getpid())


@app.route("/config")
def config():
    return jsonify(greeting=os.environ.get("ECHO_GREETING"), secret=os.environ.get("ECHO_SECRET"))


@app.route("/env")
def env():
    return jsonify(
        prefix=sys.prefix,
        # Not imported at the top: a release from the private index runs without it.
        humanize=importlib.util.find_spec("humanize").origin,
        humanize_version=importlib.metadata.version("humanize"),
        flask=sys.modules["flask"].__file__,
        release=RELEASE,
        user=pwd.getpwuid(os.getuid()).pw_name,
        group=grp.getgrgid(os.getgid()).gr_name,
        groups=sorted(grp.getgrgid(gid).gr_name for gid in os.getgroups()),
        pid=os.getpid(),
        ppid=os.getppid(),
        cwd=os.getcwd(),
    )


@app.route("/echo")
def echo():
    """Keep the caller's value in `g`, hold the thread, then answer from both
    `g` and `request`: under threads, each must still be this request's."""
    g.value = request.args["value"]
    time.sleep(float(request.args.get("sleep", "0.1")))
    return jsonify(
        g=g.value,
        request=request.args["value"],
        pid=os.getpid(),
        thread=threading.get_ident(),
    )

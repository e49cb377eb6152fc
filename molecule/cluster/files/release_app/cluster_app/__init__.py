"""Test-only application for the cluster scenario: says which release and
which host answered."""

import socket

from flask import Flask, jsonify

from cluster_app.release import RELEASE

app = Flask(__name__)


@app.route("/", strict_slashes=False)
def index():
    return jsonify(release=RELEASE, host=socket.gethostname())

"""Test-only application for the cluster scenario: says which release and
which host answered, and what it knows of the client behind HAProxy."""

import socket

from flask import Flask, jsonify, request
from werkzeug.middleware.proxy_fix import ProxyFix

from cluster_app.release import RELEASE

app = Flask(__name__)
# Behind one proxy, HAProxy: the client's address and scheme from its headers.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)


@app.route("/", strict_slashes=False)
def index():
    return jsonify(release=RELEASE, host=socket.gethostname())


@app.route("/client")
def client():
    return jsonify(scheme=request.scheme, remote_addr=request.remote_addr, url=request.url)

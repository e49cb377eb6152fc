"""The healthcheck module against a real server on the loopback: an
application that answers passes, one that does not fails naming what it
got, and the host's other applications must still answer."""

import http.server
import threading

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.modules import healthcheck
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.modules.module_run import run_module

MODULE = healthcheck.__file__


class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.send_response(200 if self.path == "/ok" else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def run(tmp_path, **args):
    return run_module(MODULE, tmp_path, args)


def test_an_application_that_answers_passes(tmp_path, server):
    result = run(tmp_path, healthcheck={"url": f"{server}/ok"})
    assert result.get("failed") is not True
    assert (result["healthcheck"]["status"], result["healthcheck"]["healthy"]) == (200, True)
    assert result["changed"] is False


def test_an_application_that_does_not_answer_fails_naming_the_status(tmp_path, server):
    result = run(tmp_path, healthcheck={"url": f"{server}/down", "wait": 0.2})
    assert result["failed"] is True
    assert "503" in result["msg"]
    assert result["healthcheck"]["healthy"] is False


def test_the_host_s_other_applications_must_still_answer(tmp_path):
    result = run(tmp_path, apps={"dir": str(tmp_path / "apps"), "require": ["shop"], "after": "Apache's reload"})
    assert result["failed"] is True
    assert "after Apache's reload" in result["msg"]
    assert "shop: no record of it" in result["msg"]


def test_it_needs_something_to_check(tmp_path):
    result = run(tmp_path)
    assert result["failed"] is True
    assert "healthcheck, apps" in result["msg"]

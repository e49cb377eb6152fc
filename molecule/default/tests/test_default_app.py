"""The shipped application: hello world at /app, with or without a slash."""

import pytest


@pytest.mark.parametrize("path", ["/app", "/app/"])
def test_hello_world(http_get, path):
    assert http_get(f"http://127.0.0.1{path}") == (200, "hello world!")

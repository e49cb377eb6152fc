"""A deployed code directory compared with its source, file by file."""

import os
import shutil

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import trees


@pytest.fixture
def source(tmp_path):
    root = tmp_path / "src"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("VALUE = 1\n")
    (root / "run.sh").write_text("#!/bin/sh\n")
    (root / "run.sh").chmod(0o700)
    (root / "app.wsgi").write_text("ignored\n")
    return root


def deployed(source, tmp_path):
    """SOURCE copied as the role copies it (modes u=rwX,go=rX; owner as the
    test runs, so the wanted owner is the test's)."""
    target = tmp_path / "deployed"
    shutil.copytree(source, target)
    for top, _dirs, files in os.walk(target):
        os.chmod(top, 0o755)
        for name in files:
            path = os.path.join(top, name)
            os.chmod(path, 0o755 if os.stat(path).st_mode & 0o111 else 0o644)
    return target


def wanted(source):
    """The wanted tree, owned by whoever runs the test instead of root."""
    return {
        path: {**entry, "uid": os.getuid(), "gid": os.getgid()}
        for path, entry in trees.wanted_tree(source, ["app.wsgi"]).items()
    }


def test_wanted_tree_has_the_copy_modes_and_leaves_out_the_ignored(source):
    described = trees.wanted_tree(source, ["app.wsgi"])

    assert set(described) == {"pkg", "pkg/__init__.py", "run.sh"}
    assert described["pkg"] == {"type": "directory", "uid": 0, "gid": 0, "mode": "0755"}
    assert described["run.sh"]["mode"] == "0755"
    assert described["pkg/__init__.py"]["mode"] == "0644"
    assert described["pkg/__init__.py"]["checksum"] == trees.file_checksum(source / "pkg" / "__init__.py")


def test_an_exact_copy_does_not_differ(source, tmp_path):
    target = deployed(source, tmp_path)
    assert not trees.tree_differs(trees.describe_tree(target, ["app.wsgi"]), wanted(source))


@pytest.mark.parametrize(
    "change",
    [
        lambda target: (target / "pkg" / "__init__.py").write_text("VALUE = 2\n"),
        lambda target: (target / "pkg" / "extra.py").write_text(""),
        lambda target: (target / "pkg" / "__init__.py").unlink(),
        lambda target: (target / "pkg" / "__init__.py").chmod(0o666),
        lambda target: (target / "run.sh").chmod(0o644),
        lambda target: (target / "newdir").mkdir(),
        shutil.rmtree,
    ],
    ids=["content", "extra file", "missing file", "mode", "exec bit", "extra directory", "no directory"],
)
def test_any_change_differs(source, tmp_path, change):
    target = deployed(source, tmp_path)
    change(target)
    assert trees.tree_differs(trees.describe_tree(target, ["app.wsgi"]), wanted(source))


def test_another_owner_differs(source, tmp_path):
    target = deployed(source, tmp_path)
    other_owner = {path: {**entry, "uid": os.getuid() + 1} for path, entry in wanted(source).items()}
    assert trees.tree_differs(trees.describe_tree(target, ["app.wsgi"]), other_owner)

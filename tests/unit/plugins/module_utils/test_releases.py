"""Releases on disk: the current link, the history, pruning."""

import os

import pytest
from ansible_collections.flaskwsgi.deploy.plugins.module_utils import releases as rel


def make(root, *names, venv=None):
    for name in names:
        os.makedirs(root / "releases" / name)
        if venv:
            os.makedirs(root / "venvs" / venv, exist_ok=True)
            os.symlink(f"../../venvs/{venv}", root / "releases" / name / rel.VENV_LINK)


def test_a_new_application_has_no_releases(tmp_path):
    assert rel.read_releases(str(tmp_path), str(tmp_path / "h.json")) == {
        "current": "",
        "releases": [],
        "venvs": [],
        "history": [],
    }


def test_the_switch_replaces_the_link_in_one_rename(tmp_path):
    make(tmp_path, "a", "b")
    rel.switch(str(tmp_path), "a")
    assert os.readlink(tmp_path / "current") == "releases/a"
    inode = os.lstat(tmp_path / "current").st_ino
    rel.switch(str(tmp_path), "b")
    assert rel.current_release(str(tmp_path)) == "b"
    assert os.lstat(tmp_path / "current").st_ino != inode
    assert sorted(os.listdir(tmp_path)) == ["current", "releases"]


def test_only_complete_virtualenvs_count(tmp_path):
    os.makedirs(tmp_path / "venvs" / "half")
    os.makedirs(tmp_path / "venvs" / "whole")
    (tmp_path / "venvs" / "whole" / rel.VENV_COMPLETE).write_text("flask\n")
    assert rel.read_releases(str(tmp_path), "/nonexistent")["venvs"] == ["whole"]


def test_the_history_survives_a_round_trip_and_ignores_garbage(tmp_path):
    path = str(tmp_path / "h.json")
    history = rel.record_switch([], "a", "git 1")
    rel.write_history(path, rel.mark_good(history, "a"))
    assert rel.read_history(path)[0]["good"] is True
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    (tmp_path / "h.json").write_text("{not json")
    assert rel.read_history(path) == []


def test_a_switch_moves_the_release_to_the_end_and_keeps_its_verdict():
    history = rel.record_switch(rel.mark_good(rel.record_switch([], "a", "s"), "a"), "b", "s")
    history = rel.record_switch(history, "a", "")
    assert [entry["id"] for entry in history] == ["b", "a"]
    assert history[-1]["good"] is True
    assert history[-1]["source"] == "s"


@pytest.mark.parametrize(
    ("wanted", "found"),
    [("previous", "b"), ("good", "a"), ("c", "c")],
)
def test_resolve(wanted, found):
    history = [{"id": "a", "good": True}, {"id": "b"}, {"id": "c"}]
    assert rel.resolve(wanted, history, "c", ["a", "b", "c"]) == (found, "")


def test_resolve_names_what_is_missing():
    assert rel.resolve("previous", [{"id": "a"}], "a", ["a"])[1] == "there is no previous release to go back to"
    assert rel.resolve("good", [{"id": "a"}], "a", ["a"])[1] == "no release has passed its health check yet"
    assert "the host has a" in rel.resolve("zz", [], "a", ["a"])[1]
    # In the history but removed from the disk.
    assert rel.resolve("previous", [{"id": "x"}, {"id": "a"}], "a", ["a"])[1].startswith("there is no release x")


def test_pruning_keeps_the_newest_and_never_the_current_previous_or_good():
    history = [{"id": name} for name in "abcdef"]
    history[0]["good"] = True
    existing = list("abcdefz")
    # z was never switched to: it goes first; a is the last good one.
    assert rel.releases_to_prune(history, existing, "f", 3) == ["z", "b", "c", "d"]
    assert rel.releases_to_prune(history, existing, "f", 10) == []
    # After a rollback to c, c and the one before it (f) stay.
    history = rel.record_switch(history, "c", "")
    assert "f" not in rel.releases_to_prune(history, list("abcdef"), "c", 2)


def test_virtualenvs_in_use_are_the_ones_kept_releases_link_to(tmp_path):
    make(tmp_path, "a", venv="v1")
    make(tmp_path, "b", venv="v2")
    make(tmp_path, "c")
    assert rel.venvs_in_use(str(tmp_path), ["a", "b", "c"]) == {"v1", "v2"}
    assert rel.venvs_in_use(str(tmp_path), ["b"]) == {"v2"}


def archive(path, files, link=None):
    """A tar of FILES (name: text) and, if given, the virtualenv link."""
    import io
    import tarfile

    with tarfile.open(path, "w") as tar:
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(text), 0o644
            tar.addfile(info, io.BytesIO(text.encode()))
        if link:
            info = tarfile.TarInfo(rel.VENV_LINK)
            info.type, info.linkname = tarfile.SYMTYPE, link
            tar.addfile(info)
    return str(path)


def test_a_release_is_unpacked_beside_then_renamed_into_place(tmp_path):
    os.makedirs(tmp_path / "releases")
    rel.unpack(str(tmp_path), "r1", archive(tmp_path / "a.tar", {"app.py": "v1"}, link="../../venvs/v1"))
    assert (tmp_path / "releases" / "r1" / "app.py").read_text() == "v1"
    # The link to the virtualenv outside the release is kept as it is.
    assert os.readlink(tmp_path / "releases" / "r1" / rel.VENV_LINK) == "../../venvs/v1"
    assert oct(os.stat(tmp_path / "releases" / "r1").st_mode & 0o777) == "0o755"
    assert sorted(os.listdir(tmp_path / "releases")) == ["r1"]


def test_a_release_edited_by_hand_is_replaced_whole(tmp_path):
    os.makedirs(tmp_path / "releases")
    rel.unpack(str(tmp_path), "r1", archive(tmp_path / "a.tar", {"app.py": "v1"}))
    (tmp_path / "releases" / "r1" / "app.py").write_text("edited")
    (tmp_path / "releases" / "r1" / "added.py").write_text("added")
    inode = os.stat(tmp_path / "releases" / "r1").st_ino
    rel.unpack(str(tmp_path), "r1", archive(tmp_path / "a.tar", {"app.py": "v1"}))
    assert sorted(os.listdir(tmp_path / "releases" / "r1")) == ["app.py"]
    assert (tmp_path / "releases" / "r1" / "app.py").read_text() == "v1"
    assert os.stat(tmp_path / "releases" / "r1").st_ino != inode
    assert sorted(os.listdir(tmp_path / "releases")) == ["r1"]


def test_the_exchange_swaps_two_directories(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "in_a").write_text("")
    if not rel.exchange(str(tmp_path / "a"), str(tmp_path / "b")):
        pytest.skip("no renameat2 here")
    assert os.listdir(tmp_path / "b") == ["in_a"]
    assert os.listdir(tmp_path / "a") == []


def test_an_archive_that_reaches_outside_the_release_is_refused(tmp_path):
    os.makedirs(tmp_path / "releases")
    with pytest.raises(ValueError, match="outside the release"):
        rel.unpack(str(tmp_path), "r1", archive(tmp_path / "a.tar", {"../evil.py": "x"}))
    assert not (tmp_path / "releases" / "evil.py").exists()
    assert os.listdir(tmp_path / "releases") == []


def test_what_the_earlier_layout_left_is_found(tmp_path):
    app = tmp_path / "app"
    for name in ("releases", "venvs", "shop", "current.tmp"):
        (app / name).mkdir(parents=True)
    (app / "current").symlink_to("releases/x")
    (app / "flaskapp.wsgi").write_text("")
    (app / "requirements.txt").write_text("")
    venv = tmp_path / "app-venv"
    assert rel.leftovers({"path": str(app), "keep": ["releases", "venvs", "current"]}) == [
        str(app / name) for name in ("flaskapp.wsgi", "requirements.txt", "shop")
    ]
    assert rel.leftovers({"path": str(venv), "marker": "pyvenv.cfg"}) == []
    venv.mkdir()
    assert rel.leftovers({"path": str(venv), "marker": "pyvenv.cfg"}) == []
    (venv / "pyvenv.cfg").write_text("")
    assert rel.leftovers({"path": str(venv), "marker": "pyvenv.cfg"}) == [str(venv)]
    assert rel.leftovers({"path": str(tmp_path / "none"), "keep": []}) == []

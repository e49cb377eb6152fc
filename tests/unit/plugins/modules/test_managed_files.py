"""The managed_files module on a real directory: writes the bundle with
owner and mode, sets only what differs, removes, restores from a last good
copy, and changes nothing in check mode."""

import base64
import grp
import json
import os
import pwd

from ansible_collections.flaskwsgi.deploy.plugins.modules import managed_files
from ansible_collections.flaskwsgi.deploy.tests.unit.plugins.modules.module_run import run_module

MODULE = managed_files.__file__
USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def run(tmp_path, files, check=False, diff=False):
    return run_module(MODULE, tmp_path, {"files": files}, check=check, diff=diff)


def file(path, text="new\n", **changes):
    wanted = {
        "name": path.name,
        "path": str(path),
        "owner": USER,
        "group": GROUP,
        "mode": "0640",
        "content": base64.b64encode(text.encode()).decode(),
    }
    return dict(wanted, **changes)


def test_writes_changed_files_with_their_mode_and_leaves_the_rest(tmp_path):
    same, other = tmp_path / "same", tmp_path / "other"
    same.write_text("new\n")
    same.chmod(0o640)
    other.write_text("old\n")
    result = run(tmp_path, [file(same), file(other)])
    assert result["changed_entries"] == ["other"]
    assert other.read_text() == "new\n"
    assert oct(other.stat().st_mode & 0o7777) == "0o640"
    assert run(tmp_path, [file(same), file(other)])["changed"] is False


def test_a_wrong_mode_alone_is_set_without_rewriting(tmp_path):
    target = tmp_path / "target"
    target.write_text("new\n")
    target.chmod(0o600)
    inode = target.stat().st_ino
    assert run(tmp_path, [file(target)])["changed_entries"] == ["target"]
    assert (target.stat().st_ino, oct(target.stat().st_mode & 0o777)) == (inode, "0o640")


def test_check_mode_reports_and_writes_nothing(tmp_path):
    target = tmp_path / "target"
    result = run(tmp_path, [file(target), file(tmp_path / "gone", present=False)], check=True)
    assert result["changed_entries"] == ["target"]
    assert not target.exists()


def test_removes_a_file_no_longer_wanted(tmp_path):
    target = tmp_path / "target"
    target.write_text("x")
    assert run(tmp_path, [file(target, present=False)])["changed_entries"] == ["target"]
    assert not target.exists()


def test_restores_from_a_last_good_copy_and_says_which_were_there(tmp_path):
    good, target, missing = tmp_path / "good", tmp_path / "target", tmp_path / "missing"
    good.write_text("good\n")
    target.write_text("broken\n")
    files = [
        dict(file(target), content=None, copy_from=str(good)),
        dict(file(tmp_path / "other"), name="other", content=None, copy_from=str(missing)),
    ]
    result = run(tmp_path, files)
    assert (result["changed_entries"], result["sources_found"]) == (["target"], ["target"])
    assert target.read_text() == "good\n"


def test_secrets_are_not_in_the_diff_and_never_returned(tmp_path):
    plain, secret = tmp_path / "plain", tmp_path / "secret"
    result = run(tmp_path, [file(plain), file(secret, "hidden-value\n", secret=True)], diff=True)
    assert [item["after_header"] for item in result["diff"]] == [str(plain)]
    assert "hidden-value" not in json.dumps(result)


def test_an_unknown_owner_fails_naming_the_path(tmp_path):
    result = run(tmp_path, [file(tmp_path / "target", owner="no-such-user-here")])
    assert result["failed"] is True
    assert str(tmp_path / "target") in result["msg"]


def test_a_refused_content_leaves_the_file_as_it_was(tmp_path):
    target = tmp_path / "haproxy.cfg"
    target.write_text("old\n")
    refused = run(tmp_path, [file(target, "broken\n", validate="grep -q good %s")])
    assert refused["failed"] is True
    assert str(target) in refused["msg"]
    assert "grep -q good" in refused["msg"]
    assert target.read_text() == "old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["args.json", "haproxy.cfg"]
    accepted = run(tmp_path, [file(target, "good\n", validate="grep -q good %s")])
    assert accepted["changed_entries"] == ["haproxy.cfg"]
    assert target.read_text() == "good\n"


def test_makes_directories_and_sets_their_owner_and_mode(tmp_path):
    made, kept = tmp_path / "parent" / "made", tmp_path / "kept"
    kept.mkdir(mode=0o777)
    kept.chmod(0o777)
    wanted = [
        {"name": "made", "path": str(made), "owner": USER, "group": GROUP, "mode": "0711", "directory": True},
        {"name": "kept", "path": str(kept), "owner": USER, "group": GROUP, "mode": "0750", "directory": True},
    ]
    assert run(tmp_path, wanted, check=True)["changed_entries"] == ["made", "kept"]
    assert not made.exists()
    result = run(tmp_path, wanted)
    assert result["changed_entries"] == ["made", "kept"]
    assert oct(made.stat().st_mode & 0o7777) == "0o711"
    assert oct(kept.stat().st_mode & 0o7777) == "0o750"
    assert run(tmp_path, wanted)["changed"] is False
    in_the_way = tmp_path / "file"
    in_the_way.write_text("x")
    blocked = run(tmp_path, [dict(wanted[0], name="file", path=str(in_the_way))])
    assert blocked["failed"] is True
    assert "something else is in the way" in blocked["msg"]

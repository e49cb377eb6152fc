"""The scan for warnings (scan.py) finds what ansible-core really prints:
a run made to warn, under the newest core, is caught, and a clean run is
clean. test_logs.py then scans make test's own runs with it."""

import os
import subprocess
import sys
from pathlib import Path

from scan import warnings

BIN = Path(sys.executable).parent

PLAYBOOK = """\
- name: A play that reads a fact {how}
  hosts: localhost
  connection: local
  gather_facts: true
  gather_subset: [min]
  tasks:
    - name: Read the distribution
      ansible.builtin.debug:
        msg: "{{{{ {expression} }}}}"
"""


def run(tmp_path, how, expression, env=None):
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK.format(how=how, expression=expression))
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ANSIBLE_")}
    environment.update(ANSIBLE_CONFIG=str(tmp_path / "none.cfg"), ANSIBLE_NOCOLOR="1", **(env or {}))
    result = subprocess.run(
        [BIN / "ansible-playbook", "-i", "localhost,", "-e", f"ansible_python_interpreter={sys.executable}", playbook],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout + result.stderr


def test_a_fact_injected_as_a_variable_is_caught(tmp_path):
    """The deprecation the roles' plan facts used to print, 75 times."""
    found = warnings(run(tmp_path, "as a top-level variable", "ansible_distribution"))

    assert [line for line in found if line.startswith("[DEPRECATION WARNING]: INJECT_FACTS_AS_VARS default to")], found


def test_a_collection_that_does_not_support_the_core_is_caught(tmp_path):
    collection = tmp_path / "collections" / "ansible_collections" / "example" / "old"
    (collection / "meta").mkdir(parents=True)
    (collection / "meta" / "runtime.yml").write_text('requires_ansible: "<2.10"\n')
    (collection / "plugins" / "filter").mkdir(parents=True)
    (collection / "plugins" / "filter" / "same.py").write_text(
        "class FilterModule:\n    def filters(self):\n        return {'same': lambda value: value}\n"
    )
    env = {"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections")}
    found = warnings(run(tmp_path, "through an old collection", "ansible_facts.distribution | example.old.same", env))

    assert len(found) == 1, found
    assert found[0].startswith("[WARNING]: Collection example.old does not support Ansible version")


def test_a_python_warning_is_caught(tmp_path):
    """What a library prints when the controller imports a deprecated part
    of it (cryptography 51's DSA, which ansible-core's SSH agent imports)."""
    module = tmp_path / "old_library.py"
    module.write_text("import warnings\nwarnings.warn('DSA is deprecated', DeprecationWarning, stacklevel=2)\n")
    (tmp_path / "agent.py").write_text("import old_library\n")
    result = subprocess.run(
        [sys.executable, "-W", "default", "agent.py"], cwd=tmp_path, capture_output=True, text=True, check=True
    )

    found = warnings("PLAY [x] ***\n" + result.stderr + "\nPLAY RECAP ***\n")
    assert found == [f"{tmp_path / 'agent.py'}:1: DeprecationWarning: DSA is deprecated import old_library"], found


def test_a_clean_run_has_none(tmp_path):
    assert warnings(run(tmp_path, "from ansible_facts", "ansible_facts.distribution")) == []


def test_wrapped_and_coloured_warnings_are_read_whole():
    text = (
        "TASK [x] ****\n\x1b[1;35m[WARNING]: Could not match supplied host\x1b[0m\n"
        "\x1b[1;35mpattern, ignoring: lb\x1b[0m\n\nPLAY [y] ***\n"
    )

    assert warnings(text) == ["[WARNING]: Could not match supplied host pattern, ignoring: lb"]


def test_molecule_s_frame_is_stripped():
    text = (
        "  │ TASK [x] ***\n  │ [WARNING]: failed to look up user wsgi. Create user up to this point in\n"
        "  │   real play\n  │ ok: [h]\n"
    )

    assert warnings(text) == ["[WARNING]: failed to look up user wsgi. Create user up to this point in real play"]

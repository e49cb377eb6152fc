"""Run one of the collection's modules as Ansible runs it on a host: a
separate Python process given its arguments in a file, its JSON result read
from what it prints."""

import json
import os
import subprocess
import sys
from pathlib import Path

import ansible


def run_module(module_file, tmp_path, args, check=False, diff=False):
    """The result of the module at MODULE_FILE given ARGS, with check mode
    and diff mode as asked; TMP_PATH holds its arguments file."""
    internal = {"_ansible_check_mode": check, "_ansible_diff": diff, "_ansible_remote_tmp": str(tmp_path)}
    args_file = tmp_path / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, **internal)}))
    path = os.pathsep.join([str(Path(ansible.__file__).parents[1]), *sys.path])
    done = subprocess.run(
        [sys.executable, module_file, str(args_file)],
        check=False,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=path),
    )
    return json.loads(done.stdout)

"""Run an action plugin in a unit test: a task with ARGS, and the host its
modules would run on, recorded and answered."""

from unittest.mock import MagicMock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar


def action(module, check_mode=False, **args):
    task = MagicMock(args=args, async_val=0, check_mode=check_mode, action=module.__name__.rsplit(".", 1)[-1])
    loader = DataLoader()
    context = MagicMock(check_mode=check_mode)
    return module.ActionModule(task, MagicMock(), context, loader, Templar(loader=loader), None)


class Host:
    """The modules an action runs on the host: each call recorded, each
    answered by ANSWERS (by module name) or as unchanged."""

    def __init__(self, **answers):
        self.calls = []
        self.answers = answers

    def __call__(self, module_name, module_args, task_vars):
        self.calls.append((module_name, module_args))
        return dict(self.answers.get(module_name.rsplit(".", 1)[-1], {"changed": False}))

    def modules(self):
        return [name.rsplit(".", 1)[-1] for name, _args in self.calls]


def on_host(plugin, host):
    plugin._execute_module = host
    return plugin

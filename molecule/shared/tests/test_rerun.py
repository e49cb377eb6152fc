"""A run on a converged host reads it once, finds the application answering,
and runs nothing else."""

from conftest import ran_tasks

# What such a run may get through: the checks and decisions made on the
# controller and the one host reading. The variables are checked by the plan
# actions themselves: no separate check, and none of Ansible's own
# "Validating arguments against arg spec" tasks (one task fewer per host each).
NOOP_TASKS = {
    "Check the web server's variables and work out its server-wide state",
    "Work out the server-wide state Apache should be in",
    "Compare the web server's server-wide state",
    "Work out what differs and what Apache must pick up",
    "Check the application's variables and read the host",
    "Read the host and compare it with the state it should be in",
    "Read which hosts the load balancers have out of rotation",
}
# What a converged host runs at most, besides the includes (no module call)
# and the load balancers' rotation, read once per batch: the server-wide
# plan, the application's one read (plan, reading and comparison) and the
# server-wide comparison.
CONVERGED_TASKS = 3
INCLUDES = {"ansible.builtin.include_role", "ansible.builtin.include_tasks", "include_role", "include_tasks"}
ROTATION = ("Read which hosts the load balancers have out of rotation",)
# Task names carry the role's name before " : " (its FQCN when the playbook
# names it so).
HOST_READING = "flask_wsgi : Read the host and compare it with the state it should be in"


def test_run_on_converged_host_reads_it_once_and_does_nothing_else(host, run_playbook):
    rc, report = run_playbook()
    hostname = host.backend.get_hostname()

    assert rc == 0
    assert report["stats"][hostname]["changed"] == 0
    ran = ran_tasks(report, hostname)
    extra = [name for name in ran if name not in NOOP_TASKS]
    assert extra == []
    readings = [
        task["hosts"][hostname]
        for play in report["plays"]
        for task in play["tasks"]
        if task["task"]["name"].endswith(HOST_READING) and hostname in task["hosts"]
    ]
    assert len(readings) == 1
    assert readings[0]["differing"] == []
    assert readings[0]["host_reading"]["healthcheck"]["healthy"] is True
    assert readings[0]["host_reading"]["healthcheck"]["status"] == 200
    calls = [
        task["task"]["name"]
        for play in report["plays"]
        for task in play["tasks"]
        if hostname in task["hosts"]
        and not task["hosts"][hostname].get("skipped")
        and task["hosts"][hostname].get("action") not in INCLUDES
        and not task["task"]["name"].endswith(ROTATION)
    ]
    assert len(calls) <= CONVERGED_TASKS, calls

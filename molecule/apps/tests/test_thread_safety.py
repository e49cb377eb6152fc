"""Flask's `request` and `g` are context locals: under a multi-threaded
daemon, hundreds of overlapping requests each see only their own values."""

import json

from conftest import list_daemons


def test_concurrent_requests_each_see_their_own_context(host, cfg):
    result = host.run(
        f"python3 /usr/local/lib/flask-wsgi-tests/echo_burst.py {cfg.url}/echo 400 64 0.2",
    )
    assert result.rc == 0, result.stderr
    burst = json.loads(result.stdout)
    assert burst["answers"] == 400
    assert burst["mixed_up"] == []
    # The requests really overlapped: every thread of every daemon served some.
    daemon_pids = {daemon["pid"] for daemon in list_daemons(host, cfg.display_name)}
    threads_by_pid = {}
    for daemon_thread in burst["daemon_threads"]:
        pid, thread = daemon_thread.split(":")
        threads_by_pid.setdefault(int(pid), set()).add(thread)
    assert set(threads_by_pid) == daemon_pids
    assert all(len(threads) == cfg.threads for threads in threads_by_pid.values())

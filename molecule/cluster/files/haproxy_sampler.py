"""Read HAProxy's per-server status and session total (stot) over the admin
socket every INTERVAL seconds until STOP_FILE exists; print the samples as
JSON: a list of [time, {server: [status, sessions]}] for BACKEND's servers.

    python3 haproxy_sampler.py SOCKET BACKEND STOP_FILE INTERVAL
"""

import json
import os
import socket
import sys
import time

admin_socket, backend, stop_file, interval = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])


def show_stat():
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(admin_socket)
        connection.sendall(b"show stat\n")
        lines = connection.makefile().read().splitlines()
    fields = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(fields, line.split(","), strict=False)) for line in lines[1:] if line]
    return {
        row["svname"]: [row["status"].split()[0], int(row["stot"])]
        for row in rows
        if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
    }


samples = []
while not os.path.exists(stop_file):
    # The time is taken after the answer: a session counted in this sample
    # began before it.
    servers = show_stat()
    samples.append([round(time.time(), 3), servers])
    time.sleep(interval)
print(json.dumps(samples))

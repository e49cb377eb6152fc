"""Print the servers of a HAProxy backend that are in maintenance or drain,
one per line, from the admin socket's `show stat`.

Usage: out_of_rotation.py SOCKET BACKEND"""

import socket
import sys

connection = socket.socket(socket.AF_UNIX)
connection.connect(sys.argv[1])
connection.sendall(b"show stat\n")
lines = connection.makefile().read().splitlines()
fields = lines[0].lstrip("# ").split(",")
for line in filter(None, lines[1:]):
    row = dict(zip(fields, line.split(","), strict=False))
    if row["pxname"] == sys.argv[2] and row["status"].split(" ")[0] in ("MAINT", "DRAIN"):
        print(row["svname"])

"""Request URL from THREADS threads, each pausing PAUSE seconds between
requests, until STOP_FILE exists; print every request's outcome as JSON.

    python3 load.py URL STOP_FILE THREADS PAUSE

A request succeeds when it is answered 200 with a JSON object that names its
release; anything else is a failure of its own kind: another status, a body
that is not such an object, a connection or read error, any exception at
all. No failure ends a client. The output has, per request, when it ended
(seconds since the epoch), its outcome ("ok" or the failure's kind) and the
release that answered, and the counts of outcomes and releases.
"""

import collections
import http.client
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

url, stop_file, thread_count, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
requests = []
lock = threading.Lock()


def one_request():
    """(outcome, release) of one request."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}", None
    except http.client.IncompleteRead:
        return "incomplete read", None
    except urllib.error.URLError as error:
        reason = error.reason
        return f"connection: {type(reason).__name__ if isinstance(reason, BaseException) else reason}", None
    except Exception as error:  # noqa: BLE001 - every kind of failure is counted, none ends the client
        return f"error: {type(error).__name__}", None
    if status != 200:
        return f"HTTP {status}", None
    try:
        release = json.loads(body)["release"]
    except Exception as error:  # noqa: BLE001
        return f"bad body: {type(error).__name__}", None
    if not isinstance(release, str):
        return "bad body: release is not a string", None
    return "ok", release


def client():
    while not os.path.exists(stop_file):
        outcome, release = one_request()
        with lock:
            requests.append((round(time.time(), 3), outcome, release))
        time.sleep(pause)


threads = [threading.Thread(target=client) for _ in range(thread_count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
requests.sort()
print(
    json.dumps(
        {
            "requests": requests,
            "outcomes": collections.Counter(outcome for _, outcome, _ in requests),
            "releases": collections.Counter(release for _, _, release in requests if release is not None),
        }
    )
)

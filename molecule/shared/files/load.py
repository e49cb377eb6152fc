"""Request URL from THREADS threads, each pausing PAUSE seconds between
requests, until STOP_FILE exists; print the counts of statuses, releases
answered and connection errors as JSON.

    python3 load.py URL STOP_FILE THREADS PAUSE
"""

import collections
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

url, stop_file, thread_count, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
statuses = collections.Counter()
releases = collections.Counter()
errors = collections.Counter()
lock = threading.Lock()


def hammer():
    while not os.path.exists(stop_file):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                release = json.load(response)["release"]
                with lock:
                    statuses[response.status] += 1
                    releases[release] += 1
        except urllib.error.HTTPError as error:
            with lock:
                statuses[error.code] += 1
        except OSError as error:
            with lock:
                errors[type(error).__name__] += 1
        time.sleep(pause)


threads = [threading.Thread(target=hammer) for _ in range(thread_count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"statuses": statuses, "releases": releases, "errors": errors}))

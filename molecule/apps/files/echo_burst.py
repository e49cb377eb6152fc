"""Send COUNT concurrent requests to URL?value=<unique>&sleep=SECONDS from
WORKERS threads; print, as JSON, every answer that did not echo its own value
through both flask.g and flask.request, and which daemon threads answered.

    python3 echo_burst.py URL COUNT WORKERS SECONDS
"""

import json
import sys
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

url, count, workers, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def ask(value):
    query = urllib.parse.urlencode({"value": value, "sleep": seconds})
    with urllib.request.urlopen(f"{url}?{query}", timeout=60) as response:
        return value, json.load(response)


with ThreadPoolExecutor(max_workers=workers) as pool:
    answers = list(pool.map(ask, [uuid.uuid4().hex for _ in range(count)]))

print(
    json.dumps(
        {
            "answers": len(answers),
            "mixed_up": [[value, body] for value, body in answers if body["g"] != value or body["request"] != value],
            "daemon_threads": sorted({f"{body['pid']}:{body['thread']}" for _, body in answers}),
        }
    )
)

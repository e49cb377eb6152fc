"""The default application: answers "hello world!" at the mount point.

mod_wsgi loads this file as a script and calls the object named
``application``; a Flask app bound only to ``app`` would answer 500.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/", strict_slashes=False)
def hello():
    return "hello world!"


application = app

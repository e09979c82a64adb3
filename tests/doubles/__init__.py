"""Local HTTP stand-ins for the help-center services and the Integration API."""

import logging

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log lines in test output

# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""The health check option the collection's modules share (module_utils/health.py)."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  healthcheck:
    description:
      - A GET request to the application, made from the host; left out,
        no request is made. The host reading (which reports the answer), and
        the deploy's and the rollback's health checks (which fail unless it
        is healthy) all make this request.
      - Redirects are not followed and certificates are not checked, as the
        request goes to the host's own loopback address.
    type: dict
    suboptions:
      url:
        description: URL to request.
        type: str
        required: true
      headers:
        description: Request headers, such as Host.
        type: dict
        default: {}
      status_codes:
        description: Statuses that count as healthy.
        type: list
        elements: int
        default: [200]
      timeout:
        description: Seconds to wait for the answer.
        type: int
        default: 10
      daemons:
        description:
          - The mod_wsgi daemon process group the application runs in. The
            check also requires that every process of the group runs and has
            loaded the WSGI script as it is now, as the records the role's
            preloaded recorder writes say (one request reaches one process
            only).
        type: dict
        suboptions:
          display_name:
            description: The group's C(display-name).
            type: str
            required: true
          user:
            description: The account the daemons run as.
            type: str
            required: true
          processes:
            description:
              - How many processes the group has; C(auto) is one per vCPU, as
                the vhost says; C(any) is at least one (after a rollback).
            type: str
            required: true
          records:
            description: The directory the recorder writes in.
            type: path
            required: true
          script:
            description: The WSGI script the processes preload.
            type: path
            required: true
      wait:
        description:
          - Seconds to keep asking, twenty times a second, until the
            application is healthy; 0 asks once. The deploy and the rollback
            wait for restarting daemons this way.
        type: float
        default: 0
"""

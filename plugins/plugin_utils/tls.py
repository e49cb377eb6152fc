# Copyright: (c) 2026, the flask-wsgi project
# MIT License (see LICENSE in the collection)
"""Mozilla's "intermediate" TLS configuration, which both the application's
HTTPS vhost (flask_wsgi) and the load balancer (haproxy_lb) use: TLS 1.2 and
1.3, and for TLS 1.2 forward-secret AEAD ciphers only.
https://wiki.mozilla.org/Security/Server_Side_TLS"""

INTERMEDIATE = {
    # TLS 1.2 cipher suites, in OpenSSL's names.
    "ciphers": [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
        "DHE-RSA-AES128-GCM-SHA256",
        "DHE-RSA-AES256-GCM-SHA384",
        "DHE-RSA-CHACHA20-POLY1305",
    ],
    # TLS 1.3 cipher suites.
    "ciphersuites": ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"],
}

# SPDX-License-Identifier: MIT
"""Placeholder for the independent JA4 / JA3 / JA3S implementation written
from the specifications. Until it lands, the TLS capture generator writes
null JA4 values and the TLS check skips its comparison with netprint.

Interface (fixed):

  hello dict: {"type": "client"|"server", "transport": "t"|"q"|"d",
    "legacy_version": int,
    "supported_versions": [int] or None (None: no extension 43; server: [selected]),
    "ciphers": [int] (client), "cipher": int (server),
    "extensions": [int],        # every extension type in wire order, GREASE included
    "sni": bytes or None,       # None when no server_name extension
    "alpns": [bytes] or None,   # None when no ALPN extension; [] when present but empty
    "sig_algs": [int] or None, "groups": [int] or None, "point_formats": [int] or None}
"""


def client_fingerprints(hello):
    """{"ja4", "ja4_r", "ja4_o", "ja4_ro", "ja3", "ja3_string"}"""
    raise NotImplementedError("ja4_spec.py is a placeholder")


def server_fingerprints(hello):
    """{"ja3s", "ja3s_string"}"""
    raise NotImplementedError("ja4_spec.py is a placeholder")

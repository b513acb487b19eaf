#!/usr/bin/env python3
"""JSON-lines peer for the live two-way check driven by the Rust xtask.

Reads one JSON object per line on stdin, writes one JSON object per line on stdout
(flushed after each), until EOF (tpref/peer.py).  One process; every import happens at
start-up.

  {"op": "verify", "case": CASE}
      -> {"expect": "ok" | "<ErrorClass>", "value": <verified value or null>}
  {"op": "sign", "case": CASE}            (uses kind, params, payload, timestamp)
      -> {"token": <bytes as in the vector format>}
  {"op": "generate", "seed": N, "count": M, "kinds": [...]}
      -> {"cases": [CASE, ...]}           (M random cases, vector format)

Failures: {"error": "unsupported kind"} for a kind this interpreter's reference does
not have; {"error": "<ExceptionType>: message"} otherwise (e.g. a sign that raised, a
verify that raised something that is not a BadData, a malformed request).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tpref import adapter as A  # noqa: E402
from tpref import gen as G  # noqa: E402
from tpref import peer  # noqa: E402


def sign_error(e):
    """A sign that raised: Unrepresentable, or the reference's error class."""
    if isinstance(e, A.Unrepresentable):
        return {"error": "Unrepresentable: %s" % e}
    return {"error": "%s: %s" % (A.error_name(e) or type(e).__name__, e)}


def cause(e):
    """An Unrepresentable value is named by what Python raised for it."""
    return e.__cause__ if isinstance(e, A.Unrepresentable) and e.__cause__ is not None else e


OPS = peer.ops(A.AVAILABLE_KINDS, A.verify, A.sign, G.random_raw, lambda r: G.finalize(r, ""),
               "tamperproof-live", unsupported=A.UnsupportedKind, sign_error=sign_error)


def main():
    return peer.serve(OPS, unsupported=A.UnsupportedKind, cause=cause)


if __name__ == "__main__":
    sys.exit(main())

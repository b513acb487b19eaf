#!/usr/bin/env python3
"""JSON-lines peer for the live two-way check, for the framework kinds (Django 5.2 and
Starlette), under target/venv/django.  Same protocol as live.py (tpref/peer.py):

  {"op": "verify", "case": CASE}   -> {"expect": "ok" | "<ErrorClass>", "value": V | null}
  {"op": "sign", "case": CASE}     -> {"token": BYTES}
  {"op": "generate", "seed": N, "count": M, "kinds": [...]} -> {"cases": [CASE, ...]}

Failures: {"error": "unsupported kind"} or {"error": "<Type>: message"}.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_frameworks as GF  # noqa: E402
from tpref import frameworks as F  # noqa: E402
from tpref import peer  # noqa: E402


def random_raws(rng, kind):
    """The raw cases of one random scenario of `kind`."""
    raws = GF.scenario(rng, rng.choice(GF.names(kind)), kind, GF.rand_params(rng, kind), "live",
                       GF.rand_payload(rng, kind))
    return [r for r in raws if r is not None]


OPS = peer.ops(F.KINDS, F.verify, F.sign, random_raws, GF.finalize, "tamperproof-live-frameworks")


def main():
    return peer.serve(OPS)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""JSON-lines peer for the live two-way check, for the framework kinds (Django 5.2 and
Starlette), under target/venv/django.  Same protocol as live.py:

  {"op": "verify", "case": CASE}   -> {"expect": "ok" | "<ErrorClass>", "value": V | null}
  {"op": "sign", "case": CASE}     -> {"token": BYTES}
  {"op": "generate", "seed": N, "count": M, "kinds": [...]} -> {"cases": [CASE, ...]}

Failures: {"error": "unsupported kind"} or {"error": "<Type>: message"}.
"""

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_frameworks as GF  # noqa: E402
from tpref import frameworks as F  # noqa: E402
from tpref.codec import dec_bytes, enc_bytes  # noqa: E402


class UnsupportedKind(Exception):
    pass


def _kind(case):
    kind = case.get("kind")
    if kind not in F.KINDS:
        raise UnsupportedKind(kind)
    return kind


def op_verify(req):
    case = req["case"]
    kind = _kind(case)
    expect, value = F.verify(kind, case.get("params", {}), dec_bytes(case["token"]), case.get("now"),
                             case.get("max_age"))
    return {"expect": expect, "value": value}


def op_sign(req):
    case = req["case"]
    kind = _kind(case)
    token = F.sign(kind, case.get("params", {}), case.get("payload"), case.get("timestamp"))
    return {"token": enc_bytes(token)}


def op_generate(req):
    seed = int(req.get("seed", 0))
    count = int(req.get("count", 1))
    kinds = req.get("kinds") or list(F.KINDS)
    for k in kinds:
        if k not in F.KINDS:
            raise UnsupportedKind(k)
    rng = random.Random("tamperproof-live-frameworks:%d" % seed)
    cases, tries = [], 0
    while len(cases) < count and tries < count * 50 + 50:
        tries += 1
        kind = rng.choice(kinds)
        raws = [r for r in GF.scenario(rng, rng.choice(GF.names(kind)), kind, GF.rand_params(rng, kind), "live",
                                       GF.rand_payload(rng, kind)) if r is not None]
        if raws:
            r = raws[rng.randrange(len(raws))]
            c = GF.finalize(r)
            if c is not None:
                c["id"] = "%s/live-%d-%05d-%s" % (kind, seed, len(cases), r["label"])
                cases.append(c)
    return {"cases": cases}


OPS = {"verify": op_verify, "sign": op_sign, "generate": op_generate}


def handle(line):
    try:
        req = json.loads(line)
        fn = OPS.get(req.get("op")) if isinstance(req, dict) else None
        if fn is None:
            return {"error": "unknown op"}
        return fn(req)
    except UnsupportedKind:
        return {"error": "unsupported kind"}
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, e)}


def main():
    for line in sys.stdin:
        if line.strip():
            resp = handle(line)
            try:
                text = json.dumps(resp, ensure_ascii=True, allow_nan=False)
            except (TypeError, ValueError) as e:
                text = json.dumps({"error": "%s: %s" % (type(e).__name__, e)})
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

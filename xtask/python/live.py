#!/usr/bin/env python3
"""JSON-lines peer for the live two-way check driven by the Rust xtask.

Reads one JSON object per line on stdin, writes one JSON object per line on stdout
(flushed after each), until EOF.  One process; every import happens at start-up.

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

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tpref import adapter as A  # noqa: E402
from tpref import gen as G  # noqa: E402
from tpref.codec import dec_bytes, enc_bytes  # noqa: E402


def _kind(case):
    kind = case.get("kind")
    if kind not in A.AVAILABLE_KINDS:
        raise A.UnsupportedKind(kind)
    return kind


def op_verify(req):
    case = req["case"]
    kind = _kind(case)
    expect, value = A.verify(kind, case.get("params", {}), dec_bytes(case["token"]), case.get("now"),
                             case.get("max_age"))
    return {"expect": expect, "value": value}


def op_sign(req):
    case = req["case"]
    kind = _kind(case)
    try:
        token = A.sign(kind, case.get("params", {}), case.get("payload"), case.get("timestamp"))
    except A.UnsupportedKind:
        raise
    except A.Unrepresentable as e:
        return {"error": "Unrepresentable: %s" % e}
    except Exception as e:
        name = A.error_name(e) or type(e).__name__
        return {"error": "%s: %s" % (name, e)}
    return {"token": enc_bytes(token)}


def op_generate(req):
    seed = int(req.get("seed", 0))
    count = int(req.get("count", 1))
    kinds = req.get("kinds") or list(A.AVAILABLE_KINDS)
    for k in kinds:
        if k not in A.AVAILABLE_KINDS:
            raise A.UnsupportedKind(k)
    rng = random.Random("tamperproof-live:%d" % seed)
    cases = []
    tries = 0
    while len(cases) < count and tries < count * 50 + 50:
        tries += 1
        kind = rng.choice(kinds)
        raws = G.random_raw(rng, kind)
        if raws:
            # one case per draw keeps the mix of scenarios even
            r = raws[rng.randrange(len(raws))]
            c = G.finalize(r, "")
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
            return {"error": "unknown op: %r" % (req.get("op") if isinstance(req, dict) else req,)}
        return fn(req)
    except A.UnsupportedKind:
        return {"error": "unsupported kind"}
    except Exception as e:  # malformed request, non-BadData exception from the reference
        cause = e.__cause__ if isinstance(e, A.Unrepresentable) and e.__cause__ is not None else e
        return {"error": "%s: %s" % (type(cause).__name__, cause)}


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        resp = handle(line)
        try:
            text = json.dumps(resp, ensure_ascii=True, allow_nan=False)
        except (TypeError, ValueError) as e:
            text = json.dumps({"error": "%s: %s" % (type(e).__name__, e)})
        out.write(text + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The JSON-lines peer of the live two-way check (live.py for itsdangerous' kinds,
live_frameworks.py for Django's and Starlette's): the ops over one reference, and the loop
that reads one request per line on stdin and writes one answer per line on stdout (flushed
after each), until EOF.

  {"op": "verify", "case": CASE}   -> {"expect": "ok" | "<ErrorClass>", "value": V | null}
  {"op": "sign", "case": CASE}     -> {"token": <bytes as in the vector format>}
  {"op": "generate", "seed": N, "count": M, "kinds": [...]} -> {"cases": [CASE, ...]}

Failures: {"error": "unsupported kind"} for a kind the reference does not have;
{"error": "<ExceptionType>: message"} otherwise.
"""

import json
import random
import sys

from .codec import dec_bytes, enc_bytes


class UnsupportedKind(Exception):
    """A kind the reference does not have."""


def ops(kinds, verify, sign, random_raws, finalize, seed_name, unsupported=UnsupportedKind,
        sign_error=None):
    """The verify / sign / generate ops over a reference: `kinds` it has, `verify(kind,
    params, token, now, max_age) -> (expect, value)`, `sign(kind, params, payload, timestamp)
    -> bytes`, `random_raws(rng, kind)` (raw cases of one random draw), `finalize(raw)` (a case
    or None).  `sign_error(e)`, when given, is the answer for an exception of `sign`."""

    def kind_of(case):
        kind = case.get("kind")
        if kind not in kinds:
            raise unsupported(kind)
        return kind

    def op_verify(req):
        case = req["case"]
        kind = kind_of(case)
        expect, value = verify(kind, case.get("params", {}), dec_bytes(case["token"]), case.get("now"),
                               case.get("max_age"))
        return {"expect": expect, "value": value}

    def op_sign(req):
        case = req["case"]
        kind = kind_of(case)
        try:
            token = sign(kind, case.get("params", {}), case.get("payload"), case.get("timestamp"))
        except unsupported:
            raise
        except Exception as e:
            if sign_error is None:
                raise
            return sign_error(e)
        return {"token": enc_bytes(token)}

    def op_generate(req):
        seed = int(req.get("seed", 0))
        count = int(req.get("count", 1))
        wanted = req.get("kinds") or list(kinds)
        for k in wanted:
            if k not in kinds:
                raise unsupported(k)
        rng = random.Random("%s:%d" % (seed_name, seed))
        cases, tries = [], 0
        while len(cases) < count and tries < count * 50 + 50:
            tries += 1
            kind = rng.choice(wanted)
            raws = random_raws(rng, kind)
            if raws:
                # one case per draw keeps the mix of scenarios even
                r = raws[rng.randrange(len(raws))]
                c = finalize(r)
                if c is not None:
                    c["id"] = "%s/live-%d-%05d-%s" % (kind, seed, len(cases), r["label"])
                    cases.append(c)
        return {"cases": cases}

    return {"verify": op_verify, "sign": op_sign, "generate": op_generate}


def serve(ops, unsupported=UnsupportedKind, cause=lambda e: e):
    """Answers each request line of stdin with `ops`; `cause(e)` is the exception an error
    answer names.  Returns the exit status, 0."""

    def handle(line):
        try:
            req = json.loads(line)
            fn = ops.get(req.get("op")) if isinstance(req, dict) else None
            if fn is None:
                return {"error": "unknown op: %r" % (req.get("op") if isinstance(req, dict) else req,)}
            return fn(req)
        except unsupported:
            return {"error": "unsupported kind"}
        except Exception as e:  # malformed request, non-BadData exception from the reference
            e = cause(e)
            return {"error": "%s: %s" % (type(e).__name__, e)}

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

#!/usr/bin/env python3
"""Generate compatibility vectors (format tamperproof-vectors/1) from the Python reference.

    target/venv/main/bin/python xtask/python/gen_vectors.py --out DIR [--kinds k1,k2] [--summary]
    target/venv/jws/bin/python  xtask/python/gen_vectors.py --out DIR --kinds jws,timed_jws

Writes DIR/<kind>.json for each kind.  Default kinds: the six itsdangerous 2.2 kinds.
flask_session (same venv) and jws/timed_jws (itsdangerous 2.0.1 venv) only when named.
Output is deterministic: seeded random.Random per kind, fixed clocks (T0 = 1308874145
and others), stable ids, json.dump(indent=1, ensure_ascii=True) + trailing newline.
Every `expect` is what the reference did with the token; `direction` is "both" only
when re-signing `payload` at `timestamp` reproduced `token` byte for byte (never for
zlib-compressed URL-safe tokens).

DELIBERATE EXCLUSIONS (areas where the Rust port is documentedly stricter than Python;
no input of these kinds is generated, and finalize() drops any case that strays there):
  (a) non-canonical base64 anywhere in signatures, timestamps, URL-safe payloads and
      JWS header/payload: "=" padding, junk characters, standard-alphabet "+/",
      non-zero unused trailing bits, non-ASCII.  Every base64 field of every token is
      checked: it must be canonical unpadded URL-safe base64, or invalid for every
      decoder (URL-safe alphabet only, length == 1 mod 4).  One-character tampers keep
      the field canonical (so they always change decoded bytes) and a tamper that the
      reference still accepts is dropped.
  (b) separators that contain any of A-Za-z0-9-_= , or are empty (Python accepts e.g.
      "ax"; the port rejects it).  Only one-character separators are used.
  (c) NaN / Infinity floats (and 1e400-style overflow), integers over 4300 digits,
      lone surrogates.
  (d) validly signed timestamps past year 9999 (the reference raises ValueError /
      OverflowError, not BadData: such cases are not representable and are dropped;
      generated timestamps stay <= 253402300799).
  (e) zlib streams with trailing garbage, or that decompress to more than 1 MiB.
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tpref import adapter as A  # noqa: E402
from tpref import gen as G  # noqa: E402
from tpref import vectorfile as V  # noqa: E402

TARGET = {"flask_session": 340, "jws": 220, "timed_jws": 220}
DEFAULT_TARGET = 320


def systematic(rng, kind):
    """Raw cases that cover every parameter value, payload shape and negative path."""
    out = []

    def add(name, params, label, value, clock=None):
        out.extend(G.scenario(rng, name, kind, params, label, value, clock))

    shapes, large = G.shapes_for(kind)
    tampers = ["tamper-sig", "tamper-payload"] + (["tamper-ts"] if G.is_timed(kind) else [])

    # Every payload shape, signed and verified; half of them also tampered.
    for i, (label, fn) in enumerate(shapes):
        p = G.rand_params(rng, kind)
        add("valid", p, label, fn(rng))
        if i % 2 == 0:
            add(rng.choice(tampers), p, label, fn(rng))
    for label, fn in large:
        p = G.rand_params(rng, kind)
        add("valid", p, label, fn(rng))
    p = G.rand_params(rng, kind)
    add("tamper-sig", p, large[0][0], large[0][1](rng))

    def small(r=rng):
        return G.rand_payload(r, kind)

    if kind == "flask_session":
        # Every JSON payload shape inside a session, and more random tagged sessions.
        for label, fn in G.JSON_SHAPES:
            add("valid", G.rand_params(rng, kind), "json-" + label, {"v": fn(rng)})
        for _ in range(30):
            add("valid", G.rand_params(rng, kind), "random", G.rand_session(rng))

    if kind in A.SIGNER_KINDS or kind in A.SERIALIZER_KINDS:
        # Every key derivation x digest.
        for kd in G.KDS:
            for dg in G.DIGEST_NAMES:
                p = G.with_(G.rand_params(rng, kind), key_derivation=kd, digest_method=dg, fallback_signers=None)
                add("valid", p, *small())
                add(rng.choice(tampers), p, *small())
        # Default key derivation / digest (absent) too.
        p = G.with_(G.rand_params(rng, kind), key_derivation=None, digest_method=None)
        add("valid", p, *small())
        # Every separator, including an explicit default.
        for sep in ["."] + G.SEPS:
            p = G.with_(G.rand_params(rng, kind), sep=sep)
            add("valid", p, *small())
            add(rng.choice(tampers + ["truncate", "no-sep"]), p, *small())
        # Fallback signers.
        if kind in A.SERIALIZER_KINDS:
            for _ in range(8):
                add("fallback", G.rand_params(rng, kind), *small())
    if kind in A.JWS_KINDS:
        for alg in G.JWS_ALGS + [None]:
            for salt in (None, "my-salt", ""):
                p = G.with_(G.rand_params(rng, kind), algorithm_name=alg, salt=salt)
                add("valid", p, *small())
                add(rng.choice(["tamper-sig", "tamper-payload", "tamper-header"]), p, *small())
            add("jws-header", G.with_(G.rand_params(rng, kind), algorithm_name=alg), *small())
        if kind == "timed_jws":
            for exp_in in (None, 0, 1, 10, 3600, 86400):
                p = G.with_(G.rand_params(rng, kind), expires_in=exp_in)
                add("boundary", p, *small())
                add("future", p, *small())
    # Salts (not Flask: its salt is fixed).
    if kind != "flask_session":
        for salt in G.SALTS + [G.enc_bytes(G.non_utf8(rng, 6))]:
            p = G.with_(G.rand_params(rng, kind), salt=salt)
            add("valid", p, *small())
            add("wrong-salt", p, *small())
    # Keys: single, empty, long, binary, unicode, lists; rotation.
    keys = ["secret-key", "", G.rand_ascii(rng, 200), G.enc_bytes(G.non_utf8(rng, 31)), "cl\u00e9 \U0001F511",
            ["old", "new"], ["a", "b", "c"], [G.enc_bytes(G.non_utf8(rng, 8)), "current"]]
    for k in keys:
        if kind == "flask_session" and k == "":
            continue  # Flask signs nothing with a falsy SECRET_KEY
        p = G.with_(G.rand_params(rng, kind), secret_key=k)
        add("valid", p, *small())
        add("wrong-key", p, *small())
    for _ in range(6):
        add("rotation", G.rand_params(rng, kind), *small())
    # Timestamps.
    if G.is_timed(kind):
        for ts in G.TIMESTAMPS:
            p = G.rand_params(rng, kind)
            if kind == "timed_jws":
                clock = {"timestamp": ts, "now": ts + min(1, p.get("expires_in", 3600))}
            else:
                clock = {"timestamp": ts, "now": ts + 5}
                if kind == "flask_session":
                    clock["max_age"] = G.FLASK_MAX_AGE
                elif rng.random() < 0.5:
                    clock["max_age"] = 10
            add("valid", p, *small(), clock=clock)
            add("boundary", p, *small(), clock=clock)
        for name in ("boundary", "expired", "future"):
            for _ in range(4):
                add(name, G.rand_params(rng, kind), *small())
    # Every scenario a few times with random parameters.
    for name in G.scenario_names(kind):
        for _ in range(3):
            add(name, G.rand_params(rng, kind), *small())
    # Every bad payload body at least once.
    for bl, body in G.bad_payloads(kind):
        p = G.rand_params(rng, kind)
        out.extend(G.bad_payload_case(kind, p, G.rand_clock(rng, kind, p), bl, body))
    return out


def build_cases(kind, target):
    rng = random.Random("tamperproof-vectors:" + kind)
    cases, seen = [], set()

    def take(raws, limit=None):
        for r in raws:
            if limit is not None and len(cases) >= limit:
                return
            case = G.finalize(r, "")
            if case is None:
                continue
            key = case["token"] if isinstance(case["token"], str) else case["token"]["base64"]
            key = (json.dumps(case["params"], sort_keys=True), key, case.get("now"), case.get("max_age"))
            if key in seen:
                continue
            seen.add(key)
            case["id"] = "%s/%04d-%s" % (kind, len(cases), r["label"])
            cases.append(case)

    take(systematic(rng, kind))
    guard = 0
    while len(cases) < target and guard < target * 20:
        guard += 1
        take(G.random_raw(rng, kind), limit=target)
    return cases


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--kinds", default=",".join(A.DEFAULT_KINDS), help="comma-separated kinds")
    ap.add_argument("--summary", action="store_true", help="print case counts per kind / expect / direction")
    ap.add_argument("--per-kind", type=int, default=None, help="override the target number of cases per kind")
    args = ap.parse_args(argv)

    kinds = [k for k in args.kinds.split(",") if k]
    for k in kinds:
        if k not in A.ALL_KINDS:
            ap.error("unknown kind %r" % k)
        if k not in A.AVAILABLE_KINDS:
            ap.error("kind %r is not available with itsdangerous %s in this interpreter (%s)"
                     % (k, A.ITSDANGEROUS_VERSION, sys.executable))
    return V.write_kinds(args.out, kinds,
                         lambda kind: build_cases(kind, args.per_kind or TARGET.get(kind, DEFAULT_TARGET)),
                         A.generated_by, args.summary)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The Python side of `cargo xtask bench-compare`: the operations of the Rust benches,
timed with timeit, and the peak memory of loading a zip bomb.

  bench.py run --group main|jws --out FILE [--repeat N] [--seconds S]
      time every operation of the group; FILE gets {"name": ns_per_op, ...} with the
      names of the criterion benchmarks (e.g. "signer/sha1/sign/100")
  bench.py make-bomb FILE
      write a validly signed URLSafeSerializer("secret-key") token whose zlib payload
      inflates to ~50 MB (the JSON string "000...")
  bench.py bomb FILE --out FILE2
      load that token once and report the outcome, the ru_maxrss growth and the
      tracemalloc peak; run it in a fresh process (the xtask does)

Group `main` needs itsdangerous 2.2 + Flask 3.1 (target/venv/main); group `jws` needs
itsdangerous 2.0.1 (target/venv/jws), the last release with JSONWebSignatureSerializer.
The inputs are the ones of the Rust benches (benches/compare/src/lib.rs).
"""

import argparse
import hashlib
import json
import resource
import statistics
import sys
import timeit
import tracemalloc
import warnings

KEY = "secret-key"
SIZES = (16, 100, 4096)
MAX_AGE = 3600


def small():
    return {"id": 42, "name": "alice", "roles": ["admin", "user"], "active": True}


def reset():
    return {"user_id": 12345, "email": "alice@example.com", "purpose": "password-reset"}


def big():
    text = "the quick brown fox jumps over the lazy dog " * 94
    return {"blob": text[:4096]}


def session():
    return {
        "_fresh": True,
        "_id": "0123456789abcdef" * 8,
        "_user_id": "42",
        "csrf_token": "fedcba9876543210fedcba9876543210fedcba98",
    }


LOGIN_ID = (
    "a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194"
    "d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4"
)
CSRF_TOKEN = "51c0ae4e67ece03d97accfc9c90ac2a0e5868131"


def login_cart():
    """A Flask-Login session with a cart, ids as the libraries make them."""
    return {
        "_fresh": True,
        "_id": LOGIN_ID,
        "_user_id": "42",
        "csrf_token": CSRF_TOKEN,
        "cart": [{"sku": "BK-1042", "qty": 1}, {"sku": "PEN-0007", "qty": 3}],
    }


def main_ops():
    """(name, callable) for itsdangerous 2.2 and Flask 3.1."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import (
        Serializer,
        Signer,
        TimedSerializer,
        TimestampSigner,
        URLSafeSerializer,
        URLSafeTimedSerializer,
    )

    ops = []
    for digest_name, digest in (("sha1", hashlib.sha1), ("sha256", hashlib.sha256)):
        signer = Signer(KEY, digest_method=digest)
        for size in SIZES:
            value = b"x" * size
            token = signer.sign(value)
            ops.append((f"signer/{digest_name}/sign/{size}", lambda s=signer, v=value: s.sign(v)))
            ops.append(
                (f"signer/{digest_name}/unsign/{size}", lambda s=signer, t=token: s.unsign(t))
            )
    timed = TimestampSigner(KEY)
    for size in SIZES:
        value = b"x" * size
        token = timed.sign(value)
        ops.append((f"timestamp/sign/{size}", lambda v=value: timed.sign(v)))
        ops.append(
            (
                f"timestamp/unsign_max_age/{size}",
                lambda t=token: timed.unsign(t, max_age=MAX_AGE),
            )
        )
    for group, cls, timed_cls in (
        ("serializer", Serializer, False),
        ("timed_serializer", TimedSerializer, True),
        ("url_safe", URLSafeSerializer, False),
        ("url_safe_timed", URLSafeTimedSerializer, True),
    ):
        serializer = cls(KEY)
        for name, value in (("small", small()), ("reset", reset()), ("4k", big())):
            token = serializer.dumps(value)
            ops.append((f"{group}/dumps/{name}", lambda s=serializer, v=value: s.dumps(v)))
            if timed_cls:
                ops.append(
                    (
                        f"{group}/loads_max_age/{name}",
                        lambda s=serializer, t=token: s.loads(t, max_age=MAX_AGE),
                    )
                )
            else:
                ops.append((f"{group}/loads/{name}", lambda s=serializer, t=token: s.loads(t)))

    app = Flask(__name__)
    app.secret_key = KEY
    flask_serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    max_age = int(app.permanent_session_lifetime.total_seconds())
    for name, value in (("session", session()), ("login_cart", login_cart())):
        cookie = flask_serializer.dumps(value)
        # What open_session does per request once it has the serializer.
        ops.append(
            (
                f"flask/verify/{name}",
                lambda c=cookie: flask_serializer.loads(c, max_age=max_age),
            )
        )
        ops.append((f"flask/dumps/{name}", lambda v=value: flask_serializer.dumps(v)))
    return ops


def jws_ops():
    """(name, callable) for itsdangerous 2.0.1's JWS serializers."""
    warnings.simplefilter("ignore")
    from itsdangerous import JSONWebSignatureSerializer, TimedJSONWebSignatureSerializer

    jws = JSONWebSignatureSerializer(KEY)
    timed = TimedJSONWebSignatureSerializer(KEY)
    value = small()
    token = jws.dumps(value)
    timed_token = timed.dumps(value)
    return [
        ("jws/loads/small", lambda: jws.loads(token)),
        ("jws/dumps/small", lambda: jws.dumps(value)),
        ("timed_jws/loads/small", lambda: timed.loads(timed_token)),
    ]


def time_op(fn, repeat, seconds):
    """Median over `repeat` runs of ns per call; each run lasts about `seconds`."""
    timer = timeit.Timer(fn)
    number, elapsed = timer.autorange()
    number = max(1, int(number * seconds / max(elapsed, 1e-9)))
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e9


def cmd_run(args):
    ops = main_ops() if args.group == "main" else jws_ops()
    results = {}
    for name, fn in ops:
        fn()  # fail early, before timing
        results[name] = time_op(fn, args.repeat, args.seconds)
        print(f"python {name}: {results[name]:.0f} ns", file=sys.stderr)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)


def cmd_make_bomb(args):
    from itsdangerous import URLSafeSerializer

    token = URLSafeSerializer(KEY).dumps("0" * 50_000_000)
    with open(args.file, "w") as f:
        f.write(token)


def cmd_bomb(args):
    from itsdangerous import URLSafeSerializer

    with open(args.file) as f:
        token = f.read().strip()
    serializer = URLSafeSerializer(KEY)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        value = serializer.loads(token)
        outcome = f"loaded ({len(value)} characters)"
    except Exception as e:  # report whatever it is
        outcome = f"{type(e).__name__}: {e}"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(args.out, "w") as f:
        json.dump(
            {
                "token_bytes": len(token),
                "outcome": outcome,
                "tracemalloc_peak_bytes": peak,
                "rss_peak_delta_kib": after - before,
            },
            f,
            indent=1,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--group", choices=("main", "jws"), required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--repeat", type=int, default=5)
    run.add_argument("--seconds", type=float, default=0.1)
    make = sub.add_parser("make-bomb")
    make.add_argument("file")
    bomb = sub.add_parser("bomb")
    bomb.add_argument("file")
    bomb.add_argument("--out", required=True)
    args = parser.parse_args()
    {"run": cmd_run, "make-bomb": cmd_make_bomb, "bomb": cmd_bomb}[args.command](args)


if __name__ == "__main__":
    main()

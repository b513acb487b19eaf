#!/usr/bin/env python3
"""The Python side of `cargo xtask bench-compare`: the operations of the Rust benches,
timed with timeit, and the peak memory of loading a zip bomb.

  bench.py run --group main|jws|django --out FILE [--repeat N] [--seconds S]
      time every operation of the group; FILE gets {"name": ns_per_op, ...} with the
      names of the criterion benchmarks (e.g. "signer/sha1/sign/100")
  bench.py make-bomb FILE
      write a validly signed URLSafeSerializer("secret-key") token whose zlib payload
      inflates to ~50 MB (the JSON string "000...")
  bench.py bomb FILE --out FILE2
      load that token once and report the outcome, the ru_maxrss growth and the
      tracemalloc peak; run it in a fresh process (the xtask does)

Group `main` needs itsdangerous 2.2 + Flask 3.1 (target/venv/main); group `jws` needs
itsdangerous 2.0.1 (target/venv/jws), the last release with JSONWebSignatureSerializer;
group `django` needs Django 5.2 + Starlette (target/venv/django).
The inputs are the ones of the Rust benches (benches/compare/src/lib.rs, django.rs and
starlette.rs).
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


DJANGO_KEY = "django-insecure-secret-key"
AUTH_USER_HASH = "df29b8497c1017022399f77714b0b41e84f630e73d197413421a61999322f94d"
SESSION_SALT = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = 1209600
COOKIE_NAME, COOKIE_VALUE = "theme", "dark"
STARLETTE_KEY = "starlette-secret-key"


def login_session():
    """A session as django.contrib.auth.login leaves it, plus two application keys."""
    return {
        "_auth_user_id": "42",
        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash": AUTH_USER_HASH,
        "django_timezone": "Europe/Paris",
        "cart_id": 1042,
    }


def starlette_session():
    return {"user_id": 42, "csrf_token": "fedcba9876543210" * 2, "flash": ["saved", "Jos\u00e9"]}


def same_second(make, check):
    """Calls make() and check(made) until both happen within one clock second (tokens carry
    the time), so that a token compared with another is not off by a tick."""
    import time

    for _ in range(5):
        before = int(time.time())
        made = make()
        if int(time.time()) == before:
            return check(made)
    raise RuntimeError("the clock kept ticking")


def django_ops():
    """(name, callable) for Django 5.2 signing, signed cookies and the signed_cookies session
    backend, and Starlette 1.10's SessionMiddleware cookie."""
    import base64

    import django
    from django.conf import settings

    settings.configure(SECRET_KEY=DJANGO_KEY)
    django.setup()
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.core import signing
    from django.http import HttpRequest, HttpResponse
    from starlette.middleware.sessions import SessionMiddleware

    ops = []
    session = login_session()

    # What the signed_cookies backend does: checked here against the real SessionStore
    # (same token in the same second, and it loads ours back).
    def session_dumps():
        return signing.dumps(
            session, compress=True, salt=SESSION_SALT, serializer=signing.JSONSerializer
        )

    def session_loads(cookie):
        return signing.loads(
            cookie, salt=SESSION_SALT, serializer=signing.JSONSerializer, max_age=SESSION_COOKIE_AGE
        )

    def store_token():
        store = SessionStore()
        store.update(session)
        return store._get_session_key(), session_dumps()

    assert same_second(store_token, lambda pair: pair[0] == pair[1]), "SessionStore differs"
    cookie = session_dumps()
    assert SessionStore(session_key=cookie).load() == session_loads(cookie) == session
    ops.append(("django/session/loads", lambda: session_loads(cookie)))
    ops.append(("django/session/dumps", session_dumps))

    value = small()
    token = signing.dumps(value, compress=True)
    ops.append(("django/signing/dumps/small", lambda: signing.dumps(value, compress=True)))
    ops.append(
        ("django/signing/loads_max_age/small", lambda: signing.loads(token, max_age=MAX_AGE))
    )

    # What set_signed_cookie / get_signed_cookie do per call (the signer is built per call
    # in Django too), checked against them.
    response = HttpResponse()
    salt = f"django.http.cookies.v2:0:{COOKIE_NAME}"

    def set_cookie():
        response.set_signed_cookie(COOKIE_NAME, COOKIE_VALUE)
        return response.cookies[COOKIE_NAME].value, signing.get_cookie_signer(salt=salt).sign(
            COOKIE_VALUE
        )

    assert same_second(set_cookie, lambda pair: pair[0] == pair[1]), "set_signed_cookie differs"
    signed = signing.get_cookie_signer(salt=salt).sign(COOKIE_VALUE)
    request = HttpRequest()
    request.COOKIES[COOKIE_NAME] = signed
    assert request.get_signed_cookie(COOKIE_NAME, max_age=MAX_AGE) == COOKIE_VALUE
    ops.append(
        ("django/cookie/sign", lambda: signing.get_cookie_signer(salt=salt).sign(COOKIE_VALUE))
    )
    ops.append(
        (
            "django/cookie/unsign_max_age",
            lambda: signing.get_cookie_signer(salt=salt).unsign(signed, max_age=MAX_AGE),
        )
    )

    # SessionMiddleware's own signer and max_age; its cookie format per request.
    middleware = SessionMiddleware(None, secret_key=STARLETTE_KEY)
    signer, max_age = middleware.signer, middleware.max_age
    data = starlette_session()

    def starlette_dumps():
        return signer.sign(base64.b64encode(json.dumps(data).encode("utf-8")))

    starlette_cookie = starlette_dumps()

    def starlette_loads():
        return json.loads(base64.b64decode(signer.unsign(starlette_cookie, max_age=max_age)))

    assert starlette_loads() == data
    ops.append(("starlette/session/loads", starlette_loads))
    ops.append(("starlette/session/dumps", starlette_dumps))
    return ops


def time_op(fn, repeat, seconds):
    """Median over `repeat` runs of ns per call; each run lasts about `seconds`."""
    timer = timeit.Timer(fn)
    number, elapsed = timer.autorange()
    number = max(1, int(number * seconds / max(elapsed, 1e-9)))
    runs = timer.repeat(repeat=repeat, number=number)
    return statistics.median(runs) / number * 1e9


def cmd_run(args):
    ops = {"main": main_ops, "jws": jws_ops, "django": django_ops}[args.group]()
    results = {}
    for name, fn in ops:
        fn()  # fail early, before timing
        results[name] = time_op(fn, args.repeat, args.seconds)
        print(f"python {name}: {results[name]:.0f} ns", file=sys.stderr)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)


def cmd_serve(args):
    """Times operations on request, for `cargo xtask bench-pairs`: each stdin line
    `NAME SECONDS` is answered with one line, the operation's nanoseconds per call over about
    SECONDS (the call count is fixed at the first request of a name, by timeit's autorange)."""
    ops = dict({"main": main_ops, "jws": jws_ops, "django": django_ops}[args.group]())
    numbers = {}
    for line in sys.stdin:
        name, seconds = line.split()
        timer = timeit.Timer(ops[name])
        if name not in numbers:
            number, elapsed = timer.autorange()
            numbers[name] = max(1, int(number * float(seconds) / max(elapsed, 1e-9)))
        number = numbers[name]
        print(f"{timer.timeit(number=number) / number * 1e9:.1f}", flush=True)


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
    run.add_argument("--group", choices=("main", "jws", "django"), required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--repeat", type=int, default=5)
    run.add_argument("--seconds", type=float, default=0.1)
    serve = sub.add_parser("serve")
    serve.add_argument("--group", choices=("main", "jws", "django"), required=True)
    make = sub.add_parser("make-bomb")
    make.add_argument("file")
    bomb = sub.add_parser("bomb")
    bomb.add_argument("file")
    bomb.add_argument("--out", required=True)
    args = parser.parse_args()
    {"run": cmd_run, "serve": cmd_serve, "make-bomb": cmd_make_bomb, "bomb": cmd_bomb}[args.command](args)


if __name__ == "__main__":
    main()

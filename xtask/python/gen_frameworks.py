#!/usr/bin/env python3
"""Generate the framework vectors (format tamperproof-vectors/1) from the real packages:
Django 5.2 (django_signer, django_timestamp_signer, django_signing, django_signed_cookie,
django_session) and Starlette's SessionMiddleware (starlette_session).

    target/venv/django/bin/python xtask/python/gen_frameworks.py --out DIR [--kinds k1,k2] [--summary]

Deterministic: one seeded random.Random per kind, fixed clocks, stable ids,
json.dump(indent=1, ensure_ascii=True) + trailing newline.  Every `expect` is what the
reference did with the token (tpref/frameworks.py); `direction` is "both" only for
untampered, uncompressed tokens that re-signing reproduced byte for byte.

DELIBERATE EXCLUSIONS (where the Rust port is documentedly stricter; no such input is
generated, and finalize() drops any case where the reference accepts what a strict
decoder rejects):
  (a) non-canonical base64 inside validly signed payloads (Django's urlsafe_b64decode and
      Starlette's b64decode drop junk characters);
  (b) NaN / Infinity, integers over 4300 digits, lone surrogates in JSON;
  (c) zlib streams with trailing garbage or that inflate to more than 1 MiB;
  (d) empty keys (Django replaces them by settings.SECRET_KEY), non-text salts and
      separators (Django works on str), separators other than one character;
  (e) Starlette sessions whose JSON is a list of pairs (Python's dict() turns it into a
      dict) and non-canonical signatures/timestamps in Starlette tokens (itsdangerous'
      lenient base64, as for the itsdangerous kinds).
"""

import argparse
import base64
import json
import os
import random
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tpref import frameworks as F  # noqa: E402
from tpref import gen as G  # noqa: E402
from tpref import vectorfile as V  # noqa: E402
from tpref.codec import b64u, dec_bytes, enc_bytes  # noqa: E402

T0 = 1308874145
TS = [0, 1, 61, 62, 3843, 3844, 10**9, T0, 1700000000, 2**31 - 1, 2**31, 2**32, 4102444800, 253402300799]
SESSION_AGE = 1209600
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SEPS = [":", "|", "~", "!", "$", "*", ",", ";", "/", "+", "#", "@", ".", " ", "\u00e9", "\u2603"]
SALTS = ["", "activate", "django.core.signing", "sa\u00eft", "\U0001F511", "a:b"]
KEYS = ["django-insecure-key", "k", "x" * 200, {"base64": "/wD+AQIDBAU="}, "cl\u00e9 \U0001F511",
        ["old", "new"], ["a", "b", "c"], [{"base64": "/w=="}, "current"]]
COOKIE_NAMES = ["sessionid", "theme", "a", "csrftoken", "with.dot", "ab", "b"]


def rand_key(rng):
    r = rng.random()
    if r < 0.3:
        return "django-insecure-" + G.rand_ascii(rng, 20)
    if r < 0.5:
        return G.rand_ascii(rng, rng.randint(1, 60))
    if r < 0.65:
        return enc_bytes(G.non_utf8(rng, rng.randint(1, 40)))
    if r < 0.75:
        return rng.choice(["cl\u00e9", "\u7121\u9650\u306e\u9375", "\U0001F511-key"])
    return [G.rand_ascii(rng, rng.randint(1, 20)) for _ in range(rng.randint(2, 3))]


def rand_params(rng, kind):
    p = {"secret_key": rand_key(rng)}
    if kind in ("django_signer", "django_timestamp_signer"):
        if rng.random() < 0.4:
            p["salt"] = rng.choice(SALTS + [G.rand_ascii(rng, 10)])
        if rng.random() < 0.3:
            p["sep"] = rng.choice(SEPS)
        if rng.random() < 0.5:
            p["algorithm"] = rng.choice(F.ALGORITHMS)
    elif kind == "django_signing":
        if rng.random() < 0.4:
            p["salt"] = rng.choice(SALTS + [G.rand_ascii(rng, 10)])
        if rng.random() < 0.5:
            p["compress"] = rng.random() < 0.6
    elif kind == "django_signed_cookie":
        p["cookie_name"] = rng.choice(COOKIE_NAMES)
        if rng.random() < 0.5:
            p["salt"] = rng.choice(SALTS)
        if rng.random() < 0.3:
            p["legacy_salt_fallback"] = rng.random() < 0.5
    elif kind == "starlette_session":
        p["secret_key"] = rng.choice(["starlette-secret", G.rand_ascii(rng, rng.randint(1, 50)), "cl\u00e9"])
    return p


def rand_text(rng):
    return G.rand_str(rng, 30)


def rand_payload(rng, kind):
    if kind in F.BYTES_KINDS:
        v = rng.choice([lambda: rand_text(rng), lambda: "value", lambda: "", lambda: "a:b:c",
                        lambda: "\u00e9\U0001F600", lambda: G.rand_ascii(rng, 40)])()
        return enc_bytes(v.encode("utf-8"))
    if kind in F.SESSION_KINDS:
        return {G.rand_str(rng, 8): G.rand_json(rng, 1) for _ in range(rng.randint(1, 5))}
    return G.rand_json(rng)


def shapes(kind):
    """(label, fn(rng)) payload shapes."""
    if kind in F.BYTES_KINDS:
        return [
            ("empty", lambda r: ""), ("value", lambda r: "value"), ("non-ascii", lambda r: "Jos\u00e9 \u7121\u9650"),
            ("emoji", lambda r: "\U0001F600\U0001F389"), ("contains-seps", lambda r: "a:b:c|~.!"),
            ("control", lambda r: "".join(chr(i) for i in range(1, 32))), ("token-like", lambda r: "v:1r31eq:abc"),
            ("long", lambda r: G.rand_ascii(r, 3000)), ("random", lambda r: rand_text(r))]
    if kind in F.SESSION_KINDS:
        out = [("json-" + lbl, (lambda fn: lambda r: {"v": fn(r)})(fn)) for lbl, fn in G.JSON_SHAPES]
        out += [("empty-session", lambda r: {}),
                ("logged-in", lambda r: {"_auth_user_id": "42",
                                         "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                                         "_auth_user_hash": "0f3e9c0bbf5b8a6d2d3b6e0a31c4c3e0d6a4b6f4c1e2d3f4a5b6c7d8e9f0a1b2"}),
                ("cart", lambda r: {"cart": [1, 2, 3], "user": {"name": "Jos\u00e9"}, "_expiry": None})]
        return out
    return list(G.JSON_SHAPES) + list(G.JSON_LARGE[:1])


def vec_payload(kind, v):
    if kind in F.BYTES_KINDS and isinstance(v, str):
        return enc_bytes(v.encode("utf-8"))
    return v


def clock_for(rng, kind, mode="ok"):
    ts = rng.choice(TS[3:-1])
    if kind == "django_signer":
        return {}
    max_age = SESSION_AGE if kind in F.SESSION_KINDS else rng.choice([None, 0, 1, 10, 3600])
    c = {"timestamp": ts, "now": ts + (0 if max_age is None else rng.randint(0, max_age))}
    if max_age is not None:
        c["max_age"] = max_age
    return c


def sep_of(kind, params):
    if kind == "starlette_session":
        return "."
    return params.get("sep", ":") if kind in ("django_signer", "django_timestamp_signer") else ":"


def raw(kind, label, params, payload, token, clock, tampered=False):
    return {"kind": kind, "label": label, "params": params, "payload": payload, "token": token,
            "clock": clock, "tampered": tampered}


def replace_char(rng, s, i, alphabet):
    old = s[i]
    new = rng.choice([c for c in alphabet if c != old])
    return s[:i] + new + s[i + 1:]


def tamper(rng, kind, params, token, field):
    """token: str.  field: sig, payload, ts.  Keeps base64 fields canonical."""
    sep = sep_of(kind, params)
    value, _, sig = token.rpartition(sep)
    if field == "sig":
        if not sig:
            return None
        return value + sep + replace_char(rng, sig, 0, B64U)
    if field == "ts":
        body, _, ts = value.rpartition(sep)
        if not ts:
            return None
        alphabet = B64U if kind == "starlette_session" else B62
        return body + sep + replace_char(rng, ts, rng.randrange(len(ts)) if kind != "starlette_session" else 0,
                                         alphabet) + sep + sig
    if field == "payload":
        head = value.rpartition(sep)[0] if kind in F.TIMED else value
        rest = value[len(head):]
        if not head:
            return sep + "x" + rest[len(sep):] + sep + sig if kind in F.TIMED else "x" + sep + sig
        if kind in ("django_signing", "django_session", "starlette_session"):
            # Change a non-final base64 character so the payload stays canonical.
            start = 1 if head.startswith(".") else 0
            if len(head) - start < 2:
                return None
            i = rng.randrange(start, len(head) - 1)
            alphabet = B64U if kind != "starlette_session" else B64U[:62] + "+/"
            if head[i] not in alphabet:
                return None
            return replace_char(rng, head, i, alphabet) + rest + sep + sig
        i = rng.randrange(len(head))
        return head[:i] + ("X" if head[i] != "X" else "Y") + head[i + 1:] + rest + sep + sig
    raise ValueError(field)


def sign(kind, params, payload, clock):
    return F.sign(kind, params, payload, clock.get("timestamp")).decode("utf-8")


def other_key(rng, params):
    p = dict(params)
    p["secret_key"] = "another-" + G.rand_ascii(rng, 8)
    return p


def scenario(rng, name, kind, params, label, payload, clock=None):
    clock = dict(clock) if clock is not None else clock_for(rng, kind)
    try:
        token = sign(kind, params, payload, clock)
    except F.Unrepresentable:
        return []
    lbl = "%s-%s" % (name, label)
    if name == "valid":
        return [raw(kind, lbl, params, payload, token, clock)]
    if name in ("tamper-sig", "tamper-payload", "tamper-ts"):
        t = tamper(rng, kind, params, token, name[len("tamper-"):])
        return [] if t is None else [raw(kind, lbl, params, payload, t, clock, True)]
    if name == "truncate":
        return [raw(kind, lbl, params, payload, token[:-1], clock, True),
                raw(kind, lbl, params, payload, token[: len(token) // 2], clock, True)]
    if name == "no-sep":
        return [raw(kind, lbl, params, payload, token.replace(sep_of(kind, params), ""), clock, True)]
    if name == "wrong-key":
        return [raw(kind, lbl, other_key(rng, params), payload, token, clock, True)]
    if name == "wrong-salt":
        if kind in ("django_session", "starlette_session"):
            return []
        p = dict(params)
        p["salt"] = "other-" + str(p.get("salt", ""))
        return [raw(kind, lbl, p, payload, token, clock, True)]
    if name == "rotation":
        if kind == "starlette_session":
            return []
        old, new = "old-" + G.rand_ascii(rng, 6), "new-" + G.rand_ascii(rng, 6)
        p_old = dict(params, secret_key=old)
        t_old = sign(kind, p_old, payload, clock)
        return [raw(kind, lbl + "-old-key-in-fallbacks", dict(params, secret_key=[old, new]), payload, t_old, clock, True),
                raw(kind, lbl + "-old-key-dropped", dict(params, secret_key=new), payload, t_old, clock, True),
                raw(kind, lbl + "-many-fallbacks", dict(params, secret_key=["x1", old, "x3", new]), payload, t_old, clock, True)]
    if kind == "django_signer":
        return []
    age = clock.get("max_age")
    ts = clock["timestamp"]
    if name == "boundary":
        m = SESSION_AGE if kind in F.SESSION_KINDS else rng.choice([0, 1, 10, 3600])
        out = []
        for d, tag in ((0, "age-0"), (m, "age-eq-max"), (m + 1, "age-max-plus-1")):
            out.append(raw(kind, lbl + "-" + tag, params, payload, token, {"timestamp": ts, "now": ts + d, "max_age": m}))
        return out
    if name == "expired":
        m = SESSION_AGE if kind in F.SESSION_KINDS else rng.choice([0, 5, 60])
        return [raw(kind, lbl, params, payload, token, {"timestamp": ts, "now": ts + m + rng.randint(1, 10**6), "max_age": m})]
    if name == "future":
        m = SESSION_AGE if kind in F.SESSION_KINDS else rng.choice([0, 10])
        d = min(rng.choice([1, 100, 10**6]), ts)
        if d == 0:
            return []
        return [raw(kind, lbl, params, payload, token, {"timestamp": ts, "now": ts - d, "max_age": m}),
                raw(kind, lbl + "-no-max-age", params, payload, token, {"timestamp": ts, "now": ts - d})
                if kind not in F.SESSION_KINDS else None]
    if name == "no-max-age":
        if kind in F.SESSION_KINDS:
            return []
        return [raw(kind, lbl, params, payload, token, {"timestamp": ts, "now": ts + 10**7})]
    del age
    raise ValueError(name)


NAMES = ["valid", "tamper-sig", "tamper-payload", "truncate", "no-sep", "wrong-key", "wrong-salt", "rotation"]
NAMES_TIMED = ["tamper-ts", "boundary", "expired", "future", "no-max-age"]


def names(kind):
    return NAMES + (NAMES_TIMED if kind in F.TIMED else [])


def signed_text_cases(rng, kind, params):
    """Valid signatures over text the reference's own dumps/sign never makes: a missing or
    odd timestamp, a payload that is not base64, zlib or JSON."""
    out = []
    clock = clock_for(rng, kind)
    ts = clock.get("timestamp", T0)
    if kind == "starlette_session":
        signer = F.starlette_signer(params)
        F._freeze(ts)
        bodies = [("not-base64", b"!!!!"), ("bad-padding", b"abc"), ("b64-not-json", base64.b64encode(b"{")),
                  ("b64-not-utf8", base64.b64encode(b"\xff\xfe\x00")), ("b64-list", base64.b64encode(b"[1, 2]")),
                  ("b64-string", base64.b64encode(b"\"abc\"")), ("b64-number", base64.b64encode(b"5")),
                  ("b64-null", base64.b64encode(b"null")), ("b64-json-utf8", base64.b64encode("{\"a\": \"\u00e9\"}".encode())),
                  ("b64-dup-keys", base64.b64encode(b"{\"a\": 1, \"a\": 2}")), ("empty", b"")]
        for label, body in bodies:
            out.append(raw(kind, "bad-payload-" + label, params, None, signer.sign(body).decode("utf-8"), clock))
        return out
    signer = F.raw_signer(kind, params, ts)
    sep = signer.sep
    if kind == "django_signer":
        return out
    value = "value"
    if kind in ("django_signing", "django_session"):
        value = b64u(b"{\"a\":1}").decode()
    b62 = G_b62(ts)
    texts = [("no-timestamp", value), ("empty-timestamp", value + sep), ("bad-b62", value + sep + "ab.c"),
             ("b62-non-ascii", value + sep + "\u00e9"), ("b62-leading-zeros", value + sep + "000" + b62),
             ("b62-minus", value + sep + "-"), ("b62-negative", value + sep + "-" + b62),
             ("b62-double-minus", value + sep + "--1"), ("b62-huge", value + sep + "z" * 40),
             ("b62-huge-negative", value + sep + "-" + "z" * 40)]
    if kind in ("django_signing", "django_session"):
        def b(data, compressed=False):
            return ("." if compressed else "") + b64u(data).decode() + sep + b62
        texts += [("b64-not-json", b(b"{")), ("b64-latin1-json", b(b"{\"a\":\"\xe9\"}")),
                  ("b64-utf8-json", b("{\"a\":\"\u00e9\"}".encode())), ("b64-bad-length", "abcde" + sep + b62),
                  ("zlib-garbage", b(b"not zlib", True)), ("zlib-not-json", b(zlib.compress(b"{{{"), True)),
                  ("zlib-ok-uncompressed-marker", b(zlib.compress(b"{\"z\":1}"), True)),
                  ("plain-zlib-no-marker", b(zlib.compress(b"{\"z\":1}"))), ("b64-list", b(b"[1,2]")),
                  ("b64-dup-keys", b(b"{\"a\":1,\"a\":2}")), ("empty-payload", sep + b62),
                  ("marker-only", "." + sep + b62), ("b64-big-int", b(b"{\"n\":123456789012345678901234567890}"))]
    for label, text in texts:
        for c in (clock, dict(clock, max_age=10, now=ts + 5)) if kind != "django_session" else (clock,):
            out.append(raw(kind, "signed-" + label, params, None, signer.sign(text), c))
    return out


def G_b62(n):
    if n == 0:
        return "0"
    s = ""
    while n:
        n, r = divmod(n, 62)
        s = B62[r] + s
    return s


def cookie_cases(rng):
    kind = "django_signed_cookie"
    out = []
    for name in ("sessionid", "b", "ab"):
        for salt in ("", "a", "sa\u00eft"):
            for fallback in (None, True, False):
                p = {"secret_key": rng.choice(["django-insecure-key", ["old", "new"]]), "cookie_name": name}
                if salt:
                    p["salt"] = salt
                if fallback is not None:
                    p["legacy_salt_fallback"] = fallback
                clock = {"timestamp": T0, "now": T0 + 5, "max_age": 10}
                value = rng.choice(["dark", "", "\u00e9"])
                tok = F.legacy_cookie(p, value, T0).decode("utf-8")
                out.append(raw(kind, "legacy-salt", p, enc_bytes(value.encode()), tok, clock, True))
                out.append(raw(kind, "legacy-salt-expired", p, enc_bytes(value.encode()), tok,
                               {"timestamp": T0, "now": T0 + 11, "max_age": 10}, True))
                out.append(raw(kind, "legacy-salt-tampered", p, enc_bytes(value.encode()),
                               tamper(rng, kind, p, tok, "sig"), clock, True))
                # A v2 cookie that expired is not retried with the legacy salt.
                out.extend(scenario(rng, "expired", kind, p, "v2", enc_bytes(value.encode())))
                out.extend(scenario(rng, "valid", kind, p, "v2", enc_bytes(value.encode())))
    # Salt/name binding: (name "b", salt "a") and (name "ab", salt "") share a legacy salt
    # but not a v2 salt.
    for fb in (True, False):
        a = {"secret_key": "k", "cookie_name": "b", "salt": "a", "legacy_salt_fallback": fb}
        b = {"secret_key": "k", "cookie_name": "ab", "legacy_salt_fallback": fb}
        v2 = sign(kind, a, "x", {"timestamp": T0})
        legacy = F.legacy_cookie(a, "x", T0).decode("utf-8")
        out.append(raw(kind, "binding-v2-other-name", b, "x", v2, {"timestamp": T0, "now": T0}, True))
        out.append(raw(kind, "binding-legacy-collision", b, "x", legacy, {"timestamp": T0, "now": T0}, True))
    for name in COOKIE_NAMES:
        for salt in SALTS:
            p = {"secret_key": "django-insecure-key", "cookie_name": name, "salt": salt}
            out.extend(scenario(rng, "valid", kind, p, "name-salt", "v"))
            out.extend(scenario(rng, "wrong-salt", kind, p, "name-salt", "v"))
            q = dict(p, cookie_name=name + "x")
            out.append(raw(kind, "other-cookie-name", q, "v", sign(kind, p, "v", {"timestamp": T0}),
                           {"timestamp": T0, "now": T0}, True))
    return out


def systematic(rng, kind):
    out = []

    def add(name, params, label, payload, clock=None):
        for r in scenario(rng, name, kind, params, label, payload, clock):
            if r is not None:
                out.append(r)

    for i, (label, fn) in enumerate(shapes(kind)):
        p = rand_params(rng, kind)
        v = vec_payload(kind, fn(rng))
        add("valid", p, label, v)
        if i % 2 == 0:
            add(rng.choice(["tamper-sig", "tamper-payload"] + (["tamper-ts"] if kind in F.TIMED else [])), p, label, v)
    if kind in ("django_signer", "django_timestamp_signer"):
        for alg in list(F.ALGORITHMS) + [None]:
            for salt in (None, "", "activate"):
                p = rand_params(rng, kind)
                p.pop("algorithm", None)
                p.pop("salt", None)
                if alg:
                    p["algorithm"] = alg
                if salt is not None:
                    p["salt"] = salt
                add("valid", p, "alg", rand_payload(rng, kind))
                add("tamper-sig", p, "alg", rand_payload(rng, kind))
        for sep in SEPS:
            p = dict(rand_params(rng, kind), sep=sep)
            add("valid", p, "sep", rand_payload(rng, kind))
            add(rng.choice(["tamper-sig", "truncate", "no-sep", "tamper-payload"]), p, "sep", rand_payload(rng, kind))
    if kind == "django_signing":
        for label, fn in G.JSON_SHAPES:
            for compress in (True, False):
                add("valid", dict(rand_params(rng, kind), compress=compress), "compress-" + label, fn(rng))
        for label, fn in G.JSON_LARGE:
            add("valid", dict(rand_params(rng, kind), compress=True), "compress-" + label, fn(rng))
            add("valid", dict(rand_params(rng, kind), compress=False), "plain-" + label, fn(rng))
    if kind == "django_session":
        for label, fn in G.JSON_LARGE:
            add("valid", rand_params(rng, kind), label, {"big": fn(rng)})
    if kind not in ("django_session", "starlette_session"):
        for salt in SALTS:
            p = dict(rand_params(rng, kind), salt=salt)
            add("valid", p, "salt", rand_payload(rng, kind))
            add("wrong-salt", p, "salt", rand_payload(rng, kind))
    for k in KEYS:
        if kind == "starlette_session" and not isinstance(k, str):
            continue
        p = dict(rand_params(rng, kind), secret_key=k)
        add("valid", p, "key", rand_payload(rng, kind))
        add("wrong-key", p, "key", rand_payload(rng, kind))
    if kind in F.TIMED:
        for ts in TS:
            p = rand_params(rng, kind)
            c = {"timestamp": ts, "now": ts + 5}
            c["max_age"] = SESSION_AGE if kind in F.SESSION_KINDS else 10
            add("valid", p, "ts-%d" % ts, rand_payload(rng, kind), c)
    for name in names(kind):
        for _ in range(4):
            add(name, rand_params(rng, kind), "random", rand_payload(rng, kind))
    for _ in range(3):
        out.extend(signed_text_cases(rng, kind, rand_params(rng, kind)))
    if kind == "django_signed_cookie":
        out.extend(cookie_cases(rng))
    return out


def canonical_b64(seg, urlsafe):
    alphabet = B64U if urlsafe else B64U[:62] + "+/"
    if urlsafe:
        if any(c not in alphabet for c in seg):
            return False
        try:
            return b64u(base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4))).decode() == seg
        except Exception:
            return False
    try:
        return base64.b64encode(base64.b64decode(seg, validate=True)).decode() == seg
    except Exception:
        return False


def strict_ok(kind, params, token, expect):
    """Exclusions (a) and (e): drop cases where the reference accepted base64 that a strict
    decoder rejects."""
    if expect not in ("ok",) and kind != "starlette_session":
        return True
    sep = sep_of(kind, params)
    if kind == "starlette_session":
        parts = token.split(".")
        if len(parts) != 3:
            return expect != "ok"
        payload, ts, sig = parts
        if not (canonical_b64(sig, True) and canonical_b64(ts, True)):
            return False
        return expect != "ok" or canonical_b64(payload, False)
    if kind in ("django_signing", "django_session"):
        payload = token.rsplit(sep, 2)[0]
        if payload.startswith("."):
            payload = payload[1:]
        return canonical_b64(payload, True)
    return True


def finalize(r):
    kind, params, clock = r["kind"], r["params"], r["clock"] or {}
    token = r["token"].encode("utf-8") if isinstance(r["token"], str) else r["token"]
    try:
        expect, value = F.verify(kind, params, token, clock.get("now"), clock.get("max_age"))
    except F.Unrepresentable:
        return None
    if not strict_ok(kind, params, token.decode("utf-8"), expect):
        return None
    payload = r["payload"]
    if expect == "ok":
        payload = value
    case = {"id": "", "kind": kind, "params": params, "payload": payload, "token": enc_bytes(token)}
    for f in ("timestamp", "now", "max_age"):
        if clock.get(f) is not None:
            case[f] = clock[f]
    case["expect"] = expect
    direction = "verify"
    if expect == "ok" and not r["tampered"] and r["payload"] is not None:
        compressed = token.startswith(b".")
        if not compressed:
            try:
                again = F.sign(kind, params, r["payload"], clock.get("timestamp"))
            except F.Unrepresentable:
                again = None
            if again == token and json.dumps(value, sort_keys=True) == json.dumps(r["payload"], sort_keys=True):
                direction = "both"
    case["direction"] = direction
    return case


def build(kind, target):
    rng = random.Random("tamperproof-framework-vectors:" + kind)
    cases, seen = [], set()
    for r in systematic(rng, kind):
        case = finalize(r)
        if case is None:
            continue
        key = (json.dumps(case["params"], sort_keys=True), json.dumps(case["token"]), case.get("now"), case.get("max_age"))
        if key in seen:
            continue
        seen.add(key)
        case["id"] = "%s/%04d-%s" % (kind, len(cases), r["label"])
        cases.append(case)
    guard = 0
    while len(cases) < target and guard < target * 20:
        guard += 1
        name = rng.choice(names(kind))
        for r in scenario(rng, name, kind, rand_params(rng, kind), "random", rand_payload(rng, kind)):
            if r is None:
                continue
            case = finalize(r)
            if case is None:
                continue
            key = (json.dumps(case["params"], sort_keys=True), json.dumps(case["token"]), case.get("now"), case.get("max_age"))
            if key in seen:
                continue
            seen.add(key)
            case["id"] = "%s/%04d-%s" % (kind, len(cases), r["label"])
            cases.append(case)
    return cases


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--kinds", default=",".join(F.KINDS))
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--per-kind", type=int, default=300)
    args = ap.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    for k in kinds:
        if k not in F.KINDS:
            ap.error("unknown kind %r" % k)
    return V.write_kinds(args.out, kinds, lambda kind: build(kind, args.per_kind), F.generated_by, args.summary)


if __name__ == "__main__":
    sys.exit(main())

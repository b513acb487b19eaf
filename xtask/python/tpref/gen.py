"""Case generators shared by gen_vectors.py (systematic + seeded random) and live.py
(seeded random).  Every case goes through finalize(), which runs the reference on the
token to obtain `expect` and decides `direction`; nothing here types an expectation in.

Exclusions (where the Rust port is deliberately stricter; see gen_vectors.py): no
non-canonical base64 (checked on every base64 field of every token by finalize), no
separator containing [A-Za-z0-9-_=] or empty, no NaN/Infinity, no ints over 4300
digits, no lone surrogates, no validly signed timestamps past year 9999 (dropped:
the reference raises a non-BadData error), no zlib with trailing garbage or > 1 MiB.
"""

import datetime
import json
import math
import string
import struct
import uuid
import zlib

from . import adapter as A
from .codec import URLSAFE_ALPHABET, b64u, b64u_dec_strict, dec_bytes, enc_bytes, segment_ok

T0 = 1308874145
Y9999 = 253402300799  # 9999-12-31T23:59:59Z, the last representable second
TIMESTAMPS = [0, 1, 2, 255, 256, 65535, 65536, 10**9, T0, 1700000000,
              2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 4102444800, Y9999]
SEPS = ["|", "~", ":", "!", "$", "*", ",", ";", "/", "+", "#", "@", "^", " ", "\x00", "\x7f", "\u00e9", "\u2603"]
KDS = ["concat", "django-concat", "hmac", "none"]
DIGEST_NAMES = ["sha1", "sha224", "sha256", "sha384", "sha512"]
JWS_ALGS = ["HS256", "HS384", "HS512", "none"]
FLASK_MAX_AGE = 2678400  # Flask's default PERMANENT_SESSION_LIFETIME (31 days)

SPECIAL_FLOATS = [1e16, 1e-07, -0.0, 0.0, 1.5, 0.1 + 0.2, 5e-324, 1.7976931348623157e+308, 1e15, 3e10,
                  1e-05, 0.0001, 1.0, -1.0, 123456789.123, -2.5e-300, 1.2345678901234568e+17, 2.2250738585072014e-308,
                  9007199254740993.0, 1e22, 1e21, 1e-323, 0.5, 100.0, 1e100]
BIG_INTS = [2**64, 10**20, -2**70, 2**53 + 1, -(2**63), 2**63, 2**64 - 1, 10**100, -(10**30) + 7]
STR_SAMPLES = ["", "a", "value", "my string", "\u00e9", "Jos\u00e9", "\u7121\u9650", "\U0001F600", "\U0001F389x\U0001D11E",
               "\x00\x01\x1f", "\n\r\t\b\f", "\x7f", "\u2028\u2029", "\"\\/", "<b>&amp;</b>", "a.b.c", "\ufeffbom",
               "\u00e9\U0001F600\u7121", "tab\there", "  spaces  ", "\u0301combining", "\uffff", "\U0010ffff"]

PRINTABLE = string.ascii_letters + string.digits + string.punctuation


# --------------------------------------------------------------------------- random values

def rand_ascii(rng, n):
    return "".join(rng.choice(PRINTABLE) for _ in range(n))


def rand_bytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def non_utf8(rng, n):
    return b"\xff" + rand_bytes(rng, n)


def rand_key(rng):
    r = rng.random()
    if r < 0.25:
        return "secret-key"
    if r < 0.33:
        return ""
    if r < 0.58:
        return rand_ascii(rng, rng.randint(1, 40))
    if r < 0.66:
        return rand_ascii(rng, rng.randint(100, 260))
    if r < 0.84:
        return enc_bytes(non_utf8(rng, rng.randint(0, 63)))
    return rng.choice(["cl\u00e9", "\u7121\u9650\u306e\u9375", "\U0001F511-key", "k\x00ey"])


def rand_keys(rng):
    if rng.random() < 0.7:
        return rand_key(rng)
    return [rand_key(rng) for _ in range(rng.randint(1, 3))]


SALTS = [None, "", "activate", "itsdangerous.Signer", "cookie-session", "sa\u00eft", {"base64": "/wD+AQ=="}]


def rand_salt(rng):
    r = rng.random()
    if r < 0.45:
        return None
    if r < 0.55:
        return ""
    if r < 0.8:
        return rand_ascii(rng, rng.randint(1, 30))
    if r < 0.9:
        return enc_bytes(non_utf8(rng, rng.randint(0, 12)))
    return rng.choice(SALTS[1:])


def rand_float(rng):
    r = rng.random()
    if r < 0.4:
        return rng.choice(SPECIAL_FLOATS) * rng.choice([1, -1])
    if r < 0.6:
        return rng.uniform(-1e6, 1e6)
    if r < 0.8:
        return rng.random() * 10.0 ** rng.randint(-30, 30)
    while True:
        f = struct.unpack("<d", rand_bytes(rng, 8))[0]
        if math.isfinite(f):
            return f


def rand_int(rng):
    r = rng.random()
    if r < 0.5:
        return rng.randint(-1000, 1000)
    if r < 0.75:
        return rng.randint(-2**63, 2**64)
    if r < 0.9:
        return rng.choice(BIG_INTS)
    return rng.randint(-10**rng.randint(20, 400), 10**rng.randint(20, 400))


def rand_str(rng, maxlen=12):
    r = rng.random()
    if r < 0.3:
        return rng.choice(STR_SAMPLES)
    if r < 0.6:
        return rand_ascii(rng, rng.randint(0, maxlen))
    pools = [PRINTABLE, "\u00e9\u00fc\u00df\u00f1", "\u7121\u9650\u540d\u524d", "\U0001F600\U0001F389\U0001D11E\U0010ffff",
             "\x00\x01\x08\x1f\x7f\n\"\\", "\u2028\u2029\ufeff\ud7ff\ue000"]
    out = []
    for _ in range(rng.randint(0, maxlen)):
        out.append(rng.choice(rng.choice(pools)))
    return "".join(out)


def rand_json(rng, depth=0):
    r = rng.random()
    if depth >= 3 or r < 0.45:
        s = rng.random()
        if s < 0.08:
            return None
        if s < 0.16:
            return rng.random() < 0.5
        if s < 0.4:
            return rand_int(rng)
        if s < 0.6:
            return rand_float(rng)
        return rand_str(rng)
    if r < 0.72:
        return [rand_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {rand_str(rng, 8): rand_json(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def _words(rng, n):
    words = ["alpha", "beta", "gamma", "delta", "session", "user", "token", "\u00e9t\u00e9", "x", "42"]
    out, size = [], 0
    while size < n:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)


# Payload shapes: (label, fn(rng)).  Signer kinds sign bytes; the rest JSON values.
BYTES_SHAPES = [
    ("empty", lambda r: b""),
    ("value", lambda r: b"value"),
    ("ascii", lambda r: rand_ascii(r, r.randint(1, 60)).encode()),
    ("binary", lambda r: non_utf8(r, r.randint(1, 60))),
    ("binary-all-bytes", lambda r: bytes(range(256))),
    ("non-ascii", lambda r: "Jos\u00e9 \u7121\u9650".encode()),
    ("emoji", lambda r: "\U0001F600\U0001F389\U0001D11E".encode()),
    ("control", lambda r: bytes(range(32)) + b"\x7f"),
    ("contains-dots", lambda r: b"a.b.c."),
    ("contains-seps", lambda r: ("|~:!$*,;/+#@^ \x00\x7f\u00e9\u2603.." + rand_ascii(r, 5)).encode()),
    ("token-like", lambda r: b"value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg"),
    ("base64-like", lambda r: b64u(rand_bytes(r, r.randint(1, 40)))),
    ("random-str", lambda r: rand_str(r, 40).encode()),
]
BYTES_LARGE = [
    ("large-ascii", lambda r: rand_ascii(r, r.randint(10000, 30000)).encode()),
    ("large-binary", lambda r: non_utf8(r, r.randint(10000, 20000))),
    ("large-text", lambda r: _words(r, 50000).encode()),
]

JSON_SHAPES = [
    ("null", lambda r: None),
    ("true", lambda r: True),
    ("false", lambda r: False),
    ("zero", lambda r: 0),
    ("int", lambda r: r.randint(-10**6, 10**6)),
    ("big-int-2p64", lambda r: 2**64),
    ("big-int-1e20", lambda r: 10**20),
    ("big-int-neg-2p70", lambda r: -2**70),
    ("big-ints", lambda r: list(BIG_INTS)),
    ("huge-int", lambda r: 7 * 10**1000 + 3),
    ("floats", lambda r: list(SPECIAL_FLOATS)),
    ("float-1e16", lambda r: 1e16),
    ("float-1e-07", lambda r: 1e-07),
    ("float-neg-zero", lambda r: -0.0),
    ("float-0.1+0.2", lambda r: 0.1 + 0.2),
    ("float-min", lambda r: 5e-324),
    ("float-max", lambda r: 1.7976931348623157e+308),
    ("random-floats", lambda r: [rand_float(r) for _ in range(8)]),
    ("empty-str", lambda r: ""),
    ("empty-list", lambda r: []),
    ("empty-dict", lambda r: {}),
    ("str", lambda r: "value"),
    ("non-ascii", lambda r: {"a": "\u00e9", "b": [1, 2.5, None, True], "\u540d\u524d": "Jos\u00e9"}),
    ("emoji", lambda r: "\U0001F600 \U0001F389 \U0001D11E \U0010ffff"),
    ("control", lambda r: "".join(chr(i) for i in range(32)) + "\x7f\u2028\u2029"),
    ("quotes", lambda r: {"q": "\"quoted\" \\ back/slash", "k\"ey": "\\"}),
    ("id-42", lambda r: {"id": 42}),
    ("list-1234", lambda r: [1, 2, 3, 4]),
    ("key-order", lambda r: {"b": 1, "a": 2, "\u00e9": 3, "A": 4, "": 5}),
    ("nested", lambda r: {"user": {"id": 7, "roles": ["a", "b"], "meta": {"x": [1, [2, [3, {"deep": None}]]]}}}),
    ("random-nested", lambda r: rand_json(r)),
    ("random-dict", lambda r: {rand_str(r, 6): rand_json(r, 1) for _ in range(r.randint(1, 6))}),
    ("a11", lambda r: "a" * 11),
    ("a12", lambda r: "a" * 12),
    ("ab-x6", lambda r: "abababababab"),
    ("ones-x7", lambda r: [1, 1, 1, 1, 1, 1, 1]),
    ("compressible", lambda r: "a" * 1000),
    ("compressible-dict", lambda r: {"k%d" % i: "repeat" for i in range(40)}),
]
JSON_LARGE = [
    ("large-text", lambda r: _words(r, r.randint(10000, 40000))),
    ("large-list", lambda r: [r.randint(0, 10**6) for _ in range(r.randint(2000, 5000))]),
    ("large-random-ascii", lambda r: rand_ascii(r, r.randint(10000, 30000))),
]

UTC = datetime.timezone.utc


def rand_flask_value(rng, depth=0):
    r = rng.random()
    if depth < 2 and r < 0.12:
        return tuple(rand_flask_value(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    if depth < 2 and r < 0.22:
        return [rand_flask_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 2 and r < 0.3:
        return {rand_str(rng, 6): rand_flask_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    if r < 0.38:
        return rand_bytes(rng, rng.randint(0, 20))
    if r < 0.44:
        from markupsafe import Markup

        return Markup(rng.choice(["<b>x</b>", "&amp; \u00e9", "", "<script>"]))
    if r < 0.5:
        return uuid.UUID(int=rng.getrandbits(128))
    if r < 0.58:
        secs = rng.randint(0, 4102444800)
        dt = datetime.datetime.fromtimestamp(secs, UTC)
        c = rng.random()
        if c < 0.3:
            return dt.replace(microsecond=rng.randint(0, 999999))
        if c < 0.55:
            return dt.replace(tzinfo=None)  # naive: Flask assumes UTC
        if c < 0.75:
            return dt.astimezone(datetime.timezone(datetime.timedelta(hours=rng.randint(-12, 12))))
        return dt
    if depth < 2 and r < 0.64:
        # A one-key dict whose key is a tag key: escaped with " di".
        return {rng.choice([" t", " di", " b", " m", " u", " d"]): rand_flask_value(rng, depth + 1)}
    return rand_json(rng, 2)


def rand_session(rng):
    d = {}
    if rng.random() < 0.3:
        d["_permanent"] = True
    for _ in range(rng.randint(0, 5)):
        d[rand_str(rng, 8)] = rand_flask_value(rng)
    return d


FLASK_SHAPES = [
    ("empty", lambda r: {}),
    ("a-1", lambda r: {"a": 1}),
    ("user", lambda r: {"user_id": 42, "cart": (1, 2), "csrf": b"\x01\x02",
                        "when": datetime.datetime(2011, 6, 24, tzinfo=UTC), "name": "Jos\u00e9"}),
    ("tuple", lambda r: {"t": (1, "a", (2, 3))}),
    ("bytes", lambda r: {"b": b"\x00\xffhi", "e": b""}),
    ("markup", lambda r: {"m": __import__("markupsafe").Markup("<b>x</b>")}),
    ("uuid", lambda r: {"u": uuid.UUID("12345678-1234-5678-1234-567812345678")}),
    ("datetime-micro", lambda r: {"d": datetime.datetime(2011, 6, 24, 0, 9, 5, 123456, tzinfo=UTC)}),
    ("datetime-naive", lambda r: {"d": datetime.datetime(2011, 6, 24, 0, 9, 5)}),
    ("datetime-tz", lambda r: {"d": datetime.datetime(2011, 6, 24, 2, 9, 5,
                                                      tzinfo=datetime.timezone(datetime.timedelta(hours=2)))}),
    ("di-escape", lambda r: {"x": {" t": 5}, "y": {" di": "x"}, "z": {" x": 1}, "w": {" t": 1, "b": 2}}),
    ("nested-tags", lambda r: {"z": [(1, 2), {"b": b"a"}], "a": "\u00e9"}),
    ("non-ascii-keys", lambda r: {"\u540d\u524d": "Jos\u00e9", "_permanent": True, "\U0001F600": [1], "Z": 0, "a": 0}),
    ("floats", lambda r: {"f": list(SPECIAL_FLOATS)}),
    ("big-ints", lambda r: {"i": list(BIG_INTS)}),
    ("big-compressible", lambda r: {"big": "x" * 200}),
    ("control", lambda r: {"c": "".join(chr(i) for i in range(32)) + "\x7f\u2028"}),
    ("random", lambda r: rand_session(r)),
]
FLASK_LARGE = [
    ("large", lambda r: {"blob": _words(r, r.randint(10000, 30000)), "n": list(range(100))}),
    ("large-bytes", lambda r: {"b": rand_bytes(r, r.randint(8000, 15000))}),
]


# --------------------------------------------------------------------------- kind helpers

def sep_of(kind, params):
    if kind in A.SIGNER_KINDS or kind in A.SERIALIZER_KINDS:
        return dec_bytes(params["sep"]) if "sep" in params else b"."
    return b"."


def is_timed(kind):
    return kind in A.TIMED_KINDS


def rand_params(rng, kind):
    p = {"secret_key": rand_keys(rng)}
    if kind == "flask_session":
        if rng.random() < 0.3:
            p["secret_key"] = [rand_key(rng) for _ in range(rng.randint(2, 3))]
        k = p["secret_key"]
        if (k[-1] if isinstance(k, list) else k) == "":
            p["secret_key"] = "secret"  # Flask signs nothing with a falsy SECRET_KEY
        return p
    salt = rand_salt(rng)
    if salt is not None:
        p["salt"] = salt
    if kind in A.JWS_KINDS:
        if rng.random() < 0.6:
            p.pop("salt", None)  # the JWS default (no salt: the raw key signs)
        if rng.random() < 0.7:
            p["algorithm_name"] = rng.choice(JWS_ALGS)
        if kind == "timed_jws" and rng.random() < 0.7:
            p["expires_in"] = rng.choice([0, 1, 10, 60, 3600, 86400, 2678400, rng.randint(1, 10**6)])
        return p
    if rng.random() < 0.35:
        p["sep"] = rng.choice(SEPS)
    if rng.random() < 0.6:
        p["key_derivation"] = rng.choice(KDS)
    if rng.random() < 0.6:
        p["digest_method"] = rng.choice(DIGEST_NAMES)
    if kind in A.SERIALIZER_KINDS and rng.random() < 0.12:
        p["fallback_signers"] = [rand_fallback(rng) for _ in range(rng.randint(1, 2))]
    return p


def rand_fallback(rng):
    fb = {}
    if rng.random() < 0.6:
        fb["digest_method"] = rng.choice(DIGEST_NAMES)
    if rng.random() < 0.5:
        fb["key_derivation"] = rng.choice(KDS)
    if rng.random() < 0.25:
        fb["salt"] = rng.choice(["old-salt", "", "itsdangerous"])
    if rng.random() < 0.2:
        fb["sep"] = rng.choice(SEPS)
    return fb


def shapes_for(kind):
    if kind in A.SIGNER_KINDS:
        return BYTES_SHAPES, BYTES_LARGE
    if kind == "flask_session":
        return FLASK_SHAPES, FLASK_LARGE
    return JSON_SHAPES, JSON_LARGE


def rand_payload(rng, kind, allow_large=False):
    shapes, large = shapes_for(kind)
    label, fn = rng.choice(shapes + (large if allow_large else []))
    return label, fn(rng)


def to_vector_payload(kind, params, value):
    """Python value -> vector payload (and the form that is signed)."""
    if kind in A.SIGNER_KINDS:
        return enc_bytes(value)
    if kind == "flask_session":
        return json.loads(A.flask_dumps_json(params, value))
    return value


def rand_clock(rng, kind, params, mode="ok"):
    """-> dict(timestamp, now[, max_age]) for timed kinds, {} otherwise."""
    if not is_timed(kind):
        return {}
    ts = rng.choice(TIMESTAMPS) if rng.random() < 0.5 else rng.randint(0, 4102444800)
    if kind == "timed_jws":
        exp_in = params.get("expires_in", 3600)
        if mode == "expired":
            return {"timestamp": ts, "now": ts + exp_in + rng.choice([1, 1, 2, 3600])}
        if mode == "future":
            return {"timestamp": ts, "now": max(0, ts - rng.randint(1, 10**6))}
        return {"timestamp": ts, "now": ts + rng.choice([0, exp_in, rng.randint(0, exp_in)])}
    age = rng.choice([0, 0, 1, 5, 59, 3600, 86400, rng.randint(0, 10**6)])
    if kind == "flask_session":
        max_age = FLASK_MAX_AGE if rng.random() < 0.8 else rng.choice([0, 10, 3600, 86400 * 365])
    else:
        max_age = None if rng.random() < 0.4 else age + rng.choice([0, 0, 1, 10, 1000, 10**9])
    if mode == "expired":
        max_age = max_age if max_age is not None else rng.choice([0, 10, 3600])
        age = max_age + rng.choice([1, 1, 2, 100])
    elif mode == "future":
        age = -rng.choice([1, 1, 2, 3600, 10**6])
        if ts + age < 0:
            ts = T0
    elif max_age is not None and age > max_age:
        age = max_age
    c = {"timestamp": ts, "now": ts + age}
    if max_age is not None:
        c["max_age"] = max_age
    return c


def split_token(kind, params, token):
    """The base64 fields of a token as the reference would split it: a dict of
    name -> bytes, plus 'value' (the part before the signature fields)."""
    sep = sep_of(kind, params)
    out = {}
    if kind in A.JWS_KINDS:
        if b"." not in token:
            return out
        value, out["sig"] = token.rsplit(b".", 1)
        if b"." in value:
            out["header"], out["payload"] = value.split(b".", 1)
        out["value"] = value
        return out
    if sep not in token:
        return out
    value, out["sig"] = token.rsplit(sep, 1)
    if is_timed(kind) and sep in value:
        value, out["ts"] = value.rsplit(sep, 1)
    out["value"] = value
    if kind in A.URLSAFE_KINDS:
        out["payload"] = value[1:] if value.startswith(b".") else value
    return out


def token_fields_ok(kind, params, token):
    parts = split_token(kind, params, token)
    for name in ("sig", "ts", "payload", "header"):
        if name in parts and not segment_ok(parts[name]):
            return False
    return True


def is_compressed(kind, params, token):
    if kind not in A.URLSAFE_KINDS:
        return False
    parts = split_token(kind, params, token)
    return parts.get("value", token).startswith(b".")


# --------------------------------------------------------------------------- finalize

class Raw(dict):
    pass


def raw(kind, label, params, payload, token, clock=None, tamper=False):
    r = Raw(kind=kind, label=label, params=params, payload=payload, token=token, tamper=tamper)
    r.update(clock or {})
    return r


def finalize(r, case_id):
    """Run the reference on a raw case; return the vector CASE or None (dropped)."""
    kind, params, token = r["kind"], r["params"], r["token"]
    if not isinstance(token, bytes) or not token_fields_ok(kind, params, token):
        return None
    case = {"id": case_id, "kind": kind, "params": params, "payload": r["payload"], "token": enc_bytes(token)}
    for k in ("timestamp", "now", "max_age"):
        if k in r and r[k] is not None:
            case[k] = r[k]
    try:
        case = json.loads(json.dumps(case, allow_nan=False))  # exactly what a reader sees
    except (ValueError, TypeError):
        return None
    token = dec_bytes(case["token"])
    try:
        expect, value = A.verify(kind, case["params"], token, case.get("now"), case.get("max_age"))
    except A.Unrepresentable:
        return None
    if r["tamper"] and expect == "ok":
        return None  # a tamper the reference does not notice (e.g. JWS "none")
    direction = "verify"
    if expect == "ok":
        try:
            case["payload"] = json.loads(json.dumps(value, allow_nan=False))
        except (ValueError, TypeError):
            return None
        if not is_compressed(kind, case["params"], token):
            try:
                again = A.sign(kind, case["params"], case["payload"], case.get("timestamp"))
            except Exception:
                again = None
            if again == token:
                direction = "both"
    case["expect"] = expect
    case["direction"] = direction
    return case


# --------------------------------------------------------------------------- token surgery

def _replace_char_b64(rng, seg, canonical=True):
    """One character of a base64 field changed to another URL-safe character, keeping
    the field canonical (so the decoded bytes really change)."""
    if not seg:
        return None
    alphabet = bytes(sorted(URLSAFE_ALPHABET))
    for _ in range(20):
        i = rng.randrange(len(seg))
        c = alphabet[rng.randrange(len(alphabet))]
        if c == seg[i]:
            continue
        new = seg[:i] + bytes([c]) + seg[i + 1:]
        if b64u_dec_strict(new) is not None or not canonical:
            return new
    return None


def tamper_field(rng, kind, params, token, field):
    sep = sep_of(kind, params)
    if kind in A.JWS_KINDS:
        sep = b"."
    parts = split_token(kind, params, token)
    if field not in parts:
        return None
    if field == "sig":
        new = _replace_char_b64(rng, parts["sig"])
        return None if new is None else token[: len(token) - len(parts["sig"])] + new
    if field == "ts":
        new = _replace_char_b64(rng, parts["ts"])
        if new is None:
            return None
        return parts["value"] + sep + new + sep + parts["sig"]
    if field == "header":
        new = _replace_char_b64(rng, parts["header"])
        return None if new is None else new + b"." + parts["payload"] + b"." + parts["sig"]
    if field == "payload" and kind in A.JWS_KINDS:
        new = _replace_char_b64(rng, parts["payload"])
        return None if new is None else parts["header"] + b"." + new + b"." + parts["sig"]
    if field == "payload":
        value = parts["value"]
        rest = token[len(value):]
        if kind in A.URLSAFE_KINDS:
            dot = b"." if value.startswith(b".") else b""
            new = _replace_char_b64(rng, parts["payload"])
            return None if new is None else dot + new + rest
        if not value:
            return sep + token if rng.random() < 0.5 else b"x" + token
        i = rng.randrange(len(value))
        for _ in range(10):
            c = rng.choice(PRINTABLE.encode()) if rng.random() < 0.8 else rng.randrange(256)
            if c != value[i]:
                return value[:i] + bytes([c]) + value[i + 1:] + rest
    return None


def truncations(rng, kind, params, token):
    sep = b"." if kind in A.JWS_KINDS else sep_of(kind, params)
    out = []
    for n in (1, 2, 3, 4):
        t = token[:-n] if n < len(token) else b""
        if token_fields_ok(kind, params, t):
            out.append(("truncate-%d" % n, t))
            break
    if sep in token:
        head = token.rsplit(sep, 1)[0]
        out.append(("truncate-sig", head + sep))
        out.append(("truncate-sig-sep", head))
    out.append(("truncate-half", token[: len(token) // 2]))
    return out


# --------------------------------------------------------------------------- scenarios

def untimed_signer(kind, params):
    """A plain Signer with the same key/salt/options as the kind's timestamp signer."""
    from itsdangerous import Signer

    if kind == "timestamp_signer":
        return A.raw_signer("signer", params)
    if kind == "timed_serializer":
        return A.raw_signer("serializer", {k: v for k, v in params.items() if k != "fallback_signers"})
    if kind == "url_safe_timed_serializer":
        return A.raw_signer("url_safe_serializer", {k: v for k, v in params.items() if k != "fallback_signers"})
    if kind == "flask_session":
        keys = params["secret_key"]
        keys = [dec_bytes(k) for k in keys] if isinstance(keys, list) else dec_bytes(keys)
        import hashlib

        return Signer(keys, salt=b"cookie-session", key_derivation="hmac", digest_method=hashlib.sha1)
    return None


def payload_bytes(kind, params, value_vec, ts):
    """The bytes the kind signs for this payload (before the timestamp)."""
    tok = A.sign(kind, params, value_vec, ts)
    sep = sep_of(kind, params)
    return tok.rsplit(sep, 2 if is_timed(kind) else 1)[0]


def other_key(rng, params):
    k = params["secret_key"]
    cur = k if isinstance(k, list) else [k]
    while True:
        nk = rand_key(rng)
        if nk not in cur and nk != "":
            return nk


def with_(params, **kw):
    p = dict(params)
    for k, v in kw.items():
        if v is None:
            p.pop(k, None)
        else:
            p[k] = v
    return p


def bad_payloads(kind):
    if kind in ("url_safe_serializer", "url_safe_timed_serializer", "flask_session"):
        good = zlib.compress(b'{"a":1}' if kind == "flask_session" else b'"' + b"a" * 100 + b'"')
        return [
            ("bad-json-b64", b64u(b"not json")),
            ("bad-empty", b""),
            ("bad-zlib-eJw", b".eJw"),
            ("bad-zlib-AAAA", b".AAAA"),
            ("bad-zlib-truncated", b"." + b64u(good[: len(good) // 2])),
            ("bad-zlib-no-adler", b"." + b64u(good[:-4])),
            ("bad-zlib-adler", b"." + b64u(good[:-1] + bytes([good[-1] ^ 1]))),
            ("bad-zlib-not-json", b"." + b64u(zlib.compress(b"not json at all, not json at all"))),
            ("bad-zlib-empty", b"."),
            ("bad-base64-len", b"abcde"),
            ("bad-utf8", b64u(b'"\xff\xfe"')),
            ("bad-json-trailing", b64u(b'{"a":1}x')),
            ("bad-json-trailing-comma", b64u(b"[1,]")),
            ("dup-keys", b64u(b'{"a":1,"a":2}')),
            ("whitespace-json", b64u(b' [1, 2] ')),
            ("uncompressed-dot-json", b"." + b64u(b"[1]")),
        ] + ([("bad-tag-uuid", b64u(b'{"u":{" u":"zz"}}')),
              ("foreign-tags", b64u(b'{"t":{" t":[1,2]},"b":{" b":"aGk="},"d":{" di":{" t__":{" t":[1]}}}}'))]
             if kind == "flask_session" else [])
    if kind in ("serializer", "timed_serializer"):
        return [
            ("bad-json", b"not json"),
            ("bad-empty", b""),
            ("bad-utf8", b"\xff\xfe"),
            ("bad-json-open", b"{"),
            ("bad-json-trailing-comma", b"[1,]"),
            ("bad-json-trailing", b'{"a": 1}x'),
            ("bad-json-single-quotes", b"{'a': 1}"),
            ("dup-keys", b'{"a": 1, "a": 2}'),
            ("whitespace-json", b' [1, 2] '),
        ]
    if kind in A.JWS_KINDS:
        return [
            ("no-dot", b"ab"),
            ("bad-header-b64", b"a.b"),
            ("bad-payload-b64", b"ew.b"),
            ("header-malformed", b"ew.aQ"),
            ("header-not-object", b"W10.aQ"),
            ("header-empty-object", b"e30.e30"),
            ("payload-not-json", b"eyJhbGciOiJIUzUxMiJ9." + b64u(b"not json")),
        ]
    return []


def scenario(rng, name, kind, params, payload_label, value, clock=None):
    try:
        return _scenario(rng, name, kind, params, payload_label, value, clock)
    except A.Unrepresentable:
        return []


def _scenario(rng, name, kind, params, payload_label, value, clock=None):
    """Build raw cases for one scenario.  `value` is the Python payload; `clock` fixes
    the timestamp/now/max_age of a timed kind (else random)."""
    out = []
    timed = is_timed(kind)
    pv = to_vector_payload(kind, params, value)
    clk = clock if clock is not None else rand_clock(rng, kind, params)
    ts = clk.get("timestamp")
    lab = "%s-%s" % (name, payload_label)

    def signed(p=params, c=clk):
        return A.sign(kind, p, pv, c.get("timestamp"))

    if name == "valid":
        out.append(raw(kind, lab, params, pv, signed(), clk))
    elif name in ("tamper-sig", "tamper-payload", "tamper-ts", "tamper-header"):
        field = name.split("-", 1)[1]
        t = tamper_field(rng, kind, params, signed(), field)
        if t is not None:
            out.append(raw(kind, lab, params, pv, t, clk, tamper=True))
    elif name == "truncate":
        tok = signed()
        for tl, t in truncations(rng, kind, params, tok):
            out.append(raw(kind, "%s-%s" % (tl, payload_label), params, pv, t, clk, tamper=True))
    elif name == "wrong-key":
        sp = with_(params, secret_key=other_key(rng, params))
        out.append(raw(kind, lab, params, pv, A.sign(kind, sp, to_vector_payload(kind, sp, value), ts), clk, True))
    elif name == "wrong-salt" and kind != "flask_session":
        cur = params.get("salt")
        ns = rng.choice(["other", "", "activate", None, {"base64": "/w=="}])
        if ns == cur or (ns is None and cur is None):
            ns = "other-" + rand_ascii(rng, 4)
        sp = with_(params, salt=ns)
        out.append(raw(kind, lab, params, pv, A.sign(kind, sp, pv, ts), clk, True))
    elif name == "rotation":
        old = [other_key(rng, params) for _ in range(rng.randint(1, 2))]
        cur = params["secret_key"] if isinstance(params["secret_key"], list) else [params["secret_key"]]
        vp = with_(params, secret_key=old + cur)
        i = rng.randrange(len(old) + len(cur))
        sp = with_(params, secret_key=(old + cur)[: i + 1])
        out.append(raw(kind, "%s-key%d" % (lab, i), vp, pv, A.sign(kind, sp, pv, ts), clk))
        out.append(raw(kind, lab + "-new-only", params, pv, A.sign(kind, with_(params, secret_key=old), pv, ts), clk, True))
    elif name == "no-sep":
        tok = signed()
        sep = b"." if kind in A.JWS_KINDS else sep_of(kind, params)
        out.append(raw(kind, lab, params, pv, tok.replace(sep, b""), clk, True))
    elif name in ("boundary", "expired", "future") and timed:
        if name == "boundary" and kind != "timed_jws":
            c = dict(clk)
            ma = c.get("max_age", rng.choice([0, 10, 3600])) if kind != "flask_session" else FLASK_MAX_AGE
            if c["timestamp"] + ma + 1 > Y9999:
                c["timestamp"] = T0
            c["max_age"] = ma
            tok = signed(c=c)
            out.append(raw(kind, lab + "-age-eq", params, pv, tok, dict(c, now=c["timestamp"] + ma)))
            out.append(raw(kind, lab + "-age-plus1", params, pv, tok, dict(c, now=c["timestamp"] + ma + 1)))
        elif name == "boundary":
            exp_in = params.get("expires_in", 3600)
            tok = signed()
            out.append(raw(kind, lab + "-now-eq-exp", params, pv, tok, dict(clk, now=ts + exp_in)))
            out.append(raw(kind, lab + "-now-exp-plus1", params, pv, tok, dict(clk, now=ts + exp_in + 1)))
        else:
            c = rand_clock(rng, kind, params, name)
            out.append(raw(kind, lab, params, pv, signed(c=c), c))
            if name == "future" and kind not in ("flask_session", "timed_jws"):
                c2 = dict(c)
                c2.pop("max_age", None)
                out.append(raw(kind, lab + "-no-max-age", params, pv, signed(c=c2), c2))
    elif name == "missing-ts" and timed and kind != "timed_jws":
        s = untimed_signer(kind, params)
        pb = payload_bytes(kind, params, pv, ts)
        out.append(raw(kind, lab, params, pv, s.sign(pb), clk))
    elif name == "malformed-ts" and timed and kind != "timed_jws":
        s = untimed_signer(kind, params)
        sep = sep_of(kind, params)
        pb = payload_bytes(kind, params, pv, ts)
        for tl, tsf in (("9-bytes", b"____________"), ("len-1-mod-4", b"AAAAA"), ("12-bytes", b"AAAAAAAAAAAAAAAA")):
            out.append(raw(kind, "%s-%s-%s" % (name, tl, payload_label), params, pv, s.sign(pb + sep + tsf), clk))
    elif name == "bad-payload":
        bads = bad_payloads(kind)
        if bads:
            bl, body = rng.choice(bads)
            out.extend(bad_payload_case(kind, params, clk, bl, body))
    elif name == "cross-kind":
        if kind == "signer":
            tok = A.sign("timestamp_signer", params, pv, rng.choice(TIMESTAMPS))
            out.append(raw(kind, lab + "-from-timestamp-signer", params, pv, tok, clk))
        elif kind in ("serializer", "url_safe_serializer"):
            tk = "timed_serializer" if kind == "serializer" else "url_safe_timed_serializer"
            tok = A.sign(tk, params, pv, rng.choice(TIMESTAMPS))
            out.append(raw(kind, lab + "-from-timed", params, None, tok, clk))
        elif kind == "timed_jws":
            out.append(raw(kind, lab + "-from-untimed", params, pv, jws_token(kind, params, {"alg": jws_alg(params)}, pv, ts), clk))
        elif kind == "jws":
            hdr = {"alg": jws_alg(params), "iat": T0, "exp": T0 + 3600}
            out.append(raw(kind, lab + "-from-timed", params, pv, jws_token(kind, params, hdr, pv, None), clk))
    elif name == "fallback" and kind in A.SERIALIZER_KINDS:
        fbs = [rand_fallback(rng) for _ in range(rng.randint(1, 3))]
        vp = with_(params, fallback_signers=fbs)
        fb = rng.choice(fbs)
        sp = {"secret_key": params["secret_key"]}
        if "salt" in fb:
            sp["salt"] = fb["salt"]
        elif "salt" in params:
            sp["salt"] = params["salt"]
        for k in ("sep", "key_derivation", "digest_method"):
            if k in fb:
                sp[k] = fb[k]
        out.append(raw(kind, lab + "-signed-by-fallback", vp, pv, A.sign(kind, sp, pv, ts), clk))
        out.append(raw(kind, lab + "-primary", vp, pv, A.sign(kind, with_(params, fallback_signers=None), pv, ts), clk))
        out.append(raw(kind, lab + "-no-fallback", with_(params, fallback_signers=None), pv, A.sign(kind, sp, pv, ts), clk, True))
    elif name == "jws-header" and kind in A.JWS_KINDS:
        out.extend(jws_header_cases(rng, kind, params, pv, clk))
    return out


def bad_payload_case(kind, params, clk, bl, body):
    ts = clk.get("timestamp")
    if kind in A.JWS_KINDS:
        obj = A.build(kind, params, ts or 0)
        tok = obj.make_signer().sign(body)
    else:
        tok = A.raw_signer(kind, params, ts).sign(body)
    return [raw(kind, bl, params, None, tok, clk)]


def jws_alg(params):
    return params.get("algorithm_name", "HS512")


def jws_token(kind, params, header, pv, ts):
    """A JWS token with an arbitrary header, validly signed with the configured key/alg."""
    obj = A.build(kind, params, ts or 0)
    return obj.make_signer().sign(obj.dump_payload(header, pv))


def jws_header_cases(rng, kind, params, pv, clk):
    ts = clk.get("timestamp") or T0
    alg = jws_alg(params)
    other = rng.choice([a for a in JWS_ALGS if a != alg])
    exp_in = params.get("expires_in", 3600)
    hs = [
        ("alg-mismatch", {"alg": other}),
        ("alg-missing", {}),
        ("extra-header-fields", {"kid": "k1", "typ": "JWT", "alg": alg}),
    ]
    if kind == "timed_jws":
        hs += [
            ("exp-missing", {"alg": alg, "iat": ts}),
            ("exp-string", {"alg": alg, "iat": ts, "exp": "invalid"}),
            ("exp-negative", {"alg": alg, "iat": ts, "exp": -1}),
            ("exp-numeric-string", {"alg": alg, "iat": ts, "exp": str(ts + exp_in)}),
            ("exp-float", {"alg": alg, "iat": ts, "exp": ts + exp_in + 0.9}),
            ("iat-missing", {"alg": alg, "exp": ts + exp_in}),
            ("iat-string", {"alg": alg, "iat": "invalid", "exp": ts + exp_in}),
            ("exp-before-iat", {"alg": alg, "iat": ts, "exp": ts - 1}),
            ("alg-mismatch-timed", {"alg": other, "iat": ts, "exp": ts + exp_in}),
        ]
    out = []
    for label, h in hs:
        out.append(raw(kind, label, params, pv, jws_token(kind, params, h, pv, ts), clk))
    # The `none` algorithm's token given to a keyed serializer, and the reverse.
    np = with_(params, algorithm_name="none" if alg != "none" else "HS512")
    out.append(raw(kind, "none-vs-" + alg, params, pv, A.sign(kind, np, pv, clk.get("timestamp")), clk, True))
    return out


NAMES_COMMON = ["valid", "tamper-sig", "tamper-payload", "truncate", "wrong-key", "wrong-salt", "rotation", "no-sep",
                "bad-payload", "cross-kind"]
NAMES_TIMED = ["tamper-ts", "boundary", "expired", "future", "missing-ts", "malformed-ts"]


def scenario_names(kind):
    names = list(NAMES_COMMON)
    if is_timed(kind):
        names += NAMES_TIMED
    if kind in A.SERIALIZER_KINDS:
        names.append("fallback")
    if kind in A.JWS_KINDS:
        names += ["tamper-header", "jws-header"]
    return names


def random_raw(rng, kind):
    """One random scenario (a few raw cases) with random params and payload."""
    params = rand_params(rng, kind)
    label, value = rand_payload(rng, kind)
    r = rng.random()
    name = "valid" if r < 0.35 else rng.choice(scenario_names(kind))
    return scenario(rng, name, kind, params, label, value)

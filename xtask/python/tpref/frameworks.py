"""Reference adapter for the framework kinds: Django 5.2 signing, signed cookies and
signed-cookie sessions, and Starlette's SessionMiddleware.

Runs only under target/venv/django.  Clocks are frozen by replacing the `time` module
seen by django.core.signing and itsdangerous.timed (subclassing would change Django's
default salts, which are derived from the class name).  Everything is done by the real
packages: `signing.Signer`, `signing.dumps/loads`, `HttpResponse.set_signed_cookie`,
`HttpRequest.get_signed_cookie`, the signed_cookies `SessionStore`, and Starlette's
`SessionMiddleware` driven through ASGI.
"""

import asyncio
import json
from base64 import b64decode
from importlib import metadata

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        SECRET_KEY="tpref-unused-default",
        SECRET_KEY_FALLBACKS=[],
        SIGNED_COOKIE_LEGACY_SALT_FALLBACK=True,
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        USE_TZ=True,
    )
    django.setup()

import itsdangerous.timed as _its_timed  # noqa: E402
from django.contrib.sessions.backends.signed_cookies import SessionStore  # noqa: E402
from django.core import signing  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from starlette.middleware.sessions import Session, SessionMiddleware  # noqa: E402

from .codec import dec_bytes, enc_bytes  # noqa: E402

KINDS = ("django_signer", "django_timestamp_signer", "django_signing", "django_signed_cookie",
         "django_session", "starlette_session")
TIMED = KINDS[1:]
BYTES_KINDS = ("django_signer", "django_timestamp_signer", "django_signed_cookie")
SESSION_KINDS = ("django_session", "starlette_session")
ALGORITHMS = ("sha1", "sha224", "sha256", "sha384", "sha512")
SESSION_SALT = "django.contrib.sessions.backends.signed_cookies"
PARAMS = {
    "django_signer": {"secret_key", "salt", "sep", "algorithm"},
    "django_timestamp_signer": {"secret_key", "salt", "sep", "algorithm"},
    "django_signing": {"secret_key", "salt", "compress"},
    "django_signed_cookie": {"secret_key", "salt", "cookie_name", "legacy_salt_fallback"},
    "django_session": {"secret_key"},
    "starlette_session": {"secret_key"},
}


def generated_by():
    return {"django": metadata.version("django"), "starlette": metadata.version("starlette"),
            "itsdangerous": metadata.version("itsdangerous")}


class Unrepresentable(Exception):
    """The case cannot be run by the reference: it is dropped."""


class _Clock:
    def __init__(self, t):
        self.t = t

    def time(self):
        return float(self.t)


def _freeze(t):
    signing.time = _Clock(t or 0)
    _its_timed.time = _Clock(t or 0)


def _keys(p):
    k = p["secret_key"]
    keys = [dec_bytes(x) for x in k] if isinstance(k, list) else [dec_bytes(k)]
    if not keys or any(not x for x in keys):
        raise Unrepresentable("Django replaces an empty key by settings.SECRET_KEY")
    return keys[-1], keys[:-1]


def _text(p, name, default=None):
    if name not in p:
        return default
    try:
        return dec_bytes(p[name]).decode("utf-8")
    except UnicodeDecodeError:
        raise Unrepresentable("%s is not text" % name)


def _check(kind, p):
    extra = set(p) - PARAMS[kind]
    if extra:
        raise ValueError("unsupported params for %s: %s" % (kind, sorted(extra)))


def _settings(p):
    key, fallbacks = _keys(p)
    settings.SECRET_KEY = key
    settings.SECRET_KEY_FALLBACKS = list(fallbacks)
    settings.SIGNED_COOKIE_LEGACY_SALT_FALLBACK = bool(p.get("legacy_salt_fallback", True))


def django_signer(kind, p):
    key, fallbacks = _keys(p)
    kw = {"key": key, "fallback_keys": fallbacks}
    salt = _text(p, "salt")
    if salt is not None:
        kw["salt"] = salt
    sep = _text(p, "sep")
    if sep is not None:
        kw["sep"] = sep
    if "algorithm" in p:
        kw["algorithm"] = p["algorithm"]
    cls = signing.TimestampSigner if kind == "django_timestamp_signer" else signing.Signer
    return cls(**kw)


def _starlette(p, max_age):
    key = _text(p, "secret_key")
    if not key:
        raise Unrepresentable("Starlette: the key must be a non-empty string")
    return SessionMiddleware(app=None, secret_key=key, max_age=max_age)


def _asgi(mw, cookie, session_to_set):
    """Runs the real middleware once: returns (session seen by the app, Set-Cookie value)."""
    seen = {}

    async def app(scope, receive, send):
        seen["session"] = dict(scope["session"])
        if session_to_set is not None:
            scope["session"].update(session_to_set)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mw.app = app
    headers = []
    if cookie is not None:
        headers.append((b"cookie", b"session=" + cookie))
    scope = {"type": "http", "method": "GET", "path": "/", "headers": headers, "query_string": b""}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    asyncio.run(mw(scope, receive, send))
    set_cookie = None
    for message in sent:
        for name, value in message.get("headers", []):
            if name.lower() == b"set-cookie":
                set_cookie = value.split(b";", 1)[0].split(b"=", 1)[1]
    return seen.get("session"), set_cookie


def payload_to_python(kind, payload):
    if kind in BYTES_KINDS:
        try:
            return dec_bytes(payload).decode("utf-8")
        except UnicodeDecodeError:
            raise Unrepresentable("Django signs text")
    return payload


def sign(kind, params, payload, timestamp=None):
    p = params or {}
    _check(kind, p)
    _freeze(timestamp)
    value = payload_to_python(kind, payload)
    if kind in ("django_signer", "django_timestamp_signer"):
        out = django_signer(kind, p).sign(value)
    elif kind == "django_signing":
        key, _ = _keys(p)
        kw = {"key": key, "compress": bool(p.get("compress", False))}
        salt = _text(p, "salt")
        if salt is not None:
            kw["salt"] = salt
        out = signing.dumps(value, **kw)
    elif kind == "django_signed_cookie":
        _settings(p)
        name = _text(p, "cookie_name")
        response = HttpResponse()
        response.set_signed_cookie(name, value, salt=_text(p, "salt", ""))
        out = response.cookies[name].value
    elif kind == "django_session":
        _settings(p)
        store = SessionStore()
        for k, v in value.items():
            store[k] = v
        store.save()
        out = store.session_key
    elif kind == "starlette_session":
        _, cookie = _asgi(_starlette(p, None), None, value)
        if cookie is None:
            raise Unrepresentable("Starlette sets no cookie for an empty session")
        out = cookie.decode("utf-8")
    else:
        raise ValueError("unknown kind %r" % kind)
    return out.encode("utf-8") if isinstance(out, str) else out


def legacy_cookie(params, value, timestamp):
    """A cookie as Django before 5.2.15 signed it (salt cookie_name + salt)."""
    _freeze(timestamp)
    _settings(params)
    name = _text(params, "cookie_name")
    salt = signing._cookie_signer_legacy_salt(name, _text(params, "salt", ""))
    return signing.get_cookie_signer(salt=salt).sign(value).encode("utf-8")


def raw_signer(kind, params, timestamp):
    """A plain Django Signer with the exact salt and key that `kind` verifies with, so that a
    generator can put a valid signature over any text (a missing or bad timestamp, a bad
    payload)."""
    p = params or {}
    _freeze(timestamp)
    if kind in ("django_signer", "django_timestamp_signer"):
        s = django_signer(kind, p)
        return signing.Signer(key=s.key, fallback_keys=[], salt=s.salt, sep=s.sep, algorithm=s.algorithm)
    if kind == "django_signing":
        key, _ = _keys(p)
        salt = _text(p, "salt", "django.core.signing")
        # loads(salt="") builds TimestampSigner(salt=""), whose `salt or default` is the class's.
        return signing.Signer(key=key, salt=salt or "django.core.signing.TimestampSigner")
    if kind == "django_session":
        key, _ = _keys(p)
        return signing.Signer(key=key, salt=SESSION_SALT)
    if kind == "django_signed_cookie":
        _settings(p)
        name = _text(p, "cookie_name")
        s = signing.get_cookie_signer(salt=signing._cookie_signer_salt(name, _text(p, "salt", "")))
        return signing.Signer(key=s.key, salt=s.salt)
    raise ValueError(kind)


def starlette_signer(params):
    return _starlette(params, None).signer


def verify(kind, params, token, now=None, max_age=None):
    """-> ("ok", vector-form value) or (ErrorClassName, None).  BadPayload: the signature
    verified and the reference then raised something that is not a signing error."""
    p = params or {}
    _check(kind, p)
    _freeze(now)
    try:
        text = token.decode("utf-8")
    except UnicodeDecodeError:
        raise Unrepresentable("Django and Starlette read cookies as text")
    try:
        if kind == "django_signer":
            v = django_signer(kind, p).unsign(text)
        elif kind == "django_timestamp_signer":
            v = django_signer(kind, p).unsign(text, max_age=max_age)
        elif kind == "django_signing":
            key, fallbacks = _keys(p)
            kw = {"key": key, "fallback_keys": fallbacks, "max_age": max_age}
            salt = _text(p, "salt")
            if salt is not None:
                kw["salt"] = salt
            v = signing.loads(text, **kw)
        elif kind == "django_signed_cookie":
            _settings(p)
            name = _text(p, "cookie_name")
            request = HttpRequest()
            request.COOKIES = {name: text}
            v = request.get_signed_cookie(name, salt=_text(p, "salt", ""), max_age=max_age)
        elif kind == "django_session":
            _settings(p)
            settings.SESSION_COOKIE_AGE = max_age if max_age is not None else 1209600
            store = SessionStore(session_key=text)
            # The backend's own load() turns every error into an empty session; its call,
            # made here, tells which one it was.
            v = signing.loads(text, serializer=store.serializer, max_age=store.get_session_cookie_age(),
                              salt=SESSION_SALT)
            if store.load() != v:
                raise AssertionError("SessionStore.load() disagrees with signing.loads")
        elif kind == "starlette_session":
            mw = _starlette(p, max_age)
            data = mw.signer.unsign(token, max_age=max_age)
            v = dict(Session(json.loads(b64decode(data))))
            seen, _ = _asgi(mw, token, None)
            if seen != v:
                raise AssertionError("SessionMiddleware disagrees with its unsign + loads")
        else:
            raise ValueError("unknown kind %r" % kind)
    except signing.SignatureExpired:
        return "SignatureExpired", None
    except signing.BadSignature:
        return "BadSignature", None
    except _its_timed.SignatureExpired:
        return "SignatureExpired", None
    except _its_timed.BadTimeSignature:
        return "BadTimeSignature", None
    except _its_timed.BadSignature:
        return "BadSignature", None
    except (AssertionError, Unrepresentable):
        raise
    except Exception:  # ValueError, IndexError, binascii.Error, zlib.error, TypeError, ...
        return "BadPayload", None
    if kind in BYTES_KINDS:
        return "ok", enc_bytes(v.encode("utf-8"))
    return "ok", v

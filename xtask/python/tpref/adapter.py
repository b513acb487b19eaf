"""Reference adapter: build the Python reference object for a vector case, sign at a
fixed clock, verify at a fixed clock.

Runs under either venv: itsdangerous 2.2 (+ Flask) gives the six itsdangerous kinds
and flask_session; itsdangerous 2.0.1 gives jws and timed_jws.  Clocks are fixed by
subclassing (TimestampSigner.get_timestamp, TimedJSONWebSignatureSerializer.now).
"""

import hashlib
import json
import warnings
from importlib import metadata

from itsdangerous import exc as _exc
from itsdangerous import Signer, TimestampSigner

from .codec import dec_bytes, enc_bytes

ITSDANGEROUS_VERSION = metadata.version("itsdangerous")

SIGNER_KINDS = ("signer", "timestamp_signer")
SERIALIZER_KINDS = ("serializer", "timed_serializer", "url_safe_serializer", "url_safe_timed_serializer")
DEFAULT_KINDS = SIGNER_KINDS + SERIALIZER_KINDS
JWS_KINDS = ("jws", "timed_jws")
ALL_KINDS = DEFAULT_KINDS + ("flask_session",) + JWS_KINDS
TIMED_KINDS = ("timestamp_signer", "timed_serializer", "url_safe_timed_serializer", "flask_session", "timed_jws")
URLSAFE_KINDS = ("url_safe_serializer", "url_safe_timed_serializer", "flask_session")

DIGESTS = {
    "sha1": hashlib.sha1,
    "sha224": hashlib.sha224,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}

# Most specific first.
ERROR_CLASSES = (
    ("SignatureExpired", _exc.SignatureExpired),
    ("BadTimeSignature", _exc.BadTimeSignature),
    ("BadHeader", _exc.BadHeader),
    ("BadSignature", _exc.BadSignature),
    ("BadPayload", _exc.BadPayload),
    ("BadData", _exc.BadData),
)

FLASK_VERSION = None
_HAS_JWS = False
if ITSDANGEROUS_VERSION.startswith("2.0."):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from itsdangerous import jws as _jws  # noqa: E402

    _HAS_JWS = True
    AVAILABLE_KINDS = JWS_KINDS
else:
    from itsdangerous import (  # noqa: E402
        Serializer,
        TimedSerializer,
        URLSafeSerializer,
        URLSafeTimedSerializer,
    )

    AVAILABLE_KINDS = DEFAULT_KINDS
    try:
        import flask  # noqa: E402
        from flask.sessions import SecureCookieSessionInterface, session_json_serializer  # noqa: E402

        FLASK_VERSION = metadata.version("flask")
        AVAILABLE_KINDS = AVAILABLE_KINDS + ("flask_session",)
    except ImportError:  # pragma: no cover
        pass


class Unrepresentable(Exception):
    """The reference raised something that is not a BadData: the case is dropped."""


class UnsupportedKind(Exception):
    pass


def error_name(e):
    for name, cls in ERROR_CLASSES:
        if isinstance(e, cls):
            return name
    return None


def generated_by():
    out = {}
    if _HAS_JWS:
        out["itsdangerous_jws"] = ITSDANGEROUS_VERSION
    else:
        out["itsdangerous"] = ITSDANGEROUS_VERSION
        if FLASK_VERSION:
            out["flask"] = FLASK_VERSION
    return out


# --------------------------------------------------------------------------- clocks

_TS_CLASSES = {}


def fixed_ts_signer(t):
    """A TimestampSigner subclass whose clock is frozen at t."""
    cls = _TS_CLASSES.get(t)
    if cls is None:

        class _FixedTimestampSigner(TimestampSigner):
            def get_timestamp(self, _t=t):
                return _t

        cls = _TS_CLASSES[t] = _FixedTimestampSigner
        if len(_TS_CLASSES) > 4096:
            _TS_CLASSES.clear()
    return cls


def _salted(base, salt):
    """Serializer.iter_unsigners always passes salt=; a fallback with its own salt is a
    subclass that substitutes it."""

    class _Salted(base):
        def __init__(self, secret_key, salt=None, **kw):
            super().__init__(secret_key, salt=_fixed_salt, **kw)

    _fixed_salt = salt
    return _Salted


# --------------------------------------------------------------------------- params

def _keys(v):
    if isinstance(v, list):
        return [dec_bytes(k) for k in v]
    return dec_bytes(v)


def _signer_kwargs(p, with_salt):
    kw = {}
    if with_salt and "salt" in p:
        kw["salt"] = dec_bytes(p["salt"])
    if "sep" in p:
        kw["sep"] = dec_bytes(p["sep"])
    if "key_derivation" in p:
        kw["key_derivation"] = p["key_derivation"]
    if "digest_method" in p:
        kw["digest_method"] = DIGESTS[p["digest_method"]]
    return kw


def _check_params(kind, p):
    allowed = {"secret_key", "salt"}
    if kind in SIGNER_KINDS:
        allowed |= {"sep", "key_derivation", "digest_method"}
    elif kind in SERIALIZER_KINDS:
        allowed |= {"sep", "key_derivation", "digest_method", "fallback_signers"}
    elif kind == "jws":
        allowed |= {"algorithm_name"}
    elif kind == "timed_jws":
        allowed |= {"algorithm_name", "expires_in"}
    elif kind == "flask_session":
        allowed = {"secret_key"}
    extra = set(p) - allowed
    if extra:
        raise ValueError("unsupported params for %s: %s" % (kind, sorted(extra)))
    if "key_derivation" in p and p["key_derivation"] not in ("concat", "django-concat", "hmac", "none"):
        raise ValueError("bad key_derivation")


_FLASK_APPS = {}


def _flask_app(keys):
    if isinstance(keys, bytes):
        keys = [keys]
    k = tuple(keys)
    app = _FLASK_APPS.get(k)
    if app is None:
        app = flask.Flask("tpref_session")
        app.secret_key = keys[-1]
        app.config["SECRET_KEY_FALLBACKS"] = list(keys[:-1])
        _FLASK_APPS[k] = app
    return app


def build(kind, params, t=0):
    """The reference object for `kind` with clock t (sign time or verification time).
    For flask_session returns (app, serializer)."""
    if kind not in AVAILABLE_KINDS:
        raise UnsupportedKind(kind)
    p = params or {}
    _check_params(kind, p)
    keys = _keys(p["secret_key"])
    if kind == "signer":
        return Signer(keys, **_signer_kwargs(p, True))
    if kind == "timestamp_signer":
        return fixed_ts_signer(t)(keys, **_signer_kwargs(p, True))
    if kind in SERIALIZER_KINDS:
        cls = {
            "serializer": Serializer,
            "timed_serializer": TimedSerializer,
            "url_safe_serializer": URLSafeSerializer,
            "url_safe_timed_serializer": URLSafeTimedSerializer,
        }[kind]
        base_signer = fixed_ts_signer(t) if kind in TIMED_KINDS else Signer
        fallbacks = []
        for fb in p.get("fallback_signers", []):
            extra = set(fb) - {"salt", "sep", "key_derivation", "digest_method"}
            if extra:
                raise ValueError("unsupported fallback fields %s" % sorted(extra))
            fkw = _signer_kwargs(fb, False)
            if "salt" in fb:
                fallbacks.append((_salted(base_signer, dec_bytes(fb["salt"])), fkw))
            else:
                fallbacks.append(fkw)
        kw = {"signer": base_signer, "signer_kwargs": _signer_kwargs(p, False), "fallback_signers": fallbacks}
        if "salt" in p:
            kw["salt"] = dec_bytes(p["salt"])
        return cls(keys, **kw)
    if kind == "flask_session":
        app = _flask_app(keys)
        with app.app_context():
            s = SecureCookieSessionInterface().get_signing_serializer(app)
        if s is None:
            raise Unrepresentable("Flask: SECRET_KEY is falsy, sessions are not signed")
        s.signer = fixed_ts_signer(t)
        return app, s
    if kind in JWS_KINDS:
        kw = {}
        if "salt" in p:
            kw["salt"] = dec_bytes(p["salt"])
        if "algorithm_name" in p:
            kw["algorithm_name"] = p["algorithm_name"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "jws":
                return _jws.JSONWebSignatureSerializer(keys, **kw)

            class _FixedTimedJWS(_jws.TimedJSONWebSignatureSerializer):
                def now(self, _t=t):
                    return _t

            if "expires_in" in p:
                kw["expires_in"] = p["expires_in"]
            return _FixedTimedJWS(keys, **kw)
    raise UnsupportedKind(kind)


# --------------------------------------------------------------------------- payloads

def payload_to_python(kind, payload):
    if kind in SIGNER_KINDS:
        return dec_bytes(payload)
    if kind == "flask_session":
        # Tagged-JSON form -> session value, via Flask's own untagging.
        return session_json_serializer.loads(json.dumps(payload))
    return payload


def value_to_vector(kind, value):
    if kind in SIGNER_KINDS:
        return enc_bytes(value)
    if kind == "flask_session":
        return session_json_serializer.tag(value)
    return value


# --------------------------------------------------------------------------- operations

def sign(kind, params, payload, timestamp=None):
    """Sign the vector-form payload at `timestamp`; returns the token bytes."""
    obj = build(kind, params, timestamp or 0)
    value = payload_to_python(kind, payload)
    if kind in SIGNER_KINDS:
        return obj.sign(value)
    if kind == "flask_session":
        app, s = obj
        with app.app_context():
            return s.dumps(value).encode("utf-8")
    out = obj.dumps(value)
    return out if isinstance(out, bytes) else out.encode("utf-8")


def raw_signer(kind, params, timestamp=None):
    """The (timestamp) signer that the serializer for `kind` signs its payload with:
    lets a generator put a valid signature over arbitrary bytes."""
    obj = build(kind, params, timestamp or 0)
    if kind in SIGNER_KINDS:
        return obj
    if kind == "flask_session":
        return obj[1].make_signer()
    return obj.make_signer()


def flask_dumps_json(params, value):
    """The JSON text Flask would sign for a session value (inside an app context)."""
    app, s = build("flask_session", params, 0)
    with app.app_context():
        return s.serializer.dumps(value)


def verify(kind, params, token, now=None, max_age=None):
    """-> ("ok", vector-form value) or (ErrorClassName, None).
    Raises Unrepresentable for exceptions that are not BadData."""
    obj = build(kind, params, now or 0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "signer":
                v = obj.unsign(token)
            elif kind == "timestamp_signer":
                # return_timestamp=True so that an out-of-range but validly signed
                # timestamp surfaces (as a non-BadData error) and the case is dropped.
                v, _ = obj.unsign(token, max_age=max_age, return_timestamp=True)
            elif kind in ("serializer", "url_safe_serializer"):
                v = obj.loads(token)
            elif kind in ("timed_serializer", "url_safe_timed_serializer"):
                v = obj.loads(token, max_age=max_age)
            elif kind == "flask_session":
                app, s = obj
                with app.app_context():
                    v = s.loads(token, max_age=max_age)
            elif kind in JWS_KINDS:
                v = obj.loads(token)
            else:
                raise UnsupportedKind(kind)
    except _exc.BadData as e:
        return error_name(e), None
    except (UnsupportedKind, Unrepresentable):
        raise
    except Exception as e:  # ValueError, OverflowError, TypeError, ...
        raise Unrepresentable("%s: %s" % (type(e).__name__, e)) from e
    return "ok", value_to_vector(kind, v)

"""Byte-string encoding of the vector format and base64 canonicality checks."""

import base64
import binascii

URLSAFE_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def enc_bytes(b):
    """bytes -> vector form: a JSON string if valid UTF-8, else {"base64": ...}."""
    b = bytes(b)
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(b).decode("ascii")}
    # Lone surrogates cannot come out of a strict UTF-8 decode, so `s` is safe JSON.
    return s


def dec_bytes(v):
    """vector form -> bytes."""
    if isinstance(v, str):
        return v.encode("utf-8")
    if isinstance(v, dict) and set(v) == {"base64"}:
        return base64.b64decode(v["base64"], validate=True)
    raise ValueError("not a byte string: %r" % (v,))


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=")


def b64u_dec_strict(seg):
    """Strict URL-safe no-padding decode; None when not canonical."""
    if any(c not in URLSAFE_ALPHABET for c in seg):
        return None
    if len(seg) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(seg + b"=" * (-len(seg) % 4))
    except (binascii.Error, ValueError):
        return None
    if b64u(raw) != seg:
        return None
    return raw


def segment_ok(seg):
    """A base64 field is acceptable in a vector when it is canonical URL-safe base64
    without padding, or when it is invalid for every decoder (alphabet characters only,
    length == 1 mod 4).  Anything else (padding, junk, '+/', non-zero trailing bits,
    non-ASCII) is where a strict port deliberately differs from Python."""
    if b64u_dec_strict(seg) is not None:
        return True
    return all(c in URLSAFE_ALPHABET for c in seg) and len(seg) % 4 == 1

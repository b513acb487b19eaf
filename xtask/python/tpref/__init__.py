"""tpref: the Python reference adapter for tamperproof's compatibility vectors."""

from . import adapter, codec  # noqa: F401

"""Every failure the client reports is a CacheGridError carrying the host ("host:port") and the HTTP status."""


class CacheGridError(Exception):
    """Base class. ``host`` is the host that failed (or None), ``status`` the HTTP status (0: no answer)."""

    def __init__(self, message, host=None, status=0):
        super().__init__(message if host is None else f"{message} [host {host}]")
        self.host = host
        self.status = status


class CacheGridUnavailableError(CacheGridError):
    """The host refused the connection, the connection broke, or it answered 5xx. Retried on the next host."""


class CacheGridTimeoutError(CacheGridError):
    """The host did not connect or answer within the timeout. Retried on the next host."""


class CacheGridBadRequestError(CacheGridError):
    """The server answered 4xx; never retried. ``error`` and ``detail`` come from its JSON error body."""

    def __init__(self, host, status, error, detail):
        super().__init__(f"HTTP {status}: {error}" + (f" - {detail}" if detail else ""), host, status)
        self.error = error
        self.detail = detail

"""Blocking HTTP/1.1 transport with keep-alive connections per host and failover between hosts.

A call goes to the first host that is not marked down. A host that refuses the connection, breaks it, times out or
answers 5xx is marked down for ``backoff`` seconds and the call is repeated on the next host, at most ``max_retries``
more times; when every host is down the one whose back-off ends first is tried after a short pause. A 4xx answer is
never retried. The plain calls of the REST contract are idempotent, so repeating one whose answer was lost is safe.
A non-idempotent call (increment, set-if-absent, compare-and-set: a repeat would add twice, or report a lost win as a
refusal) is repeated only when it certainly reached no server (the connection could not be opened); any other failure
is raised to the caller.
"""

import collections
import http.client
import json
import select
import socket
import ssl
import threading
import time
from urllib.parse import urlencode

from cachegrid.exceptions import (
    CacheGridBadRequestError,
    CacheGridError,
    CacheGridTimeoutError,
    CacheGridUnavailableError,
)

DEFAULT_PORT = 8080
FIRST_PAUSE_SECONDS = 0.025  # pause before retrying when every host is down; doubles per attempt ...
MAX_PAUSE_SECONDS = 1.0  # ... up to this cap
MAX_IDLE_CONNECTIONS = 16  # kept-alive connections kept per host


Answer = collections.namedtuple("Answer", "body version")
Answer.__doc__ = "A 2xx answer: its JSON object and the entity tag of its ETag without quotes (None when absent)."


class _NotSent(Exception):
    """The connection could not be opened: the request reached no server."""

    def __init__(self, cause):
        super().__init__(str(cause))
        self.cause = cause


def parse_address(address):
    """'host' or 'host:port' (port 8080 when absent) -> (host, port)."""
    if not isinstance(address, str) or not address or "/" in address:
        raise ValueError(f'host must be "host" or "host:port", was {address!r}')
    host, sep, port = address.rpartition(":")
    if not sep or "]" in port:
        return address.strip("[]"), DEFAULT_PORT
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f'host must be "host" or "host:port", was {address!r}')
    return host.strip("[]"), int(port)


class _Host:
    """One server: its address, idle keep-alive connections and the time until which it is marked down."""

    def __init__(self, address, timeout, ssl_context=None):
        self.address = address
        self.host, self.port = parse_address(address)
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.down_until = 0.0
        self._idle = []
        self._lock = threading.Lock()

    def take(self):
        """An idle connection (reused=True) or a new one (reused=False). An idle connection the server has closed
        (its socket reads as ready: end of stream) is dropped here rather than failing the next request."""
        while True:
            with self._lock:
                if not self._idle:
                    break
                connection = self._idle.pop()
            if _readable(connection):
                connection.close()
                continue
            return connection, True
        return self.new_connection(), False

    def new_connection(self):
        if self.ssl_context is not None:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                               context=self.ssl_context)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def give_back(self, connection):
        with self._lock:
            if len(self._idle) < MAX_IDLE_CONNECTIONS:
                self._idle.append(connection)
                return
        connection.close()

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class Transport:
    def __init__(self, hosts, timeout, max_retries, backoff, auth_token, ssl_context=None, cafile=None):
        if isinstance(hosts, str):
            hosts = [hosts]
        if not hosts:
            raise ValueError('at least one host ("host:port") is required')
        if timeout <= 0 or backoff <= 0 or max_retries < 0:
            raise ValueError("timeout and backoff must be > 0, max_retries >= 0")
        if cafile is not None:
            if ssl_context is not None:
                raise ValueError("give ssl_context or cafile, not both")
            ssl_context = ssl.create_default_context(cafile=cafile)
        self._hosts = [_Host(address, timeout, ssl_context) for address in hosts]
        self._max_retries = max_retries
        self._backoff = backoff
        self._headers = {"Accept": "application/json"}
        if auth_token:
            self._headers["Authorization"] = f"Bearer {auth_token}"

    def request(self, method, path, query=None, body=None):
        """Sends one call with failover; returns the answer's JSON object or raises a CacheGridError."""
        return self.exchange(method, path, query, body).body

    def exchange(self, method, path, query=None, body=None, headers=None, idempotent=True):
        """Sends one call with failover (a non-idempotent one only while it reached no server); returns an Answer
        or raises a CacheGridError."""
        target = path + ("?" + urlencode(query) if query else "")
        payload = None if body is None else body.encode("utf-8")
        failure = None
        for attempt in range(self._max_retries + 1):
            host = self._choose()
            if attempt > 0 and host.down_until > time.monotonic():
                time.sleep(min(FIRST_PAUSE_SECONDS * 2 ** (attempt - 1), MAX_PAUSE_SECONDS))
            try:
                answer = self._send(host, method, target, payload, headers or {}, idempotent)
                host.down_until = 0.0
                return answer
            except (CacheGridUnavailableError, CacheGridTimeoutError) as error:
                host.down_until = time.monotonic() + self._backoff
                error.__context__ = failure
                failure = error
                if not idempotent and not getattr(error, "never_sent", False):
                    raise
        raise failure

    def close(self):
        for host in self._hosts:
            host.close()

    def _choose(self):
        now = time.monotonic()
        for host in self._hosts:
            if host.down_until <= now:
                return host
        return min(self._hosts, key=lambda h: h.down_until)

    def _send(self, host, method, target, payload, extra_headers, idempotent):
        headers = dict(self._headers)
        headers.update(extra_headers)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        connection, reused = host.take()
        try:
            status, data, keep, etag = self._exchange(connection, method, target, payload, headers)
        except _NotSent as error:
            connection.close()
            raise self._failure(host, method, target, error.cause, never_sent=True) from error.cause
        except (ConnectionError, http.client.HTTPException) as error:
            connection.close()
            if not reused or not idempotent:
                raise self._failure(host, method, target, error) from error
            # A kept-alive connection the server closed while idle: one fresh attempt on the same host.
            connection = host.new_connection()
            try:
                status, data, keep, etag = self._exchange(connection, method, target, payload, headers)
            except _NotSent as again:
                connection.close()
                raise self._failure(host, method, target, again.cause) from again.cause
            except (OSError, http.client.HTTPException) as again:
                connection.close()
                raise self._failure(host, method, target, again) from again
        except OSError as error:
            connection.close()
            raise self._failure(host, method, target, error) from error
        if keep:
            host.give_back(connection)
        else:
            connection.close()
        return Answer(_interpret(host, method, target, status, data), _version(etag))

    @staticmethod
    def _exchange(connection, method, target, payload, headers):
        if connection.sock is None:
            try:
                connection.connect()
            except OSError as error:
                raise _NotSent(error) from error
        connection.request(method, target, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, data, not response.will_close, response.getheader("ETag")

    @staticmethod
    def _failure(host, method, target, error, never_sent=False):
        if isinstance(error, (socket.timeout, TimeoutError)):
            failure = CacheGridTimeoutError(f"{method} {target} got no answer within {host.timeout} s", host.address)
        else:
            failure = CacheGridUnavailableError(f"{method} {target} failed: {error!r}", host.address)
        failure.never_sent = never_sent
        return failure


def _readable(connection):
    """True when an idle connection's socket has something to read, which for an idle HTTP/1.1 connection means
    the server closed it (or broke protocol): either way it must not carry the next request."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _version(etag):
    """'"123"' or 'W/"123"' -> '123'; None when there is no ETag."""
    if not etag or not etag.strip():
        return None
    tag = etag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    return tag


def _interpret(host, method, target, status, data):
    parsed = _parse(data)
    if 200 <= status < 300:
        if not isinstance(parsed, dict):
            raise CacheGridError(f"{method} {target} answered {status} without a JSON object", host.address, status)
        return parsed
    if 400 <= status < 500:
        fields = parsed if isinstance(parsed, dict) else {}
        raise CacheGridBadRequestError(host.address, status, str(fields.get("error", f"HTTP {status}")),
                                       str(fields.get("detail", "")))
    raise CacheGridUnavailableError(f"{method} {target} answered HTTP {status}", host.address, status)


def _parse(data):
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None

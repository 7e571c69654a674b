"""CacheGrid clients: SyncCacheGridClient (blocking) and CacheGridClient (asyncio).

Both take ``hosts`` ("host:port", port 8080 when absent, tried in order), ``timeout`` (seconds per attempt),
``max_retries`` (attempts after the first on an unavailable or timed-out host), ``backoff`` (seconds a failed host is
skipped) and ``auth_token`` (sent as ``Authorization: Bearer``). For a server with TLS pass ``cafile`` (a PEM file of
the certificate or CA to trust) or a ready ``ssl_context``; either switches every host to HTTPS. Values are anything
``json.dumps`` accepts.

Conditional writes (``set_if_absent``, ``compare_and_set``) return False when the server refuses them (HTTP 412);
increments and conditional writes are never repeated on another host once they may have reached a server.
"""

import asyncio
import collections
import json
import math
from urllib.parse import quote

from cachegrid._transport import Transport
from cachegrid.exceptions import CacheGridBadRequestError, CacheGridError

DEFAULT_HOSTS = ("localhost:8080",)
PRECONDITION_FAILED = 412
TAG_PAGE = 1000  # keys per call of keys_with_tag: the server's largest page

Versioned = collections.namedtuple("Versioned", "value version")
Versioned.__doc__ = ("A value with the version the server holds it at (an opaque decimal string from the ETag); "
                     "pass the version to compare_and_set.")


class SyncCacheGridClient:
    """Blocking client; thread-safe. ``with SyncCacheGridClient([...]) as client:`` closes connections at the end,
    and the client can be used again afterwards (it reconnects)."""

    def __init__(self, hosts=DEFAULT_HOSTS, timeout=5.0, max_retries=3, backoff=5.0, auth_token=None, *,
                 ssl_context=None, cafile=None):
        self._transport = Transport(list(hosts) if not isinstance(hosts, str) else [hosts], timeout, max_retries,
                                    backoff, auth_token, ssl_context=ssl_context, cafile=cafile)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Closes the kept-alive connections (later calls open new ones)."""
        self._transport.close()

    def get(self, key, default=None):
        """The value stored under ``key``, or ``default`` when it is missing or expired."""
        answer = self._transport.request("GET", _cache_path(key))
        return answer.get("value") if answer.get("exists") else default

    def set(self, key, value, ttl=None, tags=None):
        """Stores ``value``; with ``ttl`` (seconds > 0, fractions allowed) it expires. ``tags`` (a list of non-empty
        strings without commas) replace the key's old tags, for ``keys_with_tag`` and ``invalidate_tag``.
        Returns True."""
        query = {}
        if ttl is not None:
            query["ttl"] = _ttl(ttl)
        if tags:
            query["tags"] = _tag_list(tags)
        return bool(self._transport.request("PUT", _cache_path(key), query or None, _dumps(value)).get("success"))

    def set_if_absent(self, key, value, ttl=None):
        """Stores ``value`` only if ``key`` holds none (``If-None-Match: *``): True when this call stored it, False
        when the key already had a value. Of several racing callers exactly one wins."""
        return self._conditional_set(key, value, ttl, {"If-None-Match": "*"})

    def get_with_version(self, key):
        """``Versioned(value, version)`` for a live key (the version from the answer's ETag), or None when it is
        missing or expired. Pass the version to ``compare_and_set``."""
        answer = self._transport.exchange("GET", _cache_path(key))
        if not answer.body.get("exists"):
            return None
        if answer.version is None:
            raise CacheGridError(f"the answer to GET {key!r} lacks an ETag (a server before version-aware writes?)",
                                 None, 200)
        return Versioned(answer.body.get("value"), answer.version)

    def compare_and_set(self, key, value, version, ttl=None):
        """Replaces the value only if ``key`` is still at ``version`` (``If-Match``): True when this call wrote it,
        False when the key was written or removed since. Read with ``get_with_version``, compute, retry on False."""
        if not isinstance(version, str) or not version or '"' in version:
            raise ValueError(f"version must be one returned by get_with_version, was {version!r}")
        return self._conditional_set(key, value, ttl, {"If-Match": f'"{version}"'})

    def incr(self, key, by=1, ttl=None):
        """Adds ``by`` (a 64-bit integer) to the integer under ``key`` atomically on the server; a missing key is
        created at 0 first (expiring after ``ttl`` when given). Returns the new value. A value that is not an integer
        raises CacheGridBadRequestError with status 409, a result outside 64 bits one with status 400."""
        return self._increment(key, "incr", by, ttl)

    def decr(self, key, by=1, ttl=None):
        """Subtracts ``by`` (see ``incr``); returns the new value."""
        return self._increment(key, "decr", by, ttl)

    def invalidate_tag(self, tag):
        """Removes every key carrying ``tag``; returns how many were removed."""
        return int(self._transport.request("DELETE", _tag_path(tag))["items_removed"])

    def keys_with_tag(self, tag):
        """Every live key carrying ``tag`` (read page by page, 1,000 keys per call)."""
        keys = []
        while True:
            page = self._transport.request("GET", _tag_path(tag), {"offset": len(keys), "limit": TAG_PAGE})
            keys.extend(page["keys"])
            if not page["keys"] or len(keys) >= int(page["total"]):
                return keys

    def _conditional_set(self, key, value, ttl, condition):
        query = {"ttl": _ttl(ttl)} if ttl is not None else None
        try:
            answer = self._transport.exchange("PUT", _cache_path(key), query, _dumps(value), condition,
                                              idempotent=False)
        except CacheGridBadRequestError as error:
            if error.status == PRECONDITION_FAILED:
                return False
            raise
        return bool(answer.body.get("success"))

    def _increment(self, key, operation, by, ttl):
        if not isinstance(by, int) or isinstance(by, bool):
            raise TypeError(f"by must be an int, was {by!r}")
        query = {"by": str(by)}
        if ttl is not None:
            query["ttl"] = _ttl(ttl)
        answer = self._transport.exchange("POST", _cache_path(key) + "/" + operation, query, idempotent=False)
        return int(answer.body["value"])

    def delete(self, key):
        """Removes ``key``; True when it existed."""
        return bool(self._transport.request("DELETE", _cache_path(key)).get("deleted"))

    def exists(self, key):
        """True when ``key`` holds a live value (a read: it counts as a hit or miss in the stats)."""
        return bool(self._transport.request("GET", _cache_path(key)).get("exists"))

    def get_multi(self, keys):
        """``{key: value}`` for the keys that exist (missing keys are left out)."""
        keys = list(keys)
        if not keys:
            return {}
        results = self._transport.request("POST", "/cache/batch/get", body=_dumps({"keys": keys}))["results"]
        return {key: results[key]["value"] for key in keys if results.get(key, {}).get("exists")}

    def set_multi(self, items, ttl=None):
        """Stores every ``{key: value}`` of ``items``; returns how many were stored."""
        if not items:
            return 0
        body = {"items": dict(items)}
        if ttl is not None:
            body["ttl"] = float(_ttl(ttl))
        return int(self._transport.request("POST", "/cache/batch/set", body=_dumps(body))["items_set"])

    def clear(self):
        """Removes every key; returns how many there were."""
        return int(self._transport.request("DELETE", "/cache", {"confirm": "true"})["items_removed"])

    def keys(self, pattern="", limit=100):
        """Up to ``limit`` (1..1000) keys containing ``pattern`` (a substring; "" matches all)."""
        query = {"pattern": pattern, "limit": limit} if pattern else {"limit": limit}
        return list(self._transport.request("GET", "/admin/keys", query)["keys"])

    def stats(self):
        """The server's statistics (hits, misses, sets, current_size, hit_ratio, ...)."""
        return self._transport.request("GET", "/stats")

    def health(self):
        """The server's health (status "healthy", uptime_seconds, ...)."""
        return self._transport.request("GET", "/health")


class CacheGridClient:
    """asyncio client: each call runs the blocking call of a SyncCacheGridClient in a worker thread
    (``asyncio.to_thread``), so many calls can be in flight at once. Usable with or without ``async with``."""

    def __init__(self, hosts=DEFAULT_HOSTS, timeout=5.0, max_retries=3, backoff=5.0, auth_token=None, *,
                 ssl_context=None, cafile=None):
        self._sync = SyncCacheGridClient(hosts, timeout, max_retries, backoff, auth_token,
                                         ssl_context=ssl_context, cafile=cafile)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.close()

    async def close(self):
        self._sync.close()

    async def get(self, key, default=None):
        return await asyncio.to_thread(self._sync.get, key, default)

    async def set(self, key, value, ttl=None, tags=None):
        return await asyncio.to_thread(self._sync.set, key, value, ttl, _copy(tags))

    async def set_if_absent(self, key, value, ttl=None):
        return await asyncio.to_thread(self._sync.set_if_absent, key, value, ttl)

    async def get_with_version(self, key):
        return await asyncio.to_thread(self._sync.get_with_version, key)

    async def compare_and_set(self, key, value, version, ttl=None):
        return await asyncio.to_thread(self._sync.compare_and_set, key, value, version, ttl)

    async def incr(self, key, by=1, ttl=None):
        return await asyncio.to_thread(self._sync.incr, key, by, ttl)

    async def decr(self, key, by=1, ttl=None):
        return await asyncio.to_thread(self._sync.decr, key, by, ttl)

    async def invalidate_tag(self, tag):
        return await asyncio.to_thread(self._sync.invalidate_tag, tag)

    async def keys_with_tag(self, tag):
        return await asyncio.to_thread(self._sync.keys_with_tag, tag)

    async def delete(self, key):
        return await asyncio.to_thread(self._sync.delete, key)

    async def exists(self, key):
        return await asyncio.to_thread(self._sync.exists, key)

    async def get_multi(self, keys):
        return await asyncio.to_thread(self._sync.get_multi, list(keys))

    async def set_multi(self, items, ttl=None):
        return await asyncio.to_thread(self._sync.set_multi, dict(items), ttl)

    async def clear(self):
        return await asyncio.to_thread(self._sync.clear)

    async def keys(self, pattern="", limit=100):
        return await asyncio.to_thread(self._sync.keys, pattern, limit)

    async def stats(self):
        return await asyncio.to_thread(self._sync.stats)

    async def health(self):
        return await asyncio.to_thread(self._sync.health)


def _cache_path(key):
    if not isinstance(key, str) or not key:
        raise ValueError("key must be a non-empty string (1..250 characters)")
    return "/cache/" + _segment(key)


def _tag_path(tag):
    return "/tags/" + _segment(_tag(tag))


def _segment(raw):
    if raw in (".", ".."):  # dot segments are normalised away by HTTP stacks: send them encoded
        return raw.replace(".", "%2E")
    return quote(raw, safe="")


def _tag(tag):
    # tags travel comma-separated (?tags=a,b): one holding a comma or nothing cannot be sent
    if not isinstance(tag, str) or not tag or "," in tag:
        raise ValueError(f"a tag is a non-empty string without commas, was {tag!r}")
    return tag


def _tag_list(tags):
    if isinstance(tags, str):
        raise TypeError("tags is a list of strings, not one string")
    return ",".join(_tag(tag) for tag in tags)


def _copy(tags):
    """A list copy of ``tags`` for a worker thread; None and a (rejected later) single string as they are."""
    return tags if tags is None or isinstance(tags, str) else list(tags)


def _ttl(ttl):
    seconds = float(ttl)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"ttl must be a positive number of seconds, was {ttl!r}")
    return repr(seconds) if seconds != int(seconds) else str(int(seconds))


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))

"""CacheGrid clients: SyncCacheGridClient (blocking) and CacheGridClient (asyncio).

Both take ``hosts`` ("host:port", port 8080 when absent, tried in order), ``timeout`` (seconds per attempt),
``max_retries`` (attempts after the first on an unavailable or timed-out host), ``backoff`` (seconds a failed host is
skipped) and ``auth_token`` (sent as ``Authorization: Bearer``). For a server with TLS pass ``cafile`` (a PEM file of
the certificate or CA to trust) or a ready ``ssl_context``; either switches every host to HTTPS. Values are anything
``json.dumps`` accepts.
"""

import asyncio
import json
import math
from urllib.parse import quote

from cachegrid._transport import Transport

DEFAULT_HOSTS = ("localhost:8080",)


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

    def set(self, key, value, ttl=None):
        """Stores ``value``; with ``ttl`` (seconds > 0, fractions allowed) it expires. Returns True."""
        query = {"ttl": _ttl(ttl)} if ttl is not None else None
        return bool(self._transport.request("PUT", _cache_path(key), query, _dumps(value)).get("success"))

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

    async def set(self, key, value, ttl=None):
        return await asyncio.to_thread(self._sync.set, key, value, ttl)

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
    if key in (".", ".."):  # dot segments are normalised away by HTTP stacks: send them encoded
        return "/cache/" + key.replace(".", "%2E")
    return "/cache/" + quote(key, safe="")


def _ttl(ttl):
    seconds = float(ttl)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"ttl must be a positive number of seconds, was {ttl!r}")
    return repr(seconds) if seconds != int(seconds) else str(int(seconds))


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))

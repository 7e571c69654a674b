"""Cache-aside with compare-and-set (the Python twin of examples/java/CasCacheAside.java).

Reads: look in CacheGrid first; on a miss load the (slow) database row and cache it with set_if_absent, so a slow
loader never overwrites a value someone wrote meanwhile. Updates of the cached row (here: a visit counter inside a
cached profile) read it with its version and write it back with compare_and_set, which the server refuses if anyone
wrote the key in between; a refused update reads again and retries, so no update is lost and none counts twice.

Run: scripts/example.sh cas_cache_aside [host:port]   or   PYTHONPATH=client-python python3 \
     examples/python/cas_cache_aside.py [host:port]   (default localhost:8080)
"""

import sys
import threading
import time
from pathlib import Path

try:
    from cachegrid.client import SyncCacheGridClient
except ImportError:  # run from a checkout without installing the client
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "client-python"))
    from cachegrid.client import SyncCacheGridClient

CACHE_FOR = 3600  # seconds


class SlowDatabase:
    """Stands in for a database: a fixed row behind a 200 ms delay per lookup."""

    def __init__(self):
        self.reads = 0
        self._lock = threading.Lock()

    def get_user(self, user_id):
        with self._lock:
            self.reads += 1
        time.sleep(0.2)
        return {"id": "42", "name": "Alice", "visits": 0} if user_id == "42" else None


class Profiles:
    def __init__(self, cache, database):
        self.cache = cache
        self.database = database
        self.conflicts = 0
        self._lock = threading.Lock()

    def get(self, user_id):
        """The cached profile as Versioned(value, version); loaded from the database on a miss. None: no such user."""
        key = f"profile:{user_id}"
        cached = self.cache.get_with_version(key)
        if cached is not None:
            return cached
        row = self.database.get_user(user_id)
        if row is None:
            return None
        # Whoever loads first fills the cache; a later loader keeps the value that is there (it may be newer).
        self.cache.set_if_absent(key, row, ttl=CACHE_FOR)
        return self.cache.get_with_version(key)

    def update(self, user_id, change):
        """Applies ``change`` to the cached profile; retries when another writer got there first."""
        while True:
            current = self.get(user_id)
            updated = change(dict(current.value))
            if self.cache.compare_and_set(f"profile:{user_id}", updated, current.version, ttl=CACHE_FOR):
                return updated
            with self._lock:
                self.conflicts += 1


def record_visit(profile):
    profile["visits"] += 1
    return profile


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else "localhost:8080"
    with SyncCacheGridClient([host]) as cache:
        cache.delete("profile:42")
        database = SlowDatabase()
        profiles = Profiles(cache, database)

        # 4 request handlers record 25 visits each, all at once, starting with an empty cache.
        def handler():
            for _ in range(25):
                profiles.update("42", record_visit)

        threads = [threading.Thread(target=handler) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        profile = profiles.get("42")
        print(f"profile: {profile.value} at version {profile.version}")
        print(f"visits recorded: {profile.value['visits']} of 100 ({profiles.conflicts} conflicting updates retried, "
              f"{database.reads} database read(s))")
        print(f"unknown user: {profiles.get('99')}")


if __name__ == "__main__":
    main()

"""Increments, conditional writes and tags of both clients against a real server, one at a time and from many
threads at once. Keys carry the prefix "pyat:": the server is shared."""

import asyncio
import threading
import time
import unittest

from cachegrid.client import CacheGridClient, SyncCacheGridClient
from cachegrid.exceptions import CacheGridBadRequestError
from tests.server import shared_server

THREADS = 8


def setUpModule():
    shared_server()


def run_on_threads(task):
    """Runs ``task()`` on THREADS threads started together; returns their results (an exception fails the test)."""
    barrier = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def run(index):
        barrier.wait()
        try:
            results[index] = task()
        except Exception as error:  # noqa: BLE001 - handed to the test thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


class AtomicOperationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = SyncCacheGridClient([shared_server().address])

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_incr_and_decr(self):
        client = self.client
        client.delete("pyat:counter")
        self.assertEqual(1, client.incr("pyat:counter"), "a missing key counts from 0")
        self.assertEqual(6, client.incr("pyat:counter", 5))
        self.assertEqual(4, client.decr("pyat:counter", 2))
        self.assertEqual(3, client.decr("pyat:counter"))
        self.assertEqual(-7, client.decr("pyat:counter", by=10))
        self.assertEqual(-7, client.get("pyat:counter"), "stored as a JSON integer")

        client.set("pyat:name", "Alice")
        with self.assertRaises(CacheGridBadRequestError) as caught:
            client.incr("pyat:name")
        self.assertEqual(409, caught.exception.status)
        self.assertEqual("Alice", client.get("pyat:name"))

        client.set("pyat:max", 2 ** 63 - 1)
        with self.assertRaises(CacheGridBadRequestError) as caught:
            client.incr("pyat:max")
        self.assertEqual(400, caught.exception.status)
        self.assertEqual(2 ** 63 - 1, client.get("pyat:max"), "nothing changed")

        client.delete("pyat:short")
        self.assertEqual(1, client.incr("pyat:short", ttl=0.3))
        self.assertEqual(2, client.incr("pyat:short", ttl=3600), "ttl applies only on creation")
        time.sleep(0.7)
        self.assertFalse(client.exists("pyat:short"))

    def test_set_if_absent(self):
        self.client.delete("pyat:lock")
        self.assertTrue(self.client.set_if_absent("pyat:lock", "first", ttl=60))
        self.assertFalse(self.client.set_if_absent("pyat:lock", "second"))
        self.assertEqual("first", self.client.get("pyat:lock"))

    def test_get_with_version_and_compare_and_set(self):
        client = self.client
        self.assertIsNone(client.get_with_version("pyat:missing"))
        self.assertFalse(client.compare_and_set("pyat:missing", 1, "1"), "an absent key matches no version")
        client.set("pyat:doc", {"n": 1})
        first = client.get_with_version("pyat:doc")
        self.assertEqual({"n": 1}, first.value)
        self.assertTrue(client.compare_and_set("pyat:doc", {"n": 2}, first.version))
        self.assertFalse(client.compare_and_set("pyat:doc", {"n": 3}, first.version), "the version moved on")
        second = client.get_with_version("pyat:doc")
        self.assertNotEqual(first.version, second.version)
        self.assertEqual({"n": 2}, second.value)
        self.assertTrue(client.compare_and_set("pyat:doc", None, second.version, ttl=60))
        self.assertIsNone(client.get_with_version("pyat:doc").value)

    def test_tags(self):
        client = self.client
        self.assertTrue(client.set("pyat:user:1", "a", tags=["pyat-team", "pyat-user:1"]))
        self.assertTrue(client.set("pyat:user:2", "b", ttl=3600, tags=["pyat-team"]))
        self.assertTrue(client.set("pyat:other", "c", tags=["pyat-user:1"]))
        self.assertEqual(["pyat:other", "pyat:user:1"], sorted(client.keys_with_tag("pyat-user:1")))
        self.assertEqual(2, client.invalidate_tag("pyat-team"))
        self.assertFalse(client.exists("pyat:user:1"))
        self.assertFalse(client.exists("pyat:user:2"))
        self.assertEqual(["pyat:other"], client.keys_with_tag("pyat-user:1"))
        self.assertEqual([], client.keys_with_tag("pyat-team"))
        self.assertEqual(0, client.invalidate_tag("pyat-team"))
        client.set("pyat:other", "plain")
        self.assertEqual([], client.keys_with_tag("pyat-user:1"), "a write without tags drops the old ones")
        with self.assertRaises(CacheGridBadRequestError) as caught:
            client.set("pyat:bad", 1, tags=["t" * 1000])
        self.assertEqual(400, caught.exception.status)

    def test_concurrent_increments_all_count(self):
        self.client.delete("pyat:hits")

        def hundred():
            for _ in range(100):
                self.client.incr("pyat:hits")

        run_on_threads(hundred)
        self.assertEqual(THREADS * 100, self.client.get("pyat:hits"))

    def test_compare_and_set_loop_from_many_threads_adds_exactly(self):
        self.client.set("pyat:balance", 0)

        def add_25():
            refusals = 0
            for _ in range(25):
                while True:
                    current = self.client.get_with_version("pyat:balance")
                    if self.client.compare_and_set("pyat:balance", current.value + 1, current.version):
                        break
                    refusals += 1
            return refusals

        refusals = run_on_threads(add_25)
        self.assertEqual(THREADS * 25, self.client.get("pyat:balance"), f"{sum(refusals)} refusals retried")

    def test_set_if_absent_has_exactly_one_winner(self):
        self.client.delete("pyat:leader")
        wins = run_on_threads(lambda: self.client.set_if_absent("pyat:leader", threading.current_thread().name))
        self.assertEqual(1, wins.count(True), wins)


class AsyncAtomicTest(unittest.IsolatedAsyncioTestCase):
    async def test_async_client_does_the_same(self):
        async with CacheGridClient([shared_server().address]) as client:
            await client.delete("pyat:async")
            await asyncio.gather(*(client.incr("pyat:async") for _ in range(100)))
            self.assertEqual(90, await client.decr("pyat:async", 10))
            current = await client.get_with_version("pyat:async")
            self.assertTrue(await client.compare_and_set("pyat:async", 0, current.version))
            self.assertFalse(await client.set_if_absent("pyat:async", 5))
            self.assertTrue(await client.set("pyat:async:tagged", 1, tags=["pyat-async"]))
            self.assertEqual(["pyat:async:tagged"], await client.keys_with_tag("pyat-async"))
            self.assertEqual(1, await client.invalidate_tag("pyat-async"))


if __name__ == "__main__":
    unittest.main()

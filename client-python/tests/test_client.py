"""Every operation of both clients against a real server. Keys carry a per-class prefix: the server is shared."""

import asyncio
import time
import unittest

from cachegrid.client import CacheGridClient, SyncCacheGridClient
from cachegrid.exceptions import CacheGridBadRequestError
from tests.server import shared_server


def setUpModule():
    shared_server()


class SyncClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = SyncCacheGridClient([shared_server().address])

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_set_get_delete_exists(self):
        self.assertTrue(self.client.set("py:user:123", {"name": "Alice", "age": 30}))
        self.assertEqual({"name": "Alice", "age": 30}, self.client.get("py:user:123"))
        self.assertTrue(self.client.exists("py:user:123"))
        self.assertTrue(self.client.delete("py:user:123"))
        self.assertFalse(self.client.delete("py:user:123"))
        self.assertFalse(self.client.exists("py:user:123"))
        self.assertIsNone(self.client.get("py:user:123"))
        self.assertEqual("fallback", self.client.get("py:user:123", "fallback"))

    def test_json_types_round_trip(self):
        for value in ["MyApp", 19.99, 7, True, None, [1, "two", False], {"nested": {"list": []}}]:
            self.client.set("py:type", value)
            self.assertEqual(value, self.client.get("py:type", default="missing"))

    def test_reserved_and_unicode_key(self):
        key = "py:a/b c?d&e=f%g+h#i ünïcødé 🚀"
        self.client.set(key, "odd")
        self.assertEqual("odd", self.client.get(key))
        self.assertIn(key, self.client.keys("py:a/b c?d", 10))
        self.assertTrue(self.client.delete(key))
        for dots in (".", ".."):
            self.client.set(dots, dots)
            self.assertEqual(dots, self.client.get(dots))
            self.assertTrue(self.client.delete(dots))

    def test_ttl_expires(self):
        self.client.set("py:session:abc", {"token": "xyz"}, ttl=0.3)
        self.client.set("py:session:long", "stays", ttl=3600)
        self.assertTrue(self.client.exists("py:session:abc"))
        time.sleep(0.7)
        self.assertFalse(self.client.exists("py:session:abc"))
        self.assertTrue(self.client.exists("py:session:long"))

    def test_batch(self):
        products = {"py:product:1": {"name": "Widget", "price": 19.99},
                    "py:product:2": {"name": "Gadget", "price": 29.99}}
        self.assertEqual(2, self.client.set_multi(products))
        self.assertEqual(products, self.client.get_multi(["py:product:1", "py:product:missing", "py:product:2"]))
        self.assertEqual({}, self.client.get_multi([]))
        self.assertEqual(1, self.client.set_multi({"py:product:3": 3}, ttl=60))

    def test_keys_stats_health(self):
        for i in range(5):
            self.client.set(f"py:keys:{i}", i)
        self.assertEqual(5, len(self.client.keys("py:keys:")))
        self.assertEqual(2, len(self.client.keys("py:keys:", limit=2)))
        self.assertTrue(self.client.keys())
        stats = self.client.stats()
        self.assertGreaterEqual(stats["current_size"], 5)
        self.assertIn("hit_ratio", stats)
        self.assertEqual("healthy", self.client.health()["status"])

    def test_bad_request(self):
        with self.assertRaises(CacheGridBadRequestError) as caught:
            self.client.set("k" * 251, 1)
        self.assertEqual(400, caught.exception.status)
        self.assertTrue(caught.exception.error)
        self.assertEqual(shared_server().address, caught.exception.host)
        with self.assertRaises(ValueError):
            self.client.set("py:nan", float("nan"))
        with self.assertRaises(ValueError):
            self.client.set("py:ttl", 1, ttl=0)

    def test_clear(self):
        # Safe on the shared server: tests run one at a time and each sets up its own keys.
        self.client.set_multi({"py:clear:a": 1, "py:clear:b": 2})
        self.assertGreaterEqual(self.client.clear(), 2)
        self.assertEqual([], self.client.keys())

    def test_reusable_after_exit(self):
        with self.client as client:
            client.set("py:reuse", 1)
        self.assertEqual(1, self.client.get("py:reuse"))


class AsyncClientTest(unittest.IsolatedAsyncioTestCase):
    async def test_every_operation(self):
        async with CacheGridClient([shared_server().address]) as client:
            self.assertTrue(await client.set("pya:user", {"name": "Alice"}))
            self.assertEqual({"name": "Alice"}, await client.get("pya:user"))
            self.assertTrue(await client.set("pya:session", {"token": "xyz"}, ttl=3600))
            self.assertEqual(2, await client.set_multi({"pya:p:1": 1, "pya:p:2": 2}))
            self.assertEqual(1, await client.set_multi({"pya:p:3": 3}, ttl=60))
            self.assertEqual({"pya:p:1": 1, "pya:p:2": 2}, await client.get_multi(["pya:p:1", "pya:p:2"]))
            self.assertTrue(await client.exists("pya:p:3"))
            self.assertTrue(await client.delete("pya:p:3"))
            self.assertEqual(["pya:p:1", "pya:p:2"], sorted(await client.keys("pya:p:", 10)))
            self.assertGreaterEqual((await client.stats())["current_size"], 3)
            self.assertEqual("healthy", (await client.health())["status"])
            self.assertGreaterEqual(await client.clear(), 3)

    async def test_many_calls_in_flight(self):
        async with CacheGridClient([shared_server().address]) as client:
            await asyncio.gather(*(client.set(f"pya:many:{i}", i) for i in range(100)))
            values = await asyncio.gather(*(client.get(f"pya:many:{i}") for i in range(100)))
            self.assertEqual(list(range(100)), values)

    async def test_bad_request_raises(self):
        client = CacheGridClient([shared_server().address])
        with self.assertRaises(CacheGridBadRequestError):
            await client.keys("", limit=0)
        await client.close()


if __name__ == "__main__":
    unittest.main()

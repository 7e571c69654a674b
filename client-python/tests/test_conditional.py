"""What incr/decr, conditional writes and tag calls send, how their answers are read and which are retried, against
fake servers (no CacheGrid process needed)."""

import asyncio
import json
import time
import unittest

from cachegrid import Versioned
from cachegrid.client import CacheGridClient, SyncCacheGridClient
from cachegrid.exceptions import (
    CacheGridBadRequestError,
    CacheGridError,
    CacheGridTimeoutError,
    CacheGridUnavailableError,
)
from tests.fakes import FakeServer, SilentServer
from tests.server import dead_address

STORED = '{"success":true,"key":"k","ttl":null,"version":"7"}'
PRECONDITION = '{"error":"precondition failed","detail":"version differs"}'
INCREMENTED = '{"success":true,"key":"k","value":1,"version":"5"}'


class FakeTestCase(unittest.TestCase):
    def fake(self, status, body, headers=None, close_after_answer=False):
        server = FakeServer(status, body, headers, close_after_answer)
        self.addCleanup(server.close)
        return server

    def client(self, *hosts):
        client = SyncCacheGridClient(list(hosts), timeout=0.5, max_retries=2, backoff=30)
        self.addCleanup(client.close)
        return client


class ConditionalRequestsTest(FakeTestCase):
    def test_compare_and_set_sends_if_match_and_reads_412_as_false(self):
        applied, refused = self.fake(200, STORED), self.fake(412, PRECONDITION)
        self.assertTrue(self.client(applied.address).compare_and_set("a/b", {"n": 1}, "123", ttl=2))
        self.assertEqual(("PUT", "/cache/a%2Fb?ttl=2", None, '{"n":1}'), applied.received[0])
        self.assertEqual(('"123"', None), applied.conditions[0])
        self.assertFalse(self.client(refused.address).compare_and_set("k", 2, "123"))
        self.assertEqual(1, len(refused.received), "a refusal is an answer, not a failure to retry")
        with self.assertRaises(ValueError):
            self.client(applied.address).compare_and_set("k", 1, '"1"')

    def test_set_if_absent_sends_if_none_match_star(self):
        applied, refused = self.fake(200, STORED), self.fake(412, PRECONDITION)
        self.assertTrue(self.client(applied.address).set_if_absent("k", "v"))
        self.assertEqual((None, "*"), applied.conditions[0])
        self.assertEqual("/cache/k", applied.received[0][1])
        self.assertFalse(self.client(refused.address).set_if_absent("k", "v", ttl=1.5))
        self.assertEqual("/cache/k?ttl=1.5", refused.received[0][1])

    def test_get_with_version_reads_the_etag(self):
        hit = '{"key":"k","value":{"n":3},"exists":true,"hit":true}'
        miss = '{"key":"k","value":null,"exists":false,"hit":false}'
        strong = self.fake(200, hit, {"ETag": '"281474976710656"'})
        self.assertEqual(Versioned({"n": 3}, "281474976710656"), self.client(strong.address).get_with_version("k"))
        weak = self.fake(200, hit, {"ETag": 'W/"9"'})
        self.assertEqual("9", self.client(weak.address).get_with_version("k").version)
        with self.assertRaisesRegex(CacheGridError, "ETag"):
            self.client(self.fake(200, hit).address).get_with_version("k")
        self.assertIsNone(self.client(self.fake(200, miss, {"ETag": '"1"'}).address).get_with_version("k"))
        null = self.fake(200, '{"key":"k","value":null,"exists":true,"hit":true}', {"ETag": '"2"'})
        self.assertEqual(Versioned(None, "2"), self.client(null.address).get_with_version("k"))

    def test_incr_and_decr_send_by_and_ttl(self):
        fake = self.fake(200, '{"success":true,"key":"hits","value":-9007199254740993,"version":"5"}')
        client = self.client(fake.address)
        self.assertEqual(-9007199254740993, client.incr("hits"))
        self.assertEqual(-9007199254740993, client.decr("hits", 5, ttl=60))
        client.incr("a b", by=-2 ** 63)
        self.assertEqual(["/cache/hits/incr?by=1", "/cache/hits/decr?by=5&ttl=60",
                          "/cache/a%20b/incr?by=-9223372036854775808"], [r[1] for r in fake.received])
        self.assertEqual({"POST"}, {r[0] for r in fake.received})
        for bad in (1.5, "2", True):
            with self.assertRaises(TypeError):
                client.incr("k", bad)

    def test_not_an_integer_and_overflow_raise_bad_request(self):
        conflict = self.fake(409, '{"error":"not an integer","detail":"a string"}')
        overflow = self.fake(400, '{"error":"overflow","detail":"64-bit"}')
        with self.assertRaises(CacheGridBadRequestError) as caught:
            self.client(conflict.address).incr("k")
        self.assertEqual((409, "not an integer"), (caught.exception.status, caught.exception.error))
        with self.assertRaises(CacheGridBadRequestError) as caught:
            self.client(overflow.address).decr("k")
        self.assertEqual("overflow", caught.exception.error)
        with self.assertRaises(CacheGridBadRequestError):
            self.client(conflict.address).compare_and_set("k", 1, "1")
        self.assertEqual(2, len(conflict.received), "never retried")

    def test_tags(self):
        stored = self.fake(200, STORED)
        client = self.client(stored.address)
        self.assertTrue(client.set("k", 1, tags=["user:42", "team a"]))
        self.assertTrue(client.set("k", 1, ttl=5, tags=("x",)))
        self.assertTrue(client.set("k", 1, tags=[]))
        self.assertEqual(["/cache/k?tags=user%3A42%2Cteam+a", "/cache/k?ttl=5&tags=x", "/cache/k"],
                         [r[1] for r in stored.received])
        for bad in (["a,b"], [""], [None]):
            with self.assertRaises(ValueError):
                client.set("k", 1, tags=bad)
        with self.assertRaises(TypeError):
            client.set("k", 1, tags="abc")
        removed = self.fake(200, '{"success":true,"tag":"t","items_removed":3}')
        self.assertEqual(3, self.client(removed.address).invalidate_tag("user/42"))
        self.assertEqual(("DELETE", "/tags/user%2F42"), removed.received[0][:2])
        page = self.fake(200, '{"tag":".","keys":["a","b"],"total":2,"offset":0,"returned":2}')
        self.assertEqual(["a", "b"], self.client(page.address).keys_with_tag("."))
        self.assertEqual(("GET", "/tags/%2E?offset=0&limit=1000"), page.received[0][:2])


class NonIdempotentRetryTest(FakeTestCase):
    def test_incr_is_not_repeated_after_a_5xx(self):
        broken, live = self.fake(503, '{"error":"unavailable","detail":""}'), self.fake(200, INCREMENTED)
        client = self.client(broken.address, live.address)
        with self.assertRaises(CacheGridUnavailableError):
            client.incr("k")
        self.assertEqual((1, 0), (len(broken.received), len(live.received)), "a 5xx may come after the write")
        self.assertEqual(1, client.incr("k"), "the next call goes to the live host")

    def test_timed_out_set_if_absent_is_not_repeated(self):
        silent, live = SilentServer(), self.fake(200, STORED)
        self.addCleanup(silent.close)
        with self.assertRaises(CacheGridTimeoutError):
            self.client(silent.address, live.address).set_if_absent("k", 1)
        self.assertEqual(0, len(live.received))

    def test_refused_connection_fails_over(self):
        live = self.fake(200, INCREMENTED)
        with dead_address() as dead:
            client = self.client(dead, live.address)
            self.assertEqual(1, client.incr("k"))
            self.assertTrue(client.compare_and_set("k", 2, "5"))
        self.assertEqual(2, len(live.received))

    def test_connection_closed_while_idle_is_not_reused(self):
        closing = self.fake(200, INCREMENTED, close_after_answer=True)
        client = SyncCacheGridClient([closing.address], timeout=0.5, max_retries=0)
        self.addCleanup(client.close)
        for _ in range(3):
            self.assertEqual(1, client.incr("k"))
            time.sleep(0.05)  # the server's close arrives while the connection is idle
        self.assertEqual(3, closing.connections)


class AsyncConditionalTest(FakeTestCase):
    def test_async_client_has_the_same_operations(self):
        fake = self.fake(200, '{"success":true,"key":"k","value":4,"version":"5","exists":true}', {"ETag": '"5"'})

        async def run():
            async with CacheGridClient([fake.address]) as client:
                return [await client.incr("k", 3), await client.decr("k"), await client.set_if_absent("k", 1),
                        await client.compare_and_set("k", 1, "5"), await client.get_with_version("k"),
                        await client.set("k", 1, tags=["a"])]

        self.assertEqual([4, 4, True, True, Versioned(4, "5"), True], asyncio.run(run()))
        self.assertEqual("/cache/k?tags=a", fake.received[-1][1])
        json.loads(fake.received[-1][3])


if __name__ == "__main__":
    unittest.main()

"""Retry and failover rules, against fake servers and real server processes."""

import time
import unittest

from cachegrid.client import SyncCacheGridClient
from cachegrid.exceptions import (
    CacheGridBadRequestError,
    CacheGridTimeoutError,
    CacheGridUnavailableError,
)
from tests.fakes import FakeServer, SilentServer
from tests.server import ServerProcess, dead_address, shared_server

HIT = '{"key":"k","value":"v","exists":true,"hit":true}'


class FailoverTest(unittest.TestCase):
    def test_bad_request_is_never_retried(self):
        bad = FakeServer(400, '{"error":"invalid key","detail":"1..250 characters"}')
        other = FakeServer(200, HIT)
        try:
            with SyncCacheGridClient([bad.address, other.address], max_retries=3) as client:
                with self.assertRaises(CacheGridBadRequestError) as caught:
                    client.get("k")
            self.assertEqual(("invalid key", "1..250 characters"), (caught.exception.error, caught.exception.detail))
            self.assertEqual(1, len(bad.received))
            self.assertEqual(0, len(other.received))
        finally:
            bad.close()
            other.close()

    def test_server_error_is_retried_up_to_max_retries(self):
        broken = FakeServer(503, '{"error":"unhealthy","detail":""}')
        try:
            with SyncCacheGridClient([broken.address], max_retries=2) as client:
                with self.assertRaises(CacheGridUnavailableError) as caught:
                    client.get("k")
            self.assertEqual(503, caught.exception.status)
            self.assertEqual(3, len(broken.received))
        finally:
            broken.close()

    def test_dead_first_host_fails_over(self):
        with dead_address() as dead, SyncCacheGridClient([dead, shared_server().address], max_retries=1) as client:
            self.assertTrue(client.set("pyf:dead-first", "ok"))
            self.assertEqual("ok", client.get("pyf:dead-first"))

    def test_every_host_dead(self):
        with dead_address() as dead, SyncCacheGridClient([dead], max_retries=2, timeout=1) as client:
            with self.assertRaises(CacheGridUnavailableError) as caught:
                client.get("k")
        self.assertEqual(dead, caught.exception.host)
        self.assertIsInstance(caught.exception.__cause__, ConnectionRefusedError)

    def test_timeout_then_next_host(self):
        silent = SilentServer()
        try:
            with SyncCacheGridClient([silent.address], timeout=0.3, max_retries=1) as client:
                start = time.monotonic()
                with self.assertRaises(CacheGridTimeoutError) as caught:
                    client.get("k")
                self.assertLess(time.monotonic() - start, 3)
                self.assertEqual(silent.address, caught.exception.host)
            with SyncCacheGridClient([silent.address, shared_server().address], timeout=0.3) as client:
                client.set("pyf:after-timeout", 1)
                self.assertEqual(1, client.get("pyf:after-timeout"))
        finally:
            silent.close()

    def test_host_killed_mid_run(self):
        victim = ServerProcess()
        try:
            with SyncCacheGridClient([victim.address, shared_server().address], timeout=2) as client:
                client.set("pyf:where", "victim")
                self.assertEqual("victim", client.get("pyf:where"))
                victim.kill()
                self.assertIsNone(client.get("pyf:where"), "the second server never had it")
                client.set("pyf:where", "survivor")
                self.assertEqual("survivor", client.get("pyf:where"))
        finally:
            victim.kill()

    def test_sends_encoded_key_ttl_and_bearer_token(self):
        fake = FakeServer(200, '{"success":true,"key":"k","ttl":1.5,"timestamp":1.0}')
        try:
            with SyncCacheGridClient([fake.address], auth_token="s3cret") as client:
                client.set("a/b c?d", {"name": "Alice"}, ttl=1.5)
            self.assertEqual(("PUT", "/cache/a%2Fb%20c%3Fd?ttl=1.5", "Bearer s3cret", '{"name":"Alice"}'),
                             fake.received[0])
        finally:
            fake.close()


if __name__ == "__main__":
    unittest.main()

"""Runs the Python snippets of the README (also in docs/clients.md; both copied verbatim from the seed README)
against a server.

Changes to the snippets, and only these: localhost:8080 becomes the test server's port; hosts outside loopback become
loopback ones (the failover snippet's two hosts: a dead port then the test server; the microservice's cache-service);
names a fragment leaves undefined (Flask's `database`, the service's `self.db`) are fakes provided here.
"""

import ast
import asyncio
import contextlib
import io
import os
import re
import unittest
from pathlib import Path

from tests.server import REPO_ROOT, dead_address, shared_server

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs" / "clients.md"
SEED_README = Path(os.environ.get("CACHEGRID_SEED_README", "/work/shared/seed/CacheGrid-README.md"))


def setUpModule():
    shared_server()


def python_blocks(markdown):
    return re.findall(r"```python\n(.*?)```", markdown, re.S)


def snippet(marker):
    """The one Python block of the README that contains ``marker``."""
    found = [block for block in python_blocks(README.read_text(encoding="utf-8")) if marker in block]
    if len(found) != 1:
        raise AssertionError(f"expected one Python block with {marker!r} in {README}, found {len(found)}")
    return found[0]


def for_test_server(code):
    return code.replace("localhost:8080", f"localhost:{shared_server().port}")


def run(code, namespace=None):
    """Executes the code as a script (__name__ == '__main__'); returns what it printed."""
    namespace = {"__name__": "__main__", **(namespace or {})}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<README snippet>", "exec"), namespace)
    return out.getvalue(), namespace


class SeedSnippetsTest(unittest.TestCase):
    @unittest.skipUnless(SEED_README.is_file(), "seed README not on this machine")
    def test_readme_and_docs_hold_the_seed_snippets_verbatim(self):
        seed_blocks = python_blocks(SEED_README.read_text(encoding="utf-8"))
        self.assertTrue(seed_blocks, "no Python blocks in the seed README")
        for doc in (README, DOCS):
            text = doc.read_text(encoding="utf-8")
            for block in seed_blocks:
                self.assertIn(block, text, f"{doc.name} lacks a seed snippet")

    def test_async_client_usage(self):
        out, _ = run(for_test_server(snippet("async def main():")))
        self.assertIn("User: {'name': 'Alice', 'age': 30}", out)
        self.assertIn("Products: {'product:1': {'name': 'Widget', 'price': 19.99}, "
                      "'product:2': {'name': 'Gadget', 'price': 29.99}}", out)
        self.assertRegex(out, r"Cache size: \d+")

    def test_synchronous_client_usage(self):
        out, _ = run(for_test_server(snippet("# For non-async applications")))
        self.assertEqual("App name: MyApp\n", out)

    def test_error_handling_and_failover(self):
        with dead_address() as dead:
            code = snippet("max_retries=3").replace("cache1.example.com", dead) \
                .replace("cache2.example.com", shared_server().address)
            self.assertNotIn("example.com", code)
            namespace = {"CacheGridClient": __import__("cachegrid.client").client.CacheGridClient}
            fragment = compile(code, "<README snippet>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            asyncio.run(eval(fragment, namespace))
        self.assertIn("result", namespace)

    def test_flask_application(self):
        calls = []

        class Database:
            def get_user(self, user_id):
                calls.append(user_id)
                return {"id": user_id, "name": "Alice"}

        _, namespace = run(for_test_server(snippet("app = Flask(__name__)")), {"database": Database()})
        with namespace["cache"]:
            namespace["cache"].delete("user:42")
        web = namespace["app"].test_client()
        for _ in range(2):
            answer = web.get("/users/42")
            self.assertEqual(200, answer.status_code)
            self.assertEqual({"id": "42", "name": "Alice"}, answer.get_json())
        self.assertEqual(["42"], calls, "the second request is served from CacheGrid")

    def test_microservice_architecture(self):
        code = snippet("class OrderService:").replace("cache-service:8080", f"localhost:{shared_server().port}")
        from cachegrid.client import CacheGridClient
        _, namespace = run(code, {"CacheGridClient": CacheGridClient})
        calls = []

        class OrdersDb:
            async def get_user_orders(self, user_id):
                calls.append(user_id)
                return [{"order": 1, "user": user_id}]

        async def scenario():
            service = namespace["OrderService"]()
            service.db = OrdersDb()
            await service.cache.delete("orders:7")
            first = await service.get_user_orders("7")
            second = await service.get_user_orders("7")
            await service.cache.close()
            return first, second

        first, second = asyncio.run(scenario())
        self.assertEqual(first, second)
        self.assertEqual(["7"], calls, "the second call is served from CacheGrid")


if __name__ == "__main__":
    unittest.main()

"""The client against a real server with TLS (a self-signed certificate made here with openssl) and bearer tokens."""

import os
import ssl
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from cachegrid import SyncCacheGridClient
from cachegrid.exceptions import CacheGridBadRequestError, CacheGridError
from tests.server import REPO_ROOT, _java

READ = "py-read-token-0123456789abcdef"
WRITE = "py-write-token-0123456789abcdef"


class TlsServer:
    """A server process with TLS from PEM files and two tokens; ready once its port accepts connections."""

    def __init__(self, directory):
        self.cert = os.path.join(directory, "cert.pem")
        key = os.path.join(directory, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", self.cert,
                        "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True)
        jar = Path(os.environ.get("CACHEGRID_SERVER_JAR", REPO_ROOT / "app" / "target" / "cachegrid.jar"))
        self._log = tempfile.NamedTemporaryFile(prefix="cachegrid-tls-", suffix=".log", delete=False)
        port_file = Path(self._log.name).with_suffix(".port")
        env = dict(os.environ, CACHEGRID_HOST="127.0.0.1", CACHEGRID_PORT="0", CACHEGRID_PORT_FILE=str(port_file),
                   CACHEGRID_TLS_CERT=self.cert, CACHEGRID_TLS_KEY=key,
                   CACHEGRID_AUTH_TOKENS=f"read:{READ},write:{WRITE}")
        self._process = subprocess.Popen([_java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar)],
                                         env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:  # the server writes its port (CACHEGRID_PORT=0) once it listens
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited with {self._process.returncode}, see {self._log.name}")
            if port_file.exists() and port_file.read_text().strip():
                self.port = int(port_file.read_text().strip())
                port_file.unlink()
                self.address = f"127.0.0.1:{self.port}"
                return
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("TLS server did not start")

    def kill(self):
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        self._log.close()


class SecurityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.server = TlsServer(cls.directory.name)

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.directory.cleanup()

    def client(self, token, **tls):
        return SyncCacheGridClient([self.server.address], timeout=5, max_retries=0, auth_token=token, **tls)

    def test_cafile_and_tokens(self):
        with self.client(WRITE, cafile=self.server.cert) as writer, \
                self.client(READ, cafile=self.server.cert) as reader:
            self.assertTrue(writer.set("py-tls", {"a": [1, 2]}))
            self.assertEqual({"a": [1, 2]}, reader.get("py-tls"))
            with self.assertRaises(CacheGridBadRequestError) as refused:
                reader.set("py-tls", 1)
            self.assertEqual(403, refused.exception.status)

    def test_ssl_context(self):
        context = ssl.create_default_context(cafile=self.server.cert)
        with self.client(READ, ssl_context=context) as reader:
            self.assertIsInstance(reader.stats(), dict)

    def test_wrong_token_is_401_and_not_echoed(self):
        with self.client("wrong-token-0123456789abcdef", cafile=self.server.cert) as client:
            with self.assertRaises(CacheGridBadRequestError) as refused:
                client.get("k")
            self.assertEqual(401, refused.exception.status)
            self.assertNotIn("wrong-token", str(refused.exception))

    def test_untrusted_certificate_and_plain_http_fail(self):
        with self.client(READ, ssl_context=ssl.create_default_context()) as client:
            with self.assertRaises(CacheGridError):
                client.get("k")
        with self.client(READ) as plain:
            with self.assertRaises(CacheGridError):
                plain.get("k")

    def test_cafile_and_context_together_are_refused(self):
        with self.assertRaises(ValueError):
            self.client(READ, cafile=self.server.cert, ssl_context=ssl.create_default_context())


if __name__ == "__main__":
    unittest.main()

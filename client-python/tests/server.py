"""A CacheGrid server process on 127.0.0.1, started from app/target/cachegrid.jar for the tests.

The server binds a port the OS chooses (CACHEGRID_PORT=0) and writes it to CACHEGRID_PORT_FILE, which is how the
tests learn it: a port picked free beforehand could be taken by anything on the machine before the server binds it.

The JVM is $CACHEGRID_JAVA (set by scripts/test-python.sh to a Java 21+), else $JAVA_HOME/bin/java, else `java`.
"""

import atexit
import contextlib
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 40
POLL_SECONDS = 0.1


@contextlib.contextmanager
def dead_address():
    """A 127.0.0.1 address that refuses connections while the block runs: a socket bound to a port the OS chose
    and not listening, so the port cannot be given to anything else meanwhile."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"127.0.0.1:{holder.getsockname()[1]}"


def _java():
    if os.environ.get("CACHEGRID_JAVA"):
        return os.environ["CACHEGRID_JAVA"]
    if os.environ.get("JAVA_HOME"):
        return os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    return "java"


class ServerProcess:
    def __init__(self):
        jar = Path(os.environ.get("CACHEGRID_SERVER_JAR", REPO_ROOT / "app" / "target" / "cachegrid.jar"))
        if not jar.is_file():
            raise RuntimeError(f"{jar} is missing: build the server first (mvn -DskipTests package)")
        self._log = tempfile.NamedTemporaryFile(prefix="cachegrid-", suffix=".log", delete=False)
        port_file = Path(self._log.name).with_suffix(".port")
        env = dict(os.environ, CACHEGRID_HOST="127.0.0.1", CACHEGRID_PORT="0", CACHEGRID_PORT_FILE=str(port_file),
                   CACHEGRID_NODE_ID=f"python-test-{Path(self._log.name).stem}")
        self._process = subprocess.Popen(
            [_java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar)],
            env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        self.port = self._await_port(port_file, deadline)
        port_file.unlink()
        self.address = f"127.0.0.1:{self.port}"
        self._await_healthy(deadline)

    def _await_port(self, port_file, deadline):
        """The port the server wrote to its port file, which it does once it listens."""
        while time.monotonic() < deadline:
            if port_file.exists():
                return int(port_file.read_text().strip())
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited with {self._process.returncode}, see {self._log.name}")
            time.sleep(POLL_SECONDS)
        self.kill()
        raise RuntimeError(f"server did not listen within {START_TIMEOUT_SECONDS} s, see {self._log.name}")

    def _await_healthy(self, deadline):
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited with {self._process.returncode}, see {self._log.name}")
            try:
                with urllib.request.urlopen(f"http://{self.address}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(POLL_SECONDS)
        self.kill()
        raise RuntimeError(f"server on port {self.port} not healthy within {START_TIMEOUT_SECONDS} s")

    def kill(self):
        """Kills the server at once, as a crash would."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        self._log.close()


_shared = None


def shared_server():
    """One server for every test that only needs a working server; killed when the interpreter exits."""
    global _shared
    if _shared is None:
        _shared = ServerProcess()
        atexit.register(_shared.kill)
    return _shared

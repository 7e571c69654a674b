"""A CacheGrid server process on a free 127.0.0.1 port, started from app/target/cachegrid.jar for the tests.

The JVM is $CACHEGRID_JAVA (set by scripts/test-python.sh to a Java 21+), else $JAVA_HOME/bin/java, else `java`.
"""

import atexit
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


def free_port():
    """A port on 127.0.0.1 that was free a moment ago (nothing listens on it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        env = dict(os.environ, CACHEGRID_HOST="127.0.0.1", CACHEGRID_PORT=str(self.port),
                   CACHEGRID_NODE_ID=f"python-test-{self.port}")
        self._log = tempfile.NamedTemporaryFile(prefix=f"cachegrid-{self.port}-", suffix=".log", delete=False)
        self._process = subprocess.Popen(
            [_java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar)],
            env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._await_healthy()

    def _await_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
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

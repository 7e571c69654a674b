#!/usr/bin/env python3
"""Behaviour of the container health probe (docker/healthcheck/HealthCheck.java), without Docker.

    python3 docker/test/check_healthcheck.py <repo-root>

Compiles the probe with the JDK in JAVA_HOME (21+, as the image's build stage does with --release 21), starts stub
HTTP servers on 127.0.0.1 that answer GET /health with 200 or 503, and runs the probe against them the way the
image's HEALTHCHECK does. Prints PASS/FAIL lines; exits 1 when any check failed.
"""
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCE = os.path.join(ROOT, "docker", "healthcheck", "HealthCheck.java")
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
failures = 0


def report(name, problem):
    global failures
    if problem:
        failures += 1
        print(f"FAIL {name}: {problem}")
    else:
        print(f"PASS {name}")


def stub_server(status):
    """An HTTP server on 127.0.0.1 (free port) answering GET /health with `status`; returns (server, port)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            code = status if self.path == "/health" else 404
            body = b'{"status":"healthy"}' if code == 200 else b'{"status":"unhealthy"}'
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def dead_port():
    """A bound, not listening socket: connections to its port are refused, and while it stays open the port cannot
    be given to anything else (a port that was merely free a moment ago could be taken before the probe runs)."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    return holder, holder.getsockname()[1]


def main():
    classes = tempfile.mkdtemp(prefix="cachegrid-healthcheck-")
    try:
        run_checks(classes)
    finally:
        shutil.rmtree(classes, ignore_errors=True)


def run_checks(classes):
    javac = os.path.join(JAVA_HOME, "bin", "javac")
    if not os.access(javac, os.X_OK):
        report("health probe compiles with javac --release 21 (as in the image's build stage)",
               f"no {javac}: set JAVA_HOME to a JDK 21+")
        return
    compiled = subprocess.run([javac, "--release", "21", "-d", classes, SOURCE], capture_output=True, text=True)
    report("health probe compiles with javac --release 21 (as in the image's build stage)",
           None if compiled.returncode == 0 else (compiled.stderr.strip() or f"{javac} failed")[:500])
    if compiled.returncode != 0:
        return

    def probe(env):
        # The same JVM options as the Dockerfile's HEALTHCHECK; a clean environment plus the variables under test.
        cmd = [os.path.join(JAVA_HOME, "bin", "java"), "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
               "-cp", classes, "HealthCheck"]
        return subprocess.run(cmd, env={"PATH": os.environ.get("PATH", ""), **env}, capture_output=True, text=True,
                              timeout=30).returncode

    healthy, healthy_port = stub_server(200)
    sick, sick_port = stub_server(503)
    dead, dead_port_number = dead_port()
    try:
        cases = [
            ("healthy server (200) -> exit 0", {"CACHEGRID_PORT": str(healthy_port)}, 0),
            ("unhealthy server (503) -> exit 1", {"CACHEGRID_PORT": str(sick_port)}, 1),
            ("nothing listening -> exit 1", {"CACHEGRID_PORT": str(dead_port_number)}, 1),
            ("PORT is used when CACHEGRID_PORT is unset (Heroku style)", {"PORT": str(healthy_port)}, 0),
            ("CACHEGRID_PORT wins over PORT", {"CACHEGRID_PORT": str(sick_port), "PORT": str(healthy_port)}, 1),
            ("CACHEGRID_HOST=0.0.0.0 probes loopback",
             {"CACHEGRID_HOST": "0.0.0.0", "CACHEGRID_PORT": str(healthy_port)}, 0),
        ]
        for name, env, want in cases:
            got = probe(env)
            report(f"health probe: {name}", None if got == want else f"exit {got}, want {want}")
    finally:
        healthy.shutdown()
        sick.shutdown()
        dead.close()


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)

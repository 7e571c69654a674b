"""Fake servers on 127.0.0.1: one answering a fixed status and JSON body (recording requests), one that never answers."""

import http.server
import socket
import threading


class FakeServer:
    """``received`` holds (method, path, Authorization, body) per request, ``conditions`` its (If-Match,
    If-None-Match). ``headers`` are sent with every answer; ``close_after_answer`` closes each connection after its
    answer without announcing it, as a server's idle timeout does."""

    def __init__(self, status, body, headers=None, close_after_answer=False):
        self.received = []
        self.conditions = []
        self.connections = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                owner.connections += 1

            def _answer(self):
                length = int(self.headers.get("Content-Length", 0))
                owner.received.append((self.command, self.path, self.headers.get("Authorization"),
                                       self.rfile.read(length).decode("utf-8")))
                owner.conditions.append((self.headers.get("If-Match"), self.headers.get("If-None-Match")))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                if close_after_answer:
                    self.wfile.flush()
                    self.close_connection = True

            do_GET = do_PUT = do_POST = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.address = f"127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()


class SilentServer:
    """Accepts connections and never answers: every request to it can only time out."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(50)
        self.address = f"127.0.0.1:{self._socket.getsockname()[1]}"
        self._accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self._accepted.append(self._socket.accept()[0])
            except OSError:
                return

    def close(self):
        self._socket.close()
        for connection in self._accepted:
            connection.close()

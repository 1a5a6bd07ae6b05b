"""An HTTP server with nginx's stop signals:

    SIGQUIT          graceful shutdown: stop accepting, finish the requests in flight, exit 0
    SIGTERM, SIGINT  fast shutdown: exit at once, dropping the requests in flight

`docker stop` and Kubernetes send SIGTERM, which for such a server means "drop everything".
jinit -r TERM:QUIT turns the runtime's SIGTERM into the SIGQUIT the server wants.

GET /slow?seconds=N answers after N seconds (a request that is in flight for a while);
any other path answers at once.
"""
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

in_flight = 0
lock = threading.Lock()


def say(text):
    os.write(1, (text + "\n").encode())


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global in_flight
        url = urlparse(self.path)
        with lock:
            in_flight += 1
        try:
            say(f"request {self.path} started")
            if url.path == "/slow":
                time.sleep(float(parse_qs(url.query).get("seconds", ["2"])[0]))
            body = f"done {self.path}\n".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            say(f"request {self.path} finished")
        finally:
            with lock:
                in_flight -= 1

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("", 8080), Handler)
server.daemon_threads = False  # server_close() waits for the requests in flight


def graceful(signum, frame):
    say(f"SIGQUIT: graceful shutdown, finishing {in_flight} request(s) in flight")
    # shutdown() waits for serve_forever(), which runs in this (the main) thread: not from here
    threading.Thread(target=server.shutdown).start()


def fast(signum, frame):
    say(f"{signal.Signals(signum).name}: fast shutdown, dropping {in_flight} request(s) in flight")
    os._exit(0)


signal.signal(signal.SIGQUIT, graceful)
signal.signal(signal.SIGTERM, fast)
signal.signal(signal.SIGINT, fast)
say(f"listening on 8080 (pid {os.getpid()})")
server.serve_forever()
server.server_close()
say("graceful shutdown complete")

"""A small multiprocessing service with the classic shutdown problem.

The main process runs a Pool of 3 workers. Worker 0 also starts a "reporter" grandchild that
calls setsid(), so it lives in a session and process group of its own: signals sent to the
main process's group never reach it. Every process prints a line when it gets SIGTERM.
"""
import multiprocessing
import os
import signal
import time


def say(role, text):
    # one write per line, so that lines of different processes never interleave
    os.write(1, f"  [{role} pid {os.getpid()}] {text}\n".encode())


def on_term(role):
    def handler(signum, frame):
        say(role, "got SIGTERM, cleaning up")
        os._exit(0)
    signal.signal(signal.SIGTERM, handler)


def reporter():
    os.setsid()  # escapes the process group (and session) of everything above it
    on_term("reporter")
    while True:
        time.sleep(0.2)


def work(n):
    if n == 0 and os.fork() == 0:
        reporter()
    on_term(f"worker {n}")
    while True:
        time.sleep(0.2)


def main():
    say("main", "starting 3 workers and an escaped reporter")
    # Each process installs its own handler (the workers are forked before main installs its
    # own, the reporter before its worker does): one that handles SIGTERM is ready for it.
    with multiprocessing.Pool(3) as pool:
        on_term("main")
        pool.map_async(work, range(3))
        while True:
            time.sleep(0.5)


if __name__ == "__main__":
    main()

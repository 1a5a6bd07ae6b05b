"""A small multiprocessing service, written the way many are, that misbehaves as PID 1.

    main                      multiprocessing parent; on SIGTERM it waits for its workers
    +- worker-1, worker-2     multiprocessing.Process, in main's process group
    |  +- helper-1, helper-2  os.fork() grandchildren, same group
    +- (worker-1's) agent     daemonized the classic way: fork, setsid(), fork again; it is in a
                              session and process group of its own and its parent is PID 1

Every process prints "ready ..." once its SIGTERM handler is installed, and on SIGTERM
"<role> pid=N: SIGTERM, cleaning up" and exits 0. main exits 0 once both workers are gone.
Once its workers run, main tells a service manager that asks (NOTIFY_SOCKET) READY=1: under
`jinit --ready-file PATH` the file then appears, for a probe (../kubernetes/pod.yaml).

Under jinit (docker stop -> SIGTERM to jinit): every process gets SIGTERM, every handler runs,
the container exits at once with status 0.
As PID 1 itself (docker run ... python3 app.py): only main gets SIGTERM, it waits for workers
that never got it, and docker SIGKILLs everything at the end of the stop timeout: exit 137,
no cleanup anywhere but in main.
"""
import multiprocessing
import os
import signal
import socket
import sys
import time


def say(text):
    # one write per line, so that lines of different processes never interleave
    os.write(1, (text + "\n").encode())


def ids():
    return f"pid={os.getpid()} ppid={os.getppid()} pgid={os.getpgid(0)} sid={os.getsid(0)}"


def on_term(role):
    def handler(signum, frame):
        say(f"{role} pid={os.getpid()}: SIGTERM, cleaning up")
        os._exit(0)
    signal.signal(signal.SIGTERM, handler)


def idle():
    while True:
        time.sleep(3600)


def daemonize_agent():
    """Starts a background agent the way daemon libraries do: it leaves the process group
    and the session, and its parent exits, so PID 1 inherits it."""
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)  # the intermediate process exits at once
        return
    os.setsid()
    intermediate = os.getpid()
    if os.fork():
        os._exit(0)
    while os.getppid() == intermediate:  # until the intermediate is gone and PID 1 (or the
        time.sleep(0.001)                # nearest subreaper) has inherited this process
    on_term("agent")
    say(f"ready agent {ids()}")
    idle()


def worker(n):
    on_term(f"worker-{n}")
    if os.fork() == 0:
        on_term(f"helper-{n}")
        say(f"ready helper-{n} {ids()}")
        idle()
    if n == 1:
        daemonize_agent()
    say(f"ready worker-{n} {ids()}")
    idle()


def notify_ready():
    """sd_notify(READY=1) when the service manager asks for it: jinit --notify (or --ready-file,
    which implies it) and systemd put a datagram socket's path in NOTIFY_SOCKET."""
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return
    if path.startswith("@"):  # an abstract socket
        path = "\0" + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.sendto(b"READY=1", path)


def main():
    workers = [multiprocessing.Process(target=worker, args=(n,), name=f"worker-{n}") for n in (1, 2)]

    def on_main_term(signum, frame):
        say(f"main pid={os.getpid()}: SIGTERM, waiting for the workers")
        for w in workers:
            w.join()
        say("main: all workers stopped, exiting 0")
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_main_term)
    for w in workers:
        w.start()
    say(f"ready main {ids()}")
    notify_ready()
    idle()


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()

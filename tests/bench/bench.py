#!/usr/bin/env python3
"""jinit benchmark driver. Run it through tests/bench/run.sh, which installs the tools, builds
jinit and compiles the helpers; see tests/bench/README.md for what is measured and how.

This is a benchmark, not a test: it asserts nothing and has no pass/fail."""

import argparse
import datetime
import json
import os
import platform
import re
import select
import shlex
import signal
import statistics
import subprocess
import sys
import time

# ---------------------------------------------------------------------------------------------
# configuration

FULL = dict(startup_runs=30, startup_warmup=3, mem_runs=5, reap_runs=5, zombies=20000,
            relay_signals=2000, relay_rounds=2, relay_gap_us=1000, shutdown_runs=5, tree=200, tree_own=50)
QUICK = dict(startup_runs=10, startup_warmup=2, mem_runs=2, reap_runs=1, zombies=20000,
             relay_signals=300, relay_rounds=1, relay_gap_us=1000, shutdown_runs=1, tree=200, tree_own=50)

SECTIONS = ("startup", "memory", "reap", "relay", "shutdown")
MEM_SETTLE_S = 1.0          # idle time after the child is up, before /proc/PID/status is read
LEFTOVER_SETTLE_S = 0.3     # after the init exits, before leftovers are counted
RELAY_TIMEOUT_MS = 1000     # a signal whose handler has not run by then counts as lost
RELAY_WARMUP = 300          # warm p99: leaves out this many signals at the start of each run
UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# When jinit is rebuilt while the benchmark runs, a start can fail on a half-written launcher or
# jar. Such a run is retried once, after a pause, and the failure is reported with the figures.
START_FAILURES = ("Permission denied", "Could not find or load main class", "ClassNotFoundException",
                  "NoClassDefFoundError", "Text file busy", "Error opening zip file", "zip END header")
RETRY_PAUSE_S = 5


def start_failure(text):
    return any(f in text for f in START_FAILURES)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------------------------------------
# process helpers

def proc_children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def proc_stat(pid):
    """(comm, state, ppid) or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    r = s.rindex(")")
    rest = s[r + 2:].split()
    return s[s.index("(") + 1:r], rest[0], int(rest[1])


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k] = v.strip()
    except OSError:
        return None
    return out


def wait_exit(p, timeout):
    """Waits for Popen p to exit, with a pidfd (no polling granularity). True if it exited."""
    try:
        fd = os.pidfd_open(p.pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        try:
            pl = select.poll()
            pl.register(fd, select.POLLIN)
            if not pl.poll(timeout * 1000):
                return False
        finally:
            os.close(fd)
    try:
        p.wait(timeout=0 if fd is not None else timeout)
        return True
    except subprocess.TimeoutExpired:
        return False


def kill_hard(p, unshared):
    """SIGKILL what Popen p started; for an unshare wrapper, the namespace's init first."""
    if unshared:
        for k in proc_children(p.pid):
            try:
                os.kill(k, signal.SIGKILL)
            except OSError:
                pass
    try:
        p.kill()
    except OSError:
        pass
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


def marked(tree_bin, marker, live_only=True):
    """pids of processes whose argv[0] is tree_bin and whose argv holds marker."""
    found = []
    m = marker.encode()
    t = tree_bin.encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == t and m in argv:
            st = proc_stat(int(d))
            if st and (not live_only or st[1] != "Z"):
                found.append(int(d))
    return found


def kill_marked(tree_bin, marker):
    for _ in range(50):
        left = marked(tree_bin, marker)
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.1)


# ---------------------------------------------------------------------------------------------
# the rows

# Variables that would change what an init or a JVM does are not passed on.
BASE_ENV = {k: v for k, v in os.environ.items()
            if not k.startswith(("JINIT_", "TINI_", "DUMB_INIT_", "CATATONIT_"))
            and k not in ("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "_JAVA_SR_SIGNUM")}


class Row:
    def __init__(self, key, label, plain=None, pid1=None, env=None, java=None, note="",
                 sections=SECTIONS):
        self.key, self.label = key, label
        self.plain = plain        # argv prefix outside a PID namespace (before "--"); [] = bare
        self.pid1 = pid1          # argv prefix as PID 1 of a fresh PID namespace
        self.env = dict(BASE_ENV, **(env or {}))
        self.java = java
        self.note = note
        self.sections = sections

    def cmd(self, prefix, prog):
        return prefix + ["--"] + prog if prefix else list(prog)


def jinit_version(jinit, jhome):
    r = sh([jinit, "--version"], env=dict(BASE_ENV, JINIT_JAVA_HOME=jhome), timeout=120)
    return (r.stdout + r.stderr).strip()


def java_version(jhome):
    r = sh([f"{jhome}/bin/java", "-version"], timeout=60)
    lines = r.stderr.strip().splitlines()
    return "; ".join(lines[:2])


def dpkg_version(pkg):
    r = sh(["dpkg-query", "-W", "-f=${Version}", pkg])
    return r.stdout.strip() if r.returncode == 0 else "?"


def floor_flags(jvm_options):
    """jinit's JVM flags from lib/jvm.options, minus jinit's own class-data archive, if any."""
    flags = []
    with open(jvm_options) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            for w in shlex.split(line):
                if w.startswith(("-XX:AOTCache", "-XX:SharedArchiveFile", "-XX:AOTMode")):
                    continue
                flags.append(w)
    return flags


def make_rows(a, info):
    rows = [Row("bare", "bare (no init)", plain=[], pid1=[], note="the program alone")]
    rows += [
        Row("tini", "tini", plain=["tini", "-s"], pid1=["tini"]),
        Row("dumb", "dumb-init", plain=["dumb-init"], pid1=["dumb-init"],
            note="has no subreaper mode: outside PID 1 orphans go past it"),
        Row("cata", "catatonit", plain=["catatonit"], pid1=["catatonit"]),
    ]
    flags = floor_flags(a.jvm_options)
    info["floor_flags"] = flags
    for n, jhome in (("17", a.jdk17), ("25", a.jdk25)):
        if not jhome or not os.path.exists(f"{jhome}/bin/java"):
            info.setdefault("skipped", []).append(f"JDK {n}: no java under {jhome!r}")
            continue
        ver = jinit_version(a.jinit, jhome)
        m = re.search(r"\((\S+) backend", ver)
        backend = m.group(1) if m else "?"
        info.setdefault("jinit_versions", []).append((n, ver))
        info.setdefault("java_versions", []).append((n, jhome, java_version(jhome)))
        label = "jinit (JDK 17, jnr)" if n == "17" else f"jinit (JDK {n}, {backend})"
        if n == "17" and backend != "jnr":
            label = f"jinit (JDK 17, {backend})"
        rows.append(Row(f"j{n}", label, plain=[a.jinit, "-s"], pid1=[a.jinit],
                        env={"JINIT_JAVA_HOME": jhome}, java=jhome))
        java = [f"{jhome}/bin/java"] + flags
        rows.append(Row(f"floor{n}", f"JVM floor (JDK {n})",
                        plain=java + floor_archive(a, n, java) + ["-cp", f"{a.build}/floor.jar", "Floor"],
                        java=jhome, sections=("startup", "memory"),
                        note="empty main with jinit's JVM flags and a class-data archive of its own"))
    if a.runtime:
        launcher = f"{a.runtime}/bin/jinit"
        r = sh([launcher, "--version"], env=BASE_ENV, timeout=120)
        ver = (r.stdout + r.stderr).strip()
        m = re.search(r"\((\S+) backend, Java (\d+)", ver)
        info.setdefault("jinit_versions", []).append((f"jlink runtime (`{a.runtime}`, {du(a.runtime)})", ver))
        label = f"jinit (jlink runtime, JDK {m.group(2)}, {m.group(1)})" if m else "jinit (jlink runtime)"
        rows.append(Row("jrt", label, plain=[launcher, "-s"], pid1=[launcher], java=a.runtime,
                        note="init/target/jinit-runtime as make-runtime.sh makes it: no JDK needed"))
    return rows


def du(path):
    r = sh(["du", "-sh", path])
    return r.stdout.split()[0] if r.returncode == 0 and r.stdout else "?"


def floor_archive(a, n, java):
    """Trains the floor's own class-data archive, as jinit's build does for jinit: the JDK 25+ AOT
    cache, a dynamic AppCDS archive before. The options that use it, or none if that failed."""
    if int(n) >= 25:
        path = f"{a.build}/floor{n}.aot"
        make, use = f"-XX:AOTCacheOutput={path}", f"-XX:AOTCache={path}"
    else:
        path = f"{a.build}/floor{n}.jsa"
        make, use = f"-XX:ArchiveClassesAtExit={path}", f"-XX:SharedArchiveFile={path}"
    sh(java + [make, "-cp", f"{a.build}/floor.jar", "Floor"], timeout=300)
    return [use] if os.path.exists(path) else []


# ---------------------------------------------------------------------------------------------
# measurements

def m_startup(a, cfg, rows, res):
    for r in rows:
        if r.key.startswith("floor"):
            cmd = r.plain
        else:
            cmd = r.cmd(r.plain, ["/bin/true"])
        out = os.path.join(a.build, f"startup-{r.key}.json")
        hcmd = ["hyperfine", "-N", "--style", "none", "--warmup", str(cfg["startup_warmup"]),
                "--runs", str(cfg["startup_runs"]), "--export-json", out, shlex.join(cmd)]
        log(f"  startup {r.label}: {shlex.join(cmd)}")
        p = sh(hcmd, env=r.env, timeout=1800)

        def why():
            # hyperfine does not show the command's output: run it once more to see it
            q = sh(cmd, env=r.env, timeout=600)
            return f"exit {q.returncode}: " + (q.stderr + q.stdout).strip()[:300]
        retried = None
        if p.returncode != 0:
            w = why()
            if start_failure(w):
                retried = w
                log(f"    start failure, retrying in {RETRY_PAUSE_S} s: {retried}")
                time.sleep(RETRY_PAUSE_S)
                p = sh(hcmd, env=r.env, timeout=1800)
        if p.returncode != 0:
            res[r.key] = dict(error=f"hyperfine: {(p.stderr or p.stdout).strip()[:120]}; a single run "
                                    f"afterwards: {why()}", cmd=shlex.join(cmd))
            log(f"    failed: {res[r.key]['error']}")
            continue
        with open(out) as f:
            h = json.load(f)["results"][0]
        times = [t * 1000 for t in h["times"]]
        res[r.key] = dict(median=statistics.median(times), mean=statistics.mean(times),
                          min=min(times), max=max(times),
                          stddev=statistics.stdev(times) if len(times) > 1 else 0,
                          runs=len(times), cmd=shlex.join(cmd), retried=retried)
        log(f"    median {res[r.key]['median']:.2f} ms")


def m_memory(a, cfg, rows, res):
    for r in rows:
        if r.key == "bare":
            continue
        floor = r.key.startswith("floor")
        cmd = r.plain + ["sleep"] if floor else r.cmd(r.plain, ["sleep", "1000"])
        log(f"  memory {r.label}: {shlex.join(cmd)}")
        samples, errors = [], []
        i, retried = 0, False
        while i < cfg["mem_runs"]:
            logf = open(os.path.join(a.build, f"memory-{r.key}-{i}.log"), "w+")
            p = subprocess.Popen(cmd, env=r.env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE if floor else logf, stderr=logf)
            ok = False
            deadline = time.monotonic() + 60
            if floor:
                rl, _, _ = select.select([p.stdout], [], [], 60)
                ok = bool(rl) and p.stdout.readline().strip() == b"ready"
            else:
                while time.monotonic() < deadline and p.poll() is None:
                    if any((proc_stat(k) or ("",))[0] == "sleep" for k in proc_children(p.pid)):
                        ok = True
                        break
                    time.sleep(0.01)
            if ok:
                time.sleep(MEM_SETTLE_S)
                st = proc_status(p.pid)
                if st:
                    samples.append(dict(rss=int(st["VmRSS"].split()[0]) / 1024,
                                        anon=int(st["RssAnon"].split()[0]) / 1024,
                                        threads=int(st["Threads"])))
            else:
                logf.seek(0)
                why = logf.read().strip()[-200:]
                errors.append(f"run {i}: the child never started (exit {p.poll()}): {why}")
            p.send_signal(signal.SIGTERM)
            if not wait_exit(p, 30):
                errors.append(f"run {i}: did not exit within 30 s of SIGTERM; killed")
                kill_hard(p, False)
            logf.close()
            if not ok and not retried and start_failure(errors[-1]):
                retried = True
                errors[-1] = errors[-1].replace("the child never started", "retried after a start failure")
                log(f"    {errors[-1]}")
                time.sleep(RETRY_PAUSE_S)
                continue
            i += 1
        res[r.key] = dict(cmd=shlex.join(cmd), samples=samples, errors=errors)
        if samples:
            for k in ("rss", "anon", "threads"):
                res[r.key][k] = median([s[k] for s in samples])
            log(f"    VmRSS {res[r.key]['rss']:.1f} MB, RssAnon {res[r.key]['anon']:.1f} MB, "
                f"threads {res[r.key]['threads']}")
        for e in errors:
            log(f"    {e}")


def m_reap(a, cfg, rows, res):
    """Round-robin: run i of every init before run i+1 of any, so load changes hit all alike."""
    n = cfg["zombies"]
    todo = [r for r in rows if r.pid1 is not None]

    def command(r):
        prog = [os.path.join(a.build, "zombies"), str(n), "120"]
        # bare: no init; the maker reaps its own zombies (the kernel's floor)
        return UNSHARE + (prog + ["self"] if r.key == "bare" else r.cmd(r.pid1, prog))
    for r in todo:
        res[r.key] = dict(cmd=shlex.join(command(r)), runs=[], errors=[])
    for i in range(cfg["reap_runs"]):
        for r in todo:
            cmd = command(r)
            log(f"  reap {r.label} run {i + 1}/{cfg['reap_runs']}: {shlex.join(cmd)}")
            runs, errors = res[r.key]["runs"], res[r.key]["errors"]
            for attempt in (0, 1):
                p = subprocess.Popen(cmd, env=r.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
                try:
                    out, err = p.communicate(timeout=300)
                except subprocess.TimeoutExpired:
                    kill_hard(p, True)
                    out, err = "", "timeout"
                    break
                if attempt == 0 and "zombies=" not in out and start_failure(err):
                    errors.append(f"run {i}: retried after a start failure: {err.strip()[-200:]}")
                    log(f"    {errors[-1]}")
                    time.sleep(RETRY_PAUSE_S)
                    continue
                break
            if err == "timeout":
                errors.append(f"run {i}: no exit within 300 s; killed")
                log(f"    {errors[-1]}")
                continue
            m = re.search(r"zombies=(\d+) reaped=(\d+) ns=(\d+) fork_ns=(\d+) left=(\d+) reparent_ns=(\d+)", out)
            if not m:
                errors.append(f"run {i}: exit {p.returncode}, no result: {(out + err).strip()[-300:]}")
                log(f"    {errors[-1]}")
                continue
            made, reaped, ns, fork_ns, left, rep_ns = map(int, m.groups())
            runs.append(dict(made=made, reaped=reaped, ms=ns / 1e6, fork_ms=fork_ns / 1e6, left=left,
                             reparent_ms=rep_ns / 1e6,
                             rate=reaped / (ns / 1e9) if ns else None, exit=p.returncode))
            log(f"    {runs[-1]['rate']:,.0f} reaped/s ({runs[-1]['ms']:.1f} ms)")
            if left or made != n:
                errors.append(f"run {i}: {made} zombies made, {left} not reaped within 120 s")
            if p.returncode != 0:
                errors.append(f"run {i}: exit status {p.returncode}")
    for r in todo:
        x = res[r.key]
        if x["runs"]:
            x["rate"] = median([y["rate"] for y in x["runs"]])
            x["ms"] = median([y["ms"] for y in x["runs"]])
            x["reparent_ms"] = median([y["reparent_ms"] for y in x["runs"]])


def nearest_rank(sorted_xs, p):
    i = max(0, min(len(sorted_xs) - 1, int(p * len(sorted_xs) + 0.999999) - 1))
    return sorted_xs[i]


def m_relay(a, cfg, rows, res):
    """relay_signals per init, split into relay_rounds runs taken round-robin; percentiles over
    all samples pooled."""
    fifo = os.path.join(a.build, "relay.fifo")
    todo = [r for r in rows if r.plain is not None and not r.key.startswith("floor")]
    rounds = cfg["relay_rounds"]
    per = cfg["relay_signals"] // rounds
    prog = [os.path.join(a.build, "latency_child"), fifo]
    acc = {r.key: dict(samples=[], warm=[], lost=0, late=0, exits=[], errors=[]) for r in todo}
    for i in range(rounds):
        for r in todo:
            inner = r.cmd(r.plain, prog)
            out = os.path.join(a.build, f"relay-{r.key}-{i}.txt")
            cmd = [os.path.join(a.build, "relay_driver"), str(per), str(cfg["relay_gap_us"]),
                   fifo, str(RELAY_TIMEOUT_MS), out, "--"] + inner
            log(f"  relay {r.label} round {i + 1}/{rounds}: {shlex.join(inner)}")
            x = acc[r.key]
            p = sh(cmd, env=r.env, timeout=1800, stdin=subprocess.DEVNULL)
            if "error=notready" in p.stdout and start_failure(p.stderr):
                x["errors"].append(f"round {i}: retried after a start failure: {p.stderr.strip()[-200:]}")
                log(f"    {x['errors'][-1]}")
                time.sleep(RETRY_PAUSE_S)
                p = sh(cmd, env=r.env, timeout=1800, stdin=subprocess.DEVNULL)
            if "error=notready" in p.stdout:
                x["errors"].append(f"round {i}: did not start, no signal sent: {p.stderr.strip()[-300:]}")
                log(f"    {x['errors'][-1]}")
                continue
            m = re.search(r"n=(\d+) lost=(\d+) late=(\d+) .* exit=(-?\d+)", p.stdout)
            if not m:
                x["errors"].append(f"round {i}: {(p.stdout + p.stderr).strip()[-300:]}")
                log(f"    {x['errors'][-1]}")
                continue
            n, lost, late, code = map(int, m.groups())
            with open(out) as f:
                got = [int(v) / 1000 for v in f.read().split()]
            x["samples"] += got
            x["warm"] += got[RELAY_WARMUP:]
            x["lost"] += lost
            x["late"] += late
            x["exits"].append(code)
            if "aborted=" in p.stdout or "killed=1" in p.stdout or lost:
                x["errors"].append(f"round {i}: {p.stdout.strip()} {p.stderr.strip()[-300:]}")
            log(f"    {p.stdout.strip()}")
    for r in todo:
        x = acc[r.key]
        s = sorted(x["samples"])
        d = dict(cmd=shlex.join(r.cmd(r.plain, prog)), n=len(s), lost=x["lost"], late=x["late"],
                 exits=sorted(set(x["exits"])), errors=x["errors"])
        if s:
            d.update(p50=nearest_rank(s, 0.50), p99=nearest_rank(s, 0.99), max=s[-1],
                     mean=statistics.mean(s))
            w = sorted(x["warm"])
            if w:
                d.update(warm_p99=nearest_rank(w, 0.99), warm_n=len(w))
        else:
            d["error"] = "; ".join(x["errors"]) or "no sample"
        res[r.key] = d
        if s:
            log(f"  relay {r.label}: p50 {d['p50']:.1f} us, p99 {d['p99']:.1f} us, max {d['max']:.1f} us, "
                f"lost {d['lost']}")


def shutdown_once(a, cfg, r, mode, i):
    tree_bin = os.path.join(a.build, "tree")
    fifo = os.path.join(a.build, "tree.fifo")
    marker = f"jinit-bench-{os.getpid()}-{r.key}-{mode}-{i}"
    try:
        os.unlink(fifo)
    except FileNotFoundError:
        pass
    os.mkfifo(fifo, 0o600)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    prog = [tree_bin, fifo, marker, str(cfg["tree"]), str(cfg["tree_own"])]
    unshared = mode == "pid1"
    cmd = UNSHARE + r.cmd(r.pid1, prog) if unshared else r.cmd(r.plain, prog)
    out = dict(cmd=shlex.join(cmd).replace(marker, "MARKER"))
    logpath = os.path.join(a.build, f"shutdown-{r.key}-{mode}-{i}.log")
    logf = open(logpath, "w")
    p = subprocess.Popen(cmd, env=r.env, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf)
    try:
        got, deadline = 0, time.monotonic() + 120
        while got < cfg["tree"] and time.monotonic() < deadline and p.poll() is None:
            rl, _, _ = select.select([fd], [], [], 0.5)
            if rl:
                try:
                    got += len(os.read(fd, 4096))
                except BlockingIOError:
                    pass
        if got < cfg["tree"]:
            out["error"] = f"only {got} of {cfg['tree']} tree processes came up (exit {p.poll()})"
            return out
        target = p.pid
        if unshared:
            kids = proc_children(p.pid)
            if len(kids) != 1:
                out["error"] = f"cannot find the namespace's init under unshare ({kids})"
                return out
            target = kids[0]
        t0 = time.monotonic_ns()
        os.kill(target, signal.SIGTERM)
        exited = wait_exit(p, 60)
        t1 = time.monotonic_ns()
        if not exited:
            out["error"] = "no exit within 60 s of SIGTERM"
            out["left_before_kill"] = len(marked(tree_bin, marker))
            kill_hard(p, unshared)
            return out
        out["ms"] = (t1 - t0) / 1e6
        out["exit"] = p.returncode
        time.sleep(LEFTOVER_SETTLE_S)
        out["left"] = len(marked(tree_bin, marker))
        return out
    finally:
        if p.poll() is None:
            kill_hard(p, unshared)
        logf.close()
        os.close(fd)
        kill_marked(tree_bin, marker)
        try:
            os.unlink(fifo)
        except FileNotFoundError:
            pass
        if "error" in out:
            with open(logpath, errors="replace") as f:
                tail = f.read().strip()[-400:]
            if tail:
                out["error"] += f" (its output: {tail!r})"


def m_shutdown(a, cfg, rows, res):
    todo = [r for r in rows if not r.key.startswith("floor")]
    for mode in ("pid1", "sub"):
        runs = {r.key: [] for r in todo}
        for i in range(cfg["shutdown_runs"]):
            for r in todo:
                x = shutdown_once(a, cfg, r, mode, i)
                if "error" in x and start_failure(x["error"]):
                    log(f"    retrying after a start failure: {x['error']}")
                    time.sleep(RETRY_PAUSE_S)
                    first = x["error"]
                    x = shutdown_once(a, cfg, r, mode, i)
                    x["retried"] = first
                runs[r.key].append(x)
                log(f"  shutdown {mode} {r.label} run {i + 1}/{cfg['shutdown_runs']}: {x['cmd']}")
                log(f"    {x['error']}" if "error" in x else f"    {x['ms']:.1f} ms, left {x['left']}")
        res[mode] = {}
        for r in todo:
            rr = runs[r.key]
            ok = [x for x in rr if "ms" in x]
            d = dict(cmd=rr[0]["cmd"], runs=rr,
                     errors=[f"run {i}: {x['error']}" for i, x in enumerate(rr) if "error" in x]
                     + [f"run {i}: retried after a start failure: {x['retried']}"
                        for i, x in enumerate(rr) if "retried" in x])
            if ok:
                d["ms"] = median([x["ms"] for x in ok])
                d["left"] = median([x["left"] for x in ok])
            res[mode][r.key] = d


# ---------------------------------------------------------------------------------------------
# report

def f_num(x, unit=""):
    if x is None:
        return "–"
    if x >= 100:
        s = f"{x:,.0f}"
    elif x >= 10:
        s = f"{x:.1f}"
    else:
        s = f"{x:.2f}"
    return s + unit


def md(text):
    """Text made safe for one markdown table cell."""
    return " / ".join(str(text).split("\n")).replace("|", "\\|").replace("`", "'")


def f_int(x):
    return "–" if x is None else f"{x:g}"


def ratio(x, ref):
    if x is None or not ref:
        return "–"
    r = x / ref
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×" if r >= 100 else f"{r:.1f}×"


def get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def machine_info():
    info = {}
    info["nproc"] = sh(["nproc"]).stdout.strip()
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info["cpu"] = cpu
    info["kernel"] = platform.release()
    try:
        with open("/etc/debian_version") as f:
            info["debian"] = f.read().strip()
    except OSError:
        info["debian"] = "?"
    with open("/proc/meminfo") as f:
        info["mem"] = f.readline().split(":")[1].strip()
    return info


def fingerprint(repo):
    """A digest of the jinit build under test (launcher and everything in lib/), and git state."""
    import hashlib
    h = hashlib.sha256()
    target = os.path.join(repo, "init", "target")
    files = [os.path.join(target, "jinit")]
    lib = os.path.join(target, "lib")
    for d, _, names in sorted(os.walk(lib)):
        files += sorted(os.path.join(d, f) for f in names)
    for f in files:
        try:
            with open(f, "rb") as fh:
                h.update(f.encode() + b"\0" + hashlib.sha256(fh.read()).digest())
        except OSError:
            h.update(f.encode() + b"\0missing")
    head = sh(["git", "-C", repo, "rev-parse", "--short", "HEAD"]).stdout.strip() or "?"
    dirty = sh(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    return dict(digest=h.hexdigest()[:12], head=head, dirty=bool(dirty))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def report(a, cfg, rows, info, R):
    L = []
    w = L.append
    by = {r.key: r for r in rows}
    inits = [r for r in rows if not r.key.startswith("floor")]
    m = info["machine"]
    w("# jinit benchmark results")
    w("")
    if a.quick:
        w("**Quick smoke run (`--quick`): fewer repetitions; not for comparison.**")
        w("")
    w(f"- date: {info['date']}; wall time of the run: {info['elapsed']:.0f} s")
    w(f"- command: `{a.command}` (from the repository root)")
    w(f"- machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem']} RAM, kernel {m['kernel']}, "
      f"Debian {m['debian']}; load average at start {info['load_start']}, at end {info['load_end']}")
    w(f"- inits (Debian packages): tini {dpkg_version('tini')}, dumb-init {dpkg_version('dumb-init')}, "
      f"catatonit {dpkg_version('catatonit')}; hyperfine {dpkg_version('hyperfine')}; "
      f"util-linux (unshare) {dpkg_version('util-linux')}")
    try:
        busy = max(float(info["load_start"].split()[0]), float(info["load_end"].split()[0])) > int(m["nproc"]) / 2
    except ValueError:
        busy = False
    if busy:
        w("- **the machine was busy (1-minute load average above half the CPUs at the start or the end): "
          "timings are noisier than usual**")
    b0, b1 = info["build_start"], info["build_end"]
    w(f"- jinit build: git {b0['head']}{' with uncommitted changes' if b0['dirty'] else ''}; "
      f"digest of `init/target/jinit` + `init/target/lib/**`: {b0['digest']}")
    if b0["digest"] != b1["digest"]:
        w(f"- **warning: jinit was rebuilt during the run (digest {b0['digest']} → {b1['digest']}); "
          "its rows may mix two builds**")
    for n, v in info.get("jinit_versions", []):
        w(f"- {'JDK ' + n if n[0].isdigit() else n}: `{v}`")
    for n, jhome, v in info.get("java_versions", []):
        w(f"- java {n}: `{jhome}` — {v}")
    w(f"- JVM floor flags (from `init/target/lib/jvm.options`): `{' '.join(info['floor_flags'])}`")
    for s in info.get("skipped", []):
        w(f"- skipped: {s}")
    w(f"- repetitions: startup {cfg['startup_runs']} runs after {cfg['startup_warmup']} warm-ups; "
      f"memory {cfg['mem_runs']}; reap {cfg['reap_runs']} × {cfg['zombies']:,} zombies; "
      f"relay {cfg['relay_signals']} signals; shutdown {cfg['shutdown_runs']} per mode. "
      "Every figure is a median over those runs.")
    w("")

    # summary
    S, M, P, Y = R.get("startup", {}), R.get("memory", {}), R.get("reap", {}), R.get("relay", {})
    D = R.get("shutdown", {})
    w("## Summary")
    w("")
    w("| | startup ms | × tini | idle RSS MB | × tini | reaped/s (PID 1) | × tini | relay p99 µs | × tini | "
      "stop as PID 1 ms (left) | stop as subreaper ms (left) |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        k = r.key
        st = get(S, k, "median")
        st_s = "error" if get(S, k, "error") else f_num(st)
        rss = get(M, k, "rss")
        rate = get(P, k, "rate")
        p99 = get(Y, k, "p99")
        lost = get(Y, k, "lost")
        relay = f_num(p99) + (f" ({lost} lost)" if lost else "")
        if get(Y, k, "error"):
            relay = "error"

        def stop(mode):
            ms = get(D, mode, k, "ms")
            if ms is None:
                return "error" if get(D, mode, k, "errors") else "–"
            note = ", no subreaper" if mode == "sub" and k == "dumb" else ""
            return f"{f_num(ms)} ({get(D, mode, k, 'left'):g}{note})"
        w(f"| {r.label} | {st_s} | {ratio(st, get(S, 'tini', 'median'))} | {f_num(rss)} | "
          f"{ratio(rss, get(M, 'tini', 'rss'))} | {f_num(rate)} | {ratio(rate, get(P, 'tini', 'rate'))} | "
          f"{relay} | {ratio(p99, get(Y, 'tini', 'p99'))} | {stop('pid1')} | {stop('sub')} |")
    w("")
    w("× tini: this row's figure divided by tini's from the same run (for reaped/s higher is better, "
      "for the others lower is better). Details and exact commands below.")
    w("")

    if S:
        w("## Startup: `INIT -- /bin/true`")
        w("")
        w(f"Wall time measured by hyperfine (`-N`, {cfg['startup_warmup']} warm-ups, {cfg['startup_runs']} runs). "
          "Outside a PID namespace, so the inits run in their subreaper mode (tini `-s`).")
        w("")
        w("| | median ms | × tini | mean ms | σ ms | min ms | max ms | command |")
        w("|---|---|---|---|---|---|---|---|")
        for r in rows:
            x = S.get(r.key)
            if not x:
                continue
            if "error" in x:
                w(f"| {r.label} | error: {md(x['error'])} | | | | | | `{x['cmd']}` |")
                continue
            note = f" (retried after a start failure: {md(x['retried'])})" if x.get("retried") else ""
            w(f"| {r.label} | {f_num(x['median'])}{note} | {ratio(x['median'], get(S, 'tini', 'median'))} | "
              f"{f_num(x['mean'])} | {f_num(x['stddev'])} | {f_num(x['min'])} | {f_num(x['max'])} | `{x['cmd']}` |")
        w("")

    if M:
        w("## Idle memory while the child sleeps")
        w("")
        w(f"`INIT -- sleep 1000` started outside a PID namespace; {MEM_SETTLE_S:g} s after the `sleep` child "
          "appears, VmRSS, RssAnon and Threads are read from the init's `/proc/PID/status`. The JVM floor "
          "is the empty main idling in `Thread.sleep` with jinit's flags. MB = 1024 kB.")
        w("")
        w("| | VmRSS MB | × tini | RssAnon MB | threads | runs (VmRSS) | command |")
        w("|---|---|---|---|---|---|---|")
        for r in rows:
            x = M.get(r.key)
            if not x:
                continue
            runs = ", ".join(f"{s['rss']:.1f}" for s in x["samples"])
            err = md("; ".join(x["errors"]))
            w(f"| {r.label} | {f_num(x.get('rss'))} | {ratio(x.get('rss'), get(M, 'tini', 'rss'))} | "
              f"{f_num(x.get('anon'))} | {f_int(x.get('threads'))} | {runs}{' — ' + err if err else ''} | `{x['cmd']}` |")
        w("")

    if P:
        w(f"## Reap throughput: {cfg['zombies']:,} zombies re-parented at once, init as PID 1")
        w("")
        w("In a fresh PID namespace (`unshare --pid --fork --mount-proc INIT -- zombies N`), the main child "
          "forks a maker that forks N children which exit at once; once all N are zombies the maker exits, so "
          "the kernel hands all N to the init together. Time runs from the maker's exit until the main child "
          "sees the last of the N pids gone (`kill(pid, 0)` → ESRCH, polled every 0.2 ms). reaped/s = N / that "
          "time. re-parented = when the main child's `waitpid(maker)` returned: the kernel has moved all N to "
          "the init by then. The bare row has no init: the maker reaps its own N zombies with `waitpid` "
          "instead of exiting, timed the same way, which is the kernel's floor for this work.")
        w("")
        w("| | reaped/s | × tini | ms for all | re-parented after ms | runs (ms) | command |")
        w("|---|---|---|---|---|---|---|")
        for r in inits:
            x = P.get(r.key)
            if not x:
                continue
            runs = ", ".join(f"{y['ms']:.1f}" for y in x["runs"])
            err = md("; ".join(x["errors"]))
            w(f"| {r.label} | {f_num(x.get('rate'))} | {ratio(x.get('rate'), get(P, 'tini', 'rate'))} | "
              f"{f_num(x.get('ms'))} | {'–' if r.key == 'bare' else f_num(x.get('reparent_ms'))} | {runs}{' — ' + err if err else ''} | `{x['cmd']}` |")
        w("")

    if Y:
        w(f"## Relay latency: `kill(init, SIGUSR1)` → the child's handler, {cfg['relay_signals']} signals")
        w("")
        w("`relay_driver` starts `INIT -- latency_child FIFO` (outside a PID namespace), then repeatedly reads "
          "CLOCK_MONOTONIC, sends SIGUSR1 to the init and waits for the timestamp the child's handler takes on "
          f"entry; signals are {cfg['relay_gap_us']}–{cfg['relay_gap_us'] * 3 // 2} µs apart and only sent after the "
          f"previous one arrived, so none can coalesce. lost = no handler run within {RELAY_TIMEOUT_MS} ms. "
          f"Each init gets {cfg['relay_rounds']} fresh start(s) of {cfg['relay_signals'] // cfg['relay_rounds']} "
          "signals, taken round-robin with the other inits; the percentiles are over all samples pooled, the "
          "first (cold) ones of each start included. warm p99 leaves out the first "
          f"{RELAY_WARMUP} signals of each start (a JVM runs its relay path interpreted until it is compiled). "
          "The bare row signals the child directly (kernel delivery alone).")
        w("")
        w("| | p50 µs | p99 µs | max µs | mean µs | × tini p50 | × tini p99 | warm p99 µs | × tini warm p99 | samples | lost | exit | command |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in inits:
            x = Y.get(r.key)
            if not x:
                continue
            if "error" in x:
                w(f"| {r.label} | error: {md(x['error'])} | | | | | | | | | | | `{x['cmd']}` |")
                continue
            err = md("; ".join(x["errors"]))
            w(f"| {r.label} | {f_num(x['p50'])} | {f_num(x['p99'])} | {f_num(x['max'])} | {f_num(x['mean'])} | "
              f"{ratio(x['p50'], get(Y, 'tini', 'p50'))} | {ratio(x['p99'], get(Y, 'tini', 'p99'))} | "
              f"{f_num(x.get('warm_p99'))} | {ratio(x.get('warm_p99'), get(Y, 'tini', 'warm_p99'))} | {x['n']} | "
              f"{x['lost']}{' (+' + str(x['late']) + ' late)' if x['late'] else ''}{' — ' + err if err else ''} | "
              f"{', '.join(map(str, x['exits']))} | `{x['cmd']}` |")
        w("")

    if D:
        w(f"## Shutdown: SIGTERM → the init's exit, {cfg['tree']}-process tree")
        w("")
        w(f"The main child builds a tree of {cfg['tree']} processes (root, 10 workers, leaves); {cfg['tree_own']} "
          "leaves call `setsid()`. Every process exits on SIGTERM; the root's handler first sends SIGTERM to its "
          "own process group, so the leaves in their own sessions get it only from an init that looks for them. "
          "Time runs from `kill(init, SIGTERM)` until the init has exited (as PID 1: until `unshare` returns, "
          "i.e. the namespace is torn down). left = tree processes still alive "
          f"{LEFTOVER_SETTLE_S:g} s after the init exited, found by a marker in their argv (then killed). "
          "The bare row sends the SIGTERM to the tree's root itself. As PID 1, 0 left is guaranteed by the "
          "kernel, which SIGKILLs the rest of the namespace when its init exits: an init that exits as soon as "
          "the main child is gone (tini, dumb-init, catatonit) is fast there because the 50 leaves in their own "
          "sessions never get a SIGTERM and never run their handler; jinit sends them SIGTERM and waits for "
          "them.")
        w("")
        for mode, title in (("pid1", "As PID 1 (`unshare --pid --fork --mount-proc INIT -- tree …`)"),
                            ("sub", "As subreaper (outside a PID namespace; tini `-s`, jinit `-s`, "
                                    "catatonit always is one, dumb-init has none)")):
            T = D.get(mode, {})
            w(f"### {title}")
            w("")
            w("| | ms | × tini | left | exit | runs (ms / left) | command |")
            w("|---|---|---|---|---|---|---|")
            for r in inits:
                x = T.get(r.key)
                if not x:
                    continue
                runs = ", ".join(f"{y['ms']:.1f}/{y['left']}" if "ms" in y else "error" for y in x["runs"])
                err = md("; ".join(x["errors"]))
                label = r.label + (" (no subreaper)" if mode == "sub" and r.key == "dumb" else "")
                left = f"{x['left']:g}" if x.get("left") is not None else "–"
                codes = ", ".join(sorted({str(y["exit"]) for y in x["runs"] if "exit" in y})) or "–"
                w(f"| {label} | {f_num(x.get('ms'))} | {ratio(x.get('ms'), get(T, 'tini', 'ms'))} | {left} | {codes} | "
                  f"{runs}{' — ' + err if err else ''} | `{x['cmd']}` |")
            w("")
    w("## Notes")
    w("")
    w("- Medians over repeated runs; on a shared 2-core VM treat differences under ~20 % as noise.")
    w("- Helper programs: `tests/bench/src/*.c` and `tests/bench/src/Floor.java` (the JVM floor), compiled "
      "by `run.sh` into a temporary directory, shown as `$BUILD` in the commands; `MARKER` stands for the "
      "per-run marker.")
    w("- This is a benchmark: nothing here is asserted.")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--jinit", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--jvm-options", required=True)
    ap.add_argument("--jdk17", default="")
    ap.add_argument("--jdk25", default="")
    ap.add_argument("--runtime", default="", help="a jlink runtime made by make-runtime.sh: its own row")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sections", default=",".join(SECTIONS))
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="tests/bench/run.sh")
    a = ap.parse_args()
    cfg = QUICK if a.quick else FULL
    sections = [s for s in a.sections.split(",") if s]
    for s in sections:
        if s not in SECTIONS:
            ap.error(f"unknown section {s}; known: {','.join(SECTIONS)}")

    t_start = time.monotonic()
    info = dict(machine=machine_info(), load_start=loadavg(), build_start=fingerprint(a.repo),
                date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    rows = make_rows(a, info)
    R = {}
    funcs = dict(startup=m_startup, memory=m_memory, reap=m_reap, relay=m_relay, shutdown=m_shutdown)
    for s in sections:
        log(f"== {s}")
        R[s] = {}
        funcs[s](a, cfg, rows, R[s])
    info["load_end"] = loadavg()
    info["build_end"] = fingerprint(a.repo)
    info["elapsed"] = time.monotonic() - t_start
    with open(os.path.join(a.build, "results.json"), "w") as f:
        json.dump(dict(info=info, results=R), f, indent=1, default=str)
    text = report(a, cfg, rows, info, R).replace(a.build, "$BUILD")
    with open(a.out, "w") as f:
        f.write(text)
    print(text)
    log(f"report written to {a.out}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Samples the memory of a process and all its descendants (a PostgreSQL postmaster, its backends and parallel
workers) every INTERVAL seconds until SIGTERM/SIGINT, then prints one line:
  peak_sum_rss_kb=…  peak_private_plus_shared_kb=…  peak_processes=…  samples=…  cpu_s=…
cpu_s: CPU time (user + system) the tree used between the first and the last sample, children that ended
included (the root's cutime/cstime: the postmaster reaps its parallel workers).
peak_sum_rss_kb adds VmRSS of every process, counting shared memory (shared_buffers) once per process that
touched it: an upper bound. peak_private_plus_shared_kb adds RssAnon (private) of every process plus the largest
RssShmem of any one of them: shared memory counted once, the honest figure for "memory the cluster used".
Usage: proc_tree_rss.py PID [INTERVAL] > result"""
import os
import signal
import sys
import time

root = int(sys.argv[1])
interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
stop = False


def on_signal(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)


def status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k] = v.split()
    except OSError:
        return None
    return out


peak_rss = peak_priv = peak_n = samples = 0
tick = os.sysconf("SC_CLK_TCK")
cpu_first = cpu_last = None


def cpu_ticks(pid, with_children):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    t = int(fields[11]) + int(fields[12])  # utime, stime
    return t + (int(fields[13]) + int(fields[14]) if with_children else 0)  # cutime, cstime
while not stop:
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            s = status(int(d))
            if s and "PPid" in s:
                parents[int(d)] = int(s["PPid"][0])
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        for c, pp in parents.items():
            if pp == p and c not in tree:
                tree.add(c)
                frontier.append(c)
    rss = anon = shmem = 0
    n = 0
    for pid in tree:
        s = status(pid)
        if not s or "VmRSS" not in s:
            continue
        n += 1
        rss += int(s["VmRSS"][0])
        anon += int(s.get("RssAnon", ["0"])[0])
        shmem = max(shmem, int(s.get("RssShmem", ["0"])[0]))
    peak_rss, peak_priv, peak_n = max(peak_rss, rss), max(peak_priv, anon + shmem), max(peak_n, n)
    cpu = sum(cpu_ticks(pid, pid == root) for pid in tree)
    cpu_first = cpu if cpu_first is None else cpu_first
    cpu_last = cpu
    samples += 1
    time.sleep(interval)
cpu_s = ((cpu_last or 0) - (cpu_first or 0)) / tick
print(f"peak_sum_rss_kb={peak_rss} peak_private_plus_shared_kb={peak_priv} peak_processes={peak_n} samples={samples} cpu_s={cpu_s:.1f}")

"""Kernel start benchmark driver, run by bench/kernel_start.sh (see its header).

Usage: python3 kernel_start.py KERNEL_NAME RUNS
For each run: starts a fresh kernel process from its kernelspec (jupyter_client KernelManager, the
launch path Jupyter uses), connects, sends `1 + 1` as soon as the kernel answers kernel_info, and
measures wall-clock seconds from process launch to the execute_result "2", and the CPU seconds
(user + system) the kernel process used until then (/proc/PID/stat: on a machine shared with other
work the wall time grows, the CPU time much less). Prints one line per run, then the medians, and
exits 1 if a run fails.
"""
import os
import statistics
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager

name, runs = sys.argv[1], int(sys.argv[2])
times = []
cpus = []


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

for i in range(runs):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        ready = time.perf_counter() - t0
        msg_id = kc.execute("1 + 1")
        result = None
        deadline = time.time() + 120
        while result is None and time.time() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=1)
            except Empty:
                continue
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
                result = m["content"]["data"]["text/plain"]
            elif m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "error":
                raise SystemExit("run %d: cell failed: %r" % (i + 1, m["content"]))
        elapsed = time.perf_counter() - t0
        cpu = cpu_seconds(km.provisioner.process.pid)
        if result != "2":
            raise SystemExit("run %d: no result 2 (got %r)" % (i + 1, result))
        times.append(elapsed)
        cpus.append(cpu)
        print("run %d: kernel_info answered after %.2f s, first result after %.2f s, kernel CPU %.2f s"
              % (i + 1, ready, elapsed, cpu), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
print("median of %d cold starts: %.2f s (min %.2f, max %.2f); kernel CPU median %.2f s"
      % (runs, statistics.median(times), min(times), max(times), statistics.median(cpus)))

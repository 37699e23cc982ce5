"""Checks the Workbench kernel's Jupyter requests through Debian's jupyter_client; run by JupyterKernelTest.

Usage: python3 jupyter_protocol_check.py KERNEL_NAME CAPTURE_PCAP WORK_DIR
Covers kernel_info, complete (JShell and worker names), inspect (Javadoc), is_complete, history,
interrupt (endless loop, long work request), shutdown with restart (workbenches closed).
Prints one line per check and 'ALL OK' at the end; exits 1 with the failed check otherwise.
"""
import os
import sys
import time
from queue import Empty

from jupyter_client.manager import start_new_kernel

name, capture, work = sys.argv[1], sys.argv[2], sys.argv[3]


def check(cond, what):
    if not cond:
        print("FAILED: " + what, flush=True)
        raise SystemExit(1)
    print("ok: " + what.split("\n")[0][:160], flush=True)


def shell_reply(kc, msg_id, timeout=60):
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"]


def collect(kc, msg_id, timeout=60):
    msgs = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return msgs
    raise SystemExit("FAILED: no idle status for " + msg_id)


def run(kc, code, timeout=120):
    msg_id = kc.execute(code)
    reply = shell_reply(kc, msg_id, timeout)
    return reply, collect(kc, msg_id, timeout)


def of_type(msgs, t):
    return [m["content"] for m in msgs if m["msg_type"] == t]


def result_text(msgs):
    r = of_type(msgs, "execute_result")
    return r[0]["data"]["text/plain"] if r else None


def request(kc, method, *args, **kwargs):
    msg_id = getattr(kc, method)(*args, **kwargs)
    return shell_reply(kc, msg_id, 60)


marker = os.path.join(work, "closed-at-exit.txt")
home = os.path.join(work, "wb-home")

km, kc = start_new_kernel(kernel_name=name, startup_timeout=120)
try:
    # ---- kernel_info
    info = request(kc, "kernel_info")
    li = info["language_info"]
    check(li["name"] == "java" and li["mimetype"] == "text/x-java" and li["file_extension"] == ".java"
          and li["codemirror_mode"] == "java" and li["pygments_lexer"] == "java"
          and li["version"].split(".")[0].isdigit(), "kernel_info language_info %r" % li)
    check(info["protocol_version"].startswith("5."), "kernel_info protocol %r" % info["protocol_version"])

    # ---- execute a few cells for history, open a workbench that must be closed at shutdown
    reply, msgs = run(kc, 'String history_marker = "first";')
    check(reply["status"] == "ok", "cell 1")
    reply, msgs = run(kc, 'Workbench wb = Workbench.open(Path.of("%s"));\n'
                          'Runtime.getRuntime().addShutdownHook(new Thread(() -> {\n'
                          '    try { Files.writeString(Path.of("%s"), "open=" + Workbench.openInstances().size()); }\n'
                          '    catch (Exception e) { }\n'
                          '}));\nwb.listWorkers().contains("pcap_zeek")' % (home, marker))
    check(reply["status"] == "ok" and result_text(msgs) == "true", "workbench opened in a cell: %r" % reply)
    reply, msgs = run(kc, '6 * 7')
    check(result_text(msgs) == "42", "cell 3")
    last_count = reply["execution_count"]

    # ---- history
    h = request(kc, "history", raw=True, output=False, hist_access_type="tail", n=2)
    hist = [tuple(e) for e in h["history"]]
    check(len(hist) == 2 and hist[1][1] == last_count and hist[1][2] == "6 * 7"
          and hist[0][1] == last_count - 1 and "Workbench.open" in hist[0][2], "history tail 2: %r" % hist)
    h = request(kc, "history", raw=True, output=True, hist_access_type="range", session=0,
                start=last_count - 2, stop=last_count + 1)
    hist = [tuple(e) for e in h["history"]]
    check([e[1] for e in hist] == [last_count - 2, last_count - 1, last_count]
          and hist[0][2][0] == 'String history_marker = "first";' and hist[2][2][1] == "42",
          "history range with output: %r" % [(e[1], e[2][0][:20], e[2][1]) for e in hist])
    h = request(kc, "history", raw=True, output=False, hist_access_type="search", pattern="*history_marker*", n=5)
    hist = [tuple(e) for e in h["history"]]
    check(len(hist) == 1 and hist[0][2] == 'String history_marker = "first";', "history search: %r" % hist)

    # ---- completion: JShell members and worker names inside work request strings
    code = 'history_marker.toUpp'
    c = request(kc, "complete", code, len(code))
    check("toUpperCase(" in c["matches"] and c["cursor_start"] == code.index("toUpp"), "member completion %r" % c["matches"])
    code = 'var r = wb.workRequest("pcap_'
    c = request(kc, "complete", code, len(code))
    check("pcap_zeek" in c["matches"] and all(m.startswith("pcap_") for m in c["matches"])
          and c["cursor_start"] == len(code) - len("pcap_") and c["cursor_end"] == len(code),
          "worker name completion %r" % c)
    code = 'wb.batchWorkStream("me'
    c = request(kc, "complete", code, len(code))
    check("meta" in c["matches"] and "meta_deep" in c["matches"], "batchWorkStream worker completion %r" % c["matches"])
    code = 'wb.batchWorkRequest("'
    c = request(kc, "complete", code, len(code))
    check({"meta", "pcap_zeek", "strings"} <= set(c["matches"]), "all workers after an empty quote %r" % c["matches"])

    # ---- inspect: signature and Javadoc from our sources
    code = 'Workbench.open()'
    i = request(kc, "inspect", code, code.index("open") + 2, detail_level=0)
    text = i.get("data", {}).get("text/plain", "")
    check(i["status"] == "ok" and i["found"] and "Workbench.open()" in text
          and "Opens the workbench in its default home" in text, "inspect Workbench.open: %r" % text[:300])
    code = 'wb.workRequest("meta", md5)'
    i = request(kc, "inspect", code, code.index("workRequest") + 4, detail_level=0)
    text = i.get("data", {}).get("text/plain", "")
    check(i["found"] and "workRequest(String worker, String md5)" in text
          and "Runs a worker on a sample" in text, "inspect wb.workRequest: %r" % text[:300])
    i = request(kc, "inspect", "   ", 1, detail_level=0)
    check(i["status"] == "ok" and not i["found"], "inspect of nothing: not found")

    # ---- is_complete
    for code, want in [("int q = 1;", "complete"), ("for (int i = 0; i < 3; i++) {", "incomplete"),
                       ("}", "invalid"), ("%%shell\necho hi", "complete")]:
        ic = request(kc, "is_complete", code)
        check(ic["status"] == want, "is_complete %r -> %r" % (code, ic))

    # ---- interrupt an endless loop, then a cell runs
    msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
    time.sleep(2.0)
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 30)
    check(reply["status"] == "error" and reply["ename"] == "Interrupted", "endless loop interrupted: %r" % reply.get("ename"))
    collect(kc, msg_id)
    reply, msgs = run(kc, "1 + 1")
    check(reply["status"] == "ok" and result_text(msgs) == "2", "cell after interrupt runs")

    # ---- interrupt a long work request: it stops cooperatively with WorkCancelledException
    reply, msgs = run(kc, 'byte[] cap = Files.readAllBytes(Path.of("%s"));\n'
                          'List<String> md5s = new ArrayList<>();\n'
                          'for (int i = 0; i < 60; i++) {\n'
                          '    byte[] v = cap.clone();\n'
                          '    v[8] = (byte) i; // pcap header thiszone: same packets, another sample\n'
                          '    md5s.add(wb.storeSample(v, "cap" + i + ".pcap", "pcap"));\n'
                          '}\nwb.batchThreads(1);\nmd5s.size()' % capture, timeout=300)
    check(reply["status"] == "ok" and result_text(msgs) == "60", "60 capture samples stored: %r" % reply)
    msg_id = kc.execute('int done = wb.batchWorkRequest("pcap_zeek", md5s).toList().size();')
    time.sleep(3.0)
    t0 = time.time()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 60)
    waited = time.time() - t0
    check(reply["status"] == "error" and reply["ename"] == "Interrupted"
          and "WorkCancelledException" in reply["evalue"], "work request interrupted: %r" % reply)
    # WorkCancelledException in the reply shows the stop was cooperative, not JShell's forced stop; the time
    # includes the reply's round trip, which on a loaded 2-core machine alone can take seconds
    check(waited < 10.0, "work request stopped %.2f s after the interrupt" % waited)
    collect(kc, msg_id)
    reply, msgs = run(kc, "wb.workRequest(\"meta\", md5s.get(0)).get(\"file_type\") != null")
    check(reply["status"] == "ok" and result_text(msgs) == "true", "work requests run after the interrupt: %r" % reply)

    # ---- restart: the old process closes its workbenches, the new one starts empty
    check(not os.path.exists(marker), "no marker before restart")
    old_pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    deadline = time.time() + 30
    while not os.path.exists(marker) and time.time() < deadline:
        time.sleep(0.2)
    check(os.path.exists(marker) and open(marker).read() == "open=0",
          "workbenches closed when the kernel shut down for restart: %r" % (open(marker).read() if os.path.exists(marker) else None))
    new_pid = km.provisioner.process.pid if km.provisioner and km.provisioner.process else None
    check(old_pid != new_pid, "restart started a new process (%s -> %s)" % (old_pid, new_pid))
    reply, msgs = run(kc, "1 + 2")
    check(reply["status"] == "ok" and result_text(msgs) == "3" and reply["execution_count"] == 1,
          "restarted kernel runs cells, count from 1: %r" % reply)
    reply, msgs = run(kc, "history_marker")
    check(reply["status"] == "error", "restarted kernel forgot the old variables")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)

check(not km.is_alive(), "kernel shut down")
print("ALL OK", flush=True)

"""Drives the Workbench kernel through Debian's jupyter_client; run by JupyterKernelTest.

Usage: python3 jupyter_kernel_check.py KERNEL_NAME
Prints one line per check and 'ALL OK' at the end; exits 1 with the failed check otherwise.
"""
import sys
import time
from queue import Empty

from jupyter_client.manager import start_new_kernel

name = sys.argv[1]


def check(cond, what):
    if not cond:
        print("FAILED: " + what, flush=True)
        raise SystemExit(1)
    print("ok: " + what.split("\n")[0][:150], flush=True)


def run(kc, code, timeout=60):
    """Executes code; returns (reply content, list of iopub messages of this request)."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], collect(kc, msg_id, timeout)


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


def of_type(msgs, t):
    return [m["content"] for m in msgs if m["msg_type"] == t]


km, kc = start_new_kernel(kernel_name=name, startup_timeout=120)
try:
    info = kc.kernel_info(reply=True, timeout=30)["content"]
    li = info["language_info"]
    check(li["name"] == "java" and li["mimetype"] == "text/x-java" and li["file_extension"] == ".java"
          and li["codemirror_mode"] == "java", "kernel_info language_info %r" % li)

    reply, msgs = run(kc, 'int a = 6;\nSystem.out.println("out line");\nSystem.err.println("err line");\na * 7')
    check(reply["status"] == "ok", "execute reply ok: %r" % reply)
    streams = of_type(msgs, "stream")
    out = "".join(s["text"] for s in streams if s["name"] == "stdout")
    err = "".join(s["text"] for s in streams if s["name"] == "stderr")
    check(out == "out line\n" and err == "err line\n", "stdout/stderr streams %r" % streams)
    results = of_type(msgs, "execute_result")
    check(len(results) == 1 and results[0]["data"]["text/plain"] == "42", "execute_result 42: %r" % results)
    check(results[0]["execution_count"] == reply["execution_count"], "execution_count matches")

    first_count = reply["execution_count"]
    msg_id = kc.execute('int hidden = 5;\nSystem.out.println("quiet");', silent=True)
    msgs = collect(kc, msg_id)
    check(not of_type(msgs, "stream") and not of_type(msgs, "execute_input"), "silent execution publishes nothing")
    reply, msgs = run(kc, 'hidden')
    check(reply["execution_count"] == first_count + 1 and of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "5",
          "silent execution ran but did not count: %r" % reply)

    reply, msgs = run(kc, 'Table t = Table.create("hosts", StringColumn.create("ip", "10.0.0.1", "10.0.0.2"));\nt')
    data = of_type(msgs, "execute_result")[0]["data"]
    check("<td>10.0.0.1</td>" in data["text/html"] and "10.0.0.2" in data["text/plain"], "table as html and text")

    reply, msgs = run(kc, 'display(t);\nSystem.out.println("after");')
    shown = of_type(msgs, "display_data")
    check(reply["status"] == "ok" and len(shown) == 1 and "<td>10.0.0.2</td>" in shown[0]["data"]["text/html"]
          and not of_type(msgs, "execute_result"), "display_data message from display(t)")

    reply, msgs = run(kc, 'int ok = 1;\nint boom = ok / 0;')
    check(reply["status"] == "error" and reply["ename"] == "java.lang.ArithmeticException"
          and reply["evalue"] == "/ by zero", "runtime error reply %r" % {k: reply.get(k) for k in ("status", "ename", "evalue")})
    errs = of_type(msgs, "error")
    check(len(errs) == 1 and any("<-- line 2" in l for l in errs[0]["traceback"]), "error output names line 2: %r" % errs)

    reply, msgs = run(kc, 'int fine = 1;\nString s = 42;')
    check(reply["status"] == "error" and reply["ename"] == "CompileError" and "(line 2)" in reply["evalue"],
          "compile error reply %r" % reply.get("evalue"))

    reply, msgs = run(kc, 'String word = "x";')
    check(reply["status"] == "ok", "declare word")
    code = 'int z = 1;\nword.toUpp'
    kc.complete(code, len(code))
    c = kc.get_shell_msg(timeout=30)["content"]
    check(c["status"] == "ok" and "toUpperCase(" in c["matches"] and c["cursor_start"] == code.index("toUpp"),
          "completion %r" % {k: c.get(k) for k in ("matches", "cursor_start", "cursor_end")})
    kc.is_complete("for (int i = 0; i < 3; i++) {")
    ic = kc.get_shell_msg(timeout=30)["content"]
    check(ic["status"] == "incomplete", "is_complete incomplete %r" % ic)
    kc.is_complete("int q = 1;")
    ic = kc.get_shell_msg(timeout=30)["content"]
    check(ic["status"] == "complete", "is_complete complete %r" % ic)

    msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
    time.sleep(2.0)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    check(reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted",
          "interrupted loop replies error Interrupted: %r" % reply["content"].get("ename"))
    collect(kc, msg_id)
    reply, msgs = run(kc, "1 + 1")
    check(reply["status"] == "ok" and of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "2",
          "cell after interrupt runs")
    check(km.is_alive(), "kernel alive after interrupt")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)

check(not km.is_alive(), "kernel shut down")
print("ALL OK", flush=True)

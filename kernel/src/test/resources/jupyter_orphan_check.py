"""Starts the Workbench kernel with jupyter_client, prints 'KERNEL_PID <pid>' and waits to be killed.

Used by JupyterKernelTest to check that the kernel exits when the process that started it dies.
Usage: python3 jupyter_orphan_check.py KERNEL_NAME
"""
import sys
import time

from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
print("KERNEL_PID %d" % km.provisioner.process.pid, flush=True)
time.sleep(600)

#!/usr/bin/env bash
# bench/kernel_start.sh: kernel start time, fresh kernel process to the first cell result (`1 + 1`).
# Usage: bench/kernel_start.sh [RUNS]                 (default 5; prints each run and the median)
# Env:   BENCH_NO_BUILD=1 (use the existing kernel/target), BENCH_EXTRA_CP (extra class path entries for the
#        kernel, e.g. a long Neo4j class path, to see how start time grows), BENCH_JVM_OPTS (extra
#        --jvm-option values for the kernelspec, space separated), BENCH_NO_CDS=1 (install with --no-cds, to
#        compare).
# Steps: build lib and kernel (mvn -o package -DskipTests, offline); install a kernelspec into a temporary
# Jupyter path with `bin/workbench kernel install` (the real launch path: the kernelspec's argv, with the
# dynamic AppCDS archive the installer creates); then bench/kernel_start.py starts RUNS fresh kernels through
# jupyter_client (Debian's python3-jupyter-client, /usr/bin/python3) and times launch -> execute_result.
# The target is a median under 3 s on the project's 2-core machine. The embedded Neo4j server's ~200 jars are
# not on the kernel's class path (kernel/target/graph-lib, loaded only when a cell opens an embedded graph; the
# installer names it with -Dworkbench.graph.lib): with them there the median was ~5.5 s.
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
if [ "${BENCH_NO_BUILD:-0}" != "1" ]; then
  (cd "$root" && mvn -q -B -o -pl lib,kernel package -DskipTests)
fi
tmp="$(mktemp -d /tmp/workbench-kernel-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
opts=()
if [ "${BENCH_NO_CDS:-0}" = "1" ]; then opts+=("--no-cds"); fi
for o in ${BENCH_JVM_OPTS:-}; do opts+=("--jvm-option=$o"); done
cp_extra=""
if [ -n "${BENCH_EXTRA_CP:-}" ]; then cp_extra=":$BENCH_EXTRA_CP"; fi
# the installer records the class path of the JVM it runs in
WORKBENCH_NO_BUILD=1 JAVA="${JAVA:-java}" \
  java -cp "$root/kernel/target/classes:$root/kernel/target/lib/*$cp_extra" org.workbench.cli.Main \
  kernel install --prefix "$tmp" --name workbench-bench "${opts[@]}" >&2
export JUPYTER_PATH="$tmp/share/jupyter" JUPYTER_RUNTIME_DIR="$tmp/runtime" JUPYTER_DATA_DIR="$tmp/data"
echo "class path entries: $(python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['argv']; print(len(a[a.index('-cp')+1].split(':')))" "$tmp/share/jupyter/kernels/workbench-bench/kernel.json"); load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$root/bench/kernel_start.py" workbench-bench "$runs"

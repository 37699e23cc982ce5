#!/usr/bin/env bash
# bench/cypher_start.sh: wall time of one `bin/workbench cypher` call on the embedded graph (a fresh JVM that starts
# the Neo4j server, runs one query, prints JSON lines and stops it), without and with the class archive that
# bin/workbench keeps for `cypher` (kernel/target/cds/cypher.jsa, written by the first cypher run of a build),
# then while another process holds the graph open (a headless notebook run whose cell opens wb.graph() and
# sleeps), when cypher connects to that database instead of starting one.
# Usage: bench/cypher_start.sh [RUNS]        (default 5; prints each run and the medians)
# Env:   BENCH_NO_BUILD=1 (use the existing kernel/target; otherwise mvn -q -B -o install -DskipTests)
# The graph lives in a temporary WORKBENCH_HOME holding the Kitchen Boss graph (pcap_graph of
# ../shared/data/pcap/kitchen_boss.pcap, built once before timing); the query counts its nodes.
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
capture="$root/../shared/data/pcap/kitchen_boss.pcap"
[ -f "$capture" ] || { echo "cypher_start: missing $capture" >&2; exit 1; }
if [ "${BENCH_NO_BUILD:-0}" != "1" ]; then
  (cd "$root" && mvn -q -B -o install -DskipTests)
fi
tmp="$(mktemp -d /tmp/workbench-cypher-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export WORKBENCH_HOME="$tmp/home" WORKBENCH_NO_BUILD=1
md5=$("$root/bin/workbench" store "$capture")
"$root/bin/workbench" work pcap_graph "$md5" > /dev/null
rm -f "$root/kernel/target/cds/cypher.jsa"
WORKBENCH_CDS=1 "$root/bin/workbench" cypher "RETURN 1 AS warmup" > /dev/null   # writes the archive
query='MATCH (n) RETURN count(n) AS nodes'
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# time_calls LABEL CDS: RUNS cypher calls with WORKBENCH_CDS=CDS, each printed, then their median
time_calls() {
  : > "$tmp/times"
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    out=$(WORKBENCH_CDS=$2 "$root/bin/workbench" cypher "$query" 2>&1)
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    echo "$t" >> "$tmp/times"
    echo "$1 ${t} s  $out  (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  echo "$1 median $(median < "$tmp/times") s"
}
time_calls archive=0 0
time_calls archive=1 1
cat > "$tmp/hold.ipynb" <<'NB'
{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "id": "hold",
 "metadata": {}, "outputs": [], "execution_count": null,
 "source": ["var wb = Workbench.open();\n", "wb.graph().nodeCount();\n", "Thread.sleep(900_000);\n"]}]}
NB
"$root/bin/workbench" notebook run "$tmp/hold.ipynb" -o "$tmp/hold-out.ipynb" --timeout 1000 > "$tmp/hold.log" 2>&1 &
holder=$!
trap 'kill "$holder" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 120); do [ -f "$WORKBENCH_HOME/graph/bolt.uri" ] && break; sleep 1; done
[ -f "$WORKBENCH_HOME/graph/bolt.uri" ] || { echo "cypher_start: the holder did not open the graph" >&2; cat "$tmp/hold.log" >&2; exit 1; }
time_calls attached 1

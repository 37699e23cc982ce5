#!/usr/bin/env bash
# bench/run.sh: throughput benchmark of `workbench zeek` on a large synthetic capture (not part of the tests or CI).
# Usage: bench/run.sh [SIZE_MB] [WORKDIR]      (defaults: 2000 MB, /tmp/workbench-bench)
# Env:   BENCH_XMX (default 256m), BENCH_ZEEK_ONLY=1 (skip md5sum/tshark), BENCH_KEEP=1 (keep the capture and logs), BENCH_NO_BUILD=1, BENCH_SEED.
# Steps: build once; generate WORKDIR/bench-<SIZE>.pcap with org.workbench.bench.BenchCapture (streaming,
# the project's PcapWriter and synth builders); then time, one after the other, `md5sum`, `tshark` (DNS query
# names and HTTP hosts) and `java -Xmx$BENCH_XMX ... Main zeek -C -r FILE -d OUT` under /usr/bin/time -v;
# print size, packets, seconds, MB/s, packets/s, peak RSS, load averages and the ratio vs tshark.
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb="${1:-2000}"
work="${2:-/tmp/workbench-bench}"
xmx="${BENCH_XMX:-256m}"
mkdir -p "$work"
pcap="$work/bench-${size_mb}.pcap"
out="$work/zeek-out-${size_mb}"

if [ "${BENCH_NO_BUILD:-0}" != "1" ]; then
  (cd "$root" && mvn -q -B -o install -DskipTests)
fi
kcp="$root/kernel/target/classes:$root/kernel/target/lib/*"

load() { cut -d' ' -f1-3 /proc/loadavg; }
secs() { awk '/Elapsed \(wall clock\)/ {n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
cpu()  { awk '/User time \(seconds\)|System time \(seconds\)/ {c+=$NF} END {printf "%.1f", c}' "$1"; }
rss()  { awk '/Maximum resident set size/ {print $NF}' "$1"; }

echo "== generate ${size_mb} MB (load $(load))"
gen=$(java -Xmx512m -cp "$root/lib/target/test-classes:$root/lib/target/classes" \
  org.workbench.bench.BenchCapture "$pcap" "$size_mb" "${BENCH_SEED:-1}")
echo "$gen"
packets=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' <<<"$gen")
bytes=$(stat -c %s "$pcap")
mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}')

run() { # name logfile cmd...
  local name="$1" log="$2"; shift 2
  local before; before=$(load)
  /usr/bin/time -v "$@" > /dev/null 2> "$log"
  local s; s=$(secs "$log")
  printf '%-6s %8.1f s  %8.1f MB/s  %10.0f pkts/s  peak RSS %7d KB  cpu %s s  load before %s after %s\n' \
    "$name" "$s" "$(awk -v b="$mb" -v s="$s" 'BEGIN{print b/s}')" \
    "$(awk -v p="$packets" -v s="$s" 'BEGIN{print p/s}')" "$(rss "$log")" "$(cpu "$log")" "$before" "$(load)"
}

echo "== file: $pcap  $mb MB  $packets packets  (cores: $(nproc))"
cat "$pcap" > /dev/null   # warm the page cache equally for everyone
if [ "${BENCH_ZEEK_ONLY:-0}" != "1" ]; then
  run md5sum "$work/time-md5.txt" md5sum "$pcap"
  run tshark "$work/time-tshark.txt" tshark -r "$pcap" -T fields -e dns.qry.name -e http.host
fi
rm -rf "$out"
run zeek "$work/time-zeek.txt" java "-Xmx$xmx" -cp "$kcp" org.workbench.cli.Main zeek -C -r "$pcap" -d "$out"
grep -q 'Exit status: 0' "$work/time-zeek.txt" || { echo "zeek FAILED:"; tail -30 "$work/time-zeek.txt"; }
if [ "${BENCH_ZEEK_ONLY:-0}" != "1" ]; then
  ts=$(secs "$work/time-tshark.txt"); zs=$(secs "$work/time-zeek.txt")
  echo "== zeek throughput / tshark throughput = $(awk -v t="$ts" -v z="$zs" 'BEGIN{printf "%.2f", t/z}')x"
fi
for f in "$out"/*.log; do printf '%s %s lines\n' "$(basename "$f")" "$(grep -vc '^#' "$f")"; done

if [ "${BENCH_KEEP:-0}" != "1" ]; then
  rm -rf "$pcap" "$out"
fi

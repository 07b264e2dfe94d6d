#!/usr/bin/env bash
# Continuous backup under sustained writes: one writer puts single documents at a fixed rate
# while backups run a second apart with compaction, to the filesystem and then to an embedded
# S3Proxy. Prints backup lag p50/p99/max, write latency p99 with and without backups, files and
# requests per hour, what is stored at the end, and chain restore time against one full file.
# Usage: bench/run-continuous.sh [seconds per destination] [writes per second] [destinations]
#   e.g. bench/run-continuous.sh 600 1000 filesystem,s3proxy   (the issue's scenario, ~22 min)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
rate="${2:-1000}"
destinations="${3:-filesystem,s3proxy}"
work="$(mktemp -d -t pbk-continuous.XXXXXX)"
trap 'rm -rf "$work"' EXIT
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$work/classpath.txt" 2>/dev/null \
  || ./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/classpath.txt"
classpath="$(cat "$work/classpath.txt")"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1)"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "bench/target/classes:$classpath" org.periodicbackups.bench.ContinuousBenchmark \
  "$seconds" "$rate" "$destinations" "$work/run"

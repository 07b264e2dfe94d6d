#!/usr/bin/env bash
# JMH micro-benchmarks of the bench module: codecs, dump writer/reader, SHA-256, store inserts.
# Usage: bench/run-jmh.sh [JMH arguments]    (e.g. CodecBenchmark -p codec=zstd:3; -h for help)
# The defaults are short, for 2 cores: 1 fork, 2 warm-up and 3 measured iterations of 2 s,
# -Xmx512m; each is dropped when the same option is given (e.g. -f 3 -i 10).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d -t pbk-jmh.XXXXXX)"
trap 'rm -rf "$work"' EXIT
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$work/classpath.txt" 2>/dev/null \
  || ./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/classpath.txt"
defaults=()
for pair in "-f 1" "-wi 2" "-w 2s" "-i 3" "-r 2s" "-jvmArgs -Xmx512m"; do
  option="${pair%% *}"
  given=false
  for arg in "$@"; do
    [[ "$arg" == "$option" ]] && given=true
  done
  $given || defaults+=("$option" "${pair#* }")
done
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1), load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "bench/target/classes:$(cat "$work/classpath.txt")" org.openjdk.jmh.Main \
  "${defaults[@]}" "$@"

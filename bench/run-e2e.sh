#!/usr/bin/env bash
# End-to-end backup benchmark on a generated database: store insert/scan, codec alone, full and
# incremental backups to the filesystem, restore, full backup to an embedded S3Proxy next to a
# plain SDK upload of the same file; restic on the same folder when installed.
# Usage: bench/run-e2e.sh [documents] [seed] [max heap] [more --name=value options]
#   e.g. bench/run-e2e.sh 1000000 42 512m --codecs=gzip:6,zstd:3
# Full size (the issue's scenario, about 5 minutes): bench/run-e2e.sh 1000000 42 128m --codecs=zstd:3
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-200000}"
seed="${2:-42}"
heap="${3:-512m}"
shift $(( $# < 3 ? $# : 3 ))
work="$(mktemp -d -t pbk-e2e.XXXXXX)"
trap 'rm -rf "$work"' EXIT
./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$work/classpath.txt" 2>/dev/null \
  || ./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/classpath.txt"
classpath="$(cat "$work/classpath.txt")"
restic_flag=false
command -v restic >/dev/null && restic_flag=true
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1), restic: $(restic version 2>/dev/null | cut -d' ' -f2 || echo none)"
echo "== disk: $(df -h "$work" | awk 'NR==2 {print $1, $2, "free", $4}')"
java "-Xmx$heap" -cp "bench/target/classes:$classpath" org.periodicbackups.bench.E2EBenchmark \
  "--docs=$docs" "--seed=$seed" "--work=$work/run" "--restic=$restic_flag" "$@"

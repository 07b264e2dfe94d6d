#!/usr/bin/env bash
# Upload throughput of the S3 destination against plain AWS SDK uploads of the same file to the
# same S3Proxy, in one run. Usage: bench/run-s3-upload.sh [size MiB] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-256}"
rounds="${2:-3}"
work="$(mktemp -d -t pbk-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Every module of the reactor writes the file; bench is built last, so its classpath stays.
./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$work/classpath.txt"
classpath="$(cat "$work/classpath.txt")"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1)"
java -Xmx512m -cp "bench/target/classes:$classpath" org.periodicbackups.bench.S3UploadBenchmark \
  "$size" "$rounds" "$work"

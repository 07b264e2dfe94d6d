#!/usr/bin/env bash
# Upload throughput of the S3 destination against plain AWS SDK uploads of the same file to the
# same S3Proxy, in one run. Usage: bench/run-s3-upload.sh [size MiB] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-256}"
rounds="${2:-3}"
./mvnw -B -q -pl bench -am package -DskipTests
classpath="$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
work="$(mktemp -d -t pbk-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1)"
java -Xmx512m -cp "bench/target/classes:$classpath" org.periodicbackups.bench.S3UploadBenchmark \
  "$size" "$rounds" "$work"

#!/usr/bin/env bash
# Side-by-side JMH run of two revisions in one session: the bench module of the working tree is
# built against the code of <base> (a git revision, in a temporary worktree) and against the
# working tree, and the two are run alternately, <rounds> times each, so that both see the same
# machine load. Prints each run's JMH result lines, labelled base or head.
# Usage: bench/run-ab.sh <base> <rounds> [JMH arguments]
#   e.g. bench/run-ab.sh HEAD~1 3 StoreInsertBenchmark -p batch=5000
set -euo pipefail
cd "$(dirname "$0")/.."
base="$1"
rounds="$2"
shift 2
work="$(mktemp -d -t pbk-ab.XXXXXX)"
cleanup() {
  git worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
git worktree add --detach "$work/base" "$base" >/dev/null
# The same benchmark code on both sides: only the code under test differs.
rm -rf "$work/base/bench/src"
cp -r bench/src "$work/base/bench/src"
build() {
  (cd "$1" && ./mvnw -B -q -o -pl bench -am package dependency:build-classpath -DskipTests \
    -Dspotless.check.skip=true -Dmdep.outputFile="$2" 2>/dev/null \
    || ./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests \
      -Dspotless.check.skip=true -Dmdep.outputFile="$2")
}
build "$work/base" "$work/base-classpath.txt"
build "$PWD" "$work/head-classpath.txt"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -n 1)"
echo "== base $(git rev-parse --short "$base"), head $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + working tree changes')"
for round in $(seq 1 "$rounds"); do
  for side in base head; do
    root="$work/base"
    [[ "$side" == head ]] && root="$PWD"
    echo "== round $round $side, load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -cp "$root/bench/target/classes:$(cat "$work/$side-classpath.txt")" org.openjdk.jmh.Main \
      -f 1 -wi 2 -w 2s -i 3 -r 2s -jvmArgs -Xmx512m "$@" 2>&1 \
      | grep -E "^Benchmark|avgt|thrpt" | sed "s/^/$side  /"
  done
done

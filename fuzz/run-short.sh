#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the statement-parser fuzz targets with clang (libFuzzer + ASan + UBSan) in build-fuzz/
# and runs each for a short while, seeded from the shared sample files (copied to a temp
# corpus, never into the repo). Any crash, hang (>10 s per input) or leak fails the script.
#   fuzz/run-short.sh [SECONDS]     (default 30 per target; env FUZZ_SECONDS also works)
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build="$src/build-fuzz"
data="${TENURE_SHARED_DATA:-$src/../shared/data}"
seconds="${1:-${FUZZ_SECONDS:-30}}"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CFLAGS="-fsanitize=fuzzer-no-link" \
    meson setup "$build" "$src" -Dapp=false -Dfuzzing=true \
      -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" fuzz/fuzz-camt053 fuzz/fuzz-mt940 fuzz/fuzz-ofx fuzz/fuzz-bank-csv

work=$(mktemp -d /tmp/tenure-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/camt053" "$work/mt940" "$work/ofx" "$work/bank-csv"
cp "$data"/camt053/*.xml "$work/camt053/" 2>/dev/null || true
cp "$data"/mt940/*.sta "$work/mt940/" 2>/dev/null || true
cp "$data"/ofx/*.ofx "$work/ofx/" 2>/dev/null || true
cp "$data"/cn-bank/*.csv "$work/bank-csv/" 2>/dev/null || true

export G_DEBUG=fatal-criticals
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
for t in camt053 mt940 ofx bank-csv; do
  echo "fuzz-$t: ${seconds}s, $(ls "$work/$t" | wc -l) seed files" >&2
  mkdir -p "$build/fuzz-artifacts"
  if ! (cd "$work" && "$build/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 \
          -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
          -artifact_prefix="$build/fuzz-artifacts/$t-" "$work/$t" \
          >"$work/$t.log" 2>&1); then
    echo "fuzz-$t FAILED (input kept in $build/fuzz-artifacts/):" >&2
    grep -v '^#[0-9]' "$work/$t.log" | grep -v -E '^\s+#[0-9]+ .*(fuzzer::|libc|_start)' \
      | tail -n 80 >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$work/$t.log" \
      | sed "s/^/fuzz-$t /" >&2
  fi
done
exit $status

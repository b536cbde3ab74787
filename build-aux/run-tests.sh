#!/usr/bin/env bash
# Installs what is missing, builds and runs every test: the README's test command, and what
# .ci/run runs. Usage:
#   build-aux/run-tests.sh              normal build (build/), warnings as errors
#   build-aux/run-tests.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-normal}
"$(pwd)/build-aux/install-deps.sh" --test

case "$mode" in
  --sanitize)
    builddir=build-asan
    setup_args=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug)
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export LSAN_OPTIONS="suppressions=$(pwd)/build-aux/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    # Property tests and fuzzing loops run fewer iterations under the sanitizers' slowdown.
    export TENURE_TEST_ITERATIONS=${TENURE_TEST_ITERATIONS:-200}
    timeout_multiplier=4
    ;;
  *)
    builddir=build
    setup_args=()
    timeout_multiplier=2
    ;;
esac

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --werror "${setup_args[@]}"
fi
meson compile -C "$builddir"

# A quiet, stable display for the UI tests (platform.md): Xvfb, the Cairo renderer, no portal,
# no accessibility bus, GSettings in memory.
export GSK_RENDERER=cairo GTK_A11Y=none GSETTINGS_BACKEND=memory ADW_DISABLE_PORTAL=1
export LANG=C.UTF-8 NO_AT_BRIDGE=1
status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
  meson test -C "$builddir" --print-errorlogs --timeout-multiplier "$timeout_multiplier" \
  || status=$?

# One plain closing line that any CI reader understands, counted from meson's own log.
/usr/bin/python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line).get("result", "")
    key = {"OK": "OK", "EXPECTEDFAIL": "OK", "SKIP": "SKIP"}.get(r, "FAIL")
    counts[key] += 1
print(f"{counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit "$status"

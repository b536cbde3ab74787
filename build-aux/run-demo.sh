#!/usr/bin/env bash
# Installs what is missing, builds, and opens Tenure on the embedded SQLite backend with the
# demo portfolio. The demo lives in a file of its own ($XDG_DATA_HOME/tenure/demo.db), generated
# on first use; the user's own database is never touched. Extra arguments go to the app
# (e.g. LANGUAGE=zh_CN build-aux/run-demo.sh for the Chinese interface).
set -euo pipefail
cd "$(dirname "$0")/.."

"$(pwd)/build-aux/install-deps.sh"
[ -f build/build.ninja ] || meson setup build
meson compile -C build
# devenv runs the app uninstalled: the build's GSettings schema and translations.
exec meson devenv -C build tenure --demo "$@"

#!/bin/sh
# Runs "$@" on a private session bus with an unlocked gnome-keyring of its own (secrets only,
# in a temporary HOME), and exports TENURE_TEST_KEYRING=1. Without dbus-run-session or
# gnome-keyring-daemon the command runs as it is (keyring tests skip, or fail with CI=true).
set -u

if [ -z "${TENURE_KEYRING_INNER:-}" ]; then
  if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
    echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing" >&2
    exec "$@"
  fi
  export TENURE_KEYRING_INNER=1
  exec dbus-run-session -- "$0" "$@"
fi

KEYRING_HOME=$(mktemp -d /tmp/tenure-keyring.XXXXXX)
trap 'rm -rf "$KEYRING_HOME"' EXIT INT TERM
export HOME="$KEYRING_HOME" XDG_DATA_HOME="$KEYRING_HOME/data" XDG_CACHE_HOME="$KEYRING_HOME/cache"
# The password unlocks the new login keyring; nothing in it outlives the test.
printf 'tenure-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
  || { echo "with-keyring: gnome-keyring-daemon did not start" >&2; exec "$@"; }
export TENURE_TEST_KEYRING=1
"$@"

#!/bin/sh
# The one list of Debian 12 packages Tenure needs. README's commands and .ci/run both call this,
# so a package missing here fails everywhere, not only on a fresh machine.
#   install-deps.sh        build + run the app
#   install-deps.sh --test also what the test suite needs (Xvfb, PostgreSQL server, fonts, validators)
set -eu

BUILD="meson ninja-build gcc pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev libpq-dev libxlsxwriter-dev libsecret-1-dev
  libjson-glib-dev libxml2-dev libarchive-dev libcsv-dev
  desktop-file-utils appstream fonts-wqy-microhei"
TEST="xvfb xauth dbus dbus-x11 postgresql imagemagick flatpak-builder locales
  gnome-keyring sqlite3 clang libclang-rt-14-dev poppler-utils libreoffice-calc"

pkgs="$BUILD"
[ "${1:-}" = "--test" ] && pkgs="$pkgs $TEST"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing

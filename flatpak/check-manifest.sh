#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the Flatpak manifest without building it (the runtime cannot be downloaded here):
#   1. flatpak-builder parses it and prints nothing on stderr (it only warns, exit 0, on an
#      unknown or misspelt key, so its stderr is what tells);
#   2. every downloaded source (archive, file, patch with a url) is pinned by a 64-hex sha256 and
#      fetched over https, every git source by a commit;
#   3. the sandbox gets no home or host filesystem access (files come through the portal);
#   4. the id names data/<id>.desktop.in and .metainfo.xml.in, whose Exec is the command.
# Then it feeds the checks broken copies of the manifest and requires each one to be rejected,
# so a check that cannot fail is caught. Output is TAP; diagnostics go to stderr.
#
#   check-manifest.sh MANIFEST
set -u

manifest=${1:?usage: check-manifest.sh MANIFEST}
PY=/usr/bin/python3 # Debian's, installed with meson; another python3 may come first on PATH
[ -x "$PY" ] || PY=python3

if ! command -v flatpak-builder >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "1..1"
    echo "not ok 1 - flatpak-builder is not installed (build-aux/install-deps.sh --test)"
    exit 1
  fi
  echo "1..0 # SKIP flatpak-builder is not installed"
  exit 0
fi
if [ ! -r "$manifest" ]; then
  echo "1..1"
  echo "not ok 1 - cannot read $manifest"
  exit 1
fi

# The data files beside the real manifest (broken copies are written elsewhere).
datadir="$(cd "$(dirname "$manifest")/.." && pwd)/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tenure-manifest.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The checks in Python (json is in the standard library). Modes:
#   sources|sandbox MANIFEST, identity MANIFEST DATADIR: report problems on stderr, exit 1 if any;
#   mutate KIND IN OUT: write a copy of IN broken in one way.
CHECK_PY='
import json, os, re, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def sources_of(mod, base, where):
    # Modules and sources may be given inline or as the name of a JSON file beside the manifest.
    for i, src in enumerate(mod.get("sources", [])):
        if isinstance(src, str):
            path = os.path.join(base, src)
            loaded = load(path)
            for j, s in enumerate(loaded if isinstance(loaded, list) else [loaded]):
                yield s, "%s, sources file %s[%d]" % (where, src, j)
        else:
            yield src, "%s, source %d (%s)" % (where, i + 1, src.get("type", "?"))

def modules_of(node, base, where):
    for i, mod in enumerate(node.get("modules", [])):
        mbase = base
        if isinstance(mod, str):
            path = os.path.join(base, mod)
            mod, mbase = load(path), os.path.dirname(path)
        name = "%s/%s" % (where, mod.get("name", "#%d" % (i + 1)))
        yield mod, mbase, name
        yield from modules_of(mod, mbase, name)

def check_sources(path):
    problems = []
    base = os.path.dirname(os.path.abspath(path))
    count = 0
    for mod, mbase, name in modules_of(load(path), base, "modules"):
        for src, where in sources_of(mod, mbase, name):
            kind = src.get("type")
            if kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", src.get("commit", "")):
                    problems.append("%s: git source without a full commit id" % where)
                continue
            if "url" not in src:
                continue
            count += 1
            if not src["url"].startswith("https://"):
                problems.append("%s: url is not https: %s" % (where, src["url"]))
            for m in src.get("mirror-urls", []):
                if not m.startswith("https://"):
                    problems.append("%s: mirror url is not https: %s" % (where, m))
            sha = src.get("sha256")
            if sha is None:
                problems.append("%s: %s has no sha256" % (where, src["url"]))
            elif not re.fullmatch(r"[0-9a-f]{64}", sha):
                problems.append("%s: sha256 is not 64 lower-case hex digits: %r" % (where, sha))
    if count == 0:
        problems.append("no downloaded source found at all: is this the right manifest?")
    return problems

def check_sandbox(path):
    problems = []
    for arg in load(path).get("finish-args", []):
        m = re.fullmatch(r"--filesystem=([^:]*)(:.*)?", arg)
        wide = r"(home|host|host-os|host-etc|xdg-[a-z-]+|~|/home|/root|/)(/.*)?"
        if m and re.fullmatch(wide, m.group(1)):
            problems.append("finish-args: %s gives file access beyond the portal" % arg)
    return problems

def check_identity(path, data):
    # The app must be launchable as the manifest says: its id names the data files and its
    # command is what the desktop file executes.
    problems = []
    m = load(path)
    app_id, command = m.get("id", m.get("app-id")), m.get("command")
    desktop = os.path.join(data, "%s.desktop.in" % app_id)
    if not os.path.exists(os.path.join(data, "%s.metainfo.xml.in" % app_id)):
        problems.append("id %s: data/%s.metainfo.xml.in does not exist" % (app_id, app_id))
    if not os.path.exists(desktop):
        problems.append("id %s: data/%s.desktop.in does not exist" % (app_id, app_id))
        return problems
    with open(desktop, encoding="utf-8") as f:
        execs = [l.split("=", 1)[1].split()[0] for l in f if l.startswith("Exec=")]
    if execs != [command]:
        problems.append("command %r but the desktop file runs %r" % (command, execs))
    return problems

def mutate(kind, src_path, out_path):
    m = load(src_path)
    archives = [s for mod, _, _ in modules_of(m, os.path.dirname(src_path), "")
                for s in mod.get("sources", []) if isinstance(s, dict) and "url" in s]
    first = archives[0]
    if kind == "unknown-key":
        m["finish-arg"] = ["--share=network"]
    elif kind == "no-sha256":
        del archives[-1]["sha256"]
    elif kind == "short-sha256":
        first["sha256"] = first["sha256"][:63]
    elif kind == "md5-only":
        first["md5"] = "0" * 32
        del first["sha256"]
    elif kind == "http-url":
        first["url"] = first["url"].replace("https://", "http://", 1)
    elif kind == "wrong-command":
        m["command"] = "tenure-gtk"
    elif kind == "home-access":
        m.setdefault("finish-args", []).append("--filesystem=home")
    else:
        sys.exit("unknown mutation " + kind)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(m, f, indent=2)

mode = sys.argv[1]
if mode == "mutate":
    mutate(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.exit(0)
checks = {"sources": check_sources, "sandbox": check_sandbox, "identity": check_identity}
problems = checks[mode](*sys.argv[2:])
for p in problems:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
'

# Parses FILE with flatpak-builder; succeeds only with exit 0 and an empty stderr.
parses_clean () {
  flatpak-builder --show-manifest "$1" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
    echo "  flatpak-builder --show-manifest $1: exit $rc, stderr:" >&2
    sed 's/^/    /' "$tmp/err" >&2
    return 1
  fi
  return 0
}
sources_pinned () { "$PY" -c "$CHECK_PY" sources "$1"; }
sandbox_tight () { "$PY" -c "$CHECK_PY" sandbox "$1"; }
identity_matches () { "$PY" -c "$CHECK_PY" identity "$1" "$datadir"; }

n=0
failed=0
report () { # report OK|FAIL description
  n=$((n + 1))
  if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

echo "1..11"
if parses_clean "$manifest"; then r=OK; else r=FAIL; fi
report $r "flatpak-builder parses $(basename "$manifest") with nothing on stderr"
if sources_pinned "$manifest"; then r=OK; else r=FAIL; fi
report $r "every downloaded source is https and pinned by a sha256"
if sandbox_tight "$manifest"; then r=OK; else r=FAIL; fi
report $r "no home or host filesystem access"
if identity_matches "$manifest"; then r=OK; else r=FAIL; fi
report $r "id names the data files, command is the desktop file's Exec"

# Negative controls: each broken copy must be rejected by the check named.
for case in unknown-key:parses_clean no-sha256:sources_pinned short-sha256:sources_pinned \
            md5-only:sources_pinned http-url:sources_pinned home-access:sandbox_tight \
            wrong-command:identity_matches; do
  kind=${case%%:*}
  check=${case#*:}
  bad="$tmp/$kind.json"
  if ! "$PY" -c "$CHECK_PY" mutate "$kind" "$manifest" "$bad"; then
    report FAIL "cannot build the $kind copy"
    continue
  fi
  echo "# expecting $check to reject the $kind copy:" >&2
  if $check "$bad" 2>"$tmp/why"; then
    report FAIL "$check accepted a manifest with $kind"
  else
    sed 's/^/# /' "$tmp/why" >&2
    report OK "$check rejects a manifest with $kind"
  fi
done

exit $failed

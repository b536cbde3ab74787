#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the Flatpak manifest's module recipes on this (Debian) machine, without flatpak-builder.

The GNOME runtime cannot be downloaded here, so flatpak-builder cannot build. This script reads
the same manifest and runs each module's own recipe (archive + sha256, shell sources, the
autotools/cmake-ninja/meson/simple build steps, config-opts, build-commands, build-options env)
with PREFIX standing in for /app, then links a small program against the installed libraries.
It proves the recipes, options and checksums are right; it does not prove the runtime has what
we expect (see docs/flatpak.md).

  flatpak/try-modules.py [--work DIR] [--cache DIR] [--jobs N] [--with-app] MANIFEST

Archives are looked for in --cache first (a file named like the URL's last part), else
downloaded from the URL or its mirror-urls; every one is checked against its sha256.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

SMOKE_C = r"""
#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>
#include <xlsxwriter.h>
#include <csv.h>

static int fields;
static void
field_cb (void *s, size_t len, void *data)
{
  (void) s; (void) len; (void) data;
  fields++;
}

int
main (int argc, char **argv)
{
  struct csv_parser p;
  const char *line = "a,\"b,c\",d\n";
  lxw_workbook *wb;
  lxw_worksheet *ws;

  (void) argc;
  printf ("libpq %d\n", PQlibVersion ());
  printf ("libxlsxwriter %s\n", lxw_version ());
  if (csv_init (&p, 0) != 0)
    return 1;
  csv_parse (&p, line, strlen (line), field_cb, NULL, NULL);
  csv_fini (&p, field_cb, NULL, NULL);
  csv_free (&p);
  printf ("libcsv fields %d\n", fields);
  wb = workbook_new (argv[1]);
  ws = workbook_add_worksheet (wb, NULL);
  worksheet_write_number (ws, 0, 0, 1234.56, NULL);
  return workbook_close (wb) == LXW_NO_ERROR && fields == 3 ? 0 : 1;
}
"""


def log(msg):
    print(f"try-modules: {msg}", file=sys.stderr, flush=True)


def run(cmd, cwd, env, shell=False):
    log(f"[{os.path.basename(cwd)}] {cmd if shell else ' '.join(cmd)}")
    subprocess.run(["sh", "-c", cmd] if shell else cmd, cwd=cwd, env=env, check=True)


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(src, cache):
    name = urllib.parse.unquote(os.path.basename(urllib.parse.urlparse(src["url"]).path))
    path = os.path.join(cache, name)
    if not os.path.exists(path):
        for url in [src["url"]] + src.get("mirror-urls", []):
            try:
                log(f"downloading {url}")
                with urllib.request.urlopen(url, timeout=60) as r, open(path + ".part", "wb") as f:
                    shutil.copyfileobj(r, f)
                os.rename(path + ".part", path)
                break
            except OSError as e:
                log(f"  failed: {e}")
        else:
            sys.exit(f"try-modules: cannot fetch {name} from any URL")
    got = sha256_of(path)
    if got != src.get("sha256"):
        sys.exit(f"try-modules: {name}: sha256 {got} does not match manifest {src.get('sha256')}")
    log(f"{name}: sha256 matches the manifest")
    return path


def to_prefix(value, prefix):
    # Paths the manifest writes for the sandbox's /app live under PREFIX here.
    return value.replace("/app", prefix) if value.startswith("/app") else value


def build_module(mod, manifest_dir, work, cache, prefix, base_env, jobs):
    name = mod["name"]
    srcdir = os.path.join(work, "src", name)
    shutil.rmtree(srcdir, ignore_errors=True)
    os.makedirs(srcdir)
    env = dict(base_env)
    for k, v in mod.get("build-options", {}).get("env", {}).items():
        env[k] = ":".join(to_prefix(p, prefix) for p in v.split(":"))

    for src in mod.get("sources", []):
        kind = src["type"]
        if kind == "archive":
            archive = fetch(src, cache)
            strip = src.get("strip-components", 1)
            run(["tar", "-xf", archive, f"--strip-components={strip}"], srcdir, env)
        elif kind == "shell":
            for cmd in src["commands"]:
                run(cmd, srcdir, env, shell=True)
        elif kind == "dir":
            # meson builds out of tree: build the checkout where it is.
            shutil.rmtree(srcdir)
            srcdir = os.path.normpath(os.path.join(manifest_dir, src["path"]))
        else:
            sys.exit(f"try-modules: {name}: source type {kind} not handled here")

    system = mod.get("buildsystem", "autotools")
    opts = [to_prefix(o, prefix) for o in mod.get("config-opts", [])]
    if system == "simple":
        for cmd in mod["build-commands"]:
            run(cmd, srcdir, env, shell=True)
    elif system == "autotools":
        run(["./configure", f"--prefix={prefix}"] + opts, srcdir, env)
        run(["make", f"-j{jobs}"], srcdir, env)
        run(["make", "install"], srcdir, env)
    elif system == "cmake-ninja":
        bdir = os.path.join(work, "build", name)
        shutil.rmtree(bdir, ignore_errors=True)
        run(["cmake", "-G", "Ninja", "-S", srcdir, "-B", bdir,
             f"-DCMAKE_INSTALL_PREFIX={prefix}"] + opts, srcdir, env)
        run(["ninja", "-C", bdir, "install"], srcdir, env)
    elif system == "meson":
        bdir = os.path.join(work, "build", name)
        shutil.rmtree(bdir, ignore_errors=True)
        run(["meson", "setup", bdir, srcdir, f"--prefix={prefix}", "--libdir=lib",
             "--buildtype=release"] + opts, srcdir, env)
        run(["ninja", "-C", bdir, "install"], srcdir, env)
    else:
        sys.exit(f"try-modules: {name}: buildsystem {system} not handled here")
    if "post-install" in mod:
        for cmd in mod["post-install"]:
            run(cmd, srcdir, env, shell=True)


def smoke(work, prefix, env):
    c = os.path.join(work, "smoke.c")
    exe = os.path.join(work, "smoke")
    with open(c, "w") as f:
        f.write(SMOKE_C)
    pc = subprocess.run(["pkg-config", "--cflags", "--libs", "libpq", "xlsxwriter"], env=env,
                        check=True, capture_output=True, text=True).stdout.split()
    run(["cc", "-Wall", "-o", exe, c] + pc + ["-lcsv"], work, env)
    xlsx = os.path.join(work, "smoke.xlsx")
    out = subprocess.run([exe, xlsx], env=env, check=True, capture_output=True, text=True).stdout
    log("smoke program says: " + out.strip().replace("\n", "; "))
    ldd = subprocess.run(["ldd", exe], env=env, check=True, capture_output=True, text=True).stdout
    for lib in ("libpq.so", "libxlsxwriter.so", "libcsv.so"):
        line = next((l for l in ldd.splitlines() if lib in l), "")
        if prefix not in line:
            sys.exit(f"try-modules: {lib} does not resolve to {prefix}: {line.strip()}")
    log("libpq, libxlsxwriter and libcsv resolve to the prefix; smoke.xlsx written")


def check_installed(prefix, env):
    # The installed programs must load, and any of the three libraries they need must be the
    # module-built one (a program links libcsv or libxlsxwriter only once it uses them).
    bindir = os.path.join(prefix, "bin")
    for name in sorted(os.listdir(bindir)):
        ldd = subprocess.run(["ldd", os.path.join(bindir, name)], env=env,
                             capture_output=True, text=True).stdout
        if "not found" in ldd:
            sys.exit(f"try-modules: bin/{name} has unresolved libraries:\n{ldd}")
        used = [l.split()[0] for l in ldd.splitlines()
                if any(lib in l for lib in ("libpq.so", "libxlsxwriter.so", "libcsv.so"))]
        for l in ldd.splitlines():
            if l.split() and l.split()[0] in used and prefix not in l:
                sys.exit(f"try-modules: bin/{name}: {l.strip()} is not the module's build")
        log(f"bin/{name} loads; of the three modules it needs: {', '.join(used) or 'none'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifest")
    ap.add_argument("--work", default="/tmp/tenure-flatpak-try")
    ap.add_argument("--cache", default=None, help="directory of already downloaded archives")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--with-app", action="store_true", help="also build the dir-source module")
    args = ap.parse_args()

    with open(args.manifest) as f:
        manifest = json.load(f)
    manifest_dir = os.path.dirname(os.path.abspath(args.manifest))
    work = os.path.abspath(args.work)
    prefix = os.path.join(work, "app")
    cache = os.path.abspath(args.cache or os.path.join(work, "downloads"))
    shutil.rmtree(prefix, ignore_errors=True)
    os.makedirs(cache, exist_ok=True)

    env = dict(os.environ)
    env.update({
        "FLATPAK_DEST": prefix,
        "FLATPAK_ID": manifest["id"],
        "FLATPAK_BUILDER_N_JOBS": str(args.jobs),
        "PKG_CONFIG_PATH": f"{prefix}/lib/pkgconfig:{prefix}/share/pkgconfig",
        "C_INCLUDE_PATH": f"{prefix}/include",
        "LIBRARY_PATH": f"{prefix}/lib",
        "LD_LIBRARY_PATH": f"{prefix}/lib",
    })

    for mod in manifest["modules"]:
        is_app = any(s["type"] == "dir" for s in mod.get("sources", []))
        if is_app and not args.with_app:
            log(f"skipping {mod['name']} (dir source; pass --with-app to build it)")
            continue
        build_module(mod, manifest_dir, work, cache, prefix, env, args.jobs)
        if not is_app:
            log(f"module {mod['name']} built and installed into {prefix}")
    smoke(work, prefix, env)
    if args.with_app:
        check_installed(prefix, env)


if __name__ == "__main__":
    main()

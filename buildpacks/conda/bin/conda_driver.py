"""The conda buildpack's driver around py-rattler (the solver and installer), run with the Python of
the build-only "rattler" layer. The TypeScript side parses environment.yml / the explicit lock, decides
what to do and renders every message; this script only talks to rattler and the network.

  conda_driver.py resolve REQUEST.json RESULT.json   solve (or, for an explicit lock, download and
                                                     verify every file): RESULT holds the resolved set
  conda_driver.py install REQUEST.json RESULT.json   the same, then installs the set into the prefix

REQUEST: {"channels": [url...], "specs": [matchspec...], "platform": "linux-64", "cache_dir": DIR,
          "prefix": DIR, "explicit": [{"url", "kind": "sha256"|"md5", "hash", "line"}] or null,
          "expect": digest of the resolved set (install only: the set must not have changed)}
RESULT:  {"ok": true, "packages": [{"name", "version", "build", "subdir", "file_name", "url", "sha256"}]}
      or {"ok": false, "kind": "unsatisfiable"|"invalid-spec"|"unreachable"|"hash-mismatch"|"download"|"install"|"changed",
          "message": str, ...}
Exit status: 0 when RESULT was written (ok or not), anything else is a crash (traceback on stderr).
"""

import asyncio
import hashlib
import json
import os
import sys
import traceback

import rattler
import rattler.package_streaming
from rattler import exceptions as rx


class Failure(Exception):
    def __init__(self, kind, message, **extra):
        super().__init__(message)
        self.result = {"ok": False, "kind": kind, "message": message, **extra}


def describe(records):
    packages = [
        {
            "name": r.name.normalized,
            "version": str(r.version),
            "build": str(r.build),
            "subdir": str(r.subdir),
            "file_name": str(r.file_name),
            "url": str(r.url),
            "sha256": r.sha256.hex() if r.sha256 else "",
        }
        for r in records
    ]
    return sorted(packages, key=lambda p: (p["name"], p["subdir"], p["file_name"]))


def digest(packages):
    """The resolved set's identity: install re-solves and must get the set resolve reported."""
    lines = "".join(f"{p['subdir']}/{p['file_name']} {p['sha256']}\n" for p in packages)
    return hashlib.sha256(lines.encode()).hexdigest()


def client():
    """rattler's standard client (retries and authentication): a private channel's credentials come
    from the file RATTLER_AUTH_FILE names, keyed by host, never from the URLs (which rattler records)."""
    return rattler.Client.default_client()


async def solve(req):
    gateway = rattler.Gateway(cache_dir=os.path.join(req["cache_dir"], "repodata"), client=client())
    platforms = [req["platform"], "noarch"]
    try:
        virtual = rattler.VirtualPackage.detect()
    except Exception:  # no glibc/cuda probe possible: solve without virtual packages
        virtual = []
    try:
        return await rattler.solve(
            sources=req["channels"],
            specs=req["specs"],
            gateway=gateway,
            platforms=platforms,
            virtual_packages=virtual,
        )
    except rx.SolverError as err:
        raise Failure("unsatisfiable", str(err)) from err
    except (rx.InvalidMatchSpecError, rx.InvalidPackageNameError, rx.InvalidVersionSpecError) as err:
        raise Failure("invalid-spec", str(err)) from err
    except (rx.GatewayError, rx.FetchRepoDataError, rx.IoError) as err:
        raise Failure("unreachable", str(err)) from err


def file_hash(path, kind):
    h = hashlib.sha256() if kind == "sha256" else hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


async def fetch_explicit(req):
    """Downloads each file of the explicit lock into the package cache (kept when its hash still matches),
    verifies it against the lock's hash and reads its record from the archive itself: nothing is solved."""
    downloads = os.path.join(req["cache_dir"], "explicit")
    os.makedirs(downloads, exist_ok=True)
    http = client()
    records = []
    for entry in req["explicit"]:
        url, kind, want = entry["url"], entry["kind"], entry["hash"].lower()
        name = url.rsplit("/", 1)[-1]
        path = os.path.join(downloads, name)
        if not (os.path.isfile(path) and file_hash(path, kind) == want):
            try:
                await rattler.package_streaming.download_to_path(http, url, path + ".part")
            except Exception as err:
                raise Failure("unreachable", f"{url}: {err}", url=url, line=entry["line"]) from err
            got = file_hash(path + ".part", kind)
            if got != want:
                os.remove(path + ".part")
                raise Failure(
                    "hash-mismatch",
                    f"{name}: {kind} {got}, the lock says {want}",
                    url=url,
                    line=entry["line"],
                    kind_of_hash=kind,
                    expected=want,
                    actual=got,
                )
            os.replace(path + ".part", path)
        record = await rattler.RepoDataRecord.from_package_archive(path)
        records.append(record)
    return records


async def resolve(req):
    if req.get("explicit") is not None:
        return await fetch_explicit(req)
    return await solve(req)


async def install(req, records):
    try:
        await rattler.install(
            records,
            target_prefix=req["prefix"],
            cache_dir=os.path.join(req["cache_dir"], "pkgs"),
            platform=rattler.Platform(req["platform"]),
            show_progress=False,
            execute_link_scripts=False,
            client=client(),
        )
    except Exception as err:
        if isinstance(err, (rx.FetchRepoDataError, rx.IoError)) or "error sending request" in str(err):
            raise Failure("unreachable", str(err)) from err
        raise Failure("install", str(err)) from err


async def main(command, request_path, result_path):
    with open(request_path) as f:
        req = json.load(f)
    try:
        records = await resolve(req)
        packages = describe(records)
        if command == "install":
            if req.get("expect") and digest(packages) != req["expect"]:
                raise Failure("changed", "the channels returned another package set than a moment ago")
            await install(req, records)
        result = {"ok": True, "packages": packages, "digest": digest(packages)}
    except Failure as failure:
        result = failure.result
    with open(result_path, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("resolve", "install"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    status = 0
    try:
        asyncio.run(main(*sys.argv[1:]))
    except Exception:
        traceback.print_exc()
        status = 1
    # os._exit, not a normal exit: py-rattler's tokio worker threads can still touch Python objects
    # while the interpreter finalizes, which segfaults now and then (seen with Python 3.13 as
    # "tokio-rt-worker segfault" after the result was written; pyo3-async-runtimes has no safe
    # shutdown). The result file is closed by then; nothing else needs finalizing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)

"""Builds the e2e tests' local conda channel from real artifacts (run by scripts/conda-channel.sh in the
cpu build image, with conda-package-handling and py-rattler installed hash-pinned).

  conda-forge/linux-64/python-3.11.2-0.tar.bz2         the CPython 3.11.2 scripts/python-mirror.sh builds
                                                       from Debian's source package (relocatable layout)
  conda-forge/linux-64/numpy-2.2.6-py311_0.tar.bz2     numpy's manylinux wheel for CPython 3.11,
                                                       depends on python >=3.11,<3.12
  conda-forge/noarch/tabulate-0.9.0-pyhd8ed1ab_0.tar.bz2  tabulate's pure wheel as a `noarch: python`
                                                       package (site-packages/ + an entry point the
                                                       installer turns into bin/tabulate)
  conda-forge/noarch/pip-25.1.1-pyhd8ed1ab_0.tar.bz2   pip's wheel, the same way (an environment.yml's
                                                       `- pip:` section needs `- pip` in dependencies,
                                                       as with conda-forge, whose python has no pip)

Each package has info/index.json, info/files, info/paths.json (sha256 and size of every file) and, for
noarch, info/link.json: what conda and rattler read. rattler.index.index_fs writes repodata.json. The
channel is named conda-forge so an app's environment.yml reads as in production; builds reach it
through BP_CONDA_CHANNEL_ALIAS=http://127.0.0.1:<port>.

usage: conda-channel.py CPYTHON_TARBALL WHEEL_DIR OUT_DIR
"""

import asyncio
import hashlib
import json
import os
import shutil
import sys
import tarfile
import tempfile
import zipfile

from conda_package_handling import api as cph
from rattler.index import index_fs

CHANNEL = "conda-forge"
# A fixed build time: the same inputs give the same index.json.
TIMESTAMP = 1764288000000


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def walk(prefix):
    """Every file and symlink under prefix, relative, sorted (directories are implied)."""
    found = []
    for root, dirs, files in os.walk(prefix):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            found.append(os.path.relpath(os.path.join(root, name), prefix))
    return sorted(p for p in found if not p.startswith("info/"))


def paths_json(prefix, files):
    entries = []
    for rel in files:
        full = os.path.join(prefix, rel)
        if os.path.islink(full):
            entries.append({"_path": rel, "path_type": "softlink", "size_in_bytes": 0})
        else:
            entries.append(
                {"_path": rel, "path_type": "hardlink", "sha256": sha256(full), "size_in_bytes": os.path.getsize(full)}
            )
    return {"paths": entries, "paths_version": 1}


def package(prefix, out_dir, index, link=None):
    """Writes info/ for the files under prefix and packs <name>-<version>-<build>.tar.bz2 into out_dir."""
    files = walk(prefix)
    info = os.path.join(prefix, "info")
    os.makedirs(info, exist_ok=True)
    with open(os.path.join(info, "index.json"), "w") as f:
        json.dump(index, f, indent=2, sort_keys=True)
    with open(os.path.join(info, "files"), "w") as f:
        f.write("".join(p + "\n" for p in files))
    with open(os.path.join(info, "paths.json"), "w") as f:
        json.dump(paths_json(prefix, files), f, indent=2, sort_keys=True)
    meta = ["info/index.json", "info/files", "info/paths.json"]
    if link is not None:
        with open(os.path.join(info, "link.json"), "w") as f:
            json.dump(link, f, indent=2, sort_keys=True)
        meta.append("info/link.json")
    name = f"{index['name']}-{index['version']}-{index['build']}.tar.bz2"
    os.makedirs(out_dir, exist_ok=True)
    cph.create(prefix, meta + files, name, out_folder=out_dir)
    print(f"conda-channel: {index['subdir']}/{name} ({len(files)} files)")


def base_index(name, version, build, subdir, depends):
    index = {
        "name": name,
        "version": version,
        "build": build,
        "build_number": 0,
        "depends": depends,
        "license": "see the upstream project",
        "subdir": subdir,
        "timestamp": TIMESTAMP,
    }
    if subdir == "linux-64":
        index.update({"arch": "x86_64", "platform": "linux"})
    return index


def python_package(tarball, work, out):
    prefix = os.path.join(work, "python")
    with tarfile.open(tarball) as t:
        t.extractall(work, filter="tar")  # python/... (python-build-standalone's install_only layout)
    # conda-forge's python carries no pip: pip is a package of its own (below).
    site = os.path.join(prefix, "lib", "python3.11", "site-packages")
    for name in os.listdir(site):
        if name == "pip" or (name.startswith("pip-") and name.endswith(".dist-info")):
            shutil.rmtree(os.path.join(site, name))
    for name in os.listdir(os.path.join(prefix, "bin")):
        if name.startswith("pip"):
            os.remove(os.path.join(prefix, "bin", name))
    package(prefix, os.path.join(out, "linux-64"), base_index("python", "3.11.2", "0", "linux-64", []))


def unpack_wheel(wheel, dest):
    with zipfile.ZipFile(wheel) as z:
        z.extractall(dest)
    for root, _, files in os.walk(dest):
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


def numpy_package(wheel, work, out):
    prefix = os.path.join(work, "numpy")
    unpack_wheel(wheel, os.path.join(prefix, "lib", "python3.11", "site-packages"))
    index = base_index("numpy", "2.2.6", "py311_0", "linux-64", ["python >=3.11,<3.12"])
    package(prefix, os.path.join(out, "linux-64"), index)


# name -> (conda depends, entry points) of the pure wheels packed as `noarch: python` packages.
NOARCH = {
    "tabulate": (["python >=3.7"], ["tabulate = tabulate:_main"]),
    "pip": (["python >=3.9"], ["pip = pip._internal.cli.main:main", "pip3 = pip._internal.cli.main:main"]),
}


def noarch_package(wheel, work, out):
    name, version = os.path.basename(wheel).split("-")[:2]
    depends, entry_points = NOARCH[name]
    prefix = os.path.join(work, name)
    # noarch: python packages keep site-packages/ at the top; the installer moves it under the
    # environment's lib/pythonX.Y and writes the entry points listed in link.json.
    unpack_wheel(wheel, os.path.join(prefix, "site-packages"))
    index = base_index(name, version, "pyhd8ed1ab_0", "noarch", depends)
    index["noarch"] = "python"
    link = {"noarch": {"type": "python", "entry_points": entry_points}, "package_metadata_version": 1}
    package(prefix, os.path.join(out, "noarch"), index, link)


def main():
    tarball, wheels, out_dir = sys.argv[1:4]
    channel = os.path.join(out_dir, CHANNEL)
    shutil.rmtree(channel, ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        python_package(tarball, work, channel)
        for name in sorted(os.listdir(wheels)):
            path = os.path.join(wheels, name)
            if name.startswith("numpy-"):
                numpy_package(path, work, channel)
            elif name.split("-")[0] in NOARCH:
                noarch_package(path, work, channel)
    asyncio.run(index_fs(channel, write_zst=False, write_shards=False))
    for subdir in ("linux-64", "noarch"):
        with open(os.path.join(channel, subdir, "repodata.json")) as f:
            count = len(json.load(f).get("packages", {}))
        print(f"conda-channel: {CHANNEL}/{subdir}/repodata.json: {count} packages")


if __name__ == "__main__":
    main()
    # As buildpacks/conda/bin/conda_driver.py: skip interpreter finalization, which can race with
    # py-rattler's tokio worker threads (an occasional segfault at exit).
    sys.stdout.flush()
    os._exit(0)

"""Says where it runs: the multi-arch example (small on purpose: arm64 builds run under qemu here)."""

import platform

import six

print(f"hello from {platform.machine()} ({platform.system().lower()}), python {platform.python_version()}, six {six.__version__}")

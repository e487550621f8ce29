"""Loads the CUDA runtime from the cuda run image and reports its version. Needs no GPU:
cudaRuntimeGetVersion answers from libcudart itself; device calls would need a driver."""

import ctypes
import os

cudart = ctypes.CDLL("libcudart.so.12")
version = ctypes.c_int()
status = cudart.cudaRuntimeGetVersion(ctypes.byref(version))
major, minor = version.value // 1000, (version.value % 1000) // 10
print(f"libcudart loaded: status {status}, CUDA runtime {major}.{minor}")
count = ctypes.c_int()
device_status = cudart.cudaGetDeviceCount(ctypes.byref(count))
print(f"devices: {count.value if device_status == 0 else 'none (no GPU or driver here)'}")
print(f"NVIDIA_VISIBLE_DEVICES={os.environ.get('NVIDIA_VISIBLE_DEVICES')}")

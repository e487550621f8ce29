"""OpenCV with its GUI backend: only imports when libGL and GLib are in the image (see Aptfile)."""

import os
import platform
import sys

import cv2
import numpy as np


def main() -> None:
    image = np.zeros((48, 48), dtype=np.uint8)
    cv2.circle(image, (24, 24), 12, 255, thickness=-1)
    edges = cv2.Canny(image, 50, 150)
    gui = next(
        (line.split(":", 1)[1].strip() for line in cv2.getBuildInformation().splitlines()
         if line.strip().startswith("GUI:")),
        "unknown",
    )
    print(f"python {platform.python_version()} on {platform.machine()} as uid {os.getuid()}")
    print(f"opencv {cv2.__version__} (GUI: {gui}), hardware {os.environ.get('ML_BUILDPACKS_HARDWARE', '?')}")
    print(f"circle edge pixels: {int((edges > 0).sum())}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""A tiny ML-flavoured job: make an image, find its edges with OpenCV, summarise with pandas."""

import os
import platform
import sys

import cv2
import numpy as np
import pandas as pd


def main() -> None:
    image = np.zeros((64, 64), dtype=np.uint8)
    cv2.rectangle(image, (16, 16), (47, 47), 255, thickness=-1)
    edges = cv2.Canny(image, 50, 150)
    frame = pd.DataFrame({"row": np.arange(64), "edge_pixels": (edges > 0).sum(axis=1)})
    busiest = frame.sort_values(["edge_pixels", "row"], ascending=[False, True]).iloc[0]
    print(f"python {platform.python_version()} on {platform.machine()} as uid {os.getuid()}")
    print(f"opencv {cv2.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    print(f"edge pixels: {int(frame.edge_pixels.sum())}, busiest row: {int(busiest.row)}")
    print(f"greeting: {os.environ.get('GREETING', 'hello from ml-buildpacks')}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

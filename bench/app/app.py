"""The benchmark app: prints the OpenCV and pandas versions (importing cv2 needs libGL and GLib)."""

import cv2
import pandas as pd

print(f"opencv {cv2.__version__}, pandas {pd.__version__}")

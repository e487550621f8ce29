"""ml-buildpacks poetry example: prints a table made with a dependency from poetry.lock."""

import importlib.util
import os
import sys
from importlib.metadata import version

from tabulate import tabulate

rows = [["accuracy", 0.93], ["f1", 0.91]]
print(tabulate(rows, headers=["metric", "value"]))
print(f"poetry-app: tabulate {version('tabulate')} from {sys.prefix}")
# six is in the dev group only: the default build installs the main group.
print(f"dev group installed: {'yes' if importlib.util.find_spec('six') else 'no'}")
print(f"as uid {os.getuid()}")

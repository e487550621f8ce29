"""Draws bench/results/latest.png from latest.json (medians per scenario and tool).

Run by bench/run.mjs with matplotlib from a venv installed from bench/chart-requirements.txt
(every file sha256-pinned):  python chart.py RESULTS.json OUT.png
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SCENARIOS = ["fresh", "no-change", "code-change", "req-change"]
PANELS = [
    ("wallMs", "wall time (s)", 1000.0),
    ("memPeakWorkingSetBytes", "peak memory, working set as docker stats (MiB); dashed: 1 GiB", 1024.0**2),
    ("imageBytes", "image size, compressed (MiB)", 1024.0**2),
    ("pushedBytes", "bytes pushed (MiB)", 1024.0**2),
]


def main(src: str, out: str) -> None:
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    summary, tools, titles = doc["summary"], doc["tools"], doc["toolTitles"]
    scenarios = [s for s in SCENARIOS if s in summary]
    fig, axes = plt.subplots(2, 2, figsize=(13, 8.5))
    width = 0.8 / max(len(tools), 1)
    for ax, (key, label, scale) in zip(axes.flat, PANELS):
        for i, tool in enumerate(tools):
            values = [(summary[s].get(tool, {}).get(key) or 0) / scale for s in scenarios]
            xs = [j + (i - (len(tools) - 1) / 2) * width for j in range(len(scenarios))]
            bars = ax.bar(xs, values, width, label=titles[tool])
            ax.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
        ax.set_xticks(range(len(scenarios)), scenarios)
        ax.set_title(label, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        if key == "memPeakWorkingSetBytes":
            ax.axhline(1024, color="red", linestyle="--", linewidth=1)
    axes.flat[0].legend(fontsize=8)
    reps = doc["options"]["reps"]
    fig.suptitle(f"ml-buildpacks vs Docker BuildKit vs pack: OpenCV + pandas app, medians of {reps} run(s)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

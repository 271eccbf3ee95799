#!/usr/bin/env python3
"""Turns the peer benchmarks' results into docs/benchmarks.md and a plot.

Reads criterion's estimates (``<target>/criterion/**/new/estimates.json`` and
``benchmark.json`` beside each: median point estimate, its 95 % confidence
interval, and the elements per iteration) and the memory bench's
``<target>/peer-benches/memory.json``; writes ``docs/benchmarks.md`` (one
table per group: system, median and CI per operation, ratio to waitfor; the
targets from the issues, met or missed; the machine) and
``docs/benchmarks-timers.svg`` (cost per timer against timers pending, one
line per system). Standard library only.

Usage, from the workspace root, after
``cargo bench -p waitfor-peer-benches``::

    python3 scripts/bench_report.py [--target-dir DIR] [--out docs/benchmarks.md]

The target directory defaults to ``$CARGO_TARGET_DIR``, else ``target``.
"""

import argparse
import json
import math
import os
import platform
import subprocess
from collections import defaultdict
from pathlib import Path

# Sections below this marker are written by hand (measurements no criterion
# run produces); regenerating the report keeps them.
HAND_WRITTEN = "<!-- Written by hand below this line: bench_report.py keeps it. -->"

# Peers in display order; the reference system is always first.
ORDER = [
    "waitfor", "waitfor-bare", "waitfor-virtual-clock", "waitfor-wheel",
    "tokio", "tokio-bare", "tokio-localset", "tokio-current-thread", "async-executor", "async-io",
    "futures-localpool", "instant-now",
]
DESCRIPTIONS = {
    "spawn_run": "spawn + run of 100 000 trivial tasks, per task",
    "spawn_run_1k": "spawn + run of 1 000 trivial tasks (all alive at once fit in the CPU caches), per task",
    "yield_now": "1 000 000 `yield_now` round trips in one task, per yield",
    "sleep_register_cancel": "create a 1 s sleep, poll it once (files it), drop it (cancels it), per op",
    "timeout_ready": "`wait_for` / `timeout` around an already-ready future, and the bare future, per op",
    "clock_read": "one `Instant::now()`: what every real-clock `sleep` and `wait_for` pays to fix its deadline",
    "register_cancel": "register + cancel one timer with N others pending, per timer",
    "fire_virtual": "100 000 tasks each sleep to a random deadline within 10 s, virtual/paused clock, per timer",
    "fire_real": "100 000 tasks each sleep to a random deadline within 20 ms, real clock, per timer (20 ms floor = 200 ns)",
    "echo_round_trip": "64 bytes to a loopback echo server and back, both ends tasks of one executor, per round trip",
}
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def fmt_ns(ns):
    if ns < 1e3:
        return f"{ns:.1f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def load(target):
    """{group: {param: {system: (median, lo, hi) per element}}}"""
    results = defaultdict(lambda: defaultdict(dict))
    for est in sorted((target / "criterion").glob("**/new/estimates.json")):
        meta_path = est.with_name("benchmark.json")
        if not meta_path.exists():
            continue
        meta = json.loads(meta_path.read_text())
        median = json.loads(est.read_text())["median"]
        elements = 1
        throughput = meta.get("throughput") or {}
        if "Elements" in throughput:
            elements = throughput["Elements"]
        ci = median["confidence_interval"]
        results[meta["group_id"]][meta.get("value_str") or ""][meta["function_id"]] = (
            median["point_estimate"] / elements,
            ci["lower_bound"] / elements,
            ci["upper_bound"] / elements,
        )
    return results


def order_key(system):
    return (ORDER.index(system) if system in ORDER else len(ORDER), system)


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        rustc = "rustc (unknown version)"
    return f"{model}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, {rustc}"


def table(rows):
    """rows: {system: (median, lo, hi)}; ratio = system / waitfor (>1: waitfor is faster)."""
    ref = rows.get("waitfor")
    out = ["| system | median | 95 % CI | ratio to waitfor |", "| --- | ---: | --- | ---: |"]
    for system in sorted(rows, key=order_key):
        med, lo, hi = rows[system]
        ratio = f"{med / ref[0]:.2f}x" if ref else "-"
        out.append(f"| {system} | {fmt_ns(med)} | {fmt_ns(lo)} – {fmt_ns(hi)} | {ratio} |")
    return out


def med(results, group, system, param=""):
    try:
        return results[group][param][system][0]
    except KeyError:
        return None


def targets(results):
    """The targets named in the issues: (what, measured, target, met)."""
    checks = []

    def absolute(what, value, limit):
        if value is not None:
            checks.append((what, fmt_ns(value), f"≤ {fmt_ns(limit)}", value <= limit))

    absolute("spawn + run, per task (100 000 alive at once)", med(results, "spawn_run", "waitfor"), 100)
    absolute("spawn + run, per task (1 000 alive at once)", med(results, "spawn_run_1k", "waitfor"), 100)
    absolute("`yield_now` round trip", med(results, "yield_now", "waitfor"), 35)
    absolute("sleep register + cancel", med(results, "sleep_register_cancel", "waitfor"), 25)
    absolute("sleep register + cancel, virtual clock (no clock read)",
             med(results, "sleep_register_cancel", "waitfor-virtual-clock"), 25)
    bare = med(results, "timeout_ready", "waitfor-bare")
    for system, what in (("waitfor", ""), ("waitfor-virtual-clock", ", virtual clock (no clock read)")):
        wf = med(results, "timeout_ready", system)
        if wf is not None and bare is not None:
            absolute(f"`wait_for` overhead over the bare future{what}", wf - bare, 10)
    ours, theirs = med(results, "sleep_register_cancel", "waitfor"), med(results, "sleep_register_cancel", "tokio")
    if ours and theirs:
        checks.append(("sleep end to end vs tokio", f"{theirs / ours:.2f}x faster", "≥ 3x faster", theirs / ours >= 3))
    for group in ("spawn_run", "spawn_run_1k", "yield_now"):
        rows = results.get(group, {}).get("", {})
        peers = {s: v[0] for s, v in rows.items() if not s.startswith("waitfor")}
        if "waitfor" in rows and peers:
            best = min(peers, key=peers.get)
            ratio = rows["waitfor"][0] / peers[best]
            checks.append((f"{group} vs fastest peer ({best})", f"{ratio:.2f}x its time",
                           "≤ 1.00x", ratio <= 1.0))
    return checks


def fmt_tick(ns):
    """A round tick value, without the decimals `fmt_ns` gives measurements: "100 ns", "1 µs"."""
    for scale, unit in ((1e6, "ms"), (1e3, "µs"), (1, "ns")):
        if ns >= scale:
            return f"{ns / scale:g} {unit}"
    return f"{ns:g} ns"


# The plot's text, in px: the font size, and the widest a character is
# drawn at that size (generic sans-serif fonts differ; digits are narrower).
FONT = 12
CHAR = 7.0


def svg_plot(series, title):
    """series: {system: [(pending, ns)]}, log-log axes, hand-written SVG.

    The left margin is measured from the widest tick label, so that the
    rotated axis title stands clear of the labels whatever their length;
    the right margin likewise from the longest system name in the legend.
    """
    xs = [p for pts in series.values() for p, _ in pts]
    ys = [v for pts in series.values() for _, v in pts]
    if not xs:
        return None
    x0, x1 = math.log10(min(xs)), math.log10(max(xs))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    y_ticks = [m * 10 ** e for e in range(int(y0), int(y1) + 1) for m in (1, 2, 5)
               if 10 ** y0 <= m * 10 ** e <= 10 ** y1]
    widest_tick = max(len(fmt_tick(v)) for v in y_ticks) * CHAR
    widest_name = max(len(system) for system in series) * CHAR
    # Left of the plot: a margin, the rotated title's line, a gap, the tick
    # labels, and the gap between them and the plot.
    title_x = 8 + FONT
    left = round(title_x + 10 + widest_tick + 8)
    # Right of the plot: the legend's line and name (which also leaves room
    # for the second half of the last x label).
    right = round(45 + widest_name)
    width, height, top, bottom = left + 420 + right, 400, 40, 50

    def px(x):
        return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)

    def py(y):
        return top + (y1 - math.log10(y)) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="{FONT}">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>']
    for v in y_ticks:
        y = py(v)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{fmt_tick(v)}</text>')
    for x in sorted(set(xs)):
        out.append(f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{height - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{px(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">{x:,}</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">'
               f'timers pending</text>')
    out.append(f'<text transform="translate({title_x},{(top + height - bottom) / 2}) rotate(-90)" '
               f'text-anchor="middle">median cost per timer (log)</text>')
    for i, system in enumerate(sorted(series, key=order_key)):
        color = COLORS[i % len(COLORS)]
        pts = sorted(series[system])
        path = " ".join(f"{px(p):.1f},{py(v):.1f}" for p, v in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for p, v in pts:
            out.append(f'<circle cx="{px(p):.1f}" cy="{py(v):.1f}" r="3" fill="{color}"/>')
        ly = top + 10 + i * 18
        out.append(f'<line x1="{width - right + 10}" y1="{ly}" x2="{width - right + 30}" y2="{ly}" '
                   f'stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{width - right + 35}" y="{ly + 4}">{system}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", "target"))
    parser.add_argument("--out", default="docs/benchmarks.md")
    args = parser.parse_args()
    target, out = Path(args.target_dir), Path(args.out)
    results = load(target)
    if not results:
        raise SystemExit(f"no criterion results under {target / 'criterion'}: "
                         "run `cargo bench -p waitfor-peer-benches` first")

    lines = ["# Benchmarks: waitfor against its peers", "",
             "Generated by `python3 scripts/bench_report.py` from the results of "
             "`cargo bench -p waitfor-peer-benches` (sources in `benches/peers/benches/`).", "",
             f"Machine: {machine()}.", "",
             "Medians of criterion's samples, per operation, with their 95 % confidence "
             "intervals. The machine is shared and noisy: compare systems within one run, "
             "by the ratio column (system's time / waitfor's; above 1, waitfor is faster).", ""]

    checks = targets(results)
    if checks:
        lines += ["## Targets", "", "| target | measured | wanted | met |", "| --- | ---: | --- | --- |"]
        lines += [f"| {w} | {m} | {t} | {'yes' if ok else '**no**'} |" for w, m, t, ok in checks]
        lines.append("")

    group_order = list(DESCRIPTIONS) + sorted(g for g in results if g not in DESCRIPTIONS)
    for group in group_order:
        if group not in results:
            continue
        lines += [f"## `{group}`", "", DESCRIPTIONS.get(group, ""), ""]
        params = sorted(results[group], key=lambda p: (len(p), p))
        for param in params:
            if param:
                lines += [f"{int(param):,} pending:" if param.isdigit() else f"{param}:", ""]
            lines += table(results[group][param]) + [""]

    plot = out.parent / "benchmarks-timers.svg"
    if "register_cancel" in results:
        series = defaultdict(list)
        for param, rows in results["register_cancel"].items():
            if param.isdigit():
                for system, (m, _, _) in rows.items():
                    series[system].append((int(param), m))
        svg = svg_plot(series, "register + cancel one timer, by timers pending")
        if svg:
            out.parent.mkdir(parents=True, exist_ok=True)
            plot.write_text(svg)
            lines[lines.index("## `register_cancel`") + 4:lines.index("## `register_cancel`") + 4] = [
                f"![cost per timer against timers pending]({plot.name})", ""]

    memory = target / "peer-benches" / "memory.json"
    if memory.exists():
        lines += ["## Memory", "",
                  "100 000 timers due in an hour, boxed, polled once, kept pending: live heap bytes "
                  "added per timer (the boxed future plus what the runtime allocates to file it), "
                  "from `cargo bench -p waitfor-peer-benches --bench memory`. `waitfor-wheel` is the "
                  "raw `Wheel<Waker>` alone.", "",
                  "| system | size_of sleep | size_of timeout(Ready<()>) | bytes per pending timer |",
                  "| --- | ---: | ---: | ---: |"]
        for row in json.loads(memory.read_text()):
            sleep = row["size_of_sleep"] or "-"
            timeout = row["size_of_timeout"] if row["size_of_timeout"] is not None else "-"
            lines.append(f"| {row['system']} | {sleep} | {timeout} | {row['bytes_per_pending_timer']:.1f} |")
        lines.append("")

    if out.exists() and HAND_WRITTEN in out.read_text():
        kept = out.read_text().split(HAND_WRITTEN, 1)[1].strip("\n")
        lines += [HAND_WRITTEN, "", kept, ""]

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print(f"wrote {out}" + (f" and {plot}" if plot.exists() else ""))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Runs the peer benchmarks and turns their results into docs/benchmarks.md.

Runs ``cargo bench -p waitfor-peer-benches`` ``--runs`` times, each run saved
under a criterion baseline of its own (``report-1``, ``report-2``, ...; every
older ``report-*`` baseline is deleted first), and reads back only those
baselines: results of other benches, or of earlier runs, are never mixed in.
Writes ``docs/benchmarks.md`` (one table per group that has data: system,
the median of its per-run medians, their min-max over the runs, and the ratio
to waitfor with its own min-max; the targets from the issues, each computed
from the group it names; the machine and its load) and
``docs/benchmarks-timers.svg``. Everything in the old file from the line
``<!-- written by hand: -->`` on is kept as it is. Standard library only.

Usage, from the workspace root::

    python3 scripts/bench_report.py [--runs 3] [--bench timers ...] [-- FILTER]
    python3 scripts/bench_report.py --no-run      # report the last run's baselines again

The target directory defaults to ``$CARGO_TARGET_DIR``, else ``target``.
"""

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import time
from collections import defaultdict
from pathlib import Path

BASELINE = "report-"
HAND_WRITTEN = "<!-- written by hand: -->"

# Systems in display order.
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
    "fire_virtual": "N tasks each sleep to a random deadline within 10 s, virtual/paused clock, per timer",
    "fire_real": "N tasks each sleep to a random deadline within 20 ms, real clock, per timer "
                 "(the 20 ms wait itself is a floor of 20 ms / N: 20 µs, 200 ns, 20 ns)",
    "echo_round_trip": "64 bytes to a loopback echo server and back, both ends tasks of one executor, per round trip",
}
REFERENCES = ["waitfor", "wheel"]
# What a numeric parameter counts, where it is not timers pending.
PARAM_NOUNS = {"fire_virtual": "tasks", "fire_real": "tasks"}
PLOT = "benchmarks-timers.svg"
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def fmt_ns(ns):
    if ns < 1e3:
        return f"{ns:.1f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns / 1e6:.2f} ms"


def load(target, baseline):
    """One run's results: {group: {param: {system: median per element}}}.

    Only `baseline`'s files are read, so what another bench (or an earlier
    run) left under the target directory never shows up here.
    """
    results = {}
    for est in sorted((target / "criterion").glob(f"**/{baseline}/estimates.json")):
        meta_path = est.with_name("benchmark.json")
        if not meta_path.exists():
            continue
        meta = json.loads(meta_path.read_text())
        elements = (meta.get("throughput") or {}).get("Elements", 1)
        median = json.loads(est.read_text())["median"]["point_estimate"] / elements
        param = meta.get("value_str") or ""
        results.setdefault(meta["group_id"], {}).setdefault(param, {})[meta["function_id"]] = median
    return results


def baselines(target):
    """The `report-N` baselines under the target directory, by N."""
    names = {d.name for d in (target / "criterion").glob(f"**/{BASELINE}*") if d.is_dir()}
    return sorted(names, key=lambda name: int(name[len(BASELINE):]))


def run_benches(target, runs, benches, filters):
    """Deletes every old report baseline, then runs the benches `runs` times."""
    for old in (target / "criterion").glob(f"**/{BASELINE}*"):
        shutil.rmtree(old, ignore_errors=True)
    for written in ("memory.json", "churn.md"):
        (target / "peer-benches" / written).unlink(missing_ok=True)
    command = ["cargo", "bench", "-p", "waitfor-peer-benches"]
    for bench in benches:
        command += ["--bench", bench]
    for run in range(1, runs + 1):
        started = time.monotonic()
        subprocess.run(command + ["--", "--save-baseline", f"{BASELINE}{run}"] + filters, check=True)
        print(f"run {run} of {runs}: {time.monotonic() - started:.0f} s", flush=True)


def spread(values):
    """The median of one figure's per-run values, and their min and max."""
    return statistics.median(values), min(values), max(values)


def per_run(runs, group, param, system):
    """One system's median in each run that measured it."""
    return [r[group][param][system] for r in runs
            if system in r.get(group, {}).get(param, {})]


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


def load_average():
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def fmt_range(lo, hi, fmt):
    return fmt(lo) if fmt(lo) == fmt(hi) else f"{fmt(lo)} – {fmt(hi)}"


def ratio_text(ratio):
    return f"{ratio:.2f}x"


def table(runs, group, param):
    """One row per system: the median over runs, its min-max, and the ratio
    to the reference system (waitfor, else the wheel), computed run by run
    so that its spread is the spread of the ratio itself."""
    systems = sorted({s for r in runs for s in r.get(group, {}).get(param, {})}, key=order_key)
    reference = next((s for s in REFERENCES if s in systems), None)
    out = [f"| system | median | min – max over {len(runs)} run(s) | ratio to {reference or '-'} "
           "| ratio min – max |", "| --- | ---: | --- | ---: | --- |"]
    for system in systems:
        med, lo, hi = spread(per_run(runs, group, param, system))
        ratios = [r[group][param][system] / r[group][param][reference] for r in runs
                  if reference and {system, reference} <= r.get(group, {}).get(param, {}).keys()]
        if ratios:
            r_med, r_lo, r_hi = spread(ratios)
            ratio, ratio_range = ratio_text(r_med), fmt_range(r_lo, r_hi, ratio_text)
        else:
            ratio, ratio_range = "-", "-"
        out.append(f"| {system} | {fmt_ns(med)} | {fmt_range(lo, hi, fmt_ns)} | {ratio} | {ratio_range} |")
    return out


def targets(runs, memory):
    """The targets named in the issues, each from the group it names:
    (what, measured median, min-max over the runs, wanted, met by the median)."""
    checks = []

    def check(what, values, limit, fmt, wanted, met, range_fmt=None):
        if values:
            med, lo, hi = spread(values)
            checks.append((what, fmt(med), fmt_range(lo, hi, range_fmt or fmt), wanted, met(med, limit)))

    def at_most(what, values, limit_ns):
        check(what, values, limit_ns, fmt_ns, f"≤ {fmt_ns(limit_ns)}", lambda m, l: m <= l)

    def value(group, system, param=""):
        return lambda r: r.get(group, {}).get(param, {}).get(system)

    def each_run(*figures, combine):
        out = []
        for r in runs:
            got = [f(r) for f in figures]
            if None not in got:
                out.append(combine(*got))
        return out

    at_most("spawn + run, per task (100 000 alive at once)",
            each_run(value("spawn_run", "waitfor"), combine=float), 100)
    at_most("spawn + run, per task (1 000 alive at once)",
            each_run(value("spawn_run_1k", "waitfor"), combine=float), 100)
    at_most("`yield_now` round trip", each_run(value("yield_now", "waitfor"), combine=float), 35)
    at_most("sleep register + cancel, virtual clock (no clock read)",
            each_run(value("sleep_register_cancel", "waitfor-virtual-clock"), combine=float), 25)
    for pending in ("1000", "100000", "1000000"):
        at_most(f"wheel insert + cancel (`insert_cancel`, `--bench timer`), {int(pending):,} pending",
                each_run(value("insert_cancel", "wheel", pending), combine=float), 5.5)
    for system, what in (("waitfor", ""), ("waitfor-virtual-clock", ", virtual clock (no clock read)")):
        at_most(f"`wait_for` overhead over the bare future{what}",
                each_run(value("timeout_ready", system), value("timeout_ready", "waitfor-bare"),
                         combine=lambda wf, bare: wf - bare), 10)
    at_most("diagnostics on, per poll over off",
            each_run(value("poll_overhead", "diagnostics"), value("poll_overhead", "off"),
                     combine=lambda on, off: on - off), 60)
    for group in ("fire_virtual", "fire_real"):
        params = sorted({p for r in runs for p in r.get(group, {})}, key=lambda p: (len(p), p))
        # At 1 000 tasks the real clock's 20 ms wait is 20 µs per timer, all
        # but the whole of every system's time: no system can be 2x another.
        for param in (p for p in params if group != "fire_real" or int(p or 0) >= 100_000):
            for peer in ("tokio", "async-io"):
                check(f"`{group}` per timer vs {peer}" + (f", {int(param):,} tasks" if param else ""),
                      each_run(value(group, peer, param), value(group, "waitfor", param),
                               combine=lambda theirs, ours: theirs / ours),
                      2.0, lambda x: f"{x:.2f}x faster", "≥ 2x faster", lambda m, l: m >= l, ratio_text)
        # Per-timer cost may grow at most 2x from the fewest tasks to the most
        # (on the virtual clock: on the real one the wait dominates 1 000).
        if group == "fire_virtual" and len(params) > 1:
            fewest, most = params[0], params[-1]
            check(f"`{group}` per timer, {int(most):,} tasks over {int(fewest):,}",
                  each_run(value(group, "waitfor", most), value(group, "waitfor", fewest),
                           combine=lambda big, small: big / small),
                  2.0, ratio_text, "≤ 2.00x", lambda m, l: m <= l)
    for group in ("spawn_run", "spawn_run_1k", "yield_now", "timeout_ready"):
        rows = [r.get(group, {}).get("", {}) for r in runs]
        peers = {s for row in rows for s in row if not s.startswith(("waitfor", "tokio-bare"))}
        if not peers:
            continue
        fastest = min(peers, key=lambda s: spread(per_run(runs, group, "", s))[0])
        check(f"`{group}`: waitfor's time vs the fastest peer's ({fastest})",
              each_run(value(group, "waitfor"), value(group, fastest), combine=lambda ours, theirs: ours / theirs),
              1.0, lambda x: f"{x:.2f}x", "≤ 1.00x", lambda m, l: m <= l)
    if memory:
        waitfor = next((row for row in memory if row["system"] == "waitfor"), None)
        if waitfor:
            bytes_ = waitfor["bytes_per_pending_timer"]
            checks.append(("live heap bytes per pending sleep", f"{bytes_:.1f}", "-", "≤ 48", bytes_ <= 48))
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
    parser.add_argument("--runs", type=int, default=1, help="how many times to run the benches")
    parser.add_argument("--bench", action="append", default=[],
                        help="run only this bench target (repeatable); default: all of them")
    parser.add_argument("--no-run", action="store_true",
                        help="run nothing: report the report-N baselines already there")
    parser.add_argument("filters", nargs="*", help="criterion filters, after `--`")
    args = parser.parse_args()
    target, out = Path(args.target_dir), Path(args.out)
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    load_before = load_average()
    if not args.no_run:
        run_benches(target, args.runs, args.bench, args.filters)
    runs = [r for r in (load(target, name) for name in baselines(target)) if r]
    if not runs:
        raise SystemExit(f"no `{BASELINE}N` baselines under {target / 'criterion'}: "
                         "run this script without --no-run first")
    memory_path = target / "peer-benches" / "memory.json"
    memory = json.loads(memory_path.read_text()) if memory_path.exists() else None

    load_note = (f"load average (1 / 5 / 15 min) {load_before} before the runs, {load_average()} after"
                 if not args.no_run else f"load average now {load_average()}")
    lines = ["# Benchmarks: waitfor against its peers", "",
             "Generated by `python3 scripts/bench_report.py` "
             f"({len(runs)} run(s) of `cargo bench -p waitfor-peer-benches`; sources in "
             "`benches/peers/benches/`).", "",
             f"Machine: {machine()}; {load_note}.", "",
             "Per operation: the median of each run's criterion median, and their min–max over "
             "the runs. Compare systems by the ratio column (system's time / the reference's; "
             "above 1, the reference is faster); each ratio is taken within one run, and its "
             "min–max is the spread of the ratio over the runs.", ""]

    checks = targets(runs, memory)
    if checks:
        lines += ["## Targets", "", "| target | measured | min – max over the runs | wanted | met |",
                  "| --- | ---: | --- | --- | --- |"]
        lines += [f"| {w} | {m} | {r} | {t} | {'yes' if ok else '**no**'} |" for w, m, r, t, ok in checks]
        lines.append("")

    groups = {g for r in runs for g in r}
    for group in list(DESCRIPTIONS) + sorted(groups - DESCRIPTIONS.keys()):
        if group not in groups:
            continue
        lines += [f"## `{group}`", ""]
        if DESCRIPTIONS.get(group):
            lines += [DESCRIPTIONS[group], ""]
        if group == "register_cancel":
            lines += [f"![cost per timer against timers pending]({PLOT})", ""]
        params = sorted({p for r in runs for p in r.get(group, {})}, key=lambda p: (len(p), p))
        for param in params:
            if param:
                lines += [f"{int(param):,} {PARAM_NOUNS.get(group, 'pending')}:" if param.isdigit()
                          else f"{param}:", ""]
            lines += table(runs, group, param) + [""]

    plot = out.parent / PLOT
    series = defaultdict(list)
    for param in {p for r in runs for p in r.get("register_cancel", {}) if p.isdigit()}:
        for system in {s for r in runs for s in r.get("register_cancel", {}).get(param, {})}:
            series[system].append((int(param), spread(per_run(runs, "register_cancel", param, system))[0]))
    svg = svg_plot(series, "register + cancel one timer, by timers pending")
    if svg:
        out.parent.mkdir(parents=True, exist_ok=True)
        plot.write_text(svg)

    if memory:
        lines += ["## Memory", "",
                  "100 000 timers due in an hour, boxed, polled once, kept pending: live heap bytes "
                  "added per timer (the boxed future plus what the runtime allocates to file it), "
                  "from `cargo bench -p waitfor-peer-benches --bench memory` (the last run). "
                  "`waitfor-wheel` is the raw `Wheel<u64, Instant>` alone (the executor's shape: an 8-byte alarm).", "",
                  "| system | size_of sleep | size_of timeout(Ready<()>) | bytes per pending timer |",
                  "| --- | ---: | ---: | ---: |"]
        for row in memory:
            sleep = row["size_of_sleep"] or "-"
            timeout = row["size_of_timeout"] if row["size_of_timeout"] is not None else "-"
            lines.append(f"| {row['system']} | {sleep} | {timeout} | {row['bytes_per_pending_timer']:.1f} |")
        lines.append("")

    churn_path = target / "peer-benches" / "churn.md"
    if churn_path.exists():
        lines += ["## Churn", "",
                  "Single insert and cancel latencies with a random pending timer cancelled and a "
                  "new one inserted, from `cargo bench -p waitfor-peer-benches --bench churn` (the "
                  "last run; its essay says how they are timed, and the hand-written section below "
                  "reads them):",
                  churn_path.read_text().rstrip("\n"), ""]

    kept = out.read_text().split(HAND_WRITTEN, 1) if out.exists() else []
    if len(kept) == 2:
        lines += [HAND_WRITTEN + kept[1].rstrip("\n")]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}" + (f" and {plot}" if svg else ""))


if __name__ == "__main__":
    main()

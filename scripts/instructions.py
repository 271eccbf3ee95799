#!/usr/bin/env python3
"""Instructions per operation for every executor benchmark group, under callgrind.

Wall-clock ratios on a shared machine move by 10-30 % between runs; the
instructions a workload retires do not move at all. So "nothing got slower"
is checked here in instructions: each group and system of
`benches/peers/benches/executor.rs` and `diagnostics.rs` (through
`examples/op_probe.rs`) and of `fire_virtual` (through `examples/fire_probe.rs`)
runs under `valgrind --tool=callgrind` at 2 and at 3 rounds on one runtime;
the difference, divided by the operations in a round, is the steady-state
cost per operation. Each peer's ratio to waitfor is printed beside it, in
the same convention as docs/benchmarks.md (above 1: waitfor retires fewer).

    python3 scripts/instructions.py [--json OUT.json] [--compare OLD.json] [--only GROUP,...]

`--compare` prints, for every group, each ratio before and after and its
change in percent: the check that a change kept every ratio to tokio. The
whole run takes about four minutes on two cores (valgrind is slow, but the
counts do not depend on the load).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
EXAMPLES = os.path.join(TARGET, "release", "examples")
FIRE_TASKS = (1_000, 100_000)


def build():
    subprocess.run(
        ["cargo", "build", "--profile", "bench", "-p", "waitfor-peer-benches",
         "--example", "op_probe", "--example", "fire_probe"],
        cwd=ROOT, check=True)


def instructions(argv):
    """Total instructions callgrind counts for one run of `argv`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--cache-sim=no",
             f"--callgrind-out-file={out}", *argv],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            for line in f:
                match = re.match(r"(?:summary|totals): (\d+)", line)
                if match:
                    return int(match.group(1))
    raise RuntimeError(f"no totals in callgrind output of {argv}")


def per_op(argv_for_rounds, ops):
    """Steady-state instructions per operation: (Ir(3 rounds) - Ir(2)) / ops."""
    return (instructions(argv_for_rounds(3)) - instructions(argv_for_rounds(2))) / ops


def pairs():
    listed = subprocess.run([os.path.join(EXAMPLES, "op_probe"), "--list"],
                            check=True, capture_output=True, text=True).stdout
    for line in listed.splitlines():
        group, system, batch = line.split()
        probe = os.path.join(EXAMPLES, "op_probe")
        yield group, system, int(batch), lambda r, g=group, s=system: [probe, g, s, str(r)]
    fire = os.path.join(EXAMPLES, "fire_probe")
    for tasks in FIRE_TASKS:
        for system in ("waitfor", "tokio"):
            yield (f"fire_virtual/{tasks}", system, tasks,
                   lambda r, s=system, t=tasks: [fire, s, str(t), str(r)])


def measure(only):
    results = {}
    for group, system, ops, argv in pairs():
        if only and group.split("/")[0] not in only:
            continue
        cost = per_op(argv, ops)
        results.setdefault(group, {})[system] = cost
        print(f"{group:28} {system:24} {cost:10.1f}", file=sys.stderr)
    return results


def reference(systems):
    """What a group's ratios are taken against: waitfor's own entry."""
    for name in ("waitfor", "off", "waitfor-bare"):
        if name in systems:
            return name
    return next(iter(systems))


def table(results):
    lines = ["| group | system | instructions per op | ratio to waitfor |",
             "| --- | --- | ---: | ---: |"]
    for group, systems in results.items():
        ref = systems[reference(systems)]
        for system, cost in systems.items():
            lines.append(f"| `{group}` | {system} | {cost:,.1f} | {cost / ref:.2f}x |")
    return "\n".join(lines)


def compare(old, new):
    lines = ["| group | system | before (instr/op) | after | change | ratio to waitfor before | after | change |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for group, systems in new.items():
        if group not in old:
            continue
        ref = reference(systems)
        for system, cost in systems.items():
            if system not in old[group]:
                continue
            before = old[group][system]
            ratio_before = before / old[group][ref]
            ratio_after = cost / systems[ref]
            lines.append(
                f"| `{group}` | {system} | {before:,.1f} | {cost:,.1f} | "
                f"{100 * (cost / before - 1):+.1f} % | {ratio_before:.2f}x | "
                f"{ratio_after:.2f}x | {100 * (ratio_after / ratio_before - 1):+.1f} % |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the counts here")
    parser.add_argument("--compare", help="counts of an earlier run, to compare with")
    parser.add_argument("--only", help="comma-separated groups to run")
    parser.add_argument("--no-build", action="store_true", help="use the built probes as they are")
    args = parser.parse_args()
    if not args.no_build:
        build()
    only = set(args.only.split(",")) if args.only else None
    results = measure(only)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    if args.compare:
        with open(args.compare) as f:
            print(compare(json.load(f), results))
    else:
        print(table(results))


if __name__ == "__main__":
    main()

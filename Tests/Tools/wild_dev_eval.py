#!/usr/bin/env python3
"""Scores logdx on real pasted CI failures (../shared/datasets/wild-dev), with the previous run.

usage: wild_dev_eval.py LOGDX WILD_DEV_DIR CHECK_CASES_PY STATE_DIR

The cases are scored by the data set's own checker (CHECK_CASES_PY, run in place: it is the
reference, not ours to copy). Prints the totals per slice and per kind against the targets of
issue 13, the cases that moved since the previous run, and every case. The per-case results are
kept in STATE_DIR/wild-dev.json (a build folder, never committed: each engineer's previous run is
their own, and a committed file would conflict between branches); the next run compares with it.
"""
import json
import os
import re
import subprocess
import sys

LINE = re.compile(r"^(PASS|FAIL) ([^ ]+) \[([^\]]+)\]: (.*)$")
TARGET_ALL = 67
TARGET_SLICE = 0.75


def score(logdx, root, checker):
    slices = sorted(os.path.join(root, name) for name in os.listdir(root) if os.path.isdir(os.path.join(root, name)))
    # The checker exits 1 unless every case passes; its output is the result either way.
    run = subprocess.run([sys.executable, checker, logdx, *slices], capture_output=True, text=True)
    cases = {}
    for line in run.stdout.splitlines():
        match = LINE.match(line)
        if match:
            verdict, case, kind, why = match.groups()
            cases[case] = {"pass": verdict == "PASS", "kind": kind, "why": why}
    if not cases:
        sys.exit(f"wild_dev_eval: the checker scored no case:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return cases


def tally(cases, key):
    groups = {}
    for case, result in cases.items():
        name = key(case, result)
        good, total = groups.get(name, (0, 0))
        groups[name] = (good + result["pass"], total + 1)
    return groups


def cell(pair):
    if pair is None:
        return "—"
    good, total = pair
    return f"{good}/{total} ({good / total:.0%})" if total else "0/0"


def table(title, now, before, target):
    print(f"| {title:<22} | {'now':>13} | {'previous':>13} | target      |")
    print(f"|{'-' * 24}|{'-' * 15}|{'-' * 15}|-------------|")
    for name in sorted(now):
        goal = target(name, now[name])
        print(f"| {name:<22} | {cell(now[name]):>13} | {cell(before.get(name)):>13} | {goal:<11} |")
    print()


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    logdx, root, checker, state = sys.argv[1:]
    cases = score(logdx, root, checker)
    path = os.path.join(state, "wild-dev.json")
    previous = {}
    if os.path.exists(path):
        with open(path) as handle:
            previous = json.load(handle)

    by_slice = lambda case, result: case.split("/")[0]
    by_kind = lambda case, result: result["kind"]
    print(f"Real pasted failures ({root}, {len(cases)} cases, scored by {checker})")
    print()
    def slice_target(name, pair):
        return f">= {TARGET_SLICE:.0%}" + ("" if pair[0] >= TARGET_SLICE * pair[1] else "  ✗")
    def kind_target(name, pair):
        if name == "quiet":
            return "all" + ("" if pair[0] == pair[1] else "  ✗")
        return ""
    table("slice", tally(cases, by_slice), tally(previous, by_slice) if previous else {}, slice_target)
    table("kind", tally(cases, by_kind), tally(previous, by_kind) if previous else {}, kind_target)
    good = sum(r["pass"] for r in cases.values())
    before = sum(r["pass"] for r in previous.values()) if previous else None
    mark = "" if good >= TARGET_ALL else "  ✗"
    print(f"All: {good}/{len(cases)}" + (f" (previous run {before}/{len(previous)})" if previous else " (no previous run)")
          + f"; target >= {TARGET_ALL}{mark}")
    print()

    if previous:
        moved = [(case, result) for case, result in sorted(cases.items())
                 if case in previous and previous[case]["pass"] != result["pass"]]
        print(f"Moved since the previous run: {len(moved)}")
        for case, result in moved:
            print(f"  {'+' if result['pass'] else '-'} {case}: {result['why']}"
                  + ("" if result["pass"] else f" (was: {previous[case]['why']})"))
        print()

    print("Per case:")
    for case, result in sorted(cases.items()):
        was = previous.get(case)
        change = "" if not was or was["pass"] == result["pass"] else ("  (was FAIL)" if result["pass"] else "  (was PASS)")
        print(f"  {'PASS' if result['pass'] else 'FAIL'} {case} [{result['kind']}]: {result['why']}{change}")
    print()

    os.makedirs(state, exist_ok=True)
    with open(path, "w") as handle:
        json.dump(cases, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Scores logdx's failure excerpts on the shared data sets (read in place, never copied).

cidiff: per case precision / recall / F1 of the excerpt lines against the E∪C ground-truth lines,
averaged over cases, cold and with the passing log as baseline. cidiff numbers lines at every CR
and every LF (fail_lines = LF count + CR count), so a line logdx reports (numbered by LF, as in the
file) is mapped to the CR|LF-numbered lines it spans; keyword search runs on CR|LF lines. LogChunks: the share of logs whose
excerpt shows a line of the labelled chunk ("touched"), the mean share of the chunk's first ten
non-blank lines shown ("recall@10"), and the lines shown per log. The published keyword search
(lines matching failure|fail|failed|error|exception|panic) is measured in the same run as the
reference row. With --previous FILE, the rows of the run before (kept in FILE, a build folder's)
are shown under this run's, and this run's are kept there for the next.
Usage: excerpt_eval.py LOGDX DATASETS_DIR [--jobs N] [--previous FILE]
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

KEYWORDS = re.compile(rb"failure|fail|failed|error|exception|panic", re.IGNORECASE)
# Excerpts do not depend on the rules; an empty rule folder keeps the measure apart from them.
NO_RULES = tempfile.mkdtemp(prefix="logdx-eval-rules-")


def excerpt_lines(logdx, log, baseline=None):
    command = [logdx, "diagnose", "--format", "json", "--color", "never", "--no-builtin-rules", "--rules", NO_RULES]
    if baseline:
        command += ["--baseline", baseline]
    command.append(log)
    result = subprocess.run(command, capture_output=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{log}: logdx exited {result.returncode}: {result.stderr.decode(errors='replace')[:300]}")
    document = json.loads(result.stdout)
    return {line["line"] for excerpt in document["excerpts"] for line in excerpt["lines"]}


def keyword_lines(log, split_cr=False):
    with open(log, "rb") as handle:
        data = handle.read()
    lines = re.split(rb"\r|\n", data) if split_cr else data.split(b"\n")
    return {number for number, line in enumerate(lines, 1) if KEYWORDS.search(line)}


def cr_lf_spans(log):
    """For each LF-numbered line, the CR|LF-numbered lines it covers."""
    with open(log, "rb") as handle:
        data = handle.read()
    spans, start = {}, 1
    for number, line in enumerate(data.split(b"\n"), 1):
        width = line.count(b"\r") + 1
        spans[number] = range(start, start + width)
        start += width
    return spans


def to_cr_lf(lines, spans):
    return {n for line in lines for n in spans.get(line, ())}


def prf(shown, truth):
    if not shown or not truth:
        return 0.0, 0.0, 0.0
    hit = len(shown & truth)
    precision, recall = hit / len(shown), hit / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
    return precision, recall, f1


def mean(values):
    return sum(values) / len(values) if values else 0.0


def cidiff(logdx, root, pool):
    cases = [json.loads(line) for line in open(os.path.join(root, "INDEX.jsonl"))]
    rows = {"keyword": [], "cold": [], "baseline": []}
    futures = {}
    for case in cases:
        folder = os.path.join(root, case["case"])
        fail, passing = os.path.join(folder, "fail.log"), os.path.join(folder, "pass.log")
        futures[(case["case"], "cold")] = pool.submit(excerpt_lines, logdx, fail)
        futures[(case["case"], "baseline")] = pool.submit(excerpt_lines, logdx, fail, passing)
    for case in cases:
        truth = set(case["E_lines"]) | set(case["C_lines"])
        fail = os.path.join(root, case["case"], "fail.log")
        spans = cr_lf_spans(fail)
        rows["keyword"].append(prf(keyword_lines(fail, split_cr=True), truth))
        for mode in ("cold", "baseline"):
            rows[mode].append(prf(to_cr_lf(futures[(case["case"], mode)].result(), spans), truth))
    return {mode: tuple(mean([r[i] for r in values]) for i in range(3)) for mode, values in rows.items()}, len(cases)


def logchunks(logdx, root, pool):
    labels = [json.loads(line) for line in open(os.path.join(root, "labels.jsonl"))]
    futures = [pool.submit(excerpt_lines, logdx, os.path.join(root, label["log"])) for label in labels]
    results = {"keyword": ([], [], []), "cold": ([], [], [])}
    for label, future in zip(labels, futures):
        path = os.path.join(root, label["log"])
        with open(path, "rb") as handle:
            lines = handle.read().split(b"\n")
        chunk = range(label["chunk_start_line"], label["chunk_end_line"] + 1)
        first_ten = [n for n in chunk if n - 1 < len(lines) and lines[n - 1].strip()][:10]
        for mode, shown in (("keyword", keyword_lines(path)), ("cold", future.result())):
            touched, recall, count = results[mode]
            touched.append(1.0 if shown & set(chunk) else 0.0)
            recall.append(len(shown & set(first_ten)) / len(first_ten) if first_ten else 0.0)
            count.append(len(shown))
    return {mode: tuple(mean(values) for values in triple) for mode, triple in results.items()}, len(labels)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    logdx, datasets = sys.argv[1], sys.argv[2]
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else os.cpu_count() or 2
    state = sys.argv[sys.argv.index("--previous") + 1] if "--previous" in sys.argv else None
    previous = {}
    if state and os.path.exists(state):
        with open(state) as handle:
            previous = json.load(handle)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        cd, cd_cases = cidiff(logdx, os.path.join(datasets, "cidiff"), pool)
        lc, lc_logs = logchunks(logdx, os.path.join(datasets, "logchunks"), pool)
    print(f"Failure excerpts on ../shared/datasets (cidiff: {cd_cases} cases, LogChunks: {lc_logs} logs)")
    print()
    print("| method              | cidiff P | cidiff R | cidiff F1 | LogChunks touched | recall@10 | lines/log |")
    print("|---------------------|----------|----------|-----------|-------------------|-----------|-----------|")
    def row(name, c, l):
        cells = [f"{c[0]:.3f}", f"{c[1]:.3f}", f"{c[2]:.3f}"] if c else ["", "", ""]
        cells += [f"{l[0]:.1%}", f"{l[1]:.3f}", f"{l[2]:.1f}"] if l else ["", "", ""]
        print(f"| {name:<19} | {cells[0]:>8} | {cells[1]:>8} | {cells[2]:>9} | {cells[3]:>17} | {cells[4]:>9} | {cells[5]:>9} |")
    row("keyword search", cd["keyword"], lc["keyword"])
    row("logdx cold", cd["cold"], lc["cold"])
    if "cold" in previous:
        row("  previous run", previous["cold"]["cidiff"], previous["cold"]["logchunks"])
    row("logdx --baseline", cd["baseline"], None)
    if "baseline" in previous:
        row("  previous run", previous["baseline"]["cidiff"], None)
    print()
    if state:
        os.makedirs(os.path.dirname(state) or ".", exist_ok=True)
        with open(state, "w") as handle:
            json.dump({"cold": {"cidiff": cd["cold"], "logchunks": lc["cold"]},
                       "baseline": {"cidiff": cd["baseline"]}}, handle)
    print("Targets: cidiff F1 >= 0.60 cold, >= 0.70 with baseline; LogChunks touched >= 90%, recall@10 >= 0.75, <= 25 lines/log.")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make bench: how fast logdx scans and how much memory it needs, against grep tools running the
same patterns, measured in one run on this machine.

Every input is made by the shared corpus generator (../shared/tools/gen_corpus.py next to the
repository, or --gen-corpus PATH), deterministically:
- the comparison corpus: `gen_corpus.py files DIR 1000 250 7`, 1,000 job logs, about 300 MB;
  `cat`, `rg -f` (its own engine, with the exported patterns it accepts, and `-P` with all),
  `pcre2grep -f` and `logdx scan --jsonl` read it, each at its fastest setting; rg's own engine
  and logdx run alternately three times each, and their rows are the median runs;
- one job of 1,000 MB (`gen_corpus.py single`): `logdx diagnose`, time and peak RSS;
- a 10 MB pipeline (40 jobs, `gen_corpus.py files DIR 40 190 9`) and a two-line paste:
  `logdx diagnose` latency, rule loading included;
- 100,000 small logs (20–60 lines cut from the corpus) in 10,000 pipeline folders: `logdx scan`.
Before and after, a fixed loop of Python arithmetic says how fast the machine was running.

Then the scaling table: `logdx diagnose` on one job of 10, 100 and 1,000 MB and on pipelines of
10, 100 and 1,000 jobs, with wall time, CPU time and peak RSS, and the growth exponent between
sizes: 1 is linear, below 1 better (start-up cost spread out).

Usage: bench.py LOGDX WORKDIR [--gen-corpus PATH] [--scaling-only | --no-scaling]
       [--scaling-max-mb M] [--scaling-max-jobs N] [--small-pipelines N]
"""
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

def generated(generator, mode, path, *arguments):
    """Runs the corpus generator once per input: `path` stays when its run completed."""
    stamp = path + ".complete"
    if os.path.exists(stamp):
        return path
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)
    subprocess.run([sys.executable, generator, mode, path, *map(str, arguments)], check=True, stdout=subprocess.DEVNULL)
    open(stamp, "w").close()
    return path


def small_pipelines(corpus, root, count):
    """`count` pipeline folders of 10 logs each, every log 20–60 consecutive lines of a corpus
    log: what a history of short jobs looks like on disk."""
    stamp = root + ".complete"
    if os.path.exists(stamp):
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(20261206)
    sources = []
    for name in sorted(os.listdir(corpus))[:50]:
        with open(os.path.join(corpus, name), "rb") as handle:
            sources.append(handle.read().split(b"\n"))
    for p in range(count):
        folder = os.path.join(root, f"p{p:05d}")
        os.makedirs(folder)
        for job in range(10):
            lines = rng.choice(sources)
            start = rng.randrange(0, max(1, len(lines) - 60))
            with open(os.path.join(folder, f"job{job}.log"), "wb") as handle:
                handle.write(b"\n".join(lines[start:start + rng.randrange(20, 60)]) + b"\n")
    open(stamp, "w").close()
    return root


def size_and_lines(folder):
    total = lines = 0
    for base, _, files in os.walk(folder):
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(base, name)
            total += os.path.getsize(path)
            with open(path, "rb") as handle:
                lines += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return total, lines


# Runs of rg and of logdx scan on the corpus, alternated, for the ratio.
COMPARED_RUNS = 3


def measure(command, stdout=subprocess.DEVNULL, cpu=False):
    """Wall seconds and peak RSS (MB) of a command, through GNU time; with `cpu`, also the CPU
    seconds (user + system), which a busy machine disturbs less than wall time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S"] + command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-500:]}")
    seconds, kilobytes, user, system = result.stderr.strip().splitlines()[-1].split()
    if cpu:
        return float(seconds), float(user) + float(system), int(kilobytes) / 1024
    return float(seconds), int(kilobytes) / 1024


def scaling_inputs(work, generator, max_mb, max_jobs):
    """One GitHub-style job of 10, 100, … MB (cut from one generated log, as the issue that
    asked for this table did) and pipelines of 10, 100, … jobs of about 100 KB each."""
    root = os.path.join(work, "scaling")
    os.makedirs(root, exist_ok=True)
    sizes = [mb for mb in (10, 100, 1000) if mb <= max_mb]
    counts = [n for n in (10, 100, 1000) if n <= max_jobs]
    big = os.path.join(root, f"single-{sizes[-1]}.log")
    if not os.path.exists(big):
        subprocess.run([sys.executable, generator, "single", big + ".tmp", str(sizes[-1]), "7"], check=True, stdout=subprocess.DEVNULL)
        os.rename(big + ".tmp", big)
    singles = []
    for mb in sizes:
        path = os.path.join(root, f"single-{mb}.log")
        if not os.path.exists(path):
            with open(big, "rb") as source, open(path + ".tmp", "wb") as target:
                remaining = mb * 1_000_000
                while remaining > 0:
                    chunk = source.read(min(remaining, 1 << 22))
                    if not chunk:
                        break
                    target.write(chunk)
                    remaining -= len(chunk)
            os.rename(path + ".tmp", path)
        singles.append((mb, path))
    # The generator's files depend only on their index and seed, so the first n of the largest
    # pipeline are the pipeline of n jobs.
    every = os.path.join(root, f"jobs-{counts[-1]}")
    if not os.path.exists(os.path.join(every, ".complete")):
        shutil.rmtree(every, ignore_errors=True)
        subprocess.run([sys.executable, generator, "files", every, str(counts[-1]), "100", "11"], check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(every, ".complete"), "w").close()
    names = sorted(name for name in os.listdir(every) if name.endswith(".log"))
    pipelines = []
    for n in counts:
        folder = every if n == counts[-1] else os.path.join(root, f"jobs-{n}")
        if not os.path.exists(folder):
            os.makedirs(folder + ".tmp")
            for name in names[:n]:
                shutil.copyfile(os.path.join(every, name), os.path.join(folder + ".tmp", name))
            os.rename(folder + ".tmp", folder)
        pipelines.append((n, folder))
    return singles, pipelines


def exponent(small, large, value_small, value_large):
    """How a measure grows with the input: value ∝ size^exponent between two sizes."""
    if value_small <= 0 or value_large <= 0:
        return float("nan")
    return math.log(value_large / value_small) / math.log(large / small)


def scaling(logdx, work, generator, max_mb, max_jobs):
    singles, pipelines = scaling_inputs(work, generator, max_mb, max_jobs)
    print()
    print("Scaling: `logdx diagnose` on logs made by gen_corpus.py (wall and CPU seconds, peak RSS)")
    print()
    print("| input | MB | jobs | wall s | CPU s | peak RSS MB | CPU s per MB | CPU growth | RSS growth |")
    print("|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for series, unit, inputs in (("one job", "MB", singles), ("pipeline", "jobs", pipelines)):
        previous = None
        for amount, path in inputs:
            files = [path] if os.path.isfile(path) else [os.path.join(path, f) for f in os.listdir(path) if f.endswith(".log")]
            megabytes = sum(os.path.getsize(f) for f in files) / 1e6
            wall, cpu, rss = measure([logdx, "diagnose", path], cpu=True)
            growth = ["", ""]
            if previous:
                cpu_growth = exponent(previous[0], amount, previous[1], cpu)
                rss_growth = exponent(previous[0], amount, previous[2], rss)
                growth = [f"size^{cpu_growth:.2f}", f"size^{rss_growth:.2f}"]
                verdicts.append(f"{series}, {previous[0]} → {amount} {unit}: CPU time grows as size^{cpu_growth:.2f}, peak RSS as "
                                f"size^{rss_growth:.2f}: " + ("linear or better" if max(cpu_growth, rss_growth) <= 1.15 else "WORSE THAN LINEAR"))
            print(f"| {series}, {amount} {unit} | {megabytes:.0f} | {len(files)} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | "
                  f"{cpu / megabytes:.3f} | {growth[0]} | {growth[1]} |")
            previous = (amount, cpu, rss)
    print()
    for verdict in verdicts:
        print(verdict)
    print("(size^1 is linear; below 1, the fixed start-up cost of loading and compiling the rules is spread over more input.)")


def rg_accepted(patterns, accepted):
    """Writes the patterns ripgrep's default engine compiles to `accepted`; returns how many."""
    kept = []
    for pattern in open(patterns).read().splitlines():
        probe = subprocess.run(["rg", "--no-unicode", "-c", "-e", pattern, "-"], input=b"", capture_output=True)
        if probe.returncode in (0, 1):
            kept.append(pattern)
    with open(accepted, "w") as handle:
        handle.write("\n".join(kept) + "\n")
    return len(kept)


def machine_speed():
    """Milliseconds for a fixed loop of Python arithmetic, the best of three: the same work every
    run, so a bench made in one of this machine's slow spells says so (it drifts by half within
    minutes; about 170-180 ms is its usual speed)."""
    best = math.inf
    for _ in range(3):
        begin = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number * number
        best = min(best, time.perf_counter() - begin)
    return best * 1000


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    logdx, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    repository = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    generator = option("--gen-corpus", os.path.join(repository, "..", "shared", "tools", "gen_corpus.py"))
    if not os.path.exists(generator):
        sys.exit(f"bench: the corpus generator {generator} is missing; pass --gen-corpus PATH")
    print(f"machine speed before: {machine_speed():.0f} ms for a fixed loop (this machine's usual: 170-180 ms)")
    if "--scaling-only" not in sys.argv:
        comparison(logdx, work, generator, int(option("--small-pipelines", 10000)))
        print(f"machine speed after: {machine_speed():.0f} ms for the same loop")
    if "--no-scaling" in sys.argv:
        return
    scaling(logdx, work, generator, int(option("--scaling-max-mb", 1000)), int(option("--scaling-max-jobs", 1000)))


def comparison(logdx, work, generator, small_count):
    started = time.time()
    corpus = generated(generator, "files", os.path.join(work, "corpus"), 1000, 250, 7)
    # The scaling table's largest job, made once for both.
    os.makedirs(os.path.join(work, "scaling"), exist_ok=True)
    huge = generated(generator, "single", os.path.join(work, "scaling", "single-1000.log"), 1000, 7)
    # The generator's sizes run a quarter over MEAN_KB (40 × 250 KB made 12.9 MB): 190 KB with
    # this seed makes the target's 10 MB (9.97 MB).
    ten = generated(generator, "files", os.path.join(work, "ten-mb"), 40, 190, 9)
    small = small_pipelines(corpus, os.path.join(work, f"small-{small_count}"), small_count)
    patterns = os.path.join(work, "patterns.txt")
    with open(patterns, "w") as handle:
        subprocess.run([logdx, "rules", "export-patterns"], stdout=handle, check=True)
    pattern_count = sum(1 for _ in open(patterns))
    size, lines = size_and_lines(corpus)
    files = [f for f in os.listdir(corpus) if not f.startswith(".")]
    print(f"corpus: gen_corpus.py files DIR 1000 250 7: {size / 1e6:.0f} MB, {lines / 1e6:.1f} M lines in {len(files)} files; "
          f"{pattern_count} patterns (inputs ready in {time.time() - started:.0f} s)")
    database = os.path.join(work, "bench.sqlite")
    rows = []
    xargs = ["sh", "-c", f"find {corpus} -type f -print0 | xargs -0 cat > /dev/null"]
    rows.append(("cat (read limit)", *measure(xargs, cpu=True)))
    # ripgrep at its fastest is its own regex engine, which refuses look-around and
    # back-references: it runs the patterns it accepts, and -P (PCRE2) runs them all.
    accepted = os.path.join(work, "patterns-rg.txt")
    kept = rg_accepted(patterns, accepted)
    # The ratio is of two wall times on a machine whose speed drifts by a fifth within minutes:
    # rg and logdx run alternately, three times each, and each row is its median run.
    def fresh_database():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(database + suffix):
                os.remove(database + suffix)
    rg_runs, logdx_runs = [], []
    for _ in range(COMPARED_RUNS):
        rg_runs.append(measure(["rg", "--no-unicode", "-c", "-f", accepted, corpus], cpu=True))
        fresh_database()
        logdx_runs.append(measure([logdx, "scan", corpus, "--db", database, "--no-progress", "--jsonl"], cpu=True))
    median_run = lambda runs: sorted(runs)[len(runs) // 2]
    rows.append((f"rg -c --no-unicode -f, its engine ({kept} of {pattern_count} patterns, 2 threads; median of {COMPARED_RUNS})",
                 *median_run(rg_runs)))
    rg_seconds = rows[-1][1]
    # rg -P joins every pattern into one PCRE2 alternation, which PCRE2 may refuse as too large:
    # the table then says so instead of losing the other rows.
    try:
        rows.append((f"rg -c -P -f, PCRE2 (all {pattern_count}, 2 threads)", *measure(["rg", "-P", "-c", "-f", patterns, corpus], cpu=True)))
    except SystemExit as refused:
        print(f"rg -P did not run: {str(refused).splitlines()[0][:200]}")
    rows.append(("pcre2grep -r -c -f (1 thread)", *measure(["pcre2grep", "-r", "-c", "-f", patterns, corpus], cpu=True)))
    rows.append((f"logdx scan --jsonl (events, all rules, excerpts, SQLite; median of {COMPARED_RUNS})", *median_run(logdx_runs)))
    logdx_seconds = rows[-1][1]
    print()
    print("| tool | wall s | CPU s | MB/s | lines/s | rg speed ÷ tool speed | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for name, seconds, cpu, rss in rows:
        print(f"| {name} | {seconds:.2f} | {cpu:.2f} | {size / 1e6 / seconds:.0f} | {lines / seconds / 1e6:.2f} M | "
              f"{rg_seconds / seconds:.2f} | {rss:.0f} |")
    print()
    print(f"logdx scan against rg at its fastest: {rg_seconds / logdx_seconds:.2f}× its speed (target 1.0, floor 0.5)")
    huge_seconds, huge_cpu, huge_rss = measure([logdx, "diagnose", huge], cpu=True)
    print(f"logdx diagnose, one job of {os.path.getsize(huge) / 1e6:.0f} MB: {huge_seconds:.1f} s ({huge_cpu:.1f} s CPU), "
          f"peak RSS {huge_rss:.0f} MB (targets < 30 s, < 100 MB)")
    ten_megabytes = sum(os.path.getsize(os.path.join(ten, name)) for name in os.listdir(ten)) / 1e6
    for label, path, target in ((f"a {ten_megabytes:.1f} MB pipeline (40 jobs)", ten, 150), ("a two-line paste", write_paste(work), 50)):
        runs = []
        for _ in range(11):
            begin = time.perf_counter()
            subprocess.run([logdx, "diagnose", path], stdout=subprocess.DEVNULL, check=False)
            runs.append(time.perf_counter() - begin)
        print(f"logdx diagnose on {label}, rule loading included: median {statistics.median(runs) * 1000:.0f} ms of 11 runs "
              f"(target < {target} ms)")
    small_database = os.path.join(work, "small.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(small_database + suffix):
            os.remove(small_database + suffix)
    small_seconds, small_cpu, small_rss = measure([logdx, "scan", small, "--db", small_database, "--no-progress"], cpu=True)
    print(f"logdx scan, {small_count * 10:,} small logs in {small_count:,} pipeline folders: {small_seconds:.1f} s "
          f"({small_cpu:.1f} s CPU), peak RSS {small_rss:.0f} MB (target for 100,000 logs: < 20 s)")


def write_paste(work):
    path = os.path.join(work, "paste.txt")
    with open(path, "w") as handle:
        handle.write("$ uv pip show rdflib\nwarning: Package(s) not found for: rdflib\n")
    return path


if __name__ == "__main__":
    main()

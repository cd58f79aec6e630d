#!/usr/bin/env python3
"""make bench: how fast logdx scans and how much memory it needs, against grep tools running the
same patterns, measured in one run on this machine.

Builds a deterministic corpus of realistic CI logs once (about 1 GB in many files, one 1 GB
file, and a 10 MB pipeline), exports logdx's event patterns (`logdx rules export-patterns`) and
times: `cat` (the read limit), `rg -f` and `pcre2grep -f` with those patterns, `logdx scan` with
all rules, `logdx diagnose` on the 1 GB file (peak RSS) and on the 10 MB pipeline (latency,
rule loading included).

Then the scaling table: `logdx diagnose` on one job of 10, 100 and 1,000 MB and on pipelines of
10, 100 and 1,000 jobs, all made by the shared corpus generator (../shared/tools/gen_corpus.py
next to the repository, or --gen-corpus PATH), with wall time, CPU time and peak RSS, and the
growth exponent between sizes: 1 is linear, below 1 better (start-up cost spread out).

Usage: bench.py LOGDX WORKDIR [--gigabytes G] [--gen-corpus PATH] [--scaling-only | --no-scaling]
       [--scaling-max-mb M] [--scaling-max-jobs N]
"""
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

NOISE = [
    "Collecting numpy>=1.26 (from -r requirements.txt (line 3))",
    "  Downloading numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata (62 kB)",
    "Requirement already satisfied: six>=1.5 in /usr/local/lib/python3.11/site-packages (from python-dateutil) (1.16.0)",
    "tests/test_graph.py::test_parse_turtle[case-{n}] PASSED                               [ {p}%]",
    "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.",
    "added {n} packages, and audited {m} packages in 9s",
    "   Compiling serde v1.0.{n}",
    "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/commons/commons-lang3/3.{n}.0/commons-lang3-3.{n}.0.pom",
    "[INFO] Tests run: {n}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.{n} s - in com.acme.StockServiceTest",
    "ok  \tgithub.com/acme/svc/pkg/mod{n}\t0.0{p}s",
    " + pyparsing==3.2.{n}",
    "Receiving objects:  {p}% ({n}/{m}), 2.31 MiB | 10.2 MiB/s",
    "\x1b[0K\x1b[32;1m$ make -j2 test\x1b[0;m",
    "2025-01-07 10:24:{p} INFO  [main] c.a.s.StockService - reserved {n} items for order {m}",
    "PASS src/components/cart/Checkout.test.tsx ({n}.{p} s)",
    "Resolved {n} packages in {p}ms",
    "warning: unused variable: `tmp{n}`",
    "\x1b[36;1m==> Building image layer {n}/{m}\x1b[0m",
]
FAILURES = [
    ["\x1b[32;1m$ uv pip show rdflib\x1b[0;m", "Using Python 3.11.11 environment at: /usr/local", "warning: Package(s) not found for: rdflib"],
    ["npm error code E404", "npm error 404 Not Found - GET https://registry.npmjs.org/left-pad-x - Not found",
     "npm error 404  'left-pad-x@^1.0.0' is not in this registry."],
    ["--- FAIL: TestParseConfig (0.00s)", "    config_test.go:42: expected port 8080, got 0", "FAIL\tgithub.com/acme/svc/config\t0.012s"],
    ["ERROR: Could not find a version that satisfies the requirement rdflibb (from versions: none)", "ERROR: No matching distribution found for rdflibb"],
]


def job_log(rng, target_bytes, name, fail):
    ts = 1736242867 + rng.randrange(1_000_000)
    out = [f"\x1b[0KRunning with gitlab-runner 17.7.0 (3153ccc6)\x1b[0;m",
           f"section_start:{ts}:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the \"docker\" executor\x1b[0;m\x1b[0;m",
           "Initialized empty Git repository in /builds/acme/app/.git/",
           f"section_start:{ts + 20}:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m\x1b[0;m"]
    size = sum(len(x) + 1 for x in out)
    while size < target_bytes:
        line = rng.choice(NOISE).format(n=rng.randrange(1, 999), m=rng.randrange(1000, 9999), p=rng.randrange(0, 100))
        out.append(line)
        size += len(line) + 1
    if fail is not None:
        out += FAILURES[fail] + ["\x1b[31;1mERROR: Job failed: exit code 1\n\x1b[0;m"]
    else:
        out.append("\x1b[32;1mJob succeeded\x1b[0;m")
    return "\n".join(out) + "\n"


def build_corpus(root, gigabytes):
    stamp = os.path.join(root, f".complete-{gigabytes}")
    if os.path.exists(stamp):
        return
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(20261124)
    many = os.path.join(root, "many")
    per_job = 1_300_000
    pipelines = int(gigabytes * 1e9 / (2 * per_job))
    for p in range(pipelines):
        folder = os.path.join(many, f"p{p:04d}")
        os.makedirs(folder)
        fail = rng.randrange(len(FAILURES)) if rng.random() < 0.3 else None
        for job, failing in (("build", None), ("test", fail)):
            with open(os.path.join(folder, f"{job}.log"), "w") as handle:
                handle.write(job_log(rng, rng.randrange(per_job // 2, per_job * 3 // 2), job, failing))
    os.makedirs(os.path.join(root, "one"))
    with open(os.path.join(root, "one", "huge.log"), "w") as handle:
        written = 0
        while written < gigabytes * 1e9:
            chunk = job_log(rng, 50_000_000, "huge", None).rsplit("\n", 2)[0] + "\n"
            handle.write(chunk)
            written += len(chunk)
        handle.write(job_log(rng, 1000, "huge", 0))
    ten = os.path.join(root, "ten")
    os.makedirs(ten)
    for job, failing in (("uv-install", None), ("test", 0)):
        with open(os.path.join(ten, f"{job}.log"), "w") as handle:
            handle.write(job_log(rng, 5_000_000, job, failing))
    open(stamp, "w").close()


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


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    logdx, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    repository = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    generator = option("--gen-corpus", os.path.join(repository, "..", "shared", "tools", "gen_corpus.py"))
    if "--scaling-only" in sys.argv and not os.path.exists(generator):
        sys.exit(f"bench: the corpus generator {generator} is missing; pass --gen-corpus PATH")
    if "--scaling-only" not in sys.argv:
        comparison(logdx, work, float(option("--gigabytes", 1.0)))
    if "--no-scaling" in sys.argv:
        return
    if not os.path.exists(generator):
        print(f"\nScaling table skipped: the corpus generator {generator} is missing (pass --gen-corpus PATH).")
    else:
        scaling(logdx, work, generator, int(option("--scaling-max-mb", 1000)), int(option("--scaling-max-jobs", 1000)))


def comparison(logdx, work, gigabytes):
    corpus = os.path.join(work, "corpus")
    started = time.time()
    build_corpus(corpus, gigabytes)
    many, huge, ten = os.path.join(corpus, "many"), os.path.join(corpus, "one", "huge.log"), os.path.join(corpus, "ten")
    patterns = os.path.join(work, "patterns.txt")
    with open(patterns, "w") as handle:
        subprocess.run([logdx, "rules", "export-patterns"], stdout=handle, check=True)
    pattern_count = sum(1 for _ in open(patterns))
    size, lines = size_and_lines(many)
    files = [os.path.join(b, f) for b, _, fs in os.walk(many) for f in fs]
    print(f"corpus: {size / 1e6:.0f} MB, {lines / 1e6:.1f} M lines in {len(files)} files; one {os.path.getsize(huge) / 1e6:.0f} MB file; "
          f"{pattern_count} patterns (built in {time.time() - started:.0f} s)")
    database = os.path.join(work, "bench.sqlite")
    rows = []
    xargs = ["sh", "-c", f"find {many} -type f -print0 | xargs -0 cat > /dev/null"]
    rows.append(("cat (read limit)", *measure(xargs)))
    # ripgrep at its fastest is its own regex engine, which refuses look-around and
    # back-references: it runs the patterns it accepts, and -P (PCRE2) runs them all.
    accepted = os.path.join(work, "patterns-rg.txt")
    kept = rg_accepted(patterns, accepted)
    rows.append((f"rg -c --no-unicode -f, its engine ({kept} of {pattern_count} patterns, 2 threads)",
                 *measure(["rg", "--no-unicode", "-c", "-f", accepted, many])))
    # rg -P joins every pattern into one PCRE2 alternation, which PCRE2 may refuse as too large:
    # the table then says so instead of losing the other rows.
    try:
        rows.append((f"rg -c -P -f, PCRE2 (all {pattern_count}, 2 threads)", *measure(["rg", "-P", "-c", "-f", patterns, many])))
    except SystemExit as refused:
        print(f"rg -P did not run: {str(refused).splitlines()[0][:200]}")
    rows.append(("pcre2grep -r -c -f (1 thread)", *measure(["pcre2grep", "-r", "-c", "-f", patterns, many])))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    rows.append(("logdx scan --jsonl (events, all rules, excerpts, SQLite)",
                 *measure([logdx, "scan", many, "--db", database, "--no-progress", "--jsonl"])))
    logdx_seconds = rows[-1][1]
    print()
    print(f"| tool | seconds | MB/s | lines/s | logdx speed ÷ tool speed | peak RSS MB |")
    print(f"|---|---|---|---|---|---|")
    for name, seconds, rss in rows:
        print(f"| {name} | {seconds:.2f} | {size / 1e6 / seconds:.0f} | {lines / seconds / 1e6:.2f} M | {seconds / logdx_seconds:.2f} | {rss:.0f} |")
    huge_seconds, huge_rss = measure([logdx, "diagnose", huge])
    print()
    print(f"logdx diagnose on the {os.path.getsize(huge) / 1e6:.0f} MB file: {huge_seconds:.1f} s, peak RSS {huge_rss:.0f} MB (target < 100 MB)")
    runs = []
    for _ in range(7):
        begin = time.perf_counter()
        subprocess.run([logdx, "diagnose", ten], stdout=subprocess.DEVNULL, check=True)
        runs.append(time.perf_counter() - begin)
    print(f"logdx diagnose on a 10 MB pipeline, rule loading included: median {statistics.median(runs) * 1000:.0f} ms of 7 runs (target < 150 ms)")


if __name__ == "__main__":
    main()

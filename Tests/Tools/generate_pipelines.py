#!/usr/bin/env python3
"""Writes a folder of realistic CI pipelines for `logdx scan` tests and demos.

Pipelines are copies of the repository's fixture logs (rule fixtures that fire one known rule,
passing "green" logs) with their timestamps shifted to spread over ten weeks, job names varied
where the log does not name its job, some files gzip-compressed, plus jobs that fail in ways no
rule knows, whose failure line varies only in numbers, ids and paths. The same seed always
writes the same bytes, mtimes included.

    generate_pipelines.py OUT [--seed N] [--scale F] [--repo DIR]

OUT/expected.json says what a scan should find: pipelines per rule and per unknown failure kind.
"""
import argparse
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import sys

# (fixture path relative to the repository, rule it fires, pipelines at scale 1)
CAUSES = [
    ("Fixtures/pipelines/seed-uv-github", "python-packages-not-carried", 60),
    ("Fixtures/rules/go/go-test-failure/verbose-subtest", "go-test-failure", 45),
    ("Fixtures/rules/java/maven-test-failure/surefire-assertion", "maven-test-failure", 32),
    ("Fixtures/rules/docker/docker-hub-pull-rate-limit/gitlab-job-image-pull.log", "docker-hub-pull-rate-limit", 21),
    ("Fixtures/rules/git/git-auth-failed/gitlab-clone-private-repo.log", "git-auth-failed", 12),
]
GREEN = [
    "Fixtures/green/github-c-cmake-ctest.log",
    "Fixtures/green/gitlab-java-maven-verify.log",
    "Fixtures/green/jenkins-go-test-race.log",
]
GREEN_COUNT = 20

# Unknown failures: a kind, how many pipelines, the failing line (formatted with random values).
UNKNOWN = [
    ("frob-lease-lost", 26,
     "fatal: frobnicate: shard {a} of 64 lost its lease on /var/lib/frob/ws-{b}/state.db after {c} ms"),
    ("flux-drift", 15,
     "ERROR [flux-capacitor] calibration drift 0.0{a} exceeds budget 0.05 on unit fc-{b} (run {c})"),
    ("ledger-checksum", 9,
     "panic: quantum-ledger: checksum mismatch in block 0x{h} at offset {c} (file /srv/ql/blocks/{b}.blk)"),
]
JOB_NAMES = ["build", "test", "lint", "unit", "integration", "package", "deploy-staging", "e2e", "check"]
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.timezone.utc)
SPAN_DAYS = 70

ISO = re.compile(rb"\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z")
SECTION = re.compile(rb"(section_(?:start|end):)(\d{10})")


def shift(data, offset):
    """Moves every ISO and GitLab section timestamp by `offset` seconds, keeping their order."""
    def iso(match):
        base = dt.datetime.strptime((match.group(1) + b"T" + match.group(2)).decode(), "%Y-%m-%dT%H:%M:%S")
        moved = (base + dt.timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%S").encode()
        return moved + (match.group(3) or b"") + b"Z"
    data = ISO.sub(iso, data)
    return SECTION.sub(lambda m: m.group(1) + str(int(m.group(2)) + offset).encode(), data)


def first_time(data):
    match = ISO.search(data)
    if match:
        return dt.datetime.strptime((match.group(1) + b"T" + match.group(2)).decode(), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    match = SECTION.search(data)
    if match:
        return dt.datetime.fromtimestamp(int(match.group(2)), dt.timezone.utc)
    return None


def write(path, data, when, compress):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if compress:
        path += ".gz"
        # mtime=0 in the gzip header keeps the bytes identical across runs.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(data)
    else:
        with open(path, "wb") as out:
            out.write(data)
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def unknown_log(rng, template, when, job):
    values = {"a": rng.randint(1, 63), "b": rng.randint(1000, 99999), "c": rng.randint(100, 99999),
              "h": "%08x" % rng.getrandbits(32)}
    line = template.format(**values)
    t = when
    out = []

    def emit(text, seconds=0.4):
        nonlocal t
        t += dt.timedelta(seconds=seconds)
        out.append("%sZ %s" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-1] + "0", text))

    emit("Current runner version: '2.321.0'")
    emit("Complete job name: %s" % job)
    emit("##[group]Run ./ci/%s.sh" % job.split("-")[0])
    emit("./ci/%s.sh" % job.split("-")[0])
    emit("##[endgroup]")
    for step in range(rng.randint(3, 9)):
        emit("[%d/%d] processing work item %d in %s" % (step + 1, 9, rng.randint(1, 500), "/home/runner/work/app/app/src"))
    emit(line, seconds=rng.randint(1, 30))
    emit("##[error]Process completed with exit code 1.")
    emit("Cleaning up orphan processes")
    return ("\n".join(out) + "\n").encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default 1: 240 pipelines)")
    parser.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    repo = os.path.abspath(args.repo)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)

    plan = []
    for path, rule, count in CAUSES:
        plan += [("cause", path, rule)] * max(1, round(count * args.scale))
    for i in range(max(1, round(GREEN_COUNT * args.scale))):
        plan.append(("green", GREEN[i % len(GREEN)], None))
    for kind, count, template in UNKNOWN:
        plan += [("unknown", template, kind)] * max(1, round(count * args.scale))
    rng.shuffle(plan)

    expected = {"pipelines": len(plan), "causes": {}, "unknown": {}, "seed": args.seed}
    for number, (what, source, label) in enumerate(plan):
        name = "pipeline-%04d" % number
        when = END - dt.timedelta(seconds=rng.randint(0, SPAN_DAYS * 86400))
        folder = os.path.join(args.out, name)
        compress = rng.random() < 0.2
        if what == "unknown":
            expected["unknown"][label] = expected["unknown"].get(label, 0) + 1
            job = rng.choice(JOB_NAMES) + "-" + rng.choice(["linux", "macos", "arm64", "py312", "node20"])
            write(os.path.join(folder, job + ".log"), unknown_log(rng, source, when, job), when, compress)
            # A passing job beside it: pipelines have more than the failing job.
            write(os.path.join(folder, "lint.log"), unknown_log_passing(when), when, False)
            continue
        if what == "cause":
            expected["causes"][label] = expected["causes"].get(label, 0) + 1
        full = os.path.join(repo, source)
        files = [os.path.join(full, f) for f in sorted(os.listdir(full)) if f.endswith(".log")] if os.path.isdir(full) else [full]
        originals = [open(f, "rb").read() for f in files]
        starts = [t for t in (first_time(d) for d in originals) if t]
        offset = int((when - min(starts)).total_seconds()) if starts else 0
        for f, data in zip(files, originals):
            base = os.path.basename(f)
            # A lone file's job is named after the file: vary it, as real pipelines name jobs.
            if len(files) == 1:
                base = rng.choice(JOB_NAMES) + "-%d.log" % rng.randint(1, 4)
            write(os.path.join(folder, base), shift(data, offset), when, compress and len(files) == 1)
    with open(os.path.join(args.out, "expected.json"), "w") as out:
        json.dump(expected, out, indent=2, sort_keys=True)
        out.write("\n")
    print("generate_pipelines: %d pipelines in %s" % (len(plan), args.out), file=sys.stderr)


def unknown_log_passing(when):
    t = when
    lines = []
    for text in ["Current runner version: '2.321.0'", "Complete job name: lint", "##[group]Run make lint", "make lint",
                 "##[endgroup]", "All checks passed.", "Cleaning up orphan processes"]:
        t += dt.timedelta(seconds=0.5)
        lines.append("%sZ %s" % (t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-1] + "0", text))
    return ("\n".join(lines) + "\n").encode()


if __name__ == "__main__":
    main()

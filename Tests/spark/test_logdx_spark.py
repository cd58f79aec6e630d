#!/usr/bin/env python3
"""The Spark job (Sources/spark/logdx_spark.py) against `logdx scan` + `logdx report`, on the
generated pipelines the scan tests use (Tests/Tools/generate_pipelines.py), one of them with a
planted secret:

1. its report.json equals `logdx report --format json` over the SQLite scan of the same folder
   (every member: totals, rules versions, weeks, causes with titles, fixes, examples, jobs and
   weekly counts, clusters with signatures, counts, dates and examples), all but generated_at;
   and `logdx report --from` renders it as the database renders;
2. the Parquet table has one row per pipeline, under the day the database dates it by;
3. a rerun over the same input leaves the same rows (no duplicates) and, with --since, its
   report equals `logdx report --since`;
4. the secret appears nowhere, scratch paths do not leak into the documents, and no scratch
   folder is left behind.

    test_logdx_spark.py --logdx BIN --bundle BUNDLE.tar.gz   (run by `make test-spark`)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from typing import Any

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JOB = os.path.join(REPO, "Sources", "spark", "logdx_spark.py")
GENERATOR = os.path.join(REPO, "Tests", "Tools", "generate_pipelines.py")
# A GitHub token's shape, which logdx redacts; planted beside an unknown failure so that it falls
# in the excerpt, the failure examples and the JSON documents the job stores.
SECRET = "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c"
SINCE = "2026-10-15"


def run(command: list[str], **options: Any) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr[-6000:]}")
    return result


def differences(expected: Any, got: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, by member path, to say what is wrong rather than that something is."""
    if type(expected) is not type(got):
        return [f"{path or '.'}: {json.dumps(expected)[:200]} != {json.dumps(got)[:200]}"]
    if isinstance(expected, dict):
        found = []
        for key in sorted(set(expected) | set(got)):
            if key not in got or key not in expected:
                found.append(f"{path}.{key}: only in {'logdx report' if key in expected else 'the Spark report'}")
            else:
                found += differences(expected[key], got[key], f"{path}.{key}")
        return found
    if isinstance(expected, list):
        found = [f"{path}: {len(expected)} items != {len(got)}"] if len(expected) != len(got) else []
        for index, (a, b) in enumerate(zip(expected, got)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    return [] if expected == got else [f"{path}: {json.dumps(expected)[:200]} != {json.dumps(got)[:200]}"]


def assert_same_report(expected_text: str, got_path: str, what: str) -> dict[str, Any]:
    expected = json.loads(expected_text)
    with open(got_path, encoding="utf-8") as file:
        got = json.load(file)
    # The one member that is when, not what.
    expected.pop("generated_at"), got.pop("generated_at")
    found = differences(expected, got)
    if found:
        raise AssertionError(f"{what}: the Spark report differs from logdx report's in {len(found)} places:\n  " + "\n  ".join(found[:40]))
    return got


def plant_secret(logs: str) -> str:
    """Puts SECRET on the line before the first unknown failure; answers the file's path."""
    for folder in sorted(os.listdir(logs)):
        directory = os.path.join(logs, folder)
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            if not name.endswith(".log"):
                continue
            with open(path, encoding="utf-8") as file:
                lines = file.readlines()
            for index, line in enumerate(lines):
                if "lost its lease" in line:
                    stat = os.stat(path)
                    lines.insert(index, f"using token {SECRET} for the shard lease\n")
                    with open(path, "w", encoding="utf-8") as file:
                        file.writelines(lines)
                    # The mtime dates pipelines without timestamps; keep it as generated.
                    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
                    return path
    raise AssertionError("no generated log has an unknown failure to plant the secret beside")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdx", required=True, help="the logdx binary the bundle holds")
    parser.add_argument("--bundle", required=True, help="the archive make_bundle.sh wrote")
    args = parser.parse_args()
    logdx = os.path.abspath(args.logdx)
    scratch = tempfile.mkdtemp(prefix="spark-job-test-")
    try:
        return check(logdx, os.path.abspath(args.bundle), scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check(logdx: str, bundle: str, scratch: str) -> int:
    logs, db, output = (os.path.join(scratch, name) for name in ("logs", "logdx.sqlite", "output"))
    worker_tmp = os.path.join(scratch, "tmp")
    os.mkdir(worker_tmp)
    # Half the demo's 240, as the scan tests take: Spark's fixed costs dominate either way.
    run([sys.executable, GENERATOR, logs, "--seed", "7", "--scale", "0.5"])
    with open(os.path.join(logs, "expected.json"), encoding="utf-8") as file:
        manifest = json.load(file)
    planted = plant_secret(logs)

    started = time.monotonic()
    run([logdx, "scan", logs, "--db", db, "--no-progress"])
    scan_seconds = time.monotonic() - started
    reference = run([logdx, "report", "--db", db, "--format", "json"]).stdout
    reference_since = run([logdx, "report", "--db", db, "--format", "json", "--since", SINCE]).stdout

    # TMPDIR: the executors' scratch folders go where the test can see whether they were removed.
    environment = dict(os.environ, TMPDIR=worker_tmp)
    submit = ["spark-submit", "--master", "local[2]", "--conf", "spark.log.level=WARN", "--conf", "spark.ui.showConsoleProgress=false",
              "--archives", f"{bundle}#logdx", JOB, logs, output]
    started = time.monotonic()
    run(submit, env=environment)
    spark_seconds = time.monotonic() - started

    report = assert_same_report(reference, os.path.join(output, "report.json"), "first run")
    # Equal and empty would prove nothing: the generated causes and clusters are there.
    assert report["totals"]["pipelines"] == manifest["pipelines"], report["totals"]
    assert {c["rule"]: c["count"] for c in report["causes"]} == manifest["causes"], report["causes"]
    assert sorted(c["count"] for c in report["clusters"]) == sorted(manifest["unknown"].values()), report["clusters"]
    assert all(c["examples"] for c in report["clusters"]) and len(report["weeks"]) >= 10
    for format_name in ("text", "html"):
        from_file = run([logdx, "report", "--from", os.path.join(output, "report.json"), "--format", format_name]).stdout
        from_db = run([logdx, "report", "--db", db, "--format", format_name]).stdout
        if format_name == "html":  # generated <time> differs; the rest must not
            from_file, from_db = (text.split('class="muted">generated ', 1)[0] + text.split(" · rules ", 1)[1] for text in (from_file, from_db))
        assert from_file == from_db, f"report --from renders {format_name} unlike report --db"

    first = table_rows(output)
    expected_days = database_days(db)
    assert sorted(first) == sorted(expected_days.items()), \
        f"Parquet (key, day) rows differ from the database's days: {len(first)} rows for {len(expected_days)} pipelines"

    started = time.monotonic()
    run(submit + ["--since", SINCE], env=environment)
    rerun_seconds = time.monotonic() - started
    second = table_rows(output)
    assert sorted(second) == sorted(first), f"the rerun changed the table: {len(first)} rows before, {len(second)} after"
    since_report = assert_same_report(reference_since, os.path.join(output, "report.json"), "rerun with --since")
    assert since_report["totals"]["pipelines"] < report["totals"]["pipelines"], "--since kept every pipeline"

    check_no_leaks(output, worker_tmp, planted)
    print(f"test_logdx_spark: report equal to logdx report ({manifest['pipelines']} pipelines, {len(report['causes'])} causes, "
          f"{len(report['clusters'])} clusters), and with --since {SINCE}; "
          f"{len(second)} rows by day after a rerun; no secret, no scratch left. "
          f"logdx scan {scan_seconds:.1f} s, Spark local[2] {spark_seconds:.1f} s (rerun {rerun_seconds:.1f} s)")
    return 0


def table_rows(output: str) -> list[tuple[str, str]]:
    """(key, day) of every row of the Parquet table, read through Spark."""
    rows = spark_sql(output, "SELECT key, CAST(day AS STRING) AS day FROM pipelines")
    return [(row["key"], row["day"]) for row in rows]


def spark_sql(output: str, query: str) -> list[dict[str, Any]]:
    from pyspark.sql import SparkSession  # the venv's pyspark; imported here, where it is needed
    spark = (SparkSession.builder.master("local[1]").config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.parquet(os.path.join(output, "pipelines")).createOrReplaceTempView("pipelines")
    return [row.asDict() for row in spark.sql(query).collect()]


def database_days(db: str) -> dict[str, str]:
    """The day the scan database dates each pipeline by: its seen time, as a UTC date."""
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT key, date(seen_at, 'unixepoch') FROM pipelines"))


def check_no_leaks(output: str, worker_tmp: str, planted: str) -> None:
    counts = spark_sql(output, f"""
        SELECT count_if(document LIKE '%{SECRET[:12]}%') AS secret, count_if(document LIKE '%[REDACTED]%') AS redacted,
               count_if(document LIKE '%logdx-spark-%') AS scratch,
               count_if(document LIKE '%{os.path.dirname(planted)}/%') AS own_paths
        FROM pipelines
    """)[0]
    assert counts["secret"] == 0, "the planted secret is in a stored document"
    assert counts["redacted"] >= 1, "the planted secret reached no document: the check proves nothing"
    assert counts["scratch"] == 0, "a document names an executor's scratch folder instead of the pipeline's"
    assert counts["own_paths"] >= 1, "no document names the planted pipeline's own files"
    for folder, _, files in os.walk(output):
        for name in files:
            with open(os.path.join(folder, name), "rb") as file:
                assert SECRET.encode() not in file.read(), f"the planted secret is in {os.path.join(folder, name)}"
    left = [name for name in os.listdir(worker_tmp) if name.startswith("logdx-spark-")]
    assert not left, f"scratch folders left behind: {left}"


if __name__ == "__main__":
    sys.exit(main())

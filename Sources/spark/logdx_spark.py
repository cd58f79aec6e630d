#!/usr/bin/env python3
"""logdx on Apache Spark: `logdx scan` + `logdx report --format json` over a root of pipeline
folders on any Hadoop-compatible file system.

    spark-submit --archives logdx-bundle.tar.gz#logdx logdx_spark.py INPUT OUTPUT [--since DATE]

A pipeline is the log files of one folder, as `logdx scan INPUT` groups them. The executors get
each pipeline's files (Spark reads them, so s3a://, hdfs:// and file: all work), write them to a
private scratch folder and stream the folder paths to ONE long-lived `logdx scan --paths-from -
--no-db --jsonl` per partition; logdx diagnoses and redacts, Python only moves its JSON lines.

Writes
    OUTPUT/pipelines/day=YYYY-MM-DD/*.parquet   one row per pipeline (the day it was seen, UTC)
    OUTPUT/report.json                          the report, in `logdx report --format json`'s shape

and `logdx report --from OUTPUT/report.json --format html|text` renders it. Every part of the
report is Spark SQL over the Parquet table, except the one inherently sequential step: the
template miner that clusters unexplained failures runs once, in the logdx binary on the driver,
over the failures' signatures in the order `logdx report` mines them (pipeline key, job); SQL
then counts, dates and picks examples per cluster. A rerun replaces OUTPUT's results.
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Any

from pyspark import SparkFiles
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import types as T

# The archive shipped with --archives BUNDLE#logdx unpacks under this name on every node.
BUNDLE_NAME = "logdx"

# One row per pipeline. `document` is logdx's whole JSON line (diagnosis JSON + `scan`), already
# redacted by logdx; the other columns are what the report reads, so it never parses documents.
PIPELINE_SCHEMA = T.StructType([
    T.StructField("key", T.StringType(), False),
    T.StructField("name", T.StringType(), False),
    T.StructField("seen_at", T.DoubleType(), False),
    T.StructField("seen_from", T.StringType(), False),
    T.StructField("rules_version", T.StringType(), False),
    T.StructField("error", T.StringType(), True),
    T.StructField("files", T.ArrayType(T.StringType(), False), False),
    T.StructField("failed", T.BooleanType(), False),
    T.StructField("jobs", T.ArrayType(T.StructType([
        T.StructField("name", T.StringType(), False),
        T.StructField("status", T.StringType(), False),
    ])), False),
    T.StructField("diagnoses", T.ArrayType(T.StructType([
        T.StructField("position", T.IntegerType(), False),
        T.StructField("rule", T.StringType(), False),
        T.StructField("severity", T.StringType(), False),
        T.StructField("title", T.StringType(), False),
        T.StructField("jobs", T.ArrayType(T.StringType(), False), False),
        T.StructField("fix", T.StringType(), True),
    ])), False),
    T.StructField("failures", T.ArrayType(T.StructType([
        T.StructField("job", T.StringType(), False),
        T.StructField("line", T.LongType(), False),
        T.StructField("text", T.StringType(), False),
        T.StructField("signature", T.StringType(), False),
    ])), False),
    T.StructField("document", T.StringType(), False),
    T.StructField("day", T.StringType(), False),
])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="root of pipeline folders (a local path, s3a://…, hdfs://…)")
    parser.add_argument("output", help="where pipelines/ (Parquet) and report.json go; replaced on a rerun")
    parser.add_argument("--since", help="report only pipelines seen on or after this date (YYYY-MM-DD or ISO 8601)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="partitions, i.e. logdx processes, for the scan (default: Spark's default parallelism)")
    parser.add_argument("--logdx", help="a logdx binary at this path on every node, instead of the shipped bundle "
                                        "(local mode, or an image with logdx installed)")
    args = parser.parse_args(argv)
    since = parse_since(args.since) if args.since else None

    spark = (SparkSession.builder.appName("logdx")
             # Report times are UTC, as `logdx report` prints them.
             .config("spark.sql.session.timeZone", "UTC")
             # The shuffle that groups files into pipelines carries raw log bytes, secrets
             # included: what spills to executors' disks is encrypted with a per-application key.
             .config("spark.io.encryption.enabled", "true")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    if not spark.sparkContext.getConf().contains("spark.sql.shuffle.partitions"):
        # Spark's 200 is for big shuffles; the report's are a row per pipeline, and in local
        # mode 200 tiny tasks a query more than double its time. Two per core, unless set.
        spark.conf.set("spark.sql.shuffle.partitions", str(2 * spark.sparkContext.defaultParallelism))
    started = time.monotonic()
    pipelines = scan(spark, args.input, args.logdx, args.partitions or spark.sparkContext.defaultParallelism)
    table = args.output.rstrip("/") + "/pipelines"
    pipelines.write.mode("overwrite").partitionBy("day").parquet(table)
    scanned = time.monotonic()
    # With the schema given, an empty table reads as one (nothing to infer from) and `day` stays a string.
    report = build_report(spark, spark.read.schema(PIPELINE_SCHEMA).parquet(table), since, args.logdx)
    write_text(spark, args.output.rstrip("/") + "/report.json", json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"logdx-spark: {report['totals']['pipelines']} pipelines scanned into {table} in {scanned - started:.1f} s; "
          f"report in {args.output.rstrip('/')}/report.json in {time.monotonic() - scanned:.1f} s", file=sys.stderr)
    spark.stop()
    return 0


def parse_since(text: str) -> float:
    """YYYY-MM-DD (midnight UTC) or an ISO 8601 time, as `logdx report --since` takes."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(f"logdx-spark: --since '{text}' is not a date. Use YYYY-MM-DD or an ISO 8601 time such as 2026-11-20T08:00:00Z.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.timestamp()


# MARK: Scanning

def scan(spark: SparkSession, root: str, logdx: str | None, partitions: int) -> DataFrame:
    """One row per pipeline, scanned by logdx on the executors."""
    root_uri = qualified(spark, root)
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(root_uri)
             .where(is_log_file("path")))
    files.createOrReplaceTempView("files")
    # The pipeline is the file's folder: its key is what `logdx scan` records (the folder's
    # absolute path for local files, else its URI), its name the folder relative to the root.
    grouped = spark.sql("""
        SELECT path, unix_millis(modificationTime) AS mtime_ms, content,
               regexp_replace(path, '/[^/]*$', '') AS folder
        FROM files
    """).selectExpr(
        "path", "mtime_ms", "content",
        "regexp_replace(folder, '^file:', '') AS key",
        f"""CASE WHEN folder = {sql_string(root_uri)} THEN element_at(split({sql_string(root_uri)}, '/'), -1)
                 ELSE substring(folder, {len(root_uri) + 2}) END AS name""")
    by_pipeline = grouped.repartition(partitions, "key").sortWithinPartitions("key", "path")
    cpus = int(spark.conf.get("spark.task.cpus", "1"))
    rows = by_pipeline.rdd.mapPartitions(lambda part: scan_partition(part, logdx, cpus))
    return spark.createDataFrame(rows, PIPELINE_SCHEMA)


def qualified(spark: SparkSession, path: str) -> str:
    """The path as Spark names its files (`file:/abs/dir`, `s3a://bucket/dir`), without a trailing slash."""
    jvm = spark.sparkContext._jvm  # Hadoop's FileSystem API is only reachable through the JVM.
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(hadoop_path):
        raise SystemExit(f"logdx-spark: {path}: no such folder. Pass the root of the pipeline folders (a local path, s3a://…, hdfs://…).")
    return fs.makeQualified(hadoop_path).toString().rstrip("/")


def is_log_file(column: str) -> str:
    """SQL for `LogFileNames.isLog` (Sources/LogDxIngest/LogFileNames.swift): .log, .txt, .trace,
    .out or no extension, each also .gz or .zst. logdx applies the rule again to what it is given;
    this only keeps other files (artifacts, reports) out of the shuffle."""
    name = f"regexp_replace(element_at(split({column}, '/'), -1), '(?i)\\\\.(gz|zst)$', '')"
    return f"""(NOT {name} RLIKE '.\\\\.[^.]+$' OR lower({name}) RLIKE '\\\\.(log|txt|trace|out)$')"""


def sql_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def logdx_command(logdx: str | None) -> tuple[list[str], dict[str, str]]:
    """The logdx binary and its environment: the shipped bundle (bin/logdx, lib/ with the
    shared libraries it links; its rules are compiled in), or --logdx."""
    env = dict(os.environ)
    if logdx:
        return [logdx], env
    bundle = SparkFiles.get(BUNDLE_NAME)
    binary = os.path.join(bundle, "bin", "logdx")
    if not os.path.exists(binary):
        raise RuntimeError(f"logdx-spark: no logdx in the shipped bundle ({binary}). Submit with "
                           f"--archives logdx-bundle.tar.gz#{BUNDLE_NAME} (make spark-bundle writes it), or pass --logdx PATH.")
    env["LD_LIBRARY_PATH"] = os.path.join(bundle, "lib") + os.pathsep + env.get("LD_LIBRARY_PATH", "")
    return [binary], env


def scan_partition(rows: Iterator[Row], logdx: str | None, cpus: int) -> Iterator[tuple]:
    """Scans a partition's pipelines (rows sorted by key, then path) with one logdx process:
    each pipeline's files are written to a scratch folder whose path goes down logdx's standard
    input; each JSON line that comes back is mapped to the pipeline and its folder removed. A
    bounded number of pipelines is on disk at once."""
    first = next(rows, None)
    if first is None:  # no pipeline here: no logdx to start
        return
    rows = itertools.chain([first], rows)
    command, env = logdx_command(logdx)
    # Mode 0700: the copies are raw logs. Real path: logdx names the pipeline by it.
    scratch = os.path.realpath(tempfile.mkdtemp(prefix="logdx-spark-"))
    in_flight = threading.BoundedSemaphore(4 * cpus)
    pending: dict[str, tuple[str, str]] = {}  # scratch folder → (key, name)
    lock = threading.Lock()
    failure: list[BaseException] = []
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command + ["scan", "--paths-from", "-", "--no-db", "--jsonl", "--no-progress", "--jobs", str(cpus)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env, text=True, encoding="utf-8")

    def feed() -> None:
        try:
            for index, (key, files) in enumerate(itertools.groupby(rows, key=lambda row: row.key)):
                in_flight.acquire()
                folder = os.path.join(scratch, f"p{index}")
                os.mkdir(folder)
                name = None
                for row in files:
                    name = row.name
                    target = os.path.join(folder, row.path.rsplit("/", 1)[-1])
                    with open(target, "wb") as out:
                        out.write(row.content)
                    # A pipeline without log timestamps is dated by its files' mtimes.
                    os.utime(target, ns=(row.mtime_ms * 1_000_000, row.mtime_ms * 1_000_000))
                with lock:
                    pending[folder] = (key, name)
                process.stdin.write(folder + "\n")
                process.stdin.flush()
        except BaseException as error:  # handed to the reading side, which raises it
            failure.append(error)
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        for line in process.stdout:
            document = json.loads(line)
            folder = document["scan"]["key"]
            with lock:
                key, name = pending.pop(folder)
            yield pipeline_row(rename(document, folder, key), key, name)
            shutil.rmtree(folder, ignore_errors=True)
            in_flight.release()
        feeder.join()
        status = process.wait()
        if failure:
            raise failure[0]
        if status != 0 or pending:
            stderr.seek(0)
            detail = stderr.read().decode("utf-8", "replace")[-4000:]
            missing = f"; no result for {len(pending)} pipelines, e.g. {next(iter(pending.values()))[0]}" if pending else ""
            raise RuntimeError(f"logdx scan exited with {status}{missing}: {detail}")
    finally:
        if process.poll() is None:
            process.kill()
        stderr.close()
        shutil.rmtree(scratch, ignore_errors=True)


def rename(value: Any, folder: str, key: str) -> Any:
    """The document with the scratch folder replaced by the pipeline's own (file paths in jobs,
    evidence, excerpts and notices), so it reads as a scan of the original files."""
    if isinstance(value, str):
        return value.replace(folder, key)
    if isinstance(value, list):
        return [rename(item, folder, key) for item in value]
    if isinstance(value, dict):
        return {name: rename(item, folder, key) for name, item in value.items()}
    return value


def pipeline_row(document: dict[str, Any], key: str, name: str) -> tuple:
    scan_info = document["scan"]
    scan_info["key"], scan_info["pipeline"] = key, name
    jobs = document.get("pipeline", {}).get("jobs", [])
    diagnoses = [
        (position, d["rule"], d["severity"], d["title"], list(d.get("jobs", [])),
         (d.get("fixes") or [{}])[0].get("summary"))
        for position, d in enumerate(document.get("diagnoses", []))
    ]
    failures = [(f["job"], int(f["line"]), f["text"], f["signature"]) for f in scan_info.get("unexplained", [])]
    seen_at = float(scan_info["seen_at_unix"])
    return (
        key, name, seen_at, scan_info["seen_from"], scan_info["rules_version"], scan_info.get("error"),
        list(scan_info["files"]), any(job["status"] == "failed" for job in jobs),
        [(job["name"], job["status"]) for job in jobs], diagnoses, failures,
        json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        # The day `logdx report` dates the pipeline by: its seen time in UTC.
        dt.datetime.fromtimestamp(seen_at, dt.timezone.utc).strftime("%Y-%m-%d"),
    )


# MARK: The report, in Spark SQL

ISO = "date_format(timestamp_seconds({}), \"yyyy-MM-dd'T'HH:mm:ss'Z'\")"
DAY = "date_format(timestamp_seconds({}), 'yyyy-MM-dd')"
# ReportDates.weekStart: the Monday 00:00 UTC of the week (1970-01-01 was a Thursday).
WEEK = "((floor({0} / 86400) - pmod(floor({0} / 86400) + 3, 7)) * 86400)"


def build_report(spark: SparkSession, table: DataFrame, since: float | None, logdx: str | None) -> dict[str, Any]:
    """`ScanReport.build` (Sources/LogDxScan/ScanReport.swift) over the Parquet table."""
    kept = table.where(f"seen_at >= {since!r}") if since is not None else table
    # Cached: a dozen queries read it, and without the documents it is one small row per pipeline.
    kept.drop("document").cache().createOrReplaceTempView("p")
    sql = spark.sql

    totals = sql(f"""
        SELECT count(*) AS pipelines,
               count_if(exists(diagnoses, d -> d.severity IN ('error', 'warning'))) AS diagnosed,
               count_if(error IS NOT NULL) AS unreadable,
               coalesce(sum(size(failures)), 0) AS unexplained,
               {ISO.format('min(seen_at)')} AS first_seen, {ISO.format('max(seen_at)')} AS last_seen,
               {WEEK.format('min(seen_at)')} AS first_week, {WEEK.format('max(seen_at)')} AS last_week
        FROM p
    """).first()
    versions = [row.rules_version for row in sql("SELECT DISTINCT rules_version FROM p ORDER BY rules_version").collect()]

    sql(f"""
        SELECT posexplode(sequence(CAST({totals.first_week} AS BIGINT), CAST({totals.last_week} AS BIGINT), 604800)) AS (i, start)
    """ if totals.pipelines else "SELECT 0 AS i, 0L AS start WHERE false").createOrReplaceTempView("weeks")
    weekly = sql(f"""
        SELECT w.i, {DAY.format('w.start')} AS week, count(p.key) AS pipelines, count_if(p.failed) AS failed
        FROM weeks w LEFT JOIN p ON {WEEK.format('p.seen_at')} = w.start
        GROUP BY w.i, w.start ORDER BY w.i
    """).collect()

    # Top-level diagnoses that are errors or warnings (notes advise; symptoms hang under their cause),
    # in the order the report reads them: most recent pipeline first, then key, then position.
    sql("""
        SELECT p.key, p.name, p.seen_at, d.position, d.rule, d.severity, d.title, d.jobs, d.fix,
               CASE WHEN p.key LIKE '%#%' THEN array_min(p.files) ELSE p.key END AS link,
               row_number() OVER (PARTITION BY d.rule ORDER BY p.seen_at DESC, p.key, d.position) AS in_rule
        FROM p LATERAL VIEW explode(p.diagnoses) AS d
        WHERE d.severity IN ('error', 'warning')
    """).cache().createOrReplaceTempView("diagnoses")
    causes = sql(f"""
        WITH latest AS (SELECT * FROM diagnoses WHERE in_rule = 1),
        per_pipeline AS (
            SELECT *, row_number() OVER (PARTITION BY rule ORDER BY seen_at DESC, key) AS example
            FROM (SELECT *, row_number() OVER (PARTITION BY rule, key ORDER BY in_rule) AS first_in_pipeline FROM diagnoses)
            WHERE first_in_pipeline = 1),
        examples AS (
            SELECT rule, array_sort(collect_list(struct(example, name AS pipeline, title, {ISO.format('seen_at')} AS seen, link))) AS examples
            FROM per_pipeline WHERE example <= 3 GROUP BY rule),
        job_counts AS (
            SELECT rule, job, count(*) AS count FROM diagnoses LATERAL VIEW explode(array_distinct(jobs)) AS job GROUP BY rule, job),
        jobs AS (
            SELECT rule, collect_list(struct(rank, job, count)) AS jobs
            FROM (SELECT *, row_number() OVER (PARTITION BY rule ORDER BY count DESC, job) AS rank FROM job_counts)
            WHERE rank <= 5 GROUP BY rule),
        weeks_hit AS (
            SELECT rule, w.i, count(DISTINCT key) AS count
            FROM diagnoses JOIN weeks w ON {WEEK.format('seen_at')} = w.start GROUP BY rule, w.i),
        weekly AS (
            SELECT r.rule, collect_list(struct(w.i, coalesce(h.count, 0) AS count)) AS weekly
            FROM (SELECT DISTINCT rule FROM diagnoses) r CROSS JOIN weeks w
                 LEFT JOIN weeks_hit h ON h.rule = r.rule AND h.i = w.i
            GROUP BY r.rule),
        tally AS (
            SELECT rule, count(DISTINCT key) AS count, {ISO.format('min(seen_at)')} AS first_seen, {ISO.format('max(seen_at)')} AS last_seen
            FROM diagnoses GROUP BY rule)
        SELECT t.rule, l.severity, l.title, l.fix, t.count, t.first_seen, t.last_seen, e.examples,
               array_sort(j.jobs) AS jobs, wk.weekly
        FROM tally t JOIN latest l USING (rule) JOIN examples e USING (rule) JOIN weekly wk USING (rule) LEFT JOIN jobs j USING (rule)
        ORDER BY t.count DESC, t.rule
    """).collect()

    week_labels = [row.week for row in weekly]
    report: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rules_versions": versions,
        "totals": drop_none({
            "pipelines": totals.pipelines, "diagnosed": totals.diagnosed, "unreadable": totals.unreadable,
            "unexplained_failures": totals.unexplained, "first_seen": totals.first_seen, "last_seen": totals.last_seen,
        }),
        "weeks": week_labels,
        "pipelines_per_week": [row.pipelines for row in weekly],
        "failed_per_week": [row.failed for row in weekly],
        "causes": [drop_none({
            "rule": c.rule, "severity": c.severity, "title": c.title, "fix": c.fix, "count": c["count"],
            "first_seen": c.first_seen, "last_seen": c.last_seen,
            "examples": [drop_none({"pipeline": e.pipeline, "title": e.title, "seen": e.seen, "link": e.link}) for e in c.examples],
            "jobs": [{"job": j.job, "count": j["count"]} for j in (c.jobs or [])],
            "weekly": [{"week": week_labels[w.i], "count": w["count"]} for w in sorted(c.weekly, key=lambda w: w.i)],
        }) for c in causes],
        "clusters": clusters(spark, logdx),
    }
    if since is not None:
        report["since"] = dt.datetime.fromtimestamp(since, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return report


def clusters(spark: SparkSession, logdx: str | None) -> list[dict[str, Any]]:
    """Unexplained failures clustered as `ScanDatabase.rebuildClusters` does: the miner sees every
    signature in (pipeline key, job) order, in logdx on the driver; Spark SQL does the rest."""
    failures = spark.sql("""
        SELECT p.key, p.name, p.seen_at, f.job, f.text, f.signature
        FROM p LATERAL VIEW explode(p.failures) AS f
    """)
    failures.createOrReplaceTempView("failures")
    ordered = [(row.key, row.job, row.signature) for row in failures.select("key", "job", "signature").orderBy("key", "job").toLocalIterator()]
    if not ordered:
        return []
    command, env = logdx_command(logdx)
    mined = subprocess.run(
        command + ["report", "--cluster-signatures", "-"], env=env, check=False, capture_output=True, text=True, encoding="utf-8",
        input="".join(json.dumps(signature, ensure_ascii=False) + "\n" for _, _, signature in ordered))
    if mined.returncode != 0:
        raise RuntimeError(f"logdx report --cluster-signatures exited with {mined.returncode}: {mined.stderr[-4000:]}")
    assigned = [json.loads(line) for line in mined.stdout.splitlines()]
    if len(assigned) != len(ordered):
        raise RuntimeError(f"logdx clustered {len(assigned)} signatures of {len(ordered)}")
    spark.createDataFrame(
        [(key, job, a["cluster"], a["template"]) for (key, job, _), a in zip(ordered, assigned)],
        "key string, job string, cluster int, template string").createOrReplaceTempView("assignment")
    # Clusters that end with one template are one (ScanDatabase.merge): examples are each
    # cluster's three most recent, taken cluster by cluster in the order they were made.
    rows = spark.sql(f"""
        WITH members AS (
            SELECT f.*, a.cluster, a.template,
                   row_number() OVER (PARTITION BY a.cluster ORDER BY f.seen_at DESC, f.key, f.job) AS recent
            FROM failures f JOIN assignment a USING (key, job))
        SELECT template AS signature, count(*) AS count,
               {ISO.format('min(seen_at)')} AS first_seen, {ISO.format('max(seen_at)')} AS last_seen,
               slice(array_sort(collect_list(CASE WHEN recent <= 3 THEN struct(cluster, recent, name AS pipeline, job, text AS line) END)), 1, 3) AS examples
        FROM members GROUP BY template
        ORDER BY count DESC, signature
    """).collect()
    return [{
        "signature": r.signature, "count": r["count"], "first_seen": r.first_seen, "last_seen": r.last_seen,
        "examples": [{"pipeline": e.pipeline, "job": e.job, "line": e.line} for e in r.examples],
    } for r in rows]


def drop_none(values: dict[str, Any]) -> dict[str, Any]:
    """Optional members are left out, as Swift's encoder leaves out nil."""
    return {name: value for name, value in values.items() if value is not None}


def write_text(spark: SparkSession, uri: str, text: str) -> None:
    """One file at `uri` on whatever file system it names (Spark's writers make folders of parts)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    stream = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

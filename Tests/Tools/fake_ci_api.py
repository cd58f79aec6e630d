#!/usr/bin/env python3
"""A loopback stand-in for the GitLab and GitHub REST APIs, for testing `logdx ci`.

It serves one pipeline (GitLab) or workflow run (GitHub) described by a scenario file, in the
shapes, headers, status codes and error bodies the real services use, and can misbehave on
demand (pagination, rate limits, forced errors, truncated or slow log downloads).

    python3 Tests/Tools/fake_ci_api.py --scenario Fixtures/ci-api/gitlab-seed/scenario.json \
        [--port N] [--request-log FILE] [--page-size N] [--rate-limit-once]
        [--github-primary-rate-limit-once] [--status PATH_REGEX=CODE ...]
        [--truncate-log ID ...] [--truncate-log-once ID ...] [--slow-log ID=SECONDS ...]
        [--log-url-ttl SECONDS] [--verbose]

It binds 127.0.0.1 (a free port unless --port), prints exactly one line to stdout,
`listening on http://127.0.0.1:PORT`, flushes, and serves until SIGTERM or SIGINT (exit 0).
Scenario errors exit 2 before that line. Python 3.11 standard library only.

Options
-------
--request-log FILE   Append one JSON line per request, written before the response is sent
                     (a client that has read a response finds its line):
                     {"method", "path" (raw, without the query), "query" (raw string, "" if none),
                      "headers" {lower-case name: value}, "body" (POST/PUT/PATCH: the body decoded
                      as UTF-8, else null), "status" (the status sent; 200 for a truncated body)}.
--page-size N        Cap every list page at N items, whatever per_page asks for.
--rate-limit-once    The first request to each API path (not /blob) answers 429 + Retry-After: 1.
                     GitLab: body "Retry later\\n" (text/plain) and RateLimit-* headers, as
                     Rack::Attack sends. GitHub: the secondary-rate-limit JSON.
--github-primary-rate-limit-once
                     GitHub: the first request to each API path answers 403 with
                     x-ratelimit-remaining: 0 and x-ratelimit-reset = now + 1.
--status RE=CODE     Requests whose raw path matches RE (re.search) answer CODE with the real
                     error body of that service (repeatable; the first matching wins). Checked
                     before anything else, so it also forces statuses on /blob URLs.
--truncate-log ID    Log downloads of job ID (GitLab trace, GitHub job-log blob) or of GitHub
                     run ID (the run's zip) send the full Content-Length but only the first half
                     of the bytes, then close the connection. Every time.
--truncate-log-once ID
                     The same, only for the first download of ID (a retry gets everything).
--slow-log ID=SECONDS
                     Wait SECONDS before answering a log download of job or run ID.
--log-url-ttl SECONDS
                     Lifetime of GitHub's signed blob URLs (default 60, as GitHub documents);
                     an expired one answers 403 AuthenticationFailed.
--verbose            One line per request on stderr.

Scenario (scenario.json)
------------------------
Paths are relative to the scenario file; logs are served byte for byte. Timestamps may be ISO
8601 strings or epoch seconds; left out, they come from the log (GitLab `section_start:`/
`section_end:` markers, GitHub's per-line timestamps). Any job key not listed as a control key
is copied verbatim over the generated API object, so a scenario can set any real field.

GitLab:
  {"provider": "gitlab",
   "token": "glpat-...",              accepted as PRIVATE-TOKEN, Authorization: Bearer, ?private_token=;
                                      any other token -> 401
   "job_token": "...",                optional; accepted as JOB-TOKEN or ?job_token= for reads;
                                      a note posted with it -> 401
   "visibility": "private",           "private" (default): no token -> 404 Project Not Found, as
                                      GitLab hides private projects; "public": anonymous reads
                                      are allowed. A POST without a token is always 401.
   "project_id": 64209871, "project_path": "group/project",   either may address the project
   "pipeline_id": 1615234567,
   "web_url": "https://gitlab.com",   optional, host of the web_url fields
   "pipeline": {...}, "commit": {...}, "user": {...}, "runner": {...}, "runner_manager": {...},
                                      optional overrides of the generated objects
   "merge_requests": [17],            optional: iids (or {"iid", "id"}) that accept notes;
                                      left out, every iid does
   "jobs": [{"id": 8791234502, "name": "test", "stage": "test", "status": "failed",
             "failure_reason": "script_failure", "allow_failure": false,
             "log": "../../pipelines/x/test.log",
             "retried": false,        control key: listed only with include_retried=true
             ...any other API field}]}

GitHub:
  {"provider": "github",
   "token": "ghp_...",                accepted as Authorization: Bearer / token; any other -> 401
   "visibility": "private",           "private" (default): no token -> 404 Not Found, as GitHub
                                      hides private repositories; "public": anonymous reads
                                      allowed, log downloads 403 "Must have admin rights to
                                      Repository."
   "owner": "kg-lab", "repo": "rdf-tools", "repo_id": 912345678, "run_id": 12649283211,
   "web_url": "https://github.com",   optional
   "run": {"name": "CI", "run_number": 58, "run_attempt": 1, "event": "push",
           "head_branch": "main", "head_sha": "...", "path": ".github/workflows/ci.yml", ...},
   "actor": {...},                    optional override of the actor object
   "issues": [17],                    optional: issue/PR numbers that accept comments
   "jobs": [{"id": 35269857544, "name": "test", "conclusion": "failure",
             "status": "completed", "run_attempt": 1, "labels": ["ubuntu-latest"],
             "log": "../../pipelines/x/test.log",
             "steps": [{"name": "Set up job"}, {"name": "Run uv pip show", "conclusion": "failure"},
                       {"name": "Post Run actions/cache@v4", "conclusion": "skipped"}, ...],
             ...any other API field}]}
  A job's log is split into steps at the runner's own boundaries: "##[group]Run ..." starts a
  step, "Post job cleanup." a post step, "Cleaning up orphan processes" "Complete job"; what
  precedes the first is "Set up job". Steps listed with conclusion "skipped" have no log; the
  others take the segments in order (their count must match, else exit 2). Without "steps"
  they are named from the log: post steps after the actions that registered them, in reverse,
  those missing after a failure listed as skipped. A log without boundaries is one step file.

Endpoints
---------
GitLab (base /api/v4; JSON is application/json; lists carry X-Page, X-Per-Page, X-Next-Page,
X-Prev-Page, X-Total, X-Total-Pages and Link with rel prev/next/first/last, query keys sorted):
  GET  /projects/:id/pipelines/:pipeline_id                     pipeline
  GET  /projects/:id/pipelines/:pipeline_id/jobs                per_page (20, max 100), page,
       scope / scope[], include_retried; newest (highest id) first
  GET  /projects/:id/jobs/:job_id                               job
  GET  /projects/:id/jobs/:job_id/trace                         text/plain log bytes,
       Content-Disposition: infile; filename="ID.log"
  POST /projects/:id/merge_requests/:iid/notes                  body from JSON, form, multipart
       or query -> 201 note; no body -> 400 {"error":"body is missing"}
  GET  /projects/:id/merge_requests/:iid/notes                  the notes posted so far, newest
       first (sort=asc for oldest), paged like the jobs list
  PUT  /projects/:id/merge_requests/:iid/notes/:note_id         body replaced -> 200 note
  Errors: 401 {"message":"401 Unauthorized"}, 403 {"message":"403 Forbidden"},
  404 {"message":"404 Project Not Found"} / {"message":"404 Not found"} (pipeline, job, MR),
  unknown route 404 {"error":"404 Not Found"}, 400 {"error":"<param> is invalid"},
  500 {"message":"500 Internal Server Error"}, 502/503 GitLab's HTML error page.

GitHub (base / or /api/v3 as on GitHub Enterprise Server; JSON is application/json; charset=utf-8, with x-ratelimit-* and
x-github-api-version-selected headers; /repositories/:repo_id/... works wherever
/repos/:owner/:repo/... does, as GitHub's own Link URLs use it):
  GET  /repos/:owner/:repo/actions/runs/:run_id                 run
  GET  /repos/:owner/:repo/actions/runs/:run_id/attempts/:n     run as of attempt n
  GET  /repos/:owner/:repo/actions/runs/:run_id/jobs            per_page (30, max 100), page,
       filter=latest|all -> {"total_count", "jobs"}; Link rel prev/next/last/first
  GET  /repos/:owner/:repo/actions/runs/:run_id/attempts/:n/jobs
  GET  /repos/:owner/:repo/actions/runs/:run_id/logs            302 to the run's zip
  GET  /repos/:owner/:repo/actions/runs/:run_id/attempts/:n/logs
  GET  /repos/:owner/:repo/actions/jobs/:job_id                 job
  GET  /repos/:owner/:repo/actions/jobs/:job_id/logs            302 to the job's text log
  POST /repos/:owner/:repo/issues/:number/comments              201 comment
  GET  /blob/...   (on http://localhost:PORT, the host every 302 points to) signed blob URLs,
       Azure-style: application/zip or text/plain, Content-MD5, Range requests (206), XML
       errors. A request that carries Authorization is served anyway; the request log shows it.
  The zip holds, per job of the attempt, "<ordinal>_<job name>.txt" (the whole log) and
  "<job name>/<step number>_<step name>.txt" (each step with a log), names stripped of
  / \\ : * ? " < > | and cut to 90 characters, as GitHub writes them.
  Errors: 401 {"message":"Bad credentials","documentation_url":"https://docs.github.com/rest",
  "status":"401"}; 404/403/422/500/502 the same shape with the endpoint's documentation_url.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import email.parser
import email.policy
import hashlib
import hmac
import http
import io
import json
import math
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UTC = dt.timezone.utc


class ScenarioError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Time


ISO_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$")


def parse_time(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = ISO_RE.match(str(value).strip())
    if not m:
        raise ScenarioError(f"not a timestamp: {value!r}")
    year, month, day, hour, minute, second, frac, zone = m.groups()
    # fromisoformat in 3.11 rejects the runner's 7-digit fractions, so the fraction is added apart.
    base = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    offset = 0
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return base.timestamp() - offset + (float("0." + frac) if frac else 0.0)


def gitlab_time(ts: float | None) -> str | None:
    if ts is None:
        return None
    d = dt.datetime.fromtimestamp(ts, UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def github_time(ts: float | None) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


# ---------------------------------------------------------------------------------------------
# Logs

SECTION_RE = re.compile(rb"section_(?:start|end):(\d+):")
GH_LINE_RE = re.compile(rb"^(?:\xef\xbb\xbf)?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?")


def gitlab_log_span(data: bytes) -> tuple[float | None, float | None]:
    stamps = [int(m.group(1)) for m in SECTION_RE.finditer(data)]
    return (float(min(stamps)), float(max(stamps))) if stamps else (None, None)


def github_line_time(line: bytes) -> float | None:
    m = GH_LINE_RE.match(line)
    return parse_time(m.group(1).decode()) if m else None


def github_log_span(data: bytes) -> tuple[float | None, float | None]:
    times = [t for t in (github_line_time(line) for line in data.splitlines()) if t is not None]
    return (min(times), max(times)) if times else (None, None)


def split_github_steps(data: bytes) -> list[dict]:
    """Cuts a job log where the runner starts a step; each segment keeps its first line."""
    segments = [{"kind": "setup", "label": None, "lines": []}]
    for line in data.splitlines(keepends=True):
        m = GH_LINE_RE.match(line)
        text = line[m.end():] if m else line.lstrip(b"\xef\xbb\xbf")
        text = text.rstrip(b"\r\n")
        if text.startswith(b"##[group]Run "):
            segments.append({"kind": "run", "label": text[len(b"##[group]"):].decode("utf-8", "replace").strip(), "lines": [line]})
        elif text == b"Post job cleanup.":
            segments.append({"kind": "post", "label": None, "lines": [line]})
        elif text == b"Cleaning up orphan processes":
            segments.append({"kind": "complete", "label": None, "lines": [line]})
        else:
            segments[-1]["lines"].append(line)
    for seg in segments:
        seg["data"] = b"".join(seg.pop("lines"))
        times = [t for t in (github_line_time(l) for l in seg["data"].splitlines()) if t is not None]
        seg["start"] = min(times) if times else None
        seg["end"] = max(times) if times else None
    return segments


# GitHub strips these from zip entry names (gh's getJobNameForLogFilename documents / and :).
ZIP_NAME_DROP = re.compile(r'[/\\:*?"<>|\x00-\x1f]')


def zip_name(name: str) -> str:
    cleaned = ZIP_NAME_DROP.sub("", name)
    units = cleaned.encode("utf-16-le")
    if len(units) > 180:
        cleaned = units[:180].decode("utf-16-le", "replace")
    return cleaned.strip()


# ---------------------------------------------------------------------------------------------
# Scenario


def load_log(base_dir: str, job: dict) -> bytes | None:
    rel = job.get("log")
    if rel is None:
        return None
    path = os.path.normpath(os.path.join(base_dir, rel))
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ScenarioError(f"job {job.get('name')!r}: cannot read log {rel!r}: {e.strerror}") from None


def job_specs(raw: dict, base_dir: str):
    """(where, spec, log) for each scenario job, after the checks both providers share."""
    jobs = raw.get("jobs")
    if not isinstance(jobs, list) or not jobs:
        raise ScenarioError("scenario: 'jobs' must be a non-empty list")
    for i, spec in enumerate(jobs):
        where = f"jobs[{i}]"
        require(spec, "id", int, where)
        require(spec, "name", str, where)
        yield where, spec, load_log(base_dir, spec)


def require(obj: dict, key: str, kind, where: str):
    if key not in obj:
        raise ScenarioError(f"{where}: missing {key!r}")
    value = obj[key]
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ScenarioError(f"{where}: {key!r} must be an integer")
    if kind is str and not isinstance(value, str):
        raise ScenarioError(f"{where}: {key!r} must be a string")
    return value


def stable_hex(*parts, length=40) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:length]


def node_id(prefix: str, number: int) -> str:
    return prefix + base64.urlsafe_b64encode(number.to_bytes(8, "big")).decode().rstrip("=")


GITLAB_STATUSES = {"created", "pending", "running", "failed", "success", "canceled", "canceling", "skipped",
                   "waiting_for_resource", "manual", "scheduled", "preparing", "waiting_for_callback"}

GITLAB_CONTROL_KEYS = {"log", "retried"}
GITHUB_CONTROL_KEYS = {"log", "steps"}


class GitLabScenario:
    provider = "gitlab"

    def __init__(self, raw: dict, base_dir: str):
        self.raw = raw
        self.token = require(raw, "token", str, "scenario")
        self.job_token = raw.get("job_token")
        self.visibility = raw.get("visibility", "private")
        self.project_id = require(raw, "project_id", int, "scenario")
        self.project_path = raw.get("project_path", f"group/project-{self.project_id}")
        self.pipeline_id = require(raw, "pipeline_id", int, "scenario")
        self.web = raw.get("web_url", "https://gitlab.com").rstrip("/")
        self.project_web = f"{self.web}/{self.project_path}"
        mrs = raw.get("merge_requests")
        self.merge_requests = None if mrs is None else {
            (m["iid"] if isinstance(m, dict) else int(m)): (m.get("id") if isinstance(m, dict) else None) for m in mrs}
        self.jobs = []
        for where, job, log in job_specs(raw, base_dir):
            status = job.get("status", "success")
            if status not in GITLAB_STATUSES:
                raise ScenarioError(f"{where}: unknown GitLab status {status!r}")
            self.jobs.append({"spec": job, "log": log})
        ids = [j["spec"]["id"] for j in self.jobs]
        if len(set(ids)) != len(ids):
            raise ScenarioError("scenario: job ids must be unique")
        self._build_times()

    def _build_times(self):
        for job in self.jobs:
            spec = job["spec"]
            start, end = gitlab_log_span(job["log"]) if job["log"] else (None, None)
            job["started"] = parse_time(spec.get("started_at")) if "started_at" in spec else start
            job["finished"] = parse_time(spec.get("finished_at")) if "finished_at" in spec else end
        starts = [j["started"] for j in self.jobs if j["started"] is not None]
        pipe = self.raw.get("pipeline", {})
        self.created = parse_time(pipe["created_at"]) if "created_at" in pipe else (min(starts) - 12.0 if starts else time.time() - 600)
        # A job is queued once every earlier stage has finished, as GitLab's stage ordering does.
        stages = []
        for job in self.jobs:
            stage = job["spec"].get("stage", "test")
            if stage not in stages:
                stages.append(stage)
        order = sorted(stages, key=lambda s: (0 if s == ".pre" else 2 if s == ".post" else 1, stages.index(s)))
        for job in self.jobs:
            spec = job["spec"]
            job["created"] = parse_time(spec["created_at"]) if "created_at" in spec else self.created
            rank = order.index(spec.get("stage", "test"))
            earlier = [j["finished"] for j in self.jobs
                       if order.index(j["spec"].get("stage", "test")) < rank and j["finished"] is not None]
            job["queued"] = max([job["created"]] + earlier)

    # -- objects

    def user(self) -> dict:
        user = {
            "id": 14237650, "username": "kg-lab-maintainer", "name": "KG Lab Maintainer", "state": "active",
            "locked": False,
            "avatar_url": "https://secure.gravatar.com/avatar/5a1e0c0b8f3e4e1f9d7c2b6a4e8f0d13?s=80&d=identicon",
            "web_url": f"{self.web}/kg-lab-maintainer", "created_at": "2021-03-14T09:26:53.411Z", "bio": "",
            "location": "", "public_email": None, "linkedin": "", "twitter": "", "discord": "",
            "website_url": "", "organization": "", "job_title": "", "pronouns": None, "bot": False,
            "work_information": None, "followers": 0, "following": 0, "local_time": None,
        }
        user.update(self.raw.get("user", {}))
        return user

    def commit(self) -> dict:
        pipe = self.raw.get("pipeline", {})
        sha = pipe.get("sha", stable_hex("commit", self.pipeline_id))
        commit = {
            "id": sha, "short_id": sha[:8], "created_at": gitlab_time(self.created - 95).replace("Z", "+00:00"),
            "parent_ids": [stable_hex("parent", sha)], "title": "Install rdflib in the uv-install job",
            "message": "Install rdflib in the uv-install job\n", "author_name": "KG Lab Maintainer",
            "author_email": "maintainer@kg-lab.example", "authored_date": gitlab_time(self.created - 95).replace("Z", "+00:00"),
            "committer_name": "KG Lab Maintainer", "committer_email": "maintainer@kg-lab.example",
            "committed_date": gitlab_time(self.created - 95).replace("Z", "+00:00"), "trailers": {}, "extended_trailers": {},
            "web_url": f"{self.project_web}/-/commit/{sha}",
        }
        commit.update(self.raw.get("commit", {}))
        return commit

    def visible_jobs(self, include_retried: bool) -> list[dict]:
        return [j for j in self.jobs if include_retried or not j["spec"].get("retried", False)]

    def pipeline_status(self) -> str:
        statuses = [(j["spec"].get("status", "success"), j["spec"].get("allow_failure", False)) for j in self.visible_jobs(False)]
        if any(s in ("running", "pending", "preparing") for s, _ in statuses):
            return "running"
        if any(s == "failed" and not allowed for s, allowed in statuses):
            return "failed"
        if any(s == "canceled" for s, _ in statuses):
            return "canceled"
        return "success"

    def pipeline_basic(self) -> dict:
        pipe = self.raw.get("pipeline", {})
        basic = {
            "id": self.pipeline_id, "iid": pipe.get("iid", 1), "project_id": self.project_id,
            "sha": self.commit()["id"], "ref": pipe.get("ref", "main"), "status": pipe.get("status", self.pipeline_status()),
            "source": pipe.get("source", "push"), "created_at": gitlab_time(self.created),
            "updated_at": gitlab_time(self._finished() or self.created),
            "web_url": f"{self.project_web}/-/pipelines/{self.pipeline_id}",
        }
        return basic

    def _finished(self):
        ends = [j["finished"] for j in self.visible_jobs(False) if j["finished"] is not None]
        return max(ends) if ends else None

    def pipeline(self) -> dict:
        pipe = self.raw.get("pipeline", {})
        basic = self.pipeline_basic()
        status = basic["status"]
        starts = [j["started"] for j in self.visible_jobs(False) if j["started"] is not None]
        started, finished = (min(starts) if starts else None), self._finished()
        icon = {"success": "passed", "failed": "failed", "canceled": "canceled", "running": "running"}.get(status, status)
        obj = {
            "id": basic["id"], "iid": basic["iid"], "project_id": self.project_id, "sha": basic["sha"],
            "ref": basic["ref"], "status": status, "source": basic["source"], "created_at": basic["created_at"],
            "updated_at": basic["updated_at"], "web_url": basic["web_url"],
            "before_sha": pipe.get("before_sha", stable_hex("before", self.pipeline_id)), "tag": False,
            "yaml_errors": None, "user": {k: self.user()[k] for k in ("id", "username", "name", "state", "locked", "avatar_url", "web_url")},
            "started_at": gitlab_time(started), "finished_at": gitlab_time(finished), "committed_at": None,
            "duration": int(finished - started) if started is not None and finished is not None else None,
            "queued_duration": int(started - self.created) if started is not None else None,
            "coverage": None,
            "detailed_status": {
                "icon": f"status_{status}", "text": icon, "label": icon, "group": status, "tooltip": icon,
                "has_details": True, "details_path": f"/{self.project_path}/-/pipelines/{self.pipeline_id}",
                "illustration": None,
                "favicon": f"/assets/ci_favicons/favicon_status_{status}-{stable_hex('favicon', status, length=64)}.png",
            },
            "archived": False, "name": pipe.get("name"),
        }
        for key, value in pipe.items():
            if key not in ("created_at", "updated_at", "started_at", "finished_at"):
                obj[key] = value
        return obj

    def runner(self) -> tuple[dict, dict]:
        runner = {
            "id": 12270859, "description": "green-4.saas-linux-small-amd64.runners-manager.gitlab.com/default",
            "ip_address": None, "active": True, "paused": False, "is_shared": True, "runner_type": "instance_type",
            "name": "gitlab-runner", "online": True, "status": "online",
        }
        runner.update(self.raw.get("runner", {}))
        manager = {
            "id": 42961327, "system_id": "s_8d7e1f0c2b4a", "version": "17.7.0~pre.103.g896916a8",
            "revision": "896916a8", "platform": "linux", "architecture": "amd64",
            "created_at": "2024-12-19T11:02:37.120Z", "contacted_at": gitlab_time(self._finished() or self.created),
            "ip_address": None, "status": "online",
        }
        manager.update(self.raw.get("runner_manager", {}))
        return runner, manager

    def job(self, job: dict) -> dict:
        spec = job["spec"]
        status = spec.get("status", "success")
        started, finished = job["started"], job["finished"]
        commit = self.commit()
        runner, manager = self.runner()
        ran = started is not None
        obj = {
            "commit": commit,
            "coverage": None,
            "archived": False,
            "source": "push",
            "allow_failure": spec.get("allow_failure", False),
            "created_at": gitlab_time(job["created"]),
            "started_at": gitlab_time(started),
            "finished_at": gitlab_time(finished),
            "erased_at": None,
            "duration": round(finished - started, 6) if ran and finished is not None else None,
            "queued_duration": round(max(0.0, started - job["queued"]), 6) if ran else None,
            "artifacts": ([{"file_type": "trace", "size": len(job["log"]), "filename": "job.log", "file_format": None}]
                          if job["log"] is not None else []),
            "artifacts_expire_at": None,
            "tag_list": [],
            "id": spec["id"],
            "name": spec["name"],
            "pipeline": self.pipeline_basic(),
            "ref": self.pipeline_basic()["ref"],
            "runner": runner if ran else None,
            "runner_manager": manager if ran else None,
            "stage": spec.get("stage", "test"),
            "status": status,
        }
        if status == "failed":
            obj["failure_reason"] = spec.get("failure_reason", "script_failure")
        obj |= {
            "tag": False,
            "web_url": f"{self.project_web}/-/jobs/{spec['id']}",
            "project": {"ci_job_token_scope_enabled": False},
            "user": self.user(),
        }
        for key, value in spec.items():
            if key in GITLAB_CONTROL_KEYS or key in ("started_at", "finished_at", "created_at"):
                continue
            obj[key] = value
        return obj

    def find_job(self, job_id: int) -> dict | None:
        return next((j for j in self.jobs if j["spec"]["id"] == job_id), None)

    def matches_project(self, ident: str) -> bool:
        return ident == str(self.project_id) or ident.lower() == self.project_path.lower()


class GitHubScenario:
    provider = "github"

    def __init__(self, raw: dict, base_dir: str):
        self.raw = raw
        self.token = require(raw, "token", str, "scenario")
        self.visibility = raw.get("visibility", "private")
        self.owner = require(raw, "owner", str, "scenario")
        self.repo = require(raw, "repo", str, "scenario")
        self.repo_id = raw.get("repo_id", 900000000 + int(stable_hex(self.owner, self.repo, length=6), 16) % 99999999)
        self.run_id = require(raw, "run_id", int, "scenario")
        self.web = raw.get("web_url", "https://github.com").rstrip("/")
        self.run_spec = raw.get("run", {})
        self.run_attempt = self.run_spec.get("run_attempt", 1)
        self.issues = None if raw.get("issues") is None else {int(n) for n in raw["issues"]}
        self.jobs = []
        for where, spec, log in job_specs(raw, base_dir):
            job = {"spec": spec, "log": log, "attempt": spec.get("run_attempt", self.run_attempt)}
            start, end = github_log_span(log) if log else (None, None)
            job["started"] = parse_time(spec["started_at"]) if "started_at" in spec else start
            job["completed"] = parse_time(spec["completed_at"]) if "completed_at" in spec else end
            job["created"] = parse_time(spec["created_at"]) if "created_at" in spec else (
                job["started"] - 3.0 if job["started"] is not None else None)
            job["steps"], job["step_logs"] = self._steps(spec, log, job, where)
            self.jobs.append(job)
        ids = [j["spec"]["id"] for j in self.jobs]
        if len(set(ids)) != len(ids):
            raise ScenarioError("scenario: job ids must be unique")
        created = [j["created"] for j in self.jobs if j["created"] is not None]
        self.created = parse_time(self.run_spec["created_at"]) if "created_at" in self.run_spec else (
            min(created) - 2.0 if created else time.time() - 600)
        completed = [j["completed"] for j in self.jobs if j["completed"] is not None]
        self.updated = parse_time(self.run_spec["updated_at"]) if "updated_at" in self.run_spec else (
            max(completed) + 3.0 if completed else self.created)

    @staticmethod
    def _derive_steps(segments: list[dict]) -> list[dict]:
        runs = [s["label"] for s in segments if s["kind"] == "run"]
        # Post steps run in reverse order of the actions that registered them. After a failure
        # only those with post-if: always() run, typically the earliest (actions/checkout), so
        # the posts seen are taken to be the last ones and the others listed as skipped.
        actions = [r for r in runs if re.match(r"^Run [\w.-]+/[\w./-]+@\S+$", r)][::-1]
        posts = sum(1 for s in segments if s["kind"] == "post")
        skipped_posts = actions[: len(actions) - posts] if posts <= len(actions) else []
        ran_posts = iter(actions[len(actions) - posts:] if posts <= len(actions) else [])
        steps = []
        for seg in segments:
            if seg["kind"] == "post" and skipped_posts:
                steps += [{"name": "Post " + name, "conclusion": "skipped"} for name in skipped_posts]
                skipped_posts = []
            if seg["kind"] == "setup":
                name = "Set up job"
            elif seg["kind"] == "run":
                name = seg["label"]
            elif seg["kind"] == "post":
                name = "Post " + next(ran_posts, "job cleanup")
            else:
                name = "Complete job"
            failure = b"##[error]Process completed with exit code" in seg["data"]
            steps.append({"name": name, "conclusion": "failure" if failure else "success"})
        return steps

    def _steps(self, spec: dict, log: bytes | None, job: dict, where: str):
        if log is None:
            return [], {}
        segments = split_github_steps(log)
        listed = spec.get("steps")
        if listed is None:
            listed = self._derive_steps(segments) if len(segments) > 1 else [{"name": "Set up job"}]
        with_log = [s for s in listed if s.get("conclusion", "success") != "skipped"]
        if len(segments) == 1:
            pairs = [(with_log[0], segments[0])] if with_log else []
        elif len(with_log) != len(segments):
            found = ", ".join(s["label"] or s["kind"] for s in segments)
            raise ScenarioError(f"{where}: {len(with_log)} steps with a log are listed, but the log has "
                                f"{len(segments)} segments ({found})")
        else:
            pairs = list(zip(with_log, segments))
        position = {id(step): i for i, (step, _) in enumerate(pairs)}
        steps, logs = [], {}
        previous_end = job["started"]
        for number_default, step in enumerate(listed, start=1):
            i = position.get(id(step))
            seg = pairs[i][1] if i is not None else None
            number = step.get("number", number_default)
            if seg is not None:
                following = [s for _, s in pairs[i + 1:] if s["start"] is not None]
                start = seg["start"] if seg["start"] is not None else previous_end
                end = following[0]["start"] if following else (seg["end"] if seg["end"] is not None else start)
                logs[number] = seg["data"]
            else:
                start = end = previous_end
            obj = {
                "name": step["name"], "status": step.get("status", "completed"),
                "conclusion": step.get("conclusion", "success"), "number": number,
                "started_at": github_time(parse_time(step["started_at"]) if "started_at" in step else start),
                "completed_at": github_time(parse_time(step["completed_at"]) if "completed_at" in step else end),
            }
            for key, value in step.items():
                if key not in obj:
                    obj[key] = value
            steps.append(obj)
            previous_end = end
        return steps, logs

    def repo_path(self) -> str:
        return f"{self.owner}/{self.repo}"

    def conclusion(self, attempt: int) -> str | None:
        if "conclusion" in self.run_spec and attempt == self.run_attempt:
            return self.run_spec["conclusion"]
        jobs = self.latest_jobs() if attempt == self.run_attempt else self.jobs_of_attempt(attempt)
        conclusions = [j["spec"].get("conclusion", "success") for j in jobs]
        for c in ("failure", "timed_out", "cancelled", "startup_failure"):
            if c in conclusions:
                return c
        return "success"

    def latest_jobs(self) -> list[dict]:
        latest = {}
        for job in self.jobs:
            name = job["spec"]["name"]
            if name not in latest or job["attempt"] >= latest[name]["attempt"]:
                latest[name] = job
        return sorted(latest.values(), key=lambda j: j["spec"]["id"])

    def jobs_of_attempt(self, attempt: int) -> list[dict]:
        return sorted((j for j in self.jobs if j["attempt"] == attempt), key=lambda j: j["spec"]["id"])

    def user_object(self, api: str, login: str, uid: int, kind: str, node_prefix: str) -> dict:
        """A GitHub "simple user" object, as repositories and runs embed them."""
        return {
            "login": login, "id": uid, "node_id": node_id(node_prefix, uid),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "",
            "url": f"{api}/users/{login}", "html_url": f"{self.web}/{login}",
            "followers_url": f"{api}/users/{login}/followers",
            "following_url": f"{api}/users/{login}/following{{/other_user}}",
            "gists_url": f"{api}/users/{login}/gists{{/gist_id}}",
            "starred_url": f"{api}/users/{login}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/users/{login}/subscriptions",
            "organizations_url": f"{api}/users/{login}/orgs", "repos_url": f"{api}/users/{login}/repos",
            "events_url": f"{api}/users/{login}/events{{/privacy}}",
            "received_events_url": f"{api}/users/{login}/received_events",
            "type": kind, "user_view_type": "public", "site_admin": False,
        }

    def owner_object(self, api: str) -> dict:
        oid = 100000000 + int(stable_hex("owner", self.owner, length=6), 16) % 9999999
        return self.user_object(api, self.owner, oid, "Organization", "O_kgDO")

    def actor(self, api: str) -> dict:
        actor = self.user_object(api, "kg-lab-maintainer", 87654321, "User", "MDQ6VXNlcj")
        actor.update(self.raw.get("actor", {}))
        return actor

    def repository(self, api: str) -> dict:
        full = self.repo_path()
        r = f"{api}/repos/{full}"
        return {
            "id": self.repo_id, "node_id": node_id("R_kgDO", self.repo_id), "name": self.repo, "full_name": full,
            "private": self.visibility != "public", "owner": self.owner_object(api),
            "html_url": f"{self.web}/{full}", "description": None, "fork": False, "url": r,
            "forks_url": f"{r}/forks", "keys_url": f"{r}/keys{{/key_id}}",
            "collaborators_url": f"{r}/collaborators{{/collaborator}}", "teams_url": f"{r}/teams",
            "hooks_url": f"{r}/hooks", "issue_events_url": f"{r}/issues/events{{/number}}",
            "events_url": f"{r}/events", "assignees_url": f"{r}/assignees{{/user}}",
            "branches_url": f"{r}/branches{{/branch}}", "tags_url": f"{r}/tags",
            "blobs_url": f"{r}/git/blobs{{/sha}}", "git_tags_url": f"{r}/git/tags{{/sha}}",
            "git_refs_url": f"{r}/git/refs{{/sha}}", "trees_url": f"{r}/git/trees{{/sha}}",
            "statuses_url": f"{r}/statuses/{{sha}}", "languages_url": f"{r}/languages",
            "stargazers_url": f"{r}/stargazers", "contributors_url": f"{r}/contributors",
            "subscribers_url": f"{r}/subscribers", "subscription_url": f"{r}/subscription",
            "commits_url": f"{r}/commits{{/sha}}", "git_commits_url": f"{r}/git/commits{{/sha}}",
            "comments_url": f"{r}/comments{{/number}}", "issue_comment_url": f"{r}/issues/comments{{/number}}",
            "contents_url": f"{r}/contents/{{+path}}", "compare_url": f"{r}/compare/{{base}}...{{head}}",
            "merges_url": f"{r}/merges", "archive_url": f"{r}/{{archive_format}}{{/ref}}",
            "downloads_url": f"{r}/downloads", "issues_url": f"{r}/issues{{/number}}",
            "pulls_url": f"{r}/pulls{{/number}}", "milestones_url": f"{r}/milestones{{/number}}",
            "notifications_url": f"{r}/notifications{{?since,all,participating}}",
            "labels_url": f"{r}/labels{{/name}}", "releases_url": f"{r}/releases{{/id}}",
            "deployments_url": f"{r}/deployments",
        }

    def run(self, api: str, attempt: int | None = None) -> dict:
        spec = self.run_spec
        attempt = attempt or self.run_attempt
        sha = spec.get("head_sha", stable_hex("commit", self.run_id))
        full = self.repo_path()
        r = f"{api}/repos/{full}"
        workflow_id = spec.get("workflow_id", 140000000 + self.run_id % 1000000)
        check_suite_id = spec.get("check_suite_id", 32000000000 + self.run_id % 1000000000)
        starts = [j["started"] for j in self.jobs_of_attempt(attempt) if j["started"] is not None]
        obj = {
            "id": self.run_id, "name": spec.get("name", "CI"), "node_id": node_id("WFR_kwLO", self.run_id),
            "head_branch": spec.get("head_branch", "main"), "head_sha": sha,
            "path": spec.get("path", ".github/workflows/ci.yml"),
            "display_title": spec.get("display_title", "Install rdflib in the uv-install job"),
            "run_number": spec.get("run_number", 1), "event": spec.get("event", "push"),
            "status": spec.get("status", "completed"), "conclusion": self.conclusion(attempt),
            "workflow_id": workflow_id, "check_suite_id": check_suite_id,
            "check_suite_node_id": node_id("CS_kwDO", check_suite_id),
            "url": f"{r}/actions/runs/{self.run_id}", "html_url": f"{self.web}/{full}/actions/runs/{self.run_id}",
            "pull_requests": [], "created_at": github_time(self.created), "updated_at": github_time(self.updated),
            "actor": self.actor(api), "run_attempt": attempt, "referenced_workflows": [],
            "run_started_at": github_time(min(starts) - 3.0 if starts else self.created),
            "triggering_actor": self.actor(api),
            "jobs_url": f"{r}/actions/runs/{self.run_id}/jobs", "logs_url": f"{r}/actions/runs/{self.run_id}/logs",
            "check_suite_url": f"{r}/check-suites/{check_suite_id}",
            "artifacts_url": f"{r}/actions/runs/{self.run_id}/artifacts",
            "cancel_url": f"{r}/actions/runs/{self.run_id}/cancel", "rerun_url": f"{r}/actions/runs/{self.run_id}/rerun",
            "previous_attempt_url": f"{r}/actions/runs/{self.run_id}/attempts/{attempt - 1}" if attempt > 1 else None,
            "workflow_url": f"{r}/actions/workflows/{workflow_id}",
            "head_commit": {
                "id": sha, "tree_id": stable_hex("tree", sha),
                "message": spec.get("display_title", "Install rdflib in the uv-install job"),
                "timestamp": github_time(self.created - 40),
                "author": {"name": "KG Lab Maintainer", "email": "maintainer@kg-lab.example"},
                "committer": {"name": "GitHub", "email": "noreply@github.com"},
            },
            "repository": self.repository(api), "head_repository": self.repository(api),
        }
        for key, value in spec.items():
            if key not in ("created_at", "updated_at", "run_attempt", "conclusion"):
                obj[key] = value
        obj["run_attempt"] = attempt
        return obj

    def job(self, job: dict, api: str) -> dict:
        spec = job["spec"]
        full = self.repo_path()
        jid = spec["id"]
        runner_id = spec.get("runner_id", 1000000 + jid % 1000)
        obj = {
            "id": jid, "run_id": self.run_id, "workflow_name": self.run_spec.get("name", "CI"),
            "head_branch": self.run_spec.get("head_branch", "main"),
            "run_url": f"{api}/repos/{full}/actions/runs/{self.run_id}", "run_attempt": job["attempt"],
            "node_id": node_id("CR_kwDO", jid), "head_sha": self.run_spec.get("head_sha", stable_hex("commit", self.run_id)),
            "url": f"{api}/repos/{full}/actions/jobs/{jid}",
            "html_url": f"{self.web}/{full}/actions/runs/{self.run_id}/job/{jid}",
            "status": spec.get("status", "completed"), "conclusion": spec.get("conclusion", "success"),
            "created_at": github_time(job["created"]), "started_at": github_time(job["started"]),
            "completed_at": github_time(job["completed"]), "name": spec["name"], "steps": job["steps"],
            "check_run_url": f"{api}/repos/{full}/check-runs/{jid}", "labels": ["ubuntu-latest"],
            "runner_id": runner_id, "runner_name": f"GitHub Actions {runner_id % 1000}",
            "runner_group_id": 0, "runner_group_name": "GitHub Actions",
        }
        for key, value in spec.items():
            if key in GITHUB_CONTROL_KEYS or key in ("started_at", "completed_at", "created_at"):
                continue
            obj[key] = value
        return obj

    def find_job(self, job_id: int) -> dict | None:
        return next((j for j in self.jobs if j["spec"]["id"] == job_id), None)

    def build_zip(self, attempt: int) -> bytes | None:
        jobs = self.jobs_of_attempt(attempt) if attempt != self.run_attempt else self.latest_jobs()
        jobs = [j for j in jobs if j["log"] is not None]
        if not jobs:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for ordinal, job in enumerate(jobs):
                name = zip_name(job["spec"]["name"])
                when = time.gmtime(job["completed"] or self.updated)[:6]
                for step in job["steps"]:
                    data = job["step_logs"].get(step["number"])
                    if data is not None:
                        info = zipfile.ZipInfo(f"{name}/{step['number']}_{zip_name(step['name'])}.txt", when)
                        info.compress_type = zipfile.ZIP_DEFLATED
                        zf.writestr(info, data)
                info = zipfile.ZipInfo(f"{ordinal}_{name}.txt", when)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, job["log"])
        return out.getvalue()


def load_scenario(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except OSError as e:
        raise ScenarioError(f"cannot read scenario {path!r}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ScenarioError(f"{path}: invalid JSON: {e}") from None
    base_dir = os.path.dirname(os.path.abspath(path))
    provider = raw.get("provider")
    if provider == "gitlab":
        return GitLabScenario(raw, base_dir)
    if provider == "github":
        return GitHubScenario(raw, base_dir)
    raise ScenarioError(f"{path}: 'provider' must be \"gitlab\" or \"github\"")


# ---------------------------------------------------------------------------------------------
# Error bodies

GITLAB_502_HTML = """<!DOCTYPE html>
<html>
<head>
  <meta content="width=device-width, initial-scale=1, maximum-scale=1" name="viewport">
  <title>Something went wrong ({code})</title>
</head>
<body>
  <h1>{code}</h1>
  <div class="container">
    <h3>Whoops, GitLab is taking too much time to respond.</h3>
    <hr />
    <p>Try refreshing the page, or going back and attempting the action again.</p>
    <p>Please contact your GitLab administrator if this problem persists.</p>
  </div>
</body>
</html>
"""

GH_DOCS = "https://docs.github.com/rest"
GH_DOC_PAGES = [
    (re.compile(r"/actions/runs/\d+(/attempts/\d+)?/jobs$"), "actions/workflow-jobs#list-jobs-for-a-workflow-run"),
    (re.compile(r"/actions/runs/\d+(/attempts/\d+)?/logs$"), "actions/workflow-runs#download-workflow-run-logs"),
    (re.compile(r"/actions/runs/\d+(/attempts/\d+)?$"), "actions/workflow-runs#get-a-workflow-run"),
    (re.compile(r"/actions/jobs/\d+/logs$"), "actions/workflow-jobs#download-job-logs-for-a-workflow-run"),
    (re.compile(r"/actions/jobs/\d+$"), "actions/workflow-jobs#get-a-job-for-a-workflow-run"),
    (re.compile(r"/issues/\d+/comments$"), "issues/comments#create-an-issue-comment"),
]


def github_doc_url(path: str) -> str:
    for pattern, page in GH_DOC_PAGES:
        if pattern.search(path):
            return f"{GH_DOCS}/{page}"
    return GH_DOCS


def phrase(code: int) -> str:
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def github_error(code: int, path: str, message: str | None = None) -> dict:
    default = {
        401: "Bad credentials", 403: "Resource not accessible by personal access token", 404: "Not Found",
        409: "Conflict", 410: "Gone", 422: "Validation Failed", 500: "Server Error", 502: "Server Error",
        503: "Service Unavailable",
    }
    doc = GH_DOCS if code == 401 else github_doc_url(path)
    return {"message": message or default.get(code, phrase(code)),
            "documentation_url": doc, "status": str(code)}


def azure_error(code: int) -> tuple[str, str]:
    table = {
        400: ("InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid."),
        401: ("NoAuthenticationInformation", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header."),
        403: ("AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature."),
        404: ("BlobNotFound", "The specified blob does not exist."),
        409: ("LeaseIdMissing", "There is currently a lease on the blob and no lease ID was specified in the request."),
        416: ("InvalidRange", "The range specified is invalid for the current size of the resource."),
        500: ("InternalError", "Server encountered an internal error. Please try again after some time."),
        502: ("InternalError", "Server encountered an internal error. Please try again after some time."),
        503: ("ServerBusy", "The server is currently unable to receive requests. Please retry your request."),
    }
    return table.get(code, ("InternalError", "Server encountered an internal error. Please try again after some time."))


# ---------------------------------------------------------------------------------------------
# Server


class Faults:
    def __init__(self, args):
        self.page_size = args.page_size
        self.rate_limit_once = args.rate_limit_once
        self.primary_once = args.github_primary_rate_limit_once
        self.statuses = []
        for item in args.status:
            pattern, sep, code = item.rpartition("=")
            if not sep or not code.isdigit():
                raise ScenarioError(f"--status {item!r}: expected PATH_REGEX=CODE")
            try:
                self.statuses.append((re.compile(pattern), int(code)))
            except re.error as e:
                raise ScenarioError(f"--status {item!r}: {e}") from None
        self.truncate = set(map(self._id, args.truncate_log))
        self.truncate_once = set(map(self._id, args.truncate_log_once))
        self.slow = {}
        for item in args.slow_log:
            ident, sep, seconds = item.partition("=")
            try:
                self.slow[self._id(ident)] = float(seconds)
            except ValueError:
                raise ScenarioError(f"--slow-log {item!r}: expected ID=SECONDS") from None
        self.log_url_ttl = args.log_url_ttl
        self.lock = threading.Lock()
        self.limited_paths: set[str] = set()
        self.truncated_once: set[int] = set()

    @staticmethod
    def _id(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise ScenarioError(f"not a job or run id: {text!r}") from None

    def forced_status(self, path: str) -> int | None:
        return next((code for pattern, code in self.statuses if pattern.search(path)), None)

    def first_time(self, path: str) -> bool:
        with self.lock:
            if path in self.limited_paths:
                return False
            self.limited_paths.add(path)
            return True

    def should_truncate(self, ident: int) -> bool:
        if ident in self.truncate:
            return True
        with self.lock:
            if ident in self.truncate_once and ident not in self.truncated_once:
                self.truncated_once.add(ident)
                return True
        return False


class App:
    """State shared by every connection: the scenario, the faults, counters, the request log."""

    def __init__(self, scenario, faults: Faults, request_log: str | None, verbose: bool):
        self.scenario = scenario
        self.faults = faults
        self.verbose = verbose
        self.lock = threading.Lock()
        self.log_file = open(request_log, "a", encoding="utf-8") if request_log else None
        self.port = 0
        self.secret = os.urandom(16)
        self.started = time.time()
        self.requests = 0
        self.note_ids = 2291734500
        # Merge-request notes posted through the API, by iid, so a client can find and update them.
        self.notes: dict[int, list[dict]] = {}
        self.zips: dict[int, bytes] = {}

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def prepare(self):
        if isinstance(self.scenario, GitHubScenario):
            for attempt in sorted({j["attempt"] for j in self.scenario.jobs} | {self.scenario.run_attempt}):
                data = self.scenario.build_zip(attempt)
                if data is not None:
                    self.zips[attempt] = data

    def next_request(self) -> int:
        with self.lock:
            self.requests += 1
            return self.requests

    def next_note_id(self) -> int:
        with self.lock:
            self.note_ids += 1
            return self.note_ids

    def store_note(self, iid: int, note: dict):
        with self.lock:
            self.notes.setdefault(iid, []).append(note)

    def notes_of(self, iid: int) -> list[dict]:
        with self.lock:
            return [dict(n) for n in self.notes.get(iid, [])]

    def update_note(self, iid: int, note_id: int, body: str, now: str) -> dict | None:
        with self.lock:
            for note in self.notes.get(iid, []):
                if note["id"] == note_id:
                    note["body"], note["updated_at"] = body, now
                    return dict(note)
        return None

    def record(self, entry: dict):
        if self.verbose:
            sys.stderr.write(f"{entry['method']} {entry['path']}{'?' + entry['query'] if entry['query'] else ''} -> {entry['status']}\n")
        if self.log_file is None:
            return
        with self.lock:
            self.log_file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self.log_file.flush()

    def sign(self, path: str, expiry: str) -> str:
        return base64.b64encode(hmac.new(self.secret, f"{path}\n{expiry}".encode(), hashlib.sha256).digest()).decode()

    def blob_url(self, path: str) -> str:
        # localhost, not 127.0.0.1: a client that keeps the Authorization header across hosts shows.
        expiry = github_time(time.time() + self.faults.log_url_ttl)
        start = github_time(time.time() - 300)
        query = urllib.parse.urlencode([
            ("sv", "2024-11-04"), ("spr", "https"), ("st", start), ("se", expiry), ("sr", "b"), ("sp", "r"),
            ("sig", self.sign(path, expiry)),
        ])
        return f"http://localhost:{self.port}{path}?{query}"


def match_route(routes, method: str, rest: list[str]):
    """(handler, [(param name, value)]) of the first route whose pattern fits, else (None, [])."""
    for m, pattern, fn in routes:
        if m == method and len(pattern) == len(rest) and all(p.startswith(":") or p == r for p, r in zip(pattern, rest)):
            return fn, [(p[1:], r) for p, r in zip(pattern, rest) if p.startswith(":")]
    return None, []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        if getattr(self, "raw_path", "").startswith("/blob/"):
            return "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0"
        return "github.com" if self.app.scenario.provider == "github" else "nginx"

    @property
    def app(self) -> App:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format, *args):
        pass

    # -- request plumbing

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def dispatch(self):
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urllib.parse.urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        raw_path, _, raw_query = target.partition("?")
        raw_query = raw_query.partition("#")[0]
        body = self.read_body()
        self.raw_path, self.raw_query = raw_path, raw_query
        self.query = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
        self.body = body
        self.status_sent = None
        self.recorded = False
        self.app.next_request()
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a bug here must not look like a hung server to the client
            sys.stderr.write(f"fake_ci_api: {type(e).__name__}: {e}\n")
            if self.status_sent is None:
                self.send_json(500, {"message": "500 Internal Server Error"})
            self.close_connection = True
        finally:
            self.record()

    def record(self):
        if self.recorded:
            return
        self.recorded = True
        headers = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = headers[key] + ", " + value if key in headers else value
        self.app.record({
            "method": self.command, "path": self.raw_path, "query": self.raw_query, "headers": headers,
            "body": self.body.decode("utf-8", "replace") if self.command in ("POST", "PUT", "PATCH") else None,
            "status": self.status_sent,
        })

    def send(self, status: int, body: bytes, headers: list[tuple[str, str]] = (), truncate: bool = False):
        self.status_sent = status
        # Logged before the client can see the response: once it has read one, its line is there.
        self.record()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if truncate:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(body)

    def send_json(self, status: int, obj, headers: list[tuple[str, str]] = ()):
        scenario = self.app.scenario
        body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
        if scenario.provider == "github":
            common = [("Content-Type", "application/json; charset=utf-8")] + self.github_headers()
            if status < 300 and self.command == "GET":
                common.append(("ETag", f'W/"{hashlib.sha256(body).hexdigest()}"'))
                common.append(("Cache-Control", "private, max-age=60, s-maxage=60"))
        else:
            common = [("Content-Type", "application/json")] + self.gitlab_headers()
            if status < 300 and self.command == "GET":
                common.append(("ETag", f'W/"{hashlib.md5(body).hexdigest()}"'))
        self.send(status, body, common + list(headers))

    def gitlab_headers(self) -> list[tuple[str, str]]:
        request_id = os.urandom(13).hex().upper()[:26]
        n = self.app.requests
        reset = int(self.app.started // 60 * 60 + 60)
        return [
            ("Cache-Control", "max-age=0, private, must-revalidate"),
            ("Vary", "Origin, Accept-Encoding"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "SAMEORIGIN"),
            ("X-Request-Id", request_id),
            ("X-Runtime", "0.041203"),
            ("X-Gitlab-Meta", json.dumps({"correlation_id": request_id, "version": "1"}, separators=(",", ":"))),
            ("RateLimit-Name", "throttle_authenticated_api"),
            ("RateLimit-Limit", "2000"),
            ("RateLimit-Observed", str(n)),
            ("RateLimit-Remaining", str(max(0, 2000 - n))),
            ("RateLimit-Reset", str(reset)),
            ("RateLimit-ResetTime", http_date(reset)),
        ]

    def github_headers(self, remaining: int | None = None, reset: int | None = None) -> list[tuple[str, str]]:
        authenticated = self.github_token() is not None
        limit = 5000 if authenticated else 60
        used = min(self.app.requests, limit)
        return [
            ("X-GitHub-Api-Version-Selected", self.headers.get("X-GitHub-Api-Version", "2022-11-28")),
            ("X-GitHub-Media-Type", "github.v3; format=json"),
            ("X-RateLimit-Limit", str(limit)),
            ("X-RateLimit-Remaining", str(limit - used if remaining is None else remaining)),
            ("X-RateLimit-Reset", str(reset if reset is not None else int(self.app.started) + 3600)),
            ("X-RateLimit-Used", str(used if remaining is None else limit)),
            ("X-RateLimit-Resource", "core"),
            ("X-GitHub-Request-Id", ":".join(os.urandom(n).hex().upper() for n in (2, 3, 4, 4, 4))),
            ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding, Accept, X-Requested-With"),
            ("X-Content-Type-Options", "nosniff"),
        ]

    # -- errors

    def error(self, code: int, message: str | None = None):
        if self.raw_path.startswith("/blob/"):
            return self.blob_error(code)
        if self.app.scenario.provider == "github":
            if code == 429:
                return self.github_secondary_limit()
            return self.send_json(code, github_error(code, self.raw_path, message))
        if code in (502, 503, 504):
            body = GITLAB_502_HTML.format(code=code).encode()
            return self.send(code, body, [("Content-Type", "text/html; charset=utf-8")])
        if code == 429:
            return self.gitlab_throttled()
        if message is None:
            message = {401: "401 Unauthorized", 403: "403 Forbidden", 404: "404 Project Not Found",
                       500: "500 Internal Server Error"}.get(code, f"{code} {phrase(code)}")
        return self.send_json(code, {"message": message})

    def blob_error(self, code: int, detail: str = ""):
        error_code, message = azure_error(code)
        request_id = "-".join(os.urandom(n).hex() for n in (4, 2, 2, 2, 6))
        text = (f'\ufeff<?xml version="1.0" encoding="utf-8"?><Error><Code>{error_code}</Code><Message>{message}\n'
                f"RequestId:{request_id}\nTime:{dt.datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%S.%f')}0Z</Message>"
                f"{detail}</Error>")
        self.send(code, text.encode(), [
            ("Content-Type", "application/xml"),
            ("x-ms-request-id", request_id), ("x-ms-error-code", error_code),
        ])

    def gitlab_throttled(self):
        reset = int(time.time()) + 1
        self.send(429, b"Retry later\n", [
            ("Content-Type", "text/plain"),
            ("RateLimit-Name", "throttle_authenticated_api"), ("RateLimit-Limit", "2000"),
            ("RateLimit-Observed", "2001"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", str(reset)),
            ("RateLimit-ResetTime", http_date(reset)), ("Retry-After", "1"),
        ])

    def github_secondary_limit(self):
        request_id = ":".join(os.urandom(n).hex().upper() for n in (2, 3, 4, 4, 4))
        body = {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                       f"If you reach out to GitHub Support for help, please include the request ID {request_id}.",
            "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            "status": "429",
        }
        self.send(429, json.dumps(body, separators=(",", ":")).encode(), [("Content-Type", "application/json; charset=utf-8"), ("Retry-After", "1")]
                  + self.github_headers())

    def github_primary_limit(self):
        reset = int(time.time()) + 1
        request_id = ":".join(os.urandom(n).hex().upper() for n in (2, 3, 4, 4, 4))
        who = "user ID 87654321" if self.github_token() else "127.0.0.1"
        body = {
            "message": f"API rate limit exceeded for {who}. If you reach out to GitHub Support for help, please "
                       f"include the request ID {request_id} and timestamp {dt.datetime.now(UTC).strftime('%Y-%m-%d %H:%M:%S')} UTC.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            "status": "403",
        }
        self.send(403, json.dumps(body, separators=(",", ":")).encode(), [("Content-Type", "application/json; charset=utf-8")]
                  + self.github_headers(remaining=0, reset=reset))

    # -- routing

    def route(self):
        app = self.app
        forced = app.faults.forced_status(self.raw_path)
        if forced is not None:
            return self.error(forced)
        if self.raw_path.startswith("/blob/"):
            if self.command != "GET":
                return self.blob_error(403, "<AuthenticationErrorDetail>This request is not authorized to perform "
                                            "this operation using this permission.</AuthenticationErrorDetail>")
            return self.serve_blob()
        if app.faults.primary_once and app.scenario.provider == "github" and app.faults.first_time("primary " + self.raw_path):
            return self.github_primary_limit()
        if app.faults.rate_limit_once and app.faults.first_time("secondary " + self.raw_path):
            return self.error(429)
        segments = [urllib.parse.unquote(s) for s in self.raw_path.split("/")[1:]]
        if app.scenario.provider == "gitlab":
            return self.route_gitlab(segments)
        return self.route_github(segments)

    # -- GitLab

    def gitlab_credentials(self) -> tuple[str | None, str | None]:
        """(kind, token): kind is "private" or "job"."""
        query = dict(self.query)
        if self.headers.get("PRIVATE-TOKEN") is not None:
            return "private", self.headers["PRIVATE-TOKEN"].strip()
        if self.headers.get("JOB-TOKEN") is not None:
            return "job", self.headers["JOB-TOKEN"].strip()
        auth = self.headers.get("Authorization")
        if auth is not None:
            scheme, _, value = auth.strip().partition(" ")
            return ("private", value.strip()) if scheme.lower() == "bearer" else ("private", "")
        if "private_token" in query:
            return "private", query["private_token"]
        if "job_token" in query:
            return "job", query["job_token"]
        return None, None

    def route_gitlab(self, seg: list[str]):
        s: GitLabScenario = self.app.scenario
        if seg[:2] != ["api", "v4"] or len(seg) < 4 or seg[2] != "projects":
            return self.send_json(404, {"error": "404 Not Found"})
        rest, method = seg[4:], self.command
        routes = [
            ("GET", ["pipelines", ":pipeline_id"], self.gitlab_pipeline),
            ("GET", ["pipelines", ":pipeline_id", "jobs"], self.gitlab_pipeline_jobs),
            ("GET", ["jobs", ":job_id"], self.gitlab_job),
            ("GET", ["jobs", ":job_id", "trace"], self.gitlab_trace),
            ("POST", ["merge_requests", ":noteable_id", "notes"], self.gitlab_note),
            ("GET", ["merge_requests", ":noteable_id", "notes"], self.gitlab_notes),
            ("PUT", ["merge_requests", ":noteable_id", "notes", ":note_id"], self.gitlab_update_note),
        ]
        handler, params = match_route(routes, method, rest)
        if handler is None:
            return self.send_json(404, {"error": "404 Not Found"})
        kind, token = self.gitlab_credentials()
        if kind is not None:
            valid = token == s.token if kind == "private" else (s.job_token is not None and token == s.job_token)
            if not valid:
                return self.error(401)
            # A job token reaches the jobs API, never the notes API.
            if kind == "job" and method != "GET":
                return self.error(401)
        elif method != "GET":
            return self.error(401)
        if not s.matches_project(seg[3]) or (kind is None and s.visibility != "public"):
            return self.error(404, "404 Project Not Found")
        for name, value in params:
            if not re.fullmatch(r"\d+", value):
                return self.send_json(400, {"error": f"{name} is invalid"})
        return handler(*[int(value) for _, value in params])

    def gitlab_pipeline(self, pipeline_id: int):
        s: GitLabScenario = self.app.scenario
        if pipeline_id != s.pipeline_id:
            return self.error(404, "404 Not found")
        return self.send_json(200, s.pipeline())

    def int_param(self, name: str, default: int) -> int | None:
        values = [v for k, v in self.query if k == name]
        if not values or values[-1] == "":
            return default
        try:
            return int(values[-1])
        except ValueError:
            return None

    def gitlab_pipeline_jobs(self, pipeline_id: int):
        s: GitLabScenario = self.app.scenario
        if pipeline_id != s.pipeline_id:
            return self.error(404, "404 Not found")
        page, per_page = self.int_param("page", 1), self.int_param("per_page", 20)
        if page is None:
            return self.send_json(400, {"error": "page is invalid"})
        if per_page is None:
            return self.send_json(400, {"error": "per_page is invalid"})
        scopes = [v for k, v in self.query if k in ("scope", "scope[]")]
        if any(v not in GITLAB_STATUSES for v in scopes):
            return self.send_json(400, {"error": "scope does not have a valid value"})
        retried = [v for k, v in self.query if k == "include_retried"]
        if retried and retried[-1].lower() not in ("true", "false", "1", "0", "yes", "no", "t", "f"):
            return self.send_json(400, {"error": "include_retried is invalid"})
        include_retried = bool(retried) and retried[-1].lower() in ("true", "1", "yes", "t")
        jobs = sorted(s.visible_jobs(include_retried), key=lambda j: j["spec"]["id"], reverse=True)
        if scopes:
            jobs = [j for j in jobs if j["spec"].get("status", "success") in scopes]
        page = max(page, 1)
        per_page = 20 if per_page <= 0 else min(per_page, 100)
        if self.app.faults.page_size:
            per_page = min(per_page, self.app.faults.page_size)
        total = len(jobs)
        total_pages = max(1, math.ceil(total / per_page))
        items = jobs[(page - 1) * per_page: page * per_page]
        next_page = page + 1 if page < total_pages else None
        prev_page = page - 1 if 1 < page <= total_pages else None
        links = []
        if prev_page:
            links.append(f'<{self.gitlab_page_url(prev_page, per_page)}>; rel="prev"')
        if next_page:
            links.append(f'<{self.gitlab_page_url(next_page, per_page)}>; rel="next"')
        links.append(f'<{self.gitlab_page_url(1, per_page)}>; rel="first"')
        links.append(f'<{self.gitlab_page_url(total_pages, per_page)}>; rel="last"')
        headers = [
            ("Link", ", ".join(links)),
            ("X-Next-Page", str(next_page or "")), ("X-Page", str(page)), ("X-Per-Page", str(per_page)),
            ("X-Prev-Page", str(prev_page or "")), ("X-Total", str(total)), ("X-Total-Pages", str(total_pages)),
        ]
        return self.send_json(200, [s.job(j) for j in items], headers)

    def gitlab_page_url(self, page: int, per_page: int) -> str:
        # Rails' to_query: every request parameter, keys sorted, arrays as key[]=v.
        params = [(k, v) for k, v in self.query if k not in ("page", "per_page")]
        params += [("page", str(page)), ("per_page", str(per_page))]
        params.sort(key=lambda kv: kv[0])
        query = "&".join(f"{urllib.parse.quote(k, safe='')}={urllib.parse.quote(v, safe='')}" for k, v in params)
        return f"{self.app.api}{self.raw_path}?{query}"

    def gitlab_job(self, job_id: int):
        s: GitLabScenario = self.app.scenario
        job = s.find_job(job_id)
        if job is None:
            return self.error(404, "404 Not found")
        return self.send_json(200, s.job(job))

    def gitlab_trace(self, job_id: int):
        s: GitLabScenario = self.app.scenario
        job = s.find_job(job_id)
        if job is None:
            return self.error(404, "404 Not found")
        self.slow_down(job_id)
        data = job["log"] or b""
        headers = [("Content-Type", "text/plain"), ("Content-Disposition", f'infile; filename="{job_id}.log"')] + self.gitlab_headers()
        return self.send(200, data, headers, truncate=self.app.faults.should_truncate(job_id))

    def request_field(self, name: str) -> str | None:
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            try:
                payload = json.loads(self.body.decode("utf-8") or "{}")
            except (UnicodeDecodeError, json.JSONDecodeError):
                return None
            value = payload.get(name) if isinstance(payload, dict) else None
            if value is not None:
                return value if isinstance(value, str) else json.dumps(value)
        elif ctype.startswith("application/x-www-form-urlencoded"):
            form = dict(urllib.parse.parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
            if name in form:
                return form[name]
        elif ctype.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + self.body)
            for part in message.iter_parts():
                if part.get_param("name", header="content-disposition") == name:
                    return part.get_payload(decode=True).decode("utf-8", "replace")
        return dict(self.query).get(name)

    def gitlab_note(self, iid: int):
        s: GitLabScenario = self.app.scenario
        if s.merge_requests is not None and iid not in s.merge_requests:
            return self.error(404, "404 Not found")
        body = self.request_field("body")
        if body is None or body == "":
            return self.send_json(400, {"error": "body is missing"})
        mr_id = (s.merge_requests or {}).get(iid) or 356780000 + iid
        now = gitlab_time(time.time())
        user = s.user()
        note = {
            "id": self.app.next_note_id(), "type": None, "body": body, "attachment": None,
            "author": {k: user[k] for k in ("id", "username", "name", "state", "locked", "avatar_url", "web_url")},
            "created_at": now, "updated_at": now, "system": False, "noteable_id": mr_id,
            "noteable_type": "MergeRequest", "project_id": s.project_id, "resolvable": False,
            "confidential": False, "internal": False, "imported": False, "imported_from": "none",
            "noteable_iid": iid, "commands_changes": {},
        }
        self.app.store_note(iid, note)
        return self.send_json(201, note)

    def gitlab_notes(self, iid: int):
        s: GitLabScenario = self.app.scenario
        if s.merge_requests is not None and iid not in s.merge_requests:
            return self.error(404, "404 Not found")
        notes = self.app.notes_of(iid)
        sort = ([v for k, v in self.query if k == "sort"] or ["desc"])[-1]
        notes.sort(key=lambda n: n["id"], reverse=sort != "asc")
        page, per_page = self.int_param("page", 1), self.int_param("per_page", 20)
        if page is None or per_page is None:
            return self.send_json(400, {"error": "page is invalid" if page is None else "per_page is invalid"})
        page, per_page = max(page, 1), (20 if per_page <= 0 else min(per_page, 100))
        if self.app.faults.page_size:
            per_page = min(per_page, self.app.faults.page_size)
        total_pages = max(1, math.ceil(len(notes) / per_page))
        next_page = page + 1 if page < total_pages else None
        headers = [
            ("X-Next-Page", str(next_page or "")), ("X-Page", str(page)), ("X-Per-Page", str(per_page)),
            ("X-Prev-Page", str(page - 1 if 1 < page <= total_pages else "")), ("X-Total", str(len(notes))),
            ("X-Total-Pages", str(total_pages)),
        ]
        return self.send_json(200, notes[(page - 1) * per_page: page * per_page], headers)

    def gitlab_update_note(self, iid: int, note_id: int):
        s: GitLabScenario = self.app.scenario
        if s.merge_requests is not None and iid not in s.merge_requests:
            return self.error(404, "404 Not found")
        body = self.request_field("body")
        if body is None or body == "":
            return self.send_json(400, {"error": "body is missing"})
        note = self.app.update_note(iid, note_id, body, gitlab_time(time.time()))
        if note is None:
            return self.error(404, "404 Not found")
        return self.send_json(200, note)

    # -- GitHub

    def github_token(self) -> str | None:
        auth = self.headers.get("Authorization")
        if auth is None:
            return None
        scheme, _, value = auth.strip().partition(" ")
        return value.strip() if scheme.lower() in ("bearer", "token") else ""

    def route_github(self, seg: list[str]):
        s: GitHubScenario = self.app.scenario
        # GitHub Enterprise Server serves the same API under /api/v3 (what a run URL on a host
        # other than github.com leads to).
        if seg[:2] == ["api", "v3"]:
            seg = seg[2:]
        if len(seg) >= 3 and seg[0] == "repos":
            owner, repo, rest = seg[1], seg[2], seg[3:]
            same_repo = owner.lower() == s.owner.lower() and repo.lower() == s.repo.lower()
        elif len(seg) >= 2 and seg[0] == "repositories":
            rest = seg[2:]
            same_repo = seg[1] == str(s.repo_id)
        else:
            return self.send_json(404, github_error(404, self.raw_path))
        method = self.command
        routes = [
            ("GET", ["actions", "runs", ":run_id"], self.github_run),
            ("GET", ["actions", "runs", ":run_id", "attempts", ":attempt"], self.github_run),
            ("GET", ["actions", "runs", ":run_id", "jobs"], self.github_jobs),
            ("GET", ["actions", "runs", ":run_id", "attempts", ":attempt", "jobs"], self.github_jobs),
            ("GET", ["actions", "runs", ":run_id", "logs"], self.github_run_logs),
            ("GET", ["actions", "runs", ":run_id", "attempts", ":attempt", "logs"], self.github_run_logs),
            ("GET", ["actions", "jobs", ":job_id"], self.github_job),
            ("GET", ["actions", "jobs", ":job_id", "logs"], self.github_job_logs),
            ("POST", ["issues", ":number", "comments"], self.github_comment),
        ]
        handler, params = match_route(routes, method, rest)
        token = self.github_token()
        if token is not None and token != s.token:
            return self.error(401)
        if handler is None or not same_repo or (token is None and s.visibility != "public"):
            return self.error(404)
        if token is None and handler in (self.github_run_logs, self.github_job_logs):
            return self.error(403, "Must have admin rights to Repository.")
        if token is None and method != "GET":
            return self.error(401, "Requires authentication")
        if not all(re.fullmatch(r"\d+", value) for _, value in params):
            return self.error(404)
        return handler(*[int(value) for _, value in params])

    def github_attempt(self, run_id: int, attempt: int | None) -> bool:
        s: GitHubScenario = self.app.scenario
        return run_id == s.run_id and (attempt is None or 1 <= attempt <= s.run_attempt)

    def github_run(self, run_id: int, attempt: int | None = None):
        s: GitHubScenario = self.app.scenario
        if not self.github_attempt(run_id, attempt):
            return self.error(404)
        return self.send_json(200, s.run(self.app.api, attempt))

    def github_jobs(self, run_id: int, attempt: int | None = None):
        s: GitHubScenario = self.app.scenario
        if not self.github_attempt(run_id, attempt):
            return self.error(404)
        if attempt is None:
            values = [v for k, v in self.query if k == "filter"]
            mode = values[-1] if values else "latest"
            if mode not in ("latest", "all"):
                return self.error(422, "Invalid request.\n\nNo subschema in \"anyOf\" matched.\n"
                                       f"\"{mode}\" is not a member of enum.")
            jobs = s.latest_jobs() if mode == "latest" else sorted(s.jobs, key=lambda j: j["spec"]["id"])
        else:
            jobs = s.jobs_of_attempt(attempt)
        page = self.int_param("page", 1) or 1
        per_page = self.int_param("per_page", 30) or 30
        page = max(page, 1)
        per_page = min(max(per_page, 1), 100)
        if self.app.faults.page_size:
            per_page = min(per_page, self.app.faults.page_size)
        total = len(jobs)
        last = max(1, math.ceil(total / per_page))
        items = jobs[(page - 1) * per_page: page * per_page]
        links = []
        if page > 1:
            links.append(f'<{self.github_page_url(min(page - 1, last))}>; rel="prev"')
        if page < last:
            links.append(f'<{self.github_page_url(page + 1)}>; rel="next"')
            links.append(f'<{self.github_page_url(last)}>; rel="last"')
        if page > 1:
            links.append(f'<{self.github_page_url(1)}>; rel="first"')
        headers = [("Link", ", ".join(links))] if links else []
        return self.send_json(200, {"total_count": total, "jobs": [s.job(j, self.app.api) for j in items]}, headers)

    def github_page_url(self, page: int) -> str:
        # GitHub's own Link URLs address the repository by id, keeping the query's order.
        s: GitHubScenario = self.app.scenario
        seg = self.raw_path.split("/")
        rest = seg[4:] if seg[1] == "repos" else seg[3:]
        params = [(k, v) for k, v in self.query if k != "page"] + [("page", str(page))]
        return f"{self.app.api}/repositories/{s.repo_id}/{'/'.join(rest)}?{urllib.parse.urlencode(params)}"

    def github_run_logs(self, run_id: int, attempt: int | None = None):
        s: GitHubScenario = self.app.scenario
        if not self.github_attempt(run_id, attempt):
            return self.error(404)
        attempt = attempt or s.run_attempt
        if attempt not in self.app.zips:
            return self.error(404)
        return self.redirect(self.app.blob_url(f"/blob/actions-results/{run_id}/attempts/{attempt}/logs_{run_id}.zip"))

    def github_job(self, job_id: int):
        s: GitHubScenario = self.app.scenario
        job = s.find_job(job_id)
        if job is None:
            return self.error(404)
        return self.send_json(200, s.job(job, self.app.api))

    def github_job_logs(self, job_id: int):
        s: GitHubScenario = self.app.scenario
        job = s.find_job(job_id)
        if job is None or job["log"] is None:
            return self.error(404)
        return self.redirect(self.app.blob_url(f"/blob/actions-results/{s.run_id}/jobs/{job_id}/job-logs.txt"))

    def redirect(self, location: str):
        self.send(302, b"", [("Location", location), ("Content-Type", "text/html;charset=utf-8")] + self.github_headers())

    def github_comment(self, number: int):
        s: GitHubScenario = self.app.scenario
        if s.issues is not None and number not in s.issues:
            return self.error(404)
        # GitHub reads the body as JSON whatever the Content-Type says.
        try:
            payload = json.loads(self.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self.error(400, "Problems parsing JSON")
        body = payload.get("body") if isinstance(payload, dict) else None
        if not isinstance(body, str):
            return self.error(422, "Invalid request.\n\n\"body\" wasn't supplied.")
        api, full = self.app.api, s.repo_path()
        cid = self.app.next_note_id()
        now = github_time(time.time())
        comment = {
            "url": f"{api}/repos/{full}/issues/comments/{cid}",
            "html_url": f"{s.web}/{full}/pull/{number}#issuecomment-{cid}",
            "issue_url": f"{api}/repos/{full}/issues/{number}", "id": cid, "node_id": node_id("IC_kwDO", cid),
            "user": s.actor(api), "created_at": now, "updated_at": now, "author_association": "MEMBER",
            "body": body,
            "reactions": {"url": f"{api}/repos/{full}/issues/comments/{cid}/reactions", "total_count": 0,
                          "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
            "performed_via_github_app": None,
        }
        return self.send_json(201, comment, [("Location", comment["url"])])

    # -- blob storage

    def slow_down(self, ident: int):
        delay = self.app.faults.slow.get(ident)
        if delay:
            time.sleep(delay)

    def serve_blob(self):
        s = self.app.scenario
        if not isinstance(s, GitHubScenario):
            return self.blob_error(404)
        query = dict(self.query)
        expiry = query.get("se", "")
        if not hmac.compare_digest(query.get("sig", ""), self.app.sign(self.raw_path, expiry)):
            return self.blob_error(403, "<AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail>")
        if parse_time(expiry) < time.time():
            return self.blob_error(403, f"<AuthenticationErrorDetail>Signed expiry time [{dt.datetime.fromtimestamp(parse_time(expiry), UTC).strftime('%a, %d %b %Y %H:%M:%S GMT')}] "
                                        f"must be after signed start time [{http_date(time.time())}]</AuthenticationErrorDetail>")
        m_zip = re.fullmatch(r"/blob/actions-results/(\d+)/attempts/(\d+)/logs_\d+\.zip", self.raw_path)
        m_job = re.fullmatch(r"/blob/actions-results/(\d+)/jobs/(\d+)/job-logs\.txt", self.raw_path)
        if m_zip:
            ident, data = int(m_zip.group(1)), self.app.zips.get(int(m_zip.group(2)))
            headers = [("Content-Type", "application/zip"),
                       ("Content-Disposition", f"attachment; filename=logs_{ident}.zip")]
            modified = s.updated
        elif m_job:
            ident = int(m_job.group(2))
            job = s.find_job(ident)
            data = job["log"] if job else None
            headers = [("Content-Type", "text/plain")]
            modified = (job or {}).get("completed") or s.updated
        else:
            data = None
        if data is None:
            return self.blob_error(404)
        self.slow_down(ident)
        status, body = 200, data
        rng = self.headers.get("Range") or self.headers.get("x-ms-range")
        if rng:
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip())
            if not m or int(m.group(1)) >= len(data):
                return self.blob_error(416)
            first = int(m.group(1))
            last = min(int(m.group(2)), len(data) - 1) if m.group(2) else len(data) - 1
            status, body = 206, data[first:last + 1]
            headers.append(("Content-Range", f"bytes {first}-{last}/{len(data)}"))
        headers += [
            ("Content-MD5", base64.b64encode(hashlib.md5(data).digest()).decode()),
            ("Last-Modified", http_date(modified)),
            ("Accept-Ranges", "bytes"),
            ("ETag", '"0x8DD2F' + hashlib.md5(data).hexdigest()[:10].upper() + '"'),
            ("x-ms-request-id", "-".join(os.urandom(n).hex() for n in (4, 2, 2, 2, 6))),
            ("x-ms-version", "2024-11-04"),
            ("x-ms-blob-type", "BlockBlob"),
            ("x-ms-server-encrypted", "true"),
        ]
        return self.send(status, body, headers, truncate=self.app.faults.should_truncate(ident))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that time out or drop a truncated download hang up; that is the test working.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Server6(Server):
    address_family = socket.AF_INET6


def parse_args(argv):
    p = argparse.ArgumentParser(description="Loopback GitLab/GitHub API for testing logdx ci (see the module docstring).")
    p.add_argument("--scenario", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--request-log")
    p.add_argument("--page-size", type=int, default=0)
    p.add_argument("--rate-limit-once", action="store_true")
    p.add_argument("--github-primary-rate-limit-once", action="store_true")
    p.add_argument("--status", action="append", default=[], metavar="PATH_REGEX=CODE")
    p.add_argument("--truncate-log", action="append", default=[], metavar="ID")
    p.add_argument("--truncate-log-once", action="append", default=[], metavar="ID")
    p.add_argument("--slow-log", action="append", default=[], metavar="ID=SECONDS")
    p.add_argument("--log-url-ttl", type=float, default=60.0)
    p.add_argument("--verbose", action="store_true")
    return p.parse_args(argv)


def main(argv=None) -> int:
    def stop(signum, frame):
        raise SystemExit(0)

    # First thing: a test that stops the server while it starts still gets exit status 0.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        scenario = load_scenario(args.scenario)
        faults = Faults(args)
        if args.page_size < 0:
            raise ScenarioError("--page-size must be positive")
        app = App(scenario, faults, args.request_log, args.verbose)
        app.prepare()
    except ScenarioError as e:
        sys.stderr.write(f"fake_ci_api: {e}\n")
        return 2
    try:
        server = Server(("127.0.0.1", args.port), Handler)
    except OSError as e:
        sys.stderr.write(f"fake_ci_api: cannot bind 127.0.0.1:{args.port}: {e.strerror}\n")
        return 2
    server.app = app
    app.port = server.server_address[1]
    # "localhost" may resolve to ::1 first; answering there too keeps the redirect host reachable.
    try:
        server6 = Server6(("::1", app.port), Handler)
        server6.app = app
        threading.Thread(target=server6.serve_forever, daemon=True).start()
    except OSError:
        pass

    sys.stdout.write(f"listening on http://127.0.0.1:{app.port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.1)
    except SystemExit:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

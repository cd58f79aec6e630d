#!/usr/bin/env python3
"""Self-test of fake_ci_api.py: each scenario served by a real subprocess, checked over HTTP.

    python3 -m unittest Tests/Tools/test_fake_ci_api.py      (or run this file)
"""

import http.client
import io
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.path.join(HERE, "fake_ci_api.py")
CI_API = os.path.join(ROOT, "Fixtures", "ci-api")
PIPELINES = os.path.join(ROOT, "Fixtures", "pipelines")

GITLAB_TOKEN = "glpat-LgdxFakeSeedTkn7Qa9x"
GITLAB_JOB_TOKEN = "glcbt-64_LgdxFakeJobTokenSeed01"
GITHUB_TOKEN = "ghp_LgdxFakeSeedToken0000000000000000000"
UV_INSTALL, TEST = 8791234501, 8791234502
GH_RUN, GH_UV_INSTALL, GH_TEST = 12649283211, 35269857131, 35269857544


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Server:
    """fake_ci_api.py in a subprocess, stopped with SIGTERM."""

    def __init__(self, scenario, *options):
        self.request_log = tempfile.NamedTemporaryFile(prefix="fake-ci-requests-", suffix=".jsonl", delete=False).name
        self.proc = subprocess.Popen(
            [sys.executable, SERVER, "--scenario", os.path.join(CI_API, scenario, "scenario.json"),
             "--request-log", self.request_log, *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("listening on http://127.0.0.1:"):
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.proc.stderr.read().decode()}")
        self.first_line = line
        self.port = int(line.rsplit(":", 1)[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(5)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()
            os.unlink(self.request_log)
        return code

    def requests(self):
        with open(self.request_log, encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def request(self, method, url, headers=None, body=None, timeout=5):
        """(status, {lower-case header: value}, body); never follows redirects."""
        if url.startswith("/"):
            url = self.base + url
        parts = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            target = parts.path + ("?" + parts.query if parts.query else "")
            conn.request(method, target, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def get(self, url, **kw):
        return self.request("GET", url, **kw)


def links(header):
    """{rel: url} of a Link header."""
    out = {}
    for part in header.split(","):
        url, _, rel = part.partition(";")
        out[rel.strip().removeprefix('rel="').removesuffix('"')] = url.strip()[1:-1]
    return out


GITLAB_JOB_KEYS = {
    "commit", "coverage", "archived", "source", "allow_failure", "created_at", "started_at", "finished_at",
    "erased_at", "duration", "queued_duration", "artifacts", "artifacts_expire_at", "tag_list", "id", "name",
    "pipeline", "ref", "runner", "runner_manager", "stage", "status", "tag", "web_url", "project", "user",
}
GITHUB_JOB_KEYS = {
    "id", "run_id", "workflow_name", "head_branch", "run_url", "run_attempt", "node_id", "head_sha", "url",
    "html_url", "status", "conclusion", "created_at", "started_at", "completed_at", "name", "steps",
    "check_run_url", "labels", "runner_id", "runner_name", "runner_group_id", "runner_group_name",
}


class GitLabSeed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server("gitlab-seed", "--page-size", "1")
        cls.auth = {"PRIVATE-TOKEN": GITLAB_TOKEN}

    @classmethod
    def tearDownClass(cls):
        assert cls.s.stop() == 0

    def jobs_url(self, project="64209871", query=""):
        return f"/api/v4/projects/{project}/pipelines/1615234567/jobs{query}"

    def test_prints_one_listening_line(self):
        self.assertRegex(self.s.first_line, r"^listening on http://127\.0\.0\.1:\d+\n$")

    def test_jobs_are_paginated_newest_first_with_gitlab_headers(self):
        status, h, body = self.s.get(self.jobs_url(query="?per_page=100"), headers=self.auth)
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "application/json")
        self.assertEqual((h["x-page"], h["x-per-page"], h["x-next-page"], h["x-prev-page"], h["x-total"], h["x-total-pages"]),
                         ("1", "1", "2", "", "2", "2"))
        self.assertEqual([j["name"] for j in json.loads(body)], ["test"])
        rels = links(h["link"])
        self.assertEqual(set(rels), {"next", "first", "last"})
        self.assertEqual(rels["next"], f"{self.s.base}{self.jobs_url(query='?page=2&per_page=1')}")
        status, h, body = self.s.get(rels["next"], headers=self.auth)
        self.assertEqual([j["name"] for j in json.loads(body)], ["uv-install"])
        self.assertEqual((h["x-page"], h["x-next-page"], h["x-prev-page"]), ("2", "", "1"))
        self.assertEqual(set(links(h["link"])), {"prev", "first", "last"})

    def test_link_keeps_filters_in_rails_order(self):
        status, h, body = self.s.get(self.jobs_url(query="?scope[]=failed&scope[]=success"), headers=self.auth)
        self.assertEqual(status, 200)
        self.assertTrue(links(h["link"])["next"].endswith("jobs?page=2&per_page=1&scope%5B%5D=failed&scope%5B%5D=success"))

    def test_scope_filters_and_rejects_unknown_values(self):
        status, h, body = self.s.get(self.jobs_url(query="?scope=success"), headers=self.auth)
        self.assertEqual((status, h["x-total"], json.loads(body)[0]["name"]), (200, "1", "uv-install"))
        status, _, body = self.s.get(self.jobs_url(query="?scope[]=broken"), headers=self.auth)
        self.assertEqual((status, json.loads(body)), (400, {"error": "scope does not have a valid value"}))

    def test_job_objects_are_complete(self):
        _, _, body = self.s.get(f"/api/v4/projects/64209871/jobs/{TEST}", headers=self.auth)
        job = json.loads(body)
        self.assertLessEqual(GITLAB_JOB_KEYS, set(job))
        self.assertEqual((job["stage"], job["status"], job["failure_reason"], job["allow_failure"]),
                         ("test", "failed", "script_failure", False))
        self.assertEqual(job["web_url"], f"https://gitlab.com/kg-lab/rdf-tools/-/jobs/{TEST}")
        self.assertEqual((job["started_at"], job["finished_at"], job["duration"]),
                         ("2025-01-07T09:41:54.000Z", "2025-01-07T09:42:24.000Z", 30.0))
        self.assertEqual(job["pipeline"]["id"], 1615234567)
        _, _, body = self.s.get(f"/api/v4/projects/64209871/jobs/{UV_INSTALL}", headers=self.auth)
        self.assertNotIn("failure_reason", json.loads(body))

    def test_pipeline(self):
        status, _, body = self.s.get("/api/v4/projects/64209871/pipelines/1615234567", headers=self.auth)
        pipeline = json.loads(body)
        self.assertEqual((status, pipeline["status"], pipeline["iid"], pipeline["detailed_status"]["group"]),
                         (200, "failed", 212, "failed"))
        status, _, body = self.s.get("/api/v4/projects/64209871/pipelines/1", headers=self.auth)
        self.assertEqual((status, body), (404, b'{"message":"404 Not found"}'))

    def test_trace_is_the_log_bytes(self):
        status, h, body = self.s.get(f"/api/v4/projects/64209871/jobs/{TEST}/trace", headers=self.auth)
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "text/plain")
        self.assertEqual(h["content-disposition"], f'infile; filename="{TEST}.log"')
        self.assertEqual(body, read(os.path.join(PIPELINES, "seed-uv-system-python-runner", "test.log")))

    def test_auth(self):
        url = self.jobs_url()
        status, _, body = self.s.get(url, headers={"PRIVATE-TOKEN": "glpat-wrong"})
        self.assertEqual((status, body), (401, b'{"message":"401 Unauthorized"}'))
        status, _, body = self.s.get(url)
        self.assertEqual((status, body), (404, b'{"message":"404 Project Not Found"}'))
        self.assertEqual(self.s.get(url, headers={"Authorization": f"Bearer {GITLAB_TOKEN}"})[0], 200)
        self.assertEqual(self.s.get(url, headers={"JOB-TOKEN": GITLAB_JOB_TOKEN})[0], 200)
        status, _, _ = self.s.request("POST", "/api/v4/projects/64209871/merge_requests/17/notes",
                                      headers={"JOB-TOKEN": GITLAB_JOB_TOKEN, "Content-Type": "application/json"},
                                      body=b'{"body":"x"}')
        self.assertEqual(status, 401)

    def test_project_by_encoded_path_and_unknown_routes(self):
        self.assertEqual(self.s.get(self.jobs_url("kg-lab%2Frdf-tools"), headers=self.auth)[0], 200)
        status, _, body = self.s.get(self.jobs_url("kg-lab%2Fother"), headers=self.auth)
        self.assertEqual((status, body), (404, b'{"message":"404 Project Not Found"}'))
        status, _, body = self.s.get("/api/v4/projects/64209871/nothing", headers=self.auth)
        self.assertEqual((status, body), (404, b'{"error":"404 Not Found"}'))

    def test_notes_are_listed_newest_first_and_updated(self):
        url = "/api/v4/projects/64209871/merge_requests/17/notes"
        json_headers = self.auth | {"Content-Type": "application/json"}
        ids = []
        for text in ("first <!-- marker -->", "second"):
            status, _, body = self.s.request("POST", url, headers=json_headers, body=json.dumps({"body": text}).encode())
            self.assertEqual(status, 201)
            ids.append(json.loads(body)["id"])
        def all_notes():
            notes, page = [], "1"
            while page:
                status, headers, body = self.s.get(f"{url}?per_page=100&page={page}", headers=self.auth)
                self.assertEqual(status, 200)
                notes += json.loads(body)
                page = headers["x-next-page"]
            return notes
        listed = [n["body"] for n in all_notes() if n["id"] in ids]
        self.assertEqual(listed, ["second", "first <!-- marker -->"])
        status, _, body = self.s.request("PUT", f"{url}/{ids[0]}", headers=json_headers, body=b'{"body":"updated <!-- marker -->"}')
        self.assertEqual((status, json.loads(body)["body"]), (200, "updated <!-- marker -->"))
        self.assertIn("updated <!-- marker -->", [n["body"] for n in all_notes()])
        status, _, _ = self.s.request("PUT", f"{url}/999999", headers=json_headers, body=b'{"body":"x"}')
        self.assertEqual(status, 404)

    def test_notes_are_created_and_recorded(self):
        url = "/api/v4/projects/64209871/merge_requests/17/notes"
        status, _, body = self.s.request("POST", url, headers=self.auth | {"Content-Type": "application/json"},
                                         body=json.dumps({"body": "logdx: rdflib is missing"}).encode())
        note = json.loads(body)
        self.assertEqual((status, note["body"], note["noteable_type"], note["noteable_iid"], note["noteable_id"]),
                         (201, "logdx: rdflib is missing", "MergeRequest", 17, 356781234))
        status, _, body = self.s.request("POST", url, headers=self.auth | {"Content-Type": "application/x-www-form-urlencoded"},
                                         body=b"body=form+note")
        self.assertEqual((status, json.loads(body)["body"]), (201, "form note"))
        status, _, body = self.s.request("POST", url, headers=self.auth | {"Content-Type": "application/json"}, body=b"{}")
        self.assertEqual((status, body), (400, b'{"error":"body is missing"}'))
        status, _, _ = self.s.request("POST", "/api/v4/projects/64209871/merge_requests/99/notes",
                                      headers=self.auth | {"Content-Type": "application/json"}, body=b'{"body":"x"}')
        self.assertEqual(status, 404)
        posted = [r for r in self.s.requests() if r["method"] == "POST" and r["path"] == url and r["status"] == 201]
        self.assertIn('{"body": "logdx: rdflib is missing"}', [r["body"] for r in posted])
        self.assertEqual(posted[0]["headers"]["private-token"], GITLAB_TOKEN)
        gets = [r for r in self.s.requests() if r["method"] == "GET"]
        self.assertTrue(all(r["body"] is None and isinstance(r["query"], str) for r in gets))


class GitLabFaults(unittest.TestCase):
    auth = {"PRIVATE-TOKEN": GITLAB_TOKEN}

    def test_rate_limit_once_per_path(self):
        s = Server("gitlab-seed", "--rate-limit-once")
        try:
            url = "/api/v4/projects/64209871/pipelines/1615234567/jobs"
            status, h, body = s.get(url, headers=self.auth)
            self.assertEqual((status, h["retry-after"], h["ratelimit-remaining"], body), (429, "1", "0", b"Retry later\n"))
            self.assertEqual(s.get(url + "?page=1", headers=self.auth)[0], 200)
            self.assertEqual(s.get(f"/api/v4/projects/64209871/jobs/{TEST}/trace", headers=self.auth)[0], 429)
            self.assertEqual([r["status"] for r in s.requests()], [429, 200, 429])
        finally:
            self.assertEqual(s.stop(), 0)

    def test_truncated_slow_and_forced_failures(self):
        s = Server("gitlab-seed", "--truncate-log", str(TEST), "--slow-log", f"{UV_INSTALL}=0.6",
                   "--status", r"pipelines/\d+$=502", "--status", r"/jobs$=500", "--status", r"jobs/\d+$=403")
        try:
            log = read(os.path.join(PIPELINES, "seed-uv-system-python-runner", "test.log"))
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
            conn.request("GET", f"/api/v4/projects/64209871/jobs/{TEST}/trace", headers=self.auth)
            resp = conn.getresponse()
            self.assertEqual(int(resp.getheader("Content-Length")), len(log))
            with self.assertRaises(http.client.IncompleteRead) as caught:
                resp.read()
            self.assertEqual(caught.exception.partial, log[: len(log) // 2])
            conn.close()

            with self.assertRaises(TimeoutError):
                s.get(f"/api/v4/projects/64209871/jobs/{UV_INSTALL}/trace", headers=self.auth, timeout=0.2)
            started = time.monotonic()
            status, _, body = s.get(f"/api/v4/projects/64209871/jobs/{UV_INSTALL}/trace", headers=self.auth)
            self.assertGreaterEqual(time.monotonic() - started, 0.55)
            self.assertEqual(body, read(os.path.join(PIPELINES, "seed-uv-system-python-runner", "uv-install.log")))

            status, h, body = s.get("/api/v4/projects/64209871/pipelines/1615234567", headers=self.auth)
            self.assertEqual((status, h["content-type"]), (502, "text/html; charset=utf-8"))
            self.assertIn(b"Whoops, GitLab is taking too much time to respond.", body)
            status, _, body = s.get("/api/v4/projects/64209871/pipelines/1615234567/jobs", headers=self.auth)
            self.assertEqual((status, body), (500, b'{"message":"500 Internal Server Error"}'))
            status, _, body = s.get(f"/api/v4/projects/64209871/jobs/{TEST}", headers=self.auth)
            self.assertEqual((status, body), (403, b'{"message":"403 Forbidden"}'))
        finally:
            self.assertEqual(s.stop(), 0)


class GitHubSeed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server("github-seed", "--page-size", "1")
        cls.auth = {"Authorization": f"Bearer {GITHUB_TOKEN}", "Accept": "application/vnd.github+json",
                    "X-GitHub-Api-Version": "2022-11-28"}
        cls.repo = "/repos/kg-lab/rdf-tools"

    @classmethod
    def tearDownClass(cls):
        assert cls.s.stop() == 0

    def test_run(self):
        status, h, body = self.s.get(f"{self.repo}/actions/runs/{GH_RUN}", headers=self.auth)
        run = json.loads(body)
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "application/json; charset=utf-8")
        self.assertEqual((run["id"], run["status"], run["conclusion"], run["run_attempt"], run["name"]),
                         (GH_RUN, "completed", "failure", 1, "CI"))
        self.assertEqual(run["logs_url"], f"{self.s.base}{self.repo}/actions/runs/{GH_RUN}/logs")
        self.assertEqual(run["repository"]["full_name"], "kg-lab/rdf-tools")

    def test_jobs_follow_link_by_repository_id(self):
        status, h, body = self.s.get(f"{self.repo}/actions/runs/{GH_RUN}/jobs?per_page=100&filter=latest", headers=self.auth)
        page = json.loads(body)
        self.assertEqual((status, page["total_count"], [j["name"] for j in page["jobs"]]), (200, 2, ["uv-install"]))
        rels = links(h["link"])
        self.assertEqual(set(rels), {"next", "last"})
        self.assertEqual(rels["next"], f"{self.s.base}/repositories/912345678/actions/runs/{GH_RUN}/jobs?per_page=100&filter=latest&page=2")
        status, h, body = self.s.get(rels["next"], headers=self.auth)
        self.assertEqual([j["name"] for j in json.loads(body)["jobs"]], ["test"])
        self.assertEqual(set(links(h["link"])), {"prev", "first"})
        status, _, body = self.s.get(f"{self.repo}/actions/runs/{GH_RUN}/jobs?filter=newest", headers=self.auth)
        self.assertEqual((status, json.loads(body)["status"]), (422, "422"))

    def test_job_objects_are_complete(self):
        status, _, body = self.s.get(f"{self.repo}/actions/jobs/{GH_TEST}", headers=self.auth)
        job = json.loads(body)
        self.assertLessEqual(GITHUB_JOB_KEYS, set(job))
        self.assertEqual((job["conclusion"], job["started_at"], job["completed_at"]),
                         ("failure", "2025-01-07T10:02:49Z", "2025-01-07T10:02:52Z"))
        steps = {s["number"]: s for s in job["steps"]}
        self.assertEqual((steps[6]["name"], steps[6]["conclusion"]), ("Run uv pip show --system rdflib", "failure"))
        self.assertEqual(steps[7]["conclusion"], "skipped")
        self.assertEqual(set(steps[1]), {"name", "status", "conclusion", "number", "started_at", "completed_at"})

    def test_auth(self):
        url = f"{self.repo}/actions/runs/{GH_RUN}"
        status, _, body = self.s.get(url, headers={"Authorization": "Bearer ghp_wrong"})
        self.assertEqual((status, json.loads(body)),
                         (401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}))
        self.assertEqual(self.s.get(url, headers={"Authorization": f"token {GITHUB_TOKEN}"})[0], 200)
        status, _, body = self.s.get(url)
        self.assertEqual((status, json.loads(body)["message"]), (404, "Not Found"))
        status, _, body = self.s.get(f"/repos/kg-lab/other/actions/runs/{GH_RUN}", headers=self.auth)
        self.assertEqual(status, 404)

    def test_run_logs_redirect_to_a_zip_in_github_layout(self):
        status, h, _ = self.s.get(f"{self.repo}/actions/runs/{GH_RUN}/logs", headers=self.auth)
        self.assertEqual(status, 302)
        location = urllib.parse.urlsplit(h["location"])
        self.assertEqual((location.hostname, location.port), ("localhost", self.s.port))
        # Forwarding the token to the blob host is what the request log exists to catch.
        status, h, body = self.s.get(h["location"], headers=self.auth)
        self.assertEqual((status, h["content-type"]), (200, "application/zip"))
        blob = [r for r in self.s.requests() if r["path"].startswith("/blob/")][-1]
        self.assertEqual(blob["headers"]["authorization"], f"Bearer {GITHUB_TOKEN}")
        self.assertEqual(blob["headers"]["host"], f"localhost:{self.s.port}")

        archive = zipfile.ZipFile(io.BytesIO(body))
        names = archive.namelist()
        self.assertTrue({"0_uv-install.txt", "1_test.txt", "uv-install/1_Set up job.txt",
                         "uv-install/2_Run actionscheckout@v4.txt", "test/6_Run uv pip show --system rdflib.txt",
                         "test/9_Post Run actionscheckout@v4.txt", "test/10_Complete job.txt"} <= set(names))
        self.assertNotIn("test/7_Post Run actionscache@v4.txt", names)
        self.assertTrue(all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist()))
        for ordinal, name in enumerate(["uv-install", "test"]):
            log = read(os.path.join(PIPELINES, "seed-uv-github", f"{name}.log"))
            self.assertEqual(archive.read(f"{ordinal}_{name}.txt"), log)
            steps = sorted((n for n in names if n.startswith(name + "/")), key=lambda n: int(n.split("/")[1].split("_")[0]))
            self.assertEqual(b"".join(archive.read(n) for n in steps), log)
        self.assertTrue(archive.read("test/6_Run uv pip show --system rdflib.txt").rstrip().endswith(b"##[error]Process completed with exit code 1."))

    def test_job_logs_redirect_to_text(self):
        status, h, _ = self.s.get(f"{self.repo}/actions/jobs/{GH_UV_INSTALL}/logs", headers=self.auth)
        self.assertEqual((status, urllib.parse.urlsplit(h["location"]).hostname), (302, "localhost"))
        status, blob_headers, body = self.s.get(h["location"])
        self.assertEqual((status, blob_headers["content-type"]), (200, "text/plain"))
        self.assertEqual(body, read(os.path.join(PIPELINES, "seed-uv-github", "uv-install.log")))
        status, ranged_headers, part = self.s.get(h["location"], headers={"Range": "bytes=100-"})
        self.assertEqual((status, part), (206, body[100:]))
        status, _, body = self.s.get(h["location"].replace("sig=", "sig=x"))
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AuthenticationFailed</Code>", body)

    def test_comment(self):
        status, h, body = self.s.request("POST", f"{self.repo}/issues/17/comments", headers=self.auth,
                                         body=json.dumps({"body": "logdx report"}).encode())
        comment = json.loads(body)
        self.assertEqual((status, comment["body"], h["location"]), (201, "logdx report", comment["url"]))


class GitHubFaults(unittest.TestCase):
    auth = {"Authorization": f"Bearer {GITHUB_TOKEN}"}
    run_path = f"/repos/kg-lab/rdf-tools/actions/runs/{GH_RUN}"

    def test_primary_rate_limit_once(self):
        s = Server("github-seed", "--github-primary-rate-limit-once")
        try:
            now = int(time.time())
            status, h, body = s.get(self.run_path, headers=self.auth)
            self.assertEqual((status, h["x-ratelimit-remaining"]), (403, "0"))
            self.assertIn(int(h["x-ratelimit-reset"]), range(now, now + 3))
            self.assertTrue(json.loads(body)["message"].startswith("API rate limit exceeded for "))
            self.assertEqual(s.get(self.run_path, headers=self.auth)[0], 200)
        finally:
            self.assertEqual(s.stop(), 0)

    def test_secondary_rate_limit_once(self):
        s = Server("github-seed", "--rate-limit-once")
        try:
            status, h, body = s.get(self.run_path + "/jobs", headers=self.auth)
            self.assertEqual((status, h["retry-after"]), (429, "1"))
            self.assertIn("secondary rate limit", json.loads(body)["message"])
            self.assertEqual(s.get(self.run_path + "/jobs", headers=self.auth)[0], 200)
        finally:
            self.assertEqual(s.stop(), 0)

    def test_truncated_zip_expired_url_and_forced_status(self):
        s = Server("github-seed", "--truncate-log-once", str(GH_RUN), "--log-url-ttl", "0",
                   "--status", r"/actions/jobs/\d+$=404")
        try:
            _, h, _ = s.get(self.run_path + "/logs", headers=self.auth)
            time.sleep(0.05)
            status, _, body = s.get(h["location"])
            self.assertEqual(status, 403)
            self.assertIn(b"Signed expiry time", body)
        finally:
            self.assertEqual(s.stop(), 0)
        s = Server("github-seed", "--truncate-log-once", str(GH_RUN), "--status", r"/actions/jobs/\d+$=404")
        try:
            _, h, _ = s.get(self.run_path + "/logs", headers=self.auth)
            with self.assertRaises(http.client.IncompleteRead):
                s.get(h["location"])
            status, _, body = s.get(h["location"])
            self.assertEqual(status, 200)
            zipfile.ZipFile(io.BytesIO(body)).testzip()
            status, _, body = s.get(f"/repos/kg-lab/rdf-tools/actions/jobs/{GH_TEST}", headers=self.auth)
            self.assertEqual((status, json.loads(body)["documentation_url"]),
                             (404, "https://docs.github.com/rest/actions/workflow-jobs#get-a-job-for-a-workflow-run"))
        finally:
            self.assertEqual(s.stop(), 0)


class GitLabSecrets(unittest.TestCase):
    def test_every_planted_secret_is_served_in_the_failing_trace(self):
        folder = os.path.join(CI_API, "gitlab-secrets")
        secrets = read(os.path.join(folder, "planted-secrets.txt")).decode().split("\n")
        secrets = [line for line in secrets if line]
        self.assertGreaterEqual(len(secrets), 9)
        s = Server("gitlab-secrets")
        try:
            auth = {"PRIVATE-TOKEN": "glpat-LgdxFakeSecretTkn4Zr"}
            _, _, body = s.get("/api/v4/projects/64209871/pipelines/1615240013/jobs", headers=auth)
            (job,) = json.loads(body)
            self.assertEqual((job["name"], job["status"], job["failure_reason"]), ("deploy", "failed", "script_failure"))
            status, _, trace = s.get(f"/api/v4/projects/64209871/jobs/{job['id']}/trace", headers=auth)
            self.assertEqual(trace, read(os.path.join(folder, "deploy.log")))
            for secret in secrets:
                self.assertIn(secret.encode(), trace, secret)
            self.assertIn(b"ERROR: Job failed: exit code 1", trace)
        finally:
            self.assertEqual(s.stop(), 0)


class ScenarioErrors(unittest.TestCase):
    def test_step_list_that_does_not_fit_the_log_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.relpath(os.path.join(PIPELINES, "seed-uv-github", "test.log"), tmp)
            scenario = {"provider": "github", "token": "t", "owner": "o", "repo": "r", "run_id": 1,
                        "jobs": [{"id": 2, "name": "test", "log": log, "steps": [{"name": "Set up job"}]}]}
            path = os.path.join(tmp, "scenario.json")
            with open(path, "w") as f:
                json.dump(scenario, f)
            done = subprocess.run([sys.executable, SERVER, "--scenario", path], capture_output=True, timeout=10)
            self.assertEqual((done.returncode, done.stdout), (2, b""))
            self.assertIn(b"the log has 8 segments", done.stderr)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""A second, independent GitLab jobs API for testing `logdx ci`: written straight on Python's
http.server and sharing nothing with fake_ci_api.py, so the hook is tested against another
server's framing, connection handling and timing, not only against the fake it was built with.

    python3 Tests/Tools/plain_gitlab_api.py --jobs N [--mode close|keepalive|chunked]
        [--page-size N] [--seed N] [--slow-trace INDEX] [--line-interval SECONDS]
        [--endless-pages] [--endless-page] [--big-trace INDEX=BYTES] [--odd-names]
        [--plant-secrets]

It binds 127.0.0.1 on a free port, prints `listening on http://127.0.0.1:PORT` and serves until
killed. The pipeline is project 7 (path plain/pipelines), pipeline 70; job k (0-based) has id 7001+k. Every job is a
GitLab runner trace; every third job fails with a pytest error, the others pass.

Modes (how every answer is framed):
  close      HTTP/1.0, Content-Length, `Connection: close`: the connection ends after each
             answer (a plain ThreadingHTTPServer, as many proxies and test servers are).
  keepalive  HTTP/1.1, Content-Length, the connection stays open for the next request.
  chunked    HTTP/1.1, Transfer-Encoding: chunked in chunks of irregular sizes.

Misbehaviour:
  --slow-trace INDEX    job INDEX's trace sends one line every --line-interval seconds
                        (default 1) and never ends (no Content-Length; chunked in the HTTP/1.1
                        modes, ended only by closing in close mode).
  --endless-pages       every jobs page names a next page, with new jobs, forever.
  --endless-page        the first jobs page is one JSON array that never ends.
  --big-trace INDEX=BYTES
                        job INDEX's trace is padded to about BYTES with passing test lines
                        before its end (its failure, when it fails, stays at the end).
  --odd-names           odd-numbered jobs' names carry a newline, a workflow command, an ESC
                        sequence and a BEL.
  --plant-secrets       traces print an AWS key pair and a GitLab token (listed on stderr).
"""

import argparse
import json
import random
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# The project by id, or by its URL-encoded path (what a pipeline's web address gives).
PROJECT = "(?:7|plain%2Fpipelines)"
PIPELINE = "70"
FIRST_ID = 7001
SECRETS = [
    "AKIAQX4LGDXPLANTED7Z",
    "Wq9pL2mZ8vN4tR6yB1cX3fH5jK7sD0gA2eU4iO6p",
    "glpat-PlainServerPlanted0Tkn",
]


def job_name(index, odd):
    # Realistic names: parallel:matrix and parallel:N jobs carry spaces, brackets and slashes.
    names = ["build", "lint", "test: [3.11, linux]", "unit 2/4", "deploy:staging", "docs"]
    name = f"{names[index % len(names)]} #{index}"
    if odd and index % 2 == 1:
        name += "\n::error::injected\x1b[31m red\x07"
    return name


def trace(index, args, rng):
    failed = index % 3 == 2
    stamp = 1736242900 + index * 60
    lines = [
        "\x1b[0KRunning with gitlab-runner 17.7.0 (896916a8)\x1b[0;m",
        "\x1b[0K  on plain-runner kJ3xUq2N, system ID: s_8d7e1f0c2b4a\x1b[0;m",
        f"section_start:{stamp}:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the \"docker\" executor\x1b[0;m\x1b[0;m",
        "\x1b[0KUsing Docker executor with image python:3.11-slim ...\x1b[0;m",
        f"section_end:{stamp + 5}:prepare_executor\r\x1b[0K"
        f"section_start:{stamp + 5}:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m\x1b[0;m",
        "\x1b[32;1m$ python -m pytest -q\x1b[0;m",
    ]
    if args.plant_secrets:
        lines.append(f"export AWS_ACCESS_KEY_ID={SECRETS[0]}")
        lines.append(f"export AWS_SECRET_ACCESS_KEY={SECRETS[1]}")
        lines.append(f"git remote set-url origin https://oauth2:{SECRETS[2]}@gitlab.example.com/group/app.git")
    # Uneven sizes, so some bodies span many reads and chunks.
    count = rng.randint(5, 400)
    if index in args.big_trace:
        count = args.big_trace[index] // 60
    for n in range(count):
        lines.append(f"tests/test_module_{n % 17}.py::test_case_{n} PASSED{' ' * (n % 13)}[{n % 100:3d}%]")
    if failed:
        lines += [
            "FAILED tests/test_api.py::test_round_trip - AssertionError: assert 2 == 3",
            "1 failed, 41 passed in 3.21s",
            f"section_end:{stamp + 40}:step_script\r\x1b[0K\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m",
        ]
    else:
        lines += ["42 passed in 3.02s", f"section_end:{stamp + 40}:step_script\r\x1b[0K\x1b[32;1mJob succeeded\x1b[0;m"]
    return ("\n".join(lines) + "\n").encode()


def job_object(index, args):
    failed = index % 3 == 2
    job_id = FIRST_ID + index
    created = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(1736242900 + index * 60))
    return {
        "id": job_id, "name": job_name(index, args.odd_names), "stage": "test" if index % 2 else "build",
        "status": "failed" if failed else "success", "allow_failure": False,
        "created_at": created, "started_at": created, "finished_at": created,
        "web_url": f"https://gitlab.example.com/group/app/-/jobs/{job_id}",
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "PlainGitLab/1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        args = self.server.args
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if self.headers.get("PRIVATE-TOKEN") != self.server.token:
            return self.answer(401, b'{"message":"401 Unauthorized"}', "application/json")
        jobs = re.fullmatch(rf"/api/v4/projects/{PROJECT}/pipelines/{PIPELINE}/jobs", parts.path)
        if jobs:
            return self.jobs_page(int(query.get("page", ["1"])[0]))
        found = re.fullmatch(rf"/api/v4/projects/{PROJECT}/jobs/(\d+)/trace", parts.path)
        if found:
            index = int(found.group(1)) - FIRST_ID
            if not 0 <= index < len(self.server.traces) and not args.endless_pages:
                return self.answer(404, b'{"message":"404 Not found"}', "application/json")
            if index == args.slow_trace:
                return self.endless_trace(index)
            body = self.server.traces[index] if index < len(self.server.traces) else trace(index, args, random.Random(index))
            return self.answer(200, body, "text/plain")
        self.answer(404, b'{"error":"404 Not Found"}', "application/json")

    def jobs_page(self, page):
        args = self.server.args
        if args.endless_page:
            return self.endless_json()
        size = args.page_size
        total = args.jobs
        start = (page - 1) * size
        if args.endless_pages:
            indices = range(start, start + size)
        else:
            indices = range(start, min(start + size, total))
        body = json.dumps([job_object(i, args) for i in indices]).encode()
        headers = {"X-Page": str(page), "X-Per-Page": str(size)}
        if args.endless_pages or start + size < total:
            headers["X-Next-Page"] = str(page + 1)
        else:
            headers["X-Next-Page"] = ""
        if not args.endless_pages:
            headers["X-Total"] = str(total)
        self.answer(200, body, "application/json", headers)

    def answer(self, status, body, kind, headers=None):
        mode = self.server.args.mode
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if mode == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            rng = self.server.rng
            offset = 0
            while offset < len(body):
                size = rng.choice([1, 7, 100, 1000, 4096, 16384, 65536])
                self.chunk(body[offset:offset + size])
                offset += size
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            if mode == "close":
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        self.wfile.flush()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def open_ended(self, kind):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if self.server.args.mode == "chunked" or self.server.args.mode == "keepalive":
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def send_piece(self, data):
        if self.server.args.mode == "close":
            self.wfile.write(data)
        else:
            self.chunk(data)
        self.wfile.flush()

    def endless_trace(self, index):
        self.open_ended("text/plain")
        head = trace(index, self.server.args, random.Random(index)).split(b"\n")[:7]
        try:
            self.send_piece(b"\n".join(head) + b"\n")
            n = 0
            while True:
                time.sleep(self.server.args.line_interval)
                n += 1
                self.send_piece(b"waiting for the database to accept connections (%d)\n" % n)
        except (BrokenPipeError, ConnectionResetError):
            return

    def endless_json(self):
        self.open_ended("application/json")
        try:
            self.send_piece(b"[")
            index = 0
            while True:
                batch = b",".join(json.dumps(job_object(index + k, self.server.args)).encode() for k in range(200))
                self.send_piece((b"," if index else b"") + batch)
                index += 200
        except (BrokenPipeError, ConnectionResetError):
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--mode", choices=["close", "keepalive", "chunked"], default="close")
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--token", default="glpat-PlainServerApiTkn42")
    parser.add_argument("--slow-trace", type=int, default=-1)
    parser.add_argument("--line-interval", type=float, default=1.0)
    parser.add_argument("--endless-pages", action="store_true")
    parser.add_argument("--endless-page", action="store_true")
    parser.add_argument("--big-trace", action="append", default=[], metavar="INDEX=BYTES")
    parser.add_argument("--odd-names", action="store_true")
    parser.add_argument("--plant-secrets", action="store_true")
    args = parser.parse_args()
    args.big_trace = {int(k): int(v) for k, v in (item.split("=", 1) for item in args.big_trace)}

    if args.mode == "close":
        Handler.protocol_version = "HTTP/1.0"
    else:
        Handler.protocol_version = "HTTP/1.1"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.args = args
    server.token = args.token
    server.rng = random.Random(args.seed)
    server.traces = [trace(i, args, random.Random(args.seed * 1000 + i)) for i in range(args.jobs)]
    if args.plant_secrets:
        for secret in SECRETS:
            print(secret, file=sys.stderr)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

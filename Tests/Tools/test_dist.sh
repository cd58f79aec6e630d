#!/bin/sh
# make test-dist: the binary of `make dist`'s tarball is self-contained. Unpacked, copied alone into
# an empty folder and run there with an empty environment (no LOGDX_RULES_DIR, no Swift on
# LD_LIBRARY_PATH or PATH, no HOME), it diagnoses the seed pipeline exactly as the debug build does
# with the checkout's Rules/ (the same JSON, so the same rule ids, evidence and fixes); it lists
# the same rules; and ldd shows no Swift library.
#
#   test_dist.sh DIST_DIR REFERENCE_BINARY
set -eu
dist=$(cd "$1" && pwd)
reference=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
start=$(date +%s)
tarball=$(ls -t "$dist"/logdx-*-linux-*.tar.gz | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-dist: FAIL: $*" >&2; exit 1; }

mkdir "$work/unpacked" "$work/alone"
tar -C "$work/unpacked" -xzf "$tarball"
unpacked=$(find "$work/unpacked" -mindepth 1 -maxdepth 1 -type d)
[ -f "$unpacked/README.md" ] || fail "$tarball has no README.md"
cp "$unpacked/logdx" "$work/alone/logdx"
# The seed (Makefile DEMO): its log and the .gitlab-ci.yml beside it, copied so that nothing of the
# checkout is reachable from the folder the binary runs in.
cp "$root/Fixtures/pipelines/seed-uv-system-python/gitlab-ci-local.log" "$work/alone/seed.log"
cp "$root/Fixtures/config/seed-uv/.gitlab-ci.yml" "$work/alone/.gitlab-ci.yml"

cd "$work/alone"
status=0
env -i PATH=/usr/bin:/bin ./logdx --format json --config .gitlab-ci.yml seed.log > dist.json 2> dist.err || status=$?
[ "$status" -eq 0 ] || { cat dist.err >&2; fail "the dist binary exited $status on the seed"; }
status=0
env -i PATH=/usr/bin:/bin LOGDX_RULES_DIR="$root/Rules" "$root/$reference" --format json --config .gitlab-ci.yml seed.log > reference.json 2>&1 || status=$?
[ "$status" -eq 0 ] || { cat reference.json >&2; fail "the reference build $reference exited $status on the seed"; }
grep -q '"python-packages-not-carried"' dist.json || fail "the seed's diagnosis (python-packages-not-carried) is missing from the dist binary's output"
cmp -s dist.json reference.json || { diff reference.json dist.json | head -20 >&2; fail "the dist binary's JSON differs from $reference's with Rules/"; }

env -i PATH=/usr/bin:/bin ./logdx rules list > dist-rules.txt || fail "rules list failed"
env -i PATH=/usr/bin:/bin LOGDX_RULES_DIR="$root/Rules" "$root/$reference" rules list > reference-rules.txt
cmp -s dist-rules.txt reference-rules.txt || fail "the dist binary's rules differ from Rules/: $(tail -n 1 dist-rules.txt) vs $(tail -n 1 reference-rules.txt)"

libraries=$(ldd ./logdx)
if echo "$libraries" | grep -qi swift; then echo "$libraries" >&2; fail "the dist binary links a Swift library"; fi
# What it asks of the machine itself: glibc and libgcc_s; everything else is linked in, but for
# libcurl, which `logdx ci` loads when it first needs it (Sources/CLibcurl).
if command -v readelf >/dev/null 2>&1; then
  extra=$(readelf -d ./logdx | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -Ev '^(libc|libm|libgcc_s|ld-linux-x86-64|ld-linux-aarch64)\.so' || true)
  [ -z "$extra" ] || fail "the dist binary needs shared libraries it should carry: $extra"
fi
echo "test-dist: ldd $(basename "$tarball" .tar.gz)/logdx:"
echo "$libraries" | sed 's/^/  /'

# libcurl is loaded by `logdx ci`'s first request, not at start: where the library found is no
# libcurl (a copy of zlib named libcurl.so.4, first on LD_LIBRARY_PATH), diagnosing runs as
# before and `logdx ci --strict` names what is missing and exits 4 (the hook's own failure code).
zlib=$(${CC:-cc} -print-file-name=libz.so.1)
[ -f "$zlib" ] || zlib=$(ls /lib/*/libz.so.1 /usr/lib/*/libz.so.1 /lib64/libz.so.1 2>/dev/null | head -n 1)
[ -n "$zlib" ] && [ -f "$zlib" ] || fail "found no libz.so.1 to stand in for a libcurl that is not one"
mkdir "$work/notcurl"
cp -L "$zlib" "$work/notcurl/libcurl.so.4"
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$work/notcurl" ./logdx seed.log > /dev/null 2> notcurl.err \
  || { cat notcurl.err >&2; fail "the dist binary did not diagnose with no libcurl to be found"; }
status=0
env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="$work/notcurl" GITLAB_CI=true CI_API_V4_URL=http://127.0.0.1:9/api/v4 \
  CI_PROJECT_ID=1 CI_PIPELINE_ID=2 LOGDX_GITLAB_TOKEN=x ./logdx ci --strict > /dev/null 2> notcurl.err || status=$?
[ "$status" -eq 4 ] && grep -q "libcurl could not be loaded" notcurl.err \
  || { cat notcurl.err >&2; fail "without libcurl, logdx ci --strict exited $status instead of saying so with 4"; }
echo "test-dist: ok: without libcurl it diagnoses, and logdx ci says: $(grep -o 'libcurl could not be loaded.*' notcurl.err | cut -c1-110)"
echo "test-dist: ok: alone with env -i it diagnoses the seed as $reference with Rules/ does ($(grep -o '"rule" *: *"[^"]*"' dist.json | sort -u | tr '\n' ' ')); $(tail -n 1 dist-rules.txt) $(du -h "$tarball" | cut -f1) tarball; $(($(date +%s) - start)) s"

# The CI templates' download of this tarball (.ci/github/fetch-logdx.sh and the GitLab job's
# before_script), from a loopback HTTP server: the right hash runs, a wrong one does not, and a
# release tag finds the tarball and its .sha256.
name=$(basename "$tarball" .tar.gz)
version=${name#logdx-}; version=${version%-linux-*}
mkdir -p "$work/www/v$version"
cp "$tarball" "$tarball.sha256" "$work/www/v$version/"
python3 -u -m http.server --bind 127.0.0.1 0 --directory "$work/www" > "$work/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
port=""
for _ in $(seq 50); do
  port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/http.log" | head -n 1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "the loopback HTTP server did not start: $(cat "$work/http.log")"
base="http://127.0.0.1:$port"
url="$base/v$version/$name.tar.gz"
sha=$(cut -d' ' -f1 "$tarball.sha256")
gitlab_script="$work/gitlab-before.sh"
# The job's before_script block, as GitLab runs it, then what its script runs.
python3 - "$root/.ci/gitlab/logdx.gitlab-ci.yml" > "$gitlab_script" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
start = lines.index("  before_script:") + 2
body = []
for line in lines[start:]:
    if line and not line.startswith("      "):
        break
    body.append(line[6:])
print("\n".join(body))
print('"$LOGDX" --version')
PY
# apt-get is the job image's; here curl is already installed.
sed -i 's/^  apt-get update.*curl ca-certificates.*$/  :/' "$gitlab_script"
check_fetch() { # label, expected (ok|fail), then environment assignments
  label=$1; expected=$2; shift 2
  dest="$work/fetch-$label"
  github_status=0; gitlab_status=0
  github=$(env -i PATH=/usr/bin:/bin "$@" sh "$root/.ci/github/fetch-logdx.sh" "$dest/github" 2>&1) || github_status=$?
  # The job's scratch paths (/tmp/logdx…) moved into this test's folder.
  mkdir -p "$dest/gitlab"
  sed "s|/tmp/logdx|$dest/gitlab/logdx|g" "$gitlab_script" > "$dest/gitlab.sh"
  gitlab=$(cd "$work" && env -i PATH=/usr/bin:/bin LOGDX_BINARY_URL= LOGDX_BINARY_SHA256= LOGDX_RELEASE_TAG= LOGDX_RELEASES= LOGDX_REPOSITORY= "$@" \
    sh "$dest/gitlab.sh" 2>&1) || gitlab_status=$?
  if [ "$expected" = ok ]; then
    [ "$github_status" -eq 0 ] && [ "$("$github" --version)" = "$version" ] || fail "github fetch ($label): $github"
    [ "$gitlab_status" -eq 0 ] && [ "$(echo "$gitlab" | tail -n 1)" = "$version" ] || fail "gitlab job ($label): $gitlab"
  else
    [ "$github_status" -ne 0 ] && [ ! -e "$dest/github/logdx" ] || fail "github fetch ($label) should refuse: $github"
    [ "$gitlab_status" -ne 0 ] || fail "gitlab job ($label) should refuse: $gitlab"
    echo "$github" | grep -qi "$expected" || fail "github fetch ($label) does not say '$expected': $github"
    echo "$gitlab" | grep -qi "$expected" || fail "gitlab job ($label) does not say '$expected': $gitlab"
  fi
}
check_fetch url ok LOGDX_BINARY_URL="$url" LOGDX_BINARY_SHA256="$sha"
check_fetch tag ok LOGDX_RELEASE_TAG="v$version" LOGDX_RELEASES="$base"
check_fetch wrong-hash "not the expected" LOGDX_BINARY_URL="$url" LOGDX_BINARY_SHA256=0000
check_fetch no-hash "needs" LOGDX_BINARY_URL="$url"
echo "test-dist: ok: the GitHub action's and the GitLab job's download run the tarball by URL and hash and by release tag, and refuse a wrong or missing hash; $(($(date +%s) - start)) s"

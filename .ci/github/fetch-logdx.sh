#!/bin/sh
# Downloads the logdx binary `make dist` packs, checks its sha256 and unpacks it: the action's way
# to run logdx in seconds instead of building it from source. The GitLab job does the same inline
# (.ci/gitlab/logdx.gitlab-ci.yml), since a copied job has no file of logdx beside it.
#
#   fetch-logdx.sh DEST_DIR     prints DEST_DIR/logdx
#
# From the environment, one of:
#   LOGDX_BINARY_URL + LOGDX_BINARY_SHA256   a tarball anywhere, pinned by its checksum;
#   LOGDX_RELEASE_TAG (+ LOGDX_RELEASES)     the tarball of a release: LOGDX_RELEASES/TAG/
#       logdx-VERSION-linux-ARCH.tar.gz (VERSION is the tag less a leading v), checked against the
#       release's .sha256 file beside it. That file comes from the same place as the tarball: it
#       catches a broken download, not a replaced release; pin the URL and checksum for that.
set -eu
dest=$1
fail() { echo "logdx: $*" >&2; exit 1; }
if [ -n "${LOGDX_BINARY_URL:-}" ]; then
  [ -n "${LOGDX_BINARY_SHA256:-}" ] || fail "binary-url needs binary-sha256 (the sha256 of the tarball, printed by make dist into its .sha256 file): an unchecked binary would run with your token"
  url=$LOGDX_BINARY_URL
  sha=$LOGDX_BINARY_SHA256
elif [ -n "${LOGDX_RELEASE_TAG:-}" ]; then
  [ -n "${LOGDX_RELEASES:-}" ] || fail "release-tag needs the address of the releases (LOGDX_RELEASES, e.g. https://github.com/OWNER/logdx/releases/download)"
  url="$LOGDX_RELEASES/$LOGDX_RELEASE_TAG/logdx-${LOGDX_RELEASE_TAG#v}-linux-$(uname -m).tar.gz"
  sha=$(curl -fsSL --retry 3 "$url.sha256") || fail "cannot download $url.sha256"
  sha=${sha%% *}
else
  fail "give binary-url and binary-sha256, or release-tag"
fi
mkdir -p "$dest"
curl -fsSL --retry 3 -o "$dest/logdx.tar.gz" "$url" || fail "cannot download $url"
actual=$(sha256sum "$dest/logdx.tar.gz" | cut -d' ' -f1)
[ "$actual" = "$sha" ] || fail "$url has sha256 $actual, not the expected $sha; not running it"
tar -C "$dest" --strip-components=1 -xzf "$dest/logdx.tar.gz" || fail "$url is not a logdx tarball (make dist)"
rm -f "$dest/logdx.tar.gz"
[ -x "$dest/logdx" ] || fail "$url holds no logdx binary at its top folder"
echo "$dest/logdx"

#!/bin/sh
# Packs a logdx binary for spark-submit --archives BUNDLE#logdx: bin/logdx (its rules are compiled
# in) and lib/ with the shared libraries it links (for `make build`'s binary PCRE2, Vectorscan,
# zstd, SQLite and theirs, and for a debug build the Swift runtime and libcurl's closure too; for
# `make dist`'s static binary next to nothing) so executors need no Swift toolchain nor logdx's
# packages. The release binaries load libcurl only for `logdx ci`, which a scan never runs. The
# C library itself stays
# the executor's: a bundled glibc would not match the kernel interface and loader of the image it
# runs in.
#
#   make_bundle.sh BINARY BUNDLE.tar.gz
set -eu
binary=$1
bundle=$2
# Rebuilt only when the binary (which one, its size and time) changed, which a rule edit does too:
# packing 140 MB takes a while.
source=$(stat -L -c '%n %s %Y' "$binary")
if [ -f "$bundle" ] && [ "$(cat "$bundle.source" 2>/dev/null)" = "$source" ]; then
  exit 0
fi
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin" "$staging/lib"
cp "$binary" "$staging/bin/logdx"
ldd "$binary" | awk '/=> \// { print $3 }' \
  | grep -Ev '/(libc|libm|libdl|libpthread|librt|libresolv|ld-linux[^/]*)\.so' \
  | while read -r library; do cp -L "$library" "$staging/lib/"; done
mkdir -p "$(dirname "$bundle")"
tar -C "$staging" -cf - . | gzip -1 > "$bundle.tmp"
mv "$bundle.tmp" "$bundle"
echo "$source" > "$bundle.source"
echo "logdx: $(du -h "$bundle" | cut -f1) bundle for spark-submit --archives in $bundle"

#!/usr/bin/env bash
# make fuzz: libFuzzer on ingest, the whole diagnose flow, the rule loader and the secret redactor.
#
# SwiftPM cannot link a libFuzzer executable (it aliases main to <Target>_main, which clashes with
# libFuzzer's own main), so the engine is built as a library with coverage instrumentation and each
# driver in Tests/Fuzz is linked by swiftc. Seeds: Fixtures/fuzz/<target>/. Crashes are written to
# .build-fuzz/crashes/<target>/; turn each into a regression test. FUZZ_TARGETS="redactor" runs only
# the targets named; FUZZ_SECONDS sets the time of each.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-200}
build=.build-fuzz
swift build -c release --scratch-path "$build" --target LogDx -Xswiftc -sanitize=fuzzer
release="$build/release"
# LogDx re-exports one module per stage (Package.swift); the drivers link all of them.
modules="LogDx LogDxModel LogDxRedaction LogDxBuiltInRules LogDxRules LogDxIngest LogDxTokenize LogDxExcerpt LogDxConfig LogDxCorrelate
  LogDxDiagnose LogDxReport LogDxCheck PCRE2 Vectorscan Decompression Yams CYaml"
# shellcheck disable=SC2046
objects=$(find $(for module in $modules; do echo "$release/$module.build"; done) -name '*.o')
yaml_include=$(find "$build/checkouts" -path '*Sources/CYaml/include' -type d | head -n 1)
total=0
failed=0
printf '\n| target | executions | seconds | crashes |\n|---|---|---|---|\n' > "$build/summary.md"
for target in ${FUZZ_TARGETS:-ingest diagnose rules redactor}; do
  name="$(tr '[:lower:]' '[:upper:]' <<< "${target:0:1}")${target:1}"
  # shellcheck disable=SC2086
  swiftc -O -sanitize=fuzzer -parse-as-library Tests/Fuzz/FuzzSupport.swift "Tests/Fuzz/Fuzz$name.swift" \
    -I "$release/Modules" -Xcc -fmodule-map-file=Sources/CPCRE2/module.modulemap -Xcc -fmodule-map-file=Sources/CVectorscan/module.modulemap \
    -Xcc -fmodule-map-file=Sources/CInflate/module.modulemap -Xcc -fmodule-map-file=Sources/CZstd/module.modulemap \
    $(pkg-config --cflags libhs | sed 's/-I/-Xcc -I/g') \
    -Xcc -fmodule-map-file="$yaml_include/module.modulemap" -Xcc -I"$yaml_include" \
    $objects -lpcre2-8 $(pkg-config --libs libhs) -lz -lzstd -o "$release/fuzz-$target"
  mkdir -p "$build/corpus/$target" "$build/crashes/$target"
  log="$build/fuzz-$target.log"
  # Swift's own backtracer would catch a trap before libFuzzer does, and then libFuzzer neither
  # writes the crashing input nor prints its statistics: a crash looked like "0 executions".
  status=0
  SWIFT_BACKTRACE=enable=no LOGDX_RULES_DIR="$PWD/Rules" "$release/fuzz-$target" -max_total_time="$seconds" \
    -print_final_stats=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048 -error_exitcode=77 \
    -artifact_prefix="$build/crashes/$target/" "$build/corpus/$target" "Fixtures/fuzz/$target" > "$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  crashes=$(find "$build/crashes/$target" -type f | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1
    echo "fuzz-$target exited with $status without writing an input; see $log" >&2
  fi
  if [ "$crashes" -gt 0 ]; then failed=1; fi
  total=$((total + runs))
  printf '| %s | %s | %s | %s |\n' "$target" "$runs" "$seconds" "$crashes" >> "$build/summary.md"
done
cat "$build/summary.md"
echo
echo "fuzz: $total executions in total; crashes, if any, are in $build/crashes/"
exit "$failed"

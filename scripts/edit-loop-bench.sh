#!/usr/bin/env bash
# The edit loop people live in, end to end: a one-line edit of definitions/ to regenerated
# output (what `make build` runs), timed per phase and in total. Run by `make bench`.
#
#   scripts/edit-loop-bench.sh [runs]     (default 3; prints each run and the median)
#
# Each run appends one comment line to definitions/Apps.swift (its digest changes, so the
# Fleet target recompiles, oceanid-gen relinks and the compile shortcut cannot answer), then
# times: the dependency check (scripts/deps.sh build), `swift build --product oceanid-gen`
# (the CompiledSources plugin, the Fleet target, the link) and `oceanid-gen build` (compile
# the fleet, emit, write). The file is restored and the tool rebuilt afterwards, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
file=definitions/Apps.swift
backup="$(mktemp)"
cp "$file" "$backup"
restore() {
  cp "$backup" "$file"
  rm -f "$backup"
  swift build -q --product oceanid-gen >/dev/null 2>&1 || true
  .build/debug/oceanid-gen build >/dev/null 2>&1 || true
}
trap restore EXIT
now() { date +%s.%N; }
# Warm: the tool is built and the tree up to date before the first edit.
swift build -q --product oceanid-gen >/dev/null
.build/debug/oceanid-gen build >/dev/null 2>&1
results=()
for run in $(seq 1 "$runs"); do
  echo "// edit-loop-bench $run $(now)" >>"$file"
  t0=$(now)
  scripts/deps.sh build
  t1=$(now)
  swift build -q --product oceanid-gen >/dev/null
  t2=$(now)
  .build/debug/oceanid-gen build >/dev/null 2>&1
  t3=$(now)
  line=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" \
    'BEGIN { printf "%.2f %.2f %.2f %.2f", b - a, c - b, d - c, d - a }')
  results+=("$line")
  read -r deps swiftbuild gen total <<<"$line"
  printf 'edit loop run %d: deps %ss, swift build %ss, oceanid-gen build %ss, total %ss\n' \
    "$run" "$deps" "$swiftbuild" "$gen" "$total"
  cp "$backup" "$file"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for i in 1 2 3 4; do
  m[i]=$(printf '%s\n' "${results[@]}" | awk -v k="$i" '{ print $k }' | median)
done
printf 'edit loop median of %d: deps %ss, swift build %ss, oceanid-gen build %ss, total %ss (goal: 1 s)\n' \
  "$runs" "${m[1]}" "${m[2]}" "${m[3]}" "${m[4]}"

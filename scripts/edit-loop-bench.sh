#!/usr/bin/env bash
# The edit loop people live in, end to end: a one-line edit of definitions/ to regenerated
# output (what `make build` runs), timed per phase and in total. Run by `make bench`.
#
#   scripts/edit-loop-bench.sh [runs]     (default 3; prints each run and the median)
#
# Each run appends one comment line to definitions/Apps.swift (its digest changes, so the
# definitions recompile and the compile shortcut cannot answer), then times (wall clock and CPU):
# the dependency check (scripts/deps.sh build), building the tool (scripts/build-tool: the live
# fleet library when only definitions/ changed, as here after the warm-up; `swift build --product
# oceanid-gen` otherwise, and always with OCEANID_FULL_BUILD=1, which measures the loop without
# the library) and `oceanid-gen build` (compile the fleet, emit, write). The file is restored and
# the tool rebuilt afterwards, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
file=definitions/Apps.swift
backup="$(mktemp)"
cp "$file" "$backup"
restore() {
  cp "$backup" "$file"
  rm -f "$backup"
  scripts/build-tool >/dev/null 2>&1 || true
  .build/debug/oceanid-gen build >/dev/null 2>&1 || true
}
trap restore EXIT
# Each phase is timed by bash's `time`: wall clock, and CPU (user + system of the phase's
# processes), which a machine shared with other builds inflates far less than the wall clock.
TIMEFORMAT='%R %U %S'
timed() { # timed <command...>: prints "<wall> <cpu>"
  local out
  out="$({ time "$@" >/dev/null 2>&1; } 2>&1)" || { echo "edit-loop-bench: failed: $*" >&2; return 1; }
  awk '{ printf "%.2f %.2f", $1, $2 + $3 }' <<<"$out"
}
# Warm: the tool is built (a full build when anything but definitions/ changed), the live
# library's objects compiled (one edit, undone) and the tree up to date before the first edit.
scripts/build-tool >/dev/null
echo "// edit-loop-bench warm-up" >>"$file"
scripts/build-tool >/dev/null
cp "$backup" "$file"
scripts/build-tool >/dev/null
.build/debug/oceanid-gen build >/dev/null 2>&1
results=()
for run in $(seq 1 "$runs"); do
  echo "// edit-loop-bench $run $(date +%s.%N)" >>"$file"
  read -r dw dc <<<"$(timed scripts/deps.sh build)"
  read -r sw sc <<<"$(timed scripts/build-tool)"
  read -r gw gc <<<"$(timed .build/debug/oceanid-gen build)"
  line=$(awk -v a="$dw" -v b="$sw" -v c="$gw" -v d="$dc" -v e="$sc" -v f="$gc" \
    'BEGIN { printf "%.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f", a, b, c, a + b + c, d, e, f, d + e + f }')
  results+=("$line")
  read -r deps swiftbuild gen total cdeps cswift cgen ctotal <<<"$line"
  printf 'edit loop run %d: deps %ss, build tool %ss, oceanid-gen build %ss, total %ss' \
    "$run" "$deps" "$swiftbuild" "$gen" "$total"
  printf ' (CPU %ss + %ss + %ss = %ss)\n' "$cdeps" "$cswift" "$cgen" "$ctotal"
  cp "$backup" "$file"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for i in 1 2 3 4 5 6 7 8; do
  m[i]=$(printf '%s\n' "${results[@]}" | awk -v k="$i" '{ print $k }' | median)
done
printf 'edit loop median of %d: deps %ss, build tool %ss, oceanid-gen build %ss, total %ss (goal: 1 s)\n' \
  "$runs" "${m[1]}" "${m[2]}" "${m[3]}" "${m[4]}"
printf 'CPU median of %d: deps %ss, build tool %ss, oceanid-gen build %ss, total %ss\n' \
  "$runs" "${m[5]}" "${m[6]}" "${m[7]}" "${m[8]}"

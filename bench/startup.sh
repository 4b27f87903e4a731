#!/usr/bin/env bash
# Start-up time of the nabla command, JIT build against the Native AOT builds: the median wall time of N runs
# (default 10) of a small command, after one untimed run, on a quiet machine (see /proc/loadavg).
#
#   bash bench/startup.sh [-n RUNS] [--no-build]
#
# Builds the JIT CLI (src/Nabla.Cli, Release) and the native builds (tools/publish-native.sh into out/native)
# unless --no-build is given.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=10; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: bash bench/startup.sh [-n RUNS] [--no-build]" >&2; exit 2 ;;
  esac
done
if [ $build = 1 ]; then
  dotnet build "$root/src/Nabla.Cli" -c Release -v quiet -nologo >/dev/null
  "$root/tools/publish-native.sh" "$root/out/native" >/dev/null
fi
jit="$root/src/Nabla.Cli/bin/Release/net10.0/nabla"
native="$root/out/native"
for f in "$jit" "$native/x86-64-v3/nabla" "$native/x86-64-v2/nabla"; do
  [ -x "$f" ] || { echo "missing $f (run without --no-build)" >&2; exit 3; }
done

# Median wall time in milliseconds of $runs runs of "$@" (output discarded; a failing run stops the script).
median_ms() {
  "$@" >/dev/null
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}'
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg); median of $runs runs, wall time in ms"
printf '%-34s %10s %10s %10s\n' command JIT AOT-v3 AOT-v2
for cmd in 'grad x*y+sin(x) --at x=1,y=2' 'example toy-model --json' 'train --dataset moons --epochs 50'; do
  read -ra args <<<"$cmd"
  printf '%-34s %10s %10s %10s\n' "$cmd" "$(median_ms "$jit" "${args[@]}")" \
    "$(median_ms "$native/x86-64-v3/nabla" "${args[@]}")" "$(median_ms "$native/x86-64-v2/nabla" "${args[@]}")"
done

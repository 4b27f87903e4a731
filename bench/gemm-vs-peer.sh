#!/bin/sh
# W5 against its peer, alternately, in one session: ROUNDS × (numpy/OpenBLAS, then Nabla on all cores and on one).
# Prints the 1-minute load average before each program, since these machines are shared.
# The peer is found in shared/bench beside the repository (../shared/bench from the repository root, or further up
# for a git worktree; override with NABLA_PEERS=DIR). bench/compare.sh runs every workload this way.
# Usage: bench/gemm-vs-peer.sh [ROUNDS] [OUTDIR]   (build first: dotnet build -c Release bench/Nabla.Benchmarks)
set -e
rounds=${1:-2}; out=${2:-/tmp/gemm-vs-peer}
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
peers=${NABLA_PEERS:-}
if [ -z "$peers" ]; then
  dir=$(dirname "$root")
  while [ "$dir" != "/" ]; do
    if [ -d "$dir/shared/bench" ]; then peers="$dir/shared/bench"; break; fi
    dir=$(dirname "$dir")
  done
fi
[ -f "$peers/gemm.py" ] || { echo "no gemm.py in ${peers:-../shared/bench}: shared/bench must sit beside the repository (or set NABLA_PEERS=DIR)" >&2; exit 1; }
mkdir -p "$out"
for i in $(seq 1 "$rounds"); do
  echo "round $i peer  $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/python3 "$peers/gemm.py" --libs numpy > "$out/peer$i.txt" 2>&1
  grep "RESULT name=gemm " "$out/peer$i.txt"
  echo "round $i nabla $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  dotnet "$here/Nabla.Benchmarks/bin/Release/net10.0/Nabla.Benchmarks.dll" gemm --threads both > "$out/nabla$i.txt" 2>&1
  grep "RESULT name=gemm_nabla " "$out/nabla$i.txt"
done

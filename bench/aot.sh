#!/usr/bin/env bash
# W3 (MLP 784-512-256-10) and W7 (MLP 30-64-64-1, batch 32) in the JIT build against Native AOT builds of the
# workloads, x86-64-v3 (the AVX2/FMA kernels the CLI's launcher picks on such CPUs) and x86-64-v2 (no AVX).
# Run it on a quiet machine (see /proc/loadavg): it prints each workload's RESULT lines per build.
#
#   bash bench/aot.sh [float32|float64] [--no-build]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dtype=float32; build=1
for a in "$@"; do
  case "$a" in
    float32|float64) dtype=$a ;;
    --no-build) build=0 ;;
    *) echo "usage: bash bench/aot.sh [float32|float64] [--no-build]" >&2; exit 2 ;;
  esac
done
out="$root/out/bench-aot"
if [ $build = 1 ]; then
  dotnet build "$root/bench/Nabla.Benchmarks" -c Release -v quiet -nologo >/dev/null
  for isa in x86-64-v3 x86-64-v2; do
    # BenchmarkDotNet itself is not AOT-clean; its warnings concern the micro-benchmark runner, which the
    # whole-program workloads below do not use, so they must not fail this build.
    dotnet publish "$root/bench/Nabla.Benchmarks" -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet=$isa \
      -p:TreatWarningsAsErrors=false -p:NoWarn=IL2104%3BIL3053%3BIL2026%3BIL3050 -o "$out/$isa" -v quiet -nologo >/dev/null
  done
fi
jit=(dotnet "$root/bench/Nabla.Benchmarks/bin/Release/net10.0/Nabla.Benchmarks.dll")
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in "small $dtype" "mlp $dtype"; do
  read -ra args <<<"$w"
  for build_name in JIT x86-64-v3 x86-64-v2; do
    if [ $build_name = JIT ]; then cmd=("${jit[@]}"); else cmd=("$out/$build_name/Nabla.Benchmarks"); fi
    echo "== ${args[*]} ($build_name)"
    "${cmd[@]}" "${args[@]}" | grep -E 'RESULT|samples/s|GFLOP' || true
  done
done

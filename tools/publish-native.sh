#!/usr/bin/env bash
# Publishes nabla as Native AOT binaries for linux-x64, twice: one for x86-64-v3 CPUs (AVX2 and FMA, which the
# matrix and element-wise kernels use) and one for x86-64-v2 (SSE4.2, any x86-64 CPU since about 2009). Native AOT
# fixes the instruction set at compile time — AVX cannot be a run-time check there — so one binary cannot both use
# AVX2 and run without it. The `nabla` launcher written beside them picks the build this CPU can run.
#
#   tools/publish-native.sh [OUTDIR]        (default out/native; then run OUTDIR/nabla)
#
# NABLA_ISA=x86-64-v2 (or x86-64-v3) in the environment makes the launcher use that build regardless of the CPU.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-out/native}
mkdir -p "$out"
out=$(cd "$out" && pwd)

for isa in x86-64-v3 x86-64-v2; do
  # A fresh folder per build, renamed into place only when the publish succeeded.
  rm -rf "$out/$isa.tmp"
  dotnet publish "$root/src/Nabla.Cli" -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet=$isa \
    -o "$out/$isa.tmp" -v quiet -nologo
  rm -rf "$out/$isa"
  mv "$out/$isa.tmp" "$out/$isa"
done

cat > "$out/nabla.tmp" <<'LAUNCHER'
#!/bin/sh
# Runs the nabla build this CPU supports: x86-64-v3 (AVX2 and FMA kernels) when it has both, x86-64-v2 otherwise.
here=$(dirname "$(readlink -f "$0")")
isa=${NABLA_ISA:-}
if [ -z "$isa" ]; then
  isa=x86-64-v2
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  case " $flags " in *" avx2 "*) case " $flags " in *" fma "*) isa=x86-64-v3 ;; esac ;; esac
fi
if [ ! -x "$here/$isa/nabla" ]; then
  echo "error: NABLA_ISA must be x86-64-v3 or x86-64-v2, not '$isa'" >&2
  exit 2
fi
exec "$here/$isa/nabla" "$@"
LAUNCHER
chmod +x "$out/nabla.tmp"
mv "$out/nabla.tmp" "$out/nabla"
echo "published $out/nabla (builds: $out/x86-64-v3, $out/x86-64-v2)"

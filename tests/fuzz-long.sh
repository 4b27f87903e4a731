#!/usr/bin/env bash
# The before-release fuzz run: every fuzz test with N times its CI count (default 50) and a fresh seed, under a 2 GiB
# heap (so an input that needs more memory fails as out-of-memory instead of passing on a large machine), then the
# figures (inputs tried, clean errors, escapes, wrong results, slow inputs) of each generator.
#   tests/fuzz-long.sh [multiplier] [seed] [test filter, e.g. FullyQualifiedName~LanguageFuzzTests]
set -uo pipefail
cd "$(dirname "$0")/.."
multiplier=${1:-50}
seed=${2:-$(date +%s)}
filter=${3:-}
report=$(mktemp)
echo "fuzzing with NABLA_FUZZ_LONG=$multiplier NABLA_FUZZ_SEED=$seed${filter:+ filter $filter}"
DOTNET_GCHeapHardLimit=${DOTNET_GCHeapHardLimit:-0x80000000} NABLA_FUZZ_LONG=$multiplier NABLA_FUZZ_SEED=$seed NABLA_FUZZ_REPORT=$report \
  dotnet test tests/Nabla.Tests -c Release --filter "Category=Fuzz${filter:+&$filter}" --logger "console;verbosity=minimal"
status=$?
echo
echo "figures (a run that stops at a failure reports the generators finished before it):"
cat "$report"
rm -f "$report"
exit $status

#!/usr/bin/env bash
# Nabla against its peers, side by side: builds bench/Nabla.Benchmarks in Release, then runs each Nabla workload and
# its peers alternately (peers, Nabla, peers, Nabla, ...), PAIRS times, and prints a Markdown table of medians,
# ratios and targets, the peak RSS of both sides, and one machine-readable line per comparison:
#   RATIO workload=W3-float32 peer=numpy peer_median=... nabla_median=... ratio=... target=... met=yes|no
# Peers: NumPy and PyTorch scripts in shared/bench beside the repository (../shared/bench from the repository root,
# or further up for a git worktree; override with NABLA_PEERS=DIR), and the TorchSharp program shared/bench/torchsharp,
# built in a writable copy (NABLA_TORCHSHARP=DIR, default peers/torchsharp beside shared/; copied there and built with
# `dotnet build -c Release` when absent: the first restore downloads libtorch, about 300 MB). Nothing is installed: a
# missing peer is reported with the reason and the command that provides it, its rows are skipped, and the script
# exits with status 3 at the end, so a table without a requested peer never passes for a complete one.
#
# Usage: bench/compare.sh [-p PAIRS] [-o OUTDIR] [-w W1,W2,W3,W5,W6,W7,W8,W9,W10,W11] [--peers numpy,torch,torchsharp] [--no-build]
#   PAIRS (default 3): peer/Nabla pairs per workload.  OUTDIR (default /tmp/nabla-compare): every run's output.
#   --peers: which peers to run and require (default all three).
set -euo pipefail

pairs=3; out=/tmp/nabla-compare; only="W1,W2,W3,W5,W6,W7,W8,W9,W10,W11"; build=1; peer_list="numpy,torch,torchsharp"
while [ $# -gt 0 ]; do
  case "$1" in
    -p) pairs=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    -w) only=$2; shift 2 ;;
    --peers) peer_list=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${NABLA_PEERS:-}
if [ -z "$peers" ]; then
  dir=$(dirname "$root")
  while [ "$dir" != "/" ]; do
    if [ -d "$dir/shared/bench" ]; then peers="$dir/shared/bench"; break; fi
    dir=$(dirname "$dir")
  done
  peers=${peers:-$(dirname "$root")/shared/bench}
fi
py=/usr/bin/python3
dll="$root/bench/Nabla.Benchmarks/bin/Release/net10.0/Nabla.Benchmarks.dll"
mkdir -p "$out"
want() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
wantpeer() { case ",$peer_list," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
missing=()   # "peer (workloads): reason" for every requested peer that could not run
# need PEER WORKLOAD...: records PEER as missing when one of the given workloads was requested
need() { local p=$1 w ws=""; shift; for w in "$@"; do want "$w" && ws="$ws $w"; done; [ -n "$ws" ] && wantpeer "$p" && missing+=("$p (${ws# }): $reason"); return 0; }

# ---- what is available ---------------------------------------------------------------------------------------
setup_hint="apt-get update && apt-get install -y python3-numpy python3-torch libopenblas0-pthread"
have_numpy=0; have_torch=0; have_torchsharp=0
if [ ! -d "$peers" ]; then
  reason="no directory $peers (shared/bench must sit beside the repository; or set NABLA_PEERS=DIR)"
  echo "MISSING peers: $reason"
  need numpy W1 W3 W5; need torch W3 W6 W7 W8 W9 W10 W11
elif [ ! -x "$py" ]; then
  reason="$py not found; install Debian's Python with: $setup_hint"
  echo "MISSING peer runtime: $reason"
  need numpy W1 W3 W5; need torch W3 W6 W7 W8 W9 W10 W11
else
  reason="python3 cannot import numpy; $setup_hint"
  if ! wantpeer numpy; then :; elif "$py" -c "import numpy" 2>/dev/null; then have_numpy=1; else echo "MISSING peer numpy (W1, W3, W5): $reason"; need numpy W1 W3 W5; fi
  reason="python3 cannot import torch; $setup_hint"
  if ! wantpeer torch; then :; elif "$py" -c "import torch" 2>/dev/null; then have_torch=1; else echo "MISSING peer torch (W3, W6, W7, W8, W9, W10, W11): $reason"; need torch W3 W6 W7 W8 W9 W10 W11; fi
  if [ $have_numpy = 1 ] && ! ls /usr/lib/*/openblas-pthread/libopenblas.so* >/dev/null 2>&1; then
    echo "WARNING: libopenblas0-pthread not found; numpy/torch would use the reference BLAS (~35x slower at matmul), flattering Nabla: $setup_hint"
  fi
fi
if [ -x /usr/bin/time ]; then timer=gnu; else
  timer=proc; echo "NOTE: /usr/bin/time not found (apt-get install -y time); peak RSS is read from /proc/<pid>/status VmHWM instead"
fi

# TorchSharp: a C# program built in a writable copy (shared/ may be read-only, and its build writes ~1 GB of bin/).
ts_dir=${NABLA_TORCHSHARP:-$(dirname "$(dirname "$peers")")/peers/torchsharp}
ts_dll="$ts_dir/bin/Release/net10.0/TorchSharpPeer.dll"
if wantpeer torchsharp && { want W3 || want W6 || want W7 || want W8 || want W10; }; then
  reason=""
  if [ ! -f "$ts_dir/TorchSharpPeer.csproj" ]; then
    if [ ! -f "$peers/torchsharp/TorchSharpPeer.csproj" ]; then reason="no $peers/torchsharp to build from"
    elif ! mkdir -p "$(dirname "$ts_dir")" 2>/dev/null || ! cp -r "$peers/torchsharp" "$ts_dir" 2>/dev/null; then
      reason="cannot copy $peers/torchsharp to $ts_dir (set NABLA_TORCHSHARP to a writable folder)"
    else echo "copied the TorchSharp peer to $ts_dir"; fi
  fi
  if [ -z "$reason" ] && { [ $build = 1 ] || [ ! -f "$ts_dll" ]; }; then
    echo "building the TorchSharp peer in $ts_dir (the first restore downloads about 300 MB)..."
    if ! (cd "$ts_dir" && dotnet build -c Release -v quiet -nologo) > "$out/torchsharp-build.txt" 2>&1; then
      reason="dotnet build failed in $ts_dir; see $out/torchsharp-build.txt (NuGet must reach TorchSharp-cpu 0.107.0)"
    fi
  fi
  [ -z "$reason" ] && [ ! -f "$ts_dll" ] && reason="no $ts_dll after the build"
  if [ -z "$reason" ]; then have_torchsharp=1
  else echo "MISSING peer torchsharp (W3, W6, W7, W8, W10): $reason"; need torchsharp W3 W6 W7 W8 W10; fi
fi

if [ $build = 1 ]; then
  echo "building bench/Nabla.Benchmarks (Release)..."
  dotnet build -c Release "$root/bench/Nabla.Benchmarks" -v quiet -nologo > "$out/build.txt" 2>&1 || { cat "$out/build.txt"; exit 1; }
fi
[ -f "$dll" ] || { echo "no $dll: build with dotnet build -c Release bench/Nabla.Benchmarks" >&2; exit 1; }

# ---- running ---------------------------------------------------------------------------------------------------
# run KEY I CMD...: stdout+stderr to $out/KEY.I.txt, peak RSS (kB) to $out/KEY.I.rss, 1-minute load to $out/KEY.I.load
run() {
  local key=$1 i=$2; shift 2
  cut -d' ' -f1 /proc/loadavg > "$out/$key.$i.load"
  if [ $timer = gnu ]; then
    /usr/bin/time -f %M -o "$out/$key.$i.rss" "$@" > "$out/$key.$i.txt" 2>&1 || echo "  ($key run $i exited with $?; see $out/$key.$i.txt)"
  else
    "$@" > "$out/$key.$i.txt" 2>&1 & local pid=$! hwm=0 v
    while kill -0 $pid 2>/dev/null; do
      v=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || true); [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      sleep 0.05
    done
    wait $pid || echo "  ($key run $i exited with $?; see $out/$key.$i.txt)"
    echo $hwm > "$out/$key.$i.rss"
  fi
}
# field KEY I NAME FIELD: FIELD=value from the RESULT name=NAME line of run I
field() { sed -nE "s/^RESULT name=$3 (.* )?$4=([^ ]*).*/\2/p" "$out/$1.$2.txt" 2>/dev/null | head -1; }
# gap KEY1 NAME1 KEY2 NAME2 FIELD: |FIELD of run 1 of KEY1 - the same of KEY2| (%.2g), or NA when either is absent
gap() {
  local a b; a=$(field "$1" 1 "$2" "$5"); b=$(field "$3" 1 "$4" "$5")
  if [ -z "$a" ] || [ -z "$b" ]; then echo NA; else awk -v a="$a" -v b="$b" 'BEGIN {d = a - b; if (d < 0) d = -d; printf "%.2g", d}'; fi
}
# within DIFF TOLERANCE: "met" or "not met"
within() { awk -v d="$1" -v t="$2" 'BEGIN {print (d != "NA" && d <= t) ? "met" : "not met"}'; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# collect KEY NAME FIELD: the median of FIELD over the pairs
collect() { for i in $(seq 1 "$pairs"); do field "$1" "$i" "$2" "$3"; done | grep -v '^$' | median; }
rss() { for i in $(seq 1 "$pairs"); do cat "$out/$1.$i.rss" 2>/dev/null; done | median; }
loads() { for i in $(seq 1 "$pairs"); do cat "$out/$1.$i.load" 2>/dev/null; done | tr '\n' ' ' | sed 's/ $//'; }

rows=(); ratios=()
# row WORKLOAD PEER PEER_MEDIAN NABLA_MEDIAN UNIT HIGHER_IS_BETTER TARGET PEER_RSS NABLA_RSS NOTE
row() {
  local w=$1 p=$2 pm=$3 nm=$4 unit=$5 hib=$6 target=$7 prss=$8 nrss=$9 note=${10}
  local ratio met
  if [ "$pm" = NA ] || [ "$nm" = NA ]; then ratio=NA; met=no
  else
    ratio=$(awk -v p="$pm" -v n="$nm" -v h="$hib" 'BEGIN {printf "%.2f", h ? n/p : p/n}')
    if [ "$target" = "-" ]; then met=-; else met=$(awk -v r="$ratio" -v t="$target" 'BEGIN {print (r >= t) ? "yes" : "no"}'); fi
  fi
  rows+=("| $w | $p | $pm $unit | $nm $unit | ${ratio}× | $( [ "$target" = - ] && echo "—" || echo "≥ ${target}×" ) | $met | $prss | $nrss | $note |")
  ratios+=("RATIO workload=$w peer=${p// /_} peer_median=$pm nabla_median=$nm ratio=$ratio target=$target met=$met")
}
mb() { [ "$1" = NA ] && echo NA || awk -v k="$1" 'BEGIN {printf "%.0f MB", k/1024}'; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; pairs=$pairs; output in $out; loads before each run are recorded"

if want W1 && [ $have_numpy = 1 ]; then
  echo "W1 sigmoid..."
  for i in $(seq 1 "$pairs"); do
    run w1-peer "$i" "$py" "$peers/seed_sigmoid_numpy.py" --json "$out/w1-peer.json"
    run w1-nabla "$i" dotnet "$dll" sigmoid --check "$out/w1-peer.json"
  done
  match=$(sed -n 's/.*weights_match=\([a-z]*\).*/\1/p' "$out/w1-nabla.1.txt")
  row W1-sigmoid numpy "$(collect w1-peer seed_sigmoid_numpy us_per_iter)" "$(collect w1-nabla nabla_sigmoid us_per_iter)" "µs/iter" 0 20 \
    "$(mb "$(rss w1-peer)")" "$(mb "$(rss w1-nabla)")" "final weights equal to 1e-12: $match; loads peer $(loads w1-peer) / Nabla $(loads w1-nabla)"
fi

if want W2; then
  echo "W2 moons (micrograd is not installed: its recorded 112.7 s is the peer)..."
  for i in $(seq 1 "$pairs"); do run w2-nabla "$i" dotnet "$dll" moons --peers "$peers"; done
  match=$(sed -n 's/.*loss_curve_match=\([a-z]*\).*/\1/p' "$out/w2-nabla.1.txt")
  row W2-moons "micrograd (recorded)" 112.7 "$(collect w2-nabla nabla_moons seconds)" s 0 200 "—" "$(mb "$(rss w2-nabla)")" \
    "peer not run: figure recorded on a 2-core Zen 3; loss curve equal to 1e-9: ${match:-no}; loads $(loads w2-nabla)"
fi

if want W3 && { [ $have_numpy = 1 ] || [ $have_torch = 1 ] || [ $have_torchsharp = 1 ]; }; then
  for dt in float32 float64; do
    echo "W3/W4 mlp $dt..."
    for i in $(seq 1 "$pairs"); do
      [ $have_torch = 1 ] && run "w3-torch-$dt" "$i" env OMP_WAIT_POLICY=passive "$py" "$peers/torch_mlp.py" "$dt" 2
      [ $have_numpy = 1 ] && run "w3-numpy-$dt" "$i" "$py" "$peers/numpy_mlp.py" "$dt"
      [ $have_torchsharp = 1 ] && run "w3-torchsharp-$dt" "$i" env OMP_WAIT_POLICY=passive dotnet "$ts_dll" mlp "$dt" 2
      run "w3-nabla-$dt" "$i" dotnet "$dll" mlp "$dt"
    done
    nm=$(collect "w3-nabla-$dt" "nabla_mlp_$dt" samples_per_s); nrss=$(rss "w3-nabla-$dt")
    loss=$(field "w3-nabla-$dt" 1 "nabla_mlp_$dt" full_loss)
    extra="Nabla $(collect "w3-nabla-$dt" "nabla_mlp_$dt" gflops) GFLOP/s, $(collect "w3-nabla-$dt" "nabla_mlp_$dt" step_alloc_bytes) B/step"
    for p in torch numpy torchsharp; do
      eval "have=\$have_$p"; [ "$have" = 1 ] || continue
      row "W3-$dt" "$p" "$(collect "w3-$p-$dt" "${p}_mlp_$dt" samples_per_s)" "$nm" "samples/s" 1 1.2 \
        "$(mb "$(rss "w3-$p-$dt")")" "$(mb "$nrss")" "full loss after epoch: peer $(field "w3-$p-$dt" 1 "${p}_mlp_$dt" full_loss), Nabla $loss; $extra; loads peer $(loads "w3-$p-$dt") / Nabla $(loads "w3-nabla-$dt")"
    done
    if [ $have_numpy = 1 ]; then
      row "W3-$dt-memory" numpy "$(rss "w3-numpy-$dt")" "$nrss" "kB peak RSS" 0 1 "$(mb "$(rss "w3-numpy-$dt")")" "$(mb "$nrss")" "ratio = numpy's peak RSS / Nabla's"
    fi
  done
fi

if want W5 && [ $have_numpy = 1 ]; then
  echo "W5 gemm..."
  for i in $(seq 1 "$pairs"); do
    run w5-peer "$i" "$py" "$peers/gemm.py" --libs numpy
    run w5-peer1t "$i" env OPENBLAS_NUM_THREADS=1 "$py" "$peers/gemm.py" --libs numpy
    run w5-nabla "$i" dotnet "$dll" gemm --threads both
  done
  for dt in float32 float64; do
    for n in 256 512 1024 2048; do
      target=0.8; [ "$n" -lt 512 ] && target=-
      row "W5-$dt-n$n" "OpenBLAS 2 threads" "$(collect w5-peer "gemm_numpy_${dt}_n$n" gflops)" "$(collect w5-nabla "gemm_nabla_${dt}_n$n" gflops)" GFLOP/s 1 "$target" \
        "$(mb "$(rss w5-peer)")" "$(mb "$(rss w5-nabla)")" "both cores; loads $(loads w5-nabla)"
      row "W5-$dt-n$n-1core" "OpenBLAS 1 thread" "$(collect w5-peer1t "gemm_numpy_${dt}_n$n" gflops)" "$(collect w5-nabla "gemm_nabla1t_${dt}_n$n" gflops)" GFLOP/s 1 - \
        "$(mb "$(rss w5-peer1t)")" "—" "single core (Gemm.MaxThreads = 1, OPENBLAS_NUM_THREADS=1)"
    done
  done
fi

if want W6 && { [ $have_torch = 1 ] || [ $have_torchsharp = 1 ]; }; then
  echo "W6 toy..."
  for i in $(seq 1 "$pairs"); do
    [ $have_torch = 1 ] && run w6-torch "$i" env OMP_WAIT_POLICY=passive "$py" "$peers/torch_scalar_graph.py" float64 100000
    [ $have_torchsharp = 1 ] && run w6-torchsharp "$i" env OMP_WAIT_POLICY=passive dotnet "$ts_dll" toy float64 100000
    run w6-nabla "$i" dotnet "$dll" toy 100000
  done
  for p in torch torchsharp; do
    eval "have=\$have_$p"; [ "$have" = 1 ] || continue
    label="PyTorch 0-d tensors"; [ $p = torchsharp ] && label="TorchSharp 0-d tensors"
    row W6-toy "$label" "$(collect "w6-$p" "${p}_scalar_graph_float64" us_per_fwd_bwd)" "$(collect w6-nabla nabla_toy us_per_fwd_bwd)" "µs" 0 100 \
      "$(mb "$(rss "w6-$p")")" "$(mb "$(rss w6-nabla)")" "forward + backward; loads peer $(loads "w6-$p") / Nabla $(loads w6-nabla)"
  done
fi

if want W7 && { [ $have_torch = 1 ] || [ $have_torchsharp = 1 ]; }; then
  for dt in float32 float64; do
    echo "W7 small mlp $dt..."
    for i in $(seq 1 "$pairs"); do
      [ $have_torch = 1 ] && run "w7-torch-$dt" "$i" env OMP_WAIT_POLICY=passive "$py" "$peers/torch_small_mlp.py" "$dt" 1
      [ $have_torchsharp = 1 ] && run "w7-torchsharp-$dt" "$i" env OMP_WAIT_POLICY=passive dotnet "$ts_dll" small "$dt" 1
      run "w7-nabla-$dt" "$i" dotnet "$dll" small "$dt"
    done
    nm=$(collect "w7-nabla-$dt" "nabla_small_mlp_$dt" samples_per_s)
    loss=$(field "w7-nabla-$dt" 1 "nabla_small_mlp_$dt" epoch_mean_loss)
    for p in torch torchsharp; do
      eval "have=\$have_$p"; [ "$have" = 1 ] || continue
      target=2; [ $p = torchsharp ] && target=-
      row "W7-$dt" "$p" "$(collect "w7-$p-$dt" "${p}_small_mlp_$dt" samples_per_s)" "$nm" "samples/s" 1 "$target" \
        "$(mb "$(rss "w7-$p-$dt")")" "$(mb "$(rss "w7-nabla-$dt")")" "epoch mean loss: peer $(field "w7-$p-$dt" 1 "${p}_small_mlp_$dt" epoch_mean_loss), Nabla $loss; Nabla $(collect "w7-nabla-$dt" "nabla_small_mlp_$dt" step_alloc_bytes) B/step; loads peer $(loads "w7-$p-$dt") / Nabla $(loads "w7-nabla-$dt")"
    done
  done
fi

if want W8 && { [ $have_torch = 1 ] || [ $have_torchsharp = 1 ]; }; then
  echo "W8 LeNet-5-shaped conv net float32..."
  for i in $(seq 1 "$pairs"); do
    [ $have_torch = 1 ] && run w8-torch "$i" env OMP_WAIT_POLICY=passive "$py" "$peers/torch_conv.py" float32 2
    [ $have_torchsharp = 1 ] && run w8-torchsharp "$i" env OMP_WAIT_POLICY=passive dotnet "$ts_dll" conv float32 2
    run w8-nabla "$i" dotnet "$dll" conv float32
  done
  nm=$(collect w8-nabla nabla_conv_float32 samples_per_s); nrss=$(rss w8-nabla)
  # lossdiff KEY NAME FIELDS...: the largest difference of the given loss fields between the peer's first run and Nabla's
  lossdiff() {
    local key=$1 name=$2 a b d worst=0 f; shift 2
    for f in "$@"; do
      a=$(field "$key" 1 "$name" "$f"); b=$(field w8-nabla 1 nabla_conv_float32 "$f")
      if [ -z "$a" ] || [ -z "$b" ]; then echo NA; return; fi
      d=$(awk -v a="$a" -v b="$b" 'BEGIN {d = a - b; if (d < 0) d = -d; printf "%.2g", d}')
      worst=$(awk -v w="$worst" -v d="$d" 'BEGIN {print (d > w) ? d : w}')
    done
    echo "$worst"
  }
  best=0
  for p in torch torchsharp; do
    eval "have=\$have_$p"; [ "$have" = 1 ] || continue
    pm=$(collect "w8-$p" "${p}_conv_float32" samples_per_s)
    [ "$pm" != NA ] && best=$(awk -v b="$best" -v p="$pm" 'BEGIN {print (p > b) ? p : b}')
    diff=$(lossdiff "w8-$p" "${p}_conv_float32" epoch_mean_loss full_loss)
    last=$(lossdiff "w8-$p" "${p}_conv_float32" final_batch_loss)
    row "W8-float32" "$p" "$pm" "$nm" "samples/s" 1 - "$(mb "$(rss "w8-$p")")" "$(mb "$nrss")" \
      "epoch-mean and full-data losses differ by at most $diff (target 1e-4: $(awk -v d="$diff" 'BEGIN {print (d != "NA" && d <= 1e-4) ? "met" : "not met"}')), final batch by $last (float32 rounding drift over 157 steps; see bench/README.md); Nabla $(collect w8-nabla nabla_conv_float32 step_alloc_bytes) B/step; loads peer $(loads "w8-$p") / Nabla $(loads w8-nabla)"
  done
  [ "$best" != 0 ] && row "W8-float32" "faster peer" "$best" "$nm" "samples/s" 1 1.0 "—" "$(mb "$nrss")" "target: at least the faster of PyTorch and TorchSharp"
  if [ $have_torch = 1 ]; then
    row "W8-float32-memory" torch "$(rss w8-torch)" "$nrss" "kB peak RSS" 0 1 "$(mb "$(rss w8-torch)")" "$(mb "$nrss")" "ratio = PyTorch's peak RSS / Nabla's (target: Nabla's at most PyTorch's)"
  fi
fi

if want W9 && [ $have_torch = 1 ]; then
  echo "W9 trainer..."
  for i in $(seq 1 "$pairs"); do
    run "w9-torch" "$i" env OMP_WAIT_POLICY=passive "$py" "$root/bench/peers/torch_trainer.py"
    run "w9-nabla" "$i" dotnet "$dll" trainer
  done
  row W9-trainer torch "$(collect w9-torch torch_trainer ms_per_epoch)" "$(collect w9-nabla nabla_trainer ms_per_epoch)" "ms/epoch" 0 1 \
    "$(mb "$(rss w9-torch)")" "$(mb "$(rss w9-nabla)")" "nabla train's defaults, 150 rows, 100 epochs: whole run peer $(collect w9-torch torch_trainer seconds) s, Nabla $(collect w9-nabla nabla_trainer seconds) s; Nabla $(collect w9-nabla nabla_trainer epoch_alloc_bytes) B/epoch; loads peer $(loads w9-torch) / Nabla $(loads w9-nabla)"
fi

if want W10 && { [ $have_torch = 1 ] || [ $have_torchsharp = 1 ]; }; then
  echo "W10 tiny GPT float32..."
  for i in $(seq 1 "$pairs"); do
    [ $have_torch = 1 ] && run w10-torch "$i" env OMP_WAIT_POLICY=passive "$py" "$peers/torch_gpt.py" float32 2
    [ $have_torchsharp = 1 ] && run w10-torchsharp "$i" env OMP_WAIT_POLICY=passive dotnet "$ts_dll" gpt float32 2
    run w10-nabla "$i" dotnet "$dll" gpt float32 2
  done
  nm=$(collect w10-nabla nabla_gpt_float32 tokens_per_s); nrss=$(rss w10-nabla); best=0
  for p in torch torchsharp; do
    eval "have=\$have_$p"; [ "$have" = 1 ] || continue
    name=W10; [ $p = torchsharp ] && name=torchsharp_W10
    pm=$(collect "w10-$p" "$name" tokens_per_s)
    [ "$pm" != NA ] && best=$(awk -v b="$best" -v p="$pm" 'BEGIN {print (p > b) ? p : b}')
    first=$(gap "w10-$p" "$name" w10-nabla nabla_gpt_float32 loss_first); last=$(gap "w10-$p" "$name" w10-nabla nabla_gpt_float32 loss_last)
    row "W10-float32" "$p" "$pm" "$nm" "tokens/s" 1 - "$(mb "$(rss "w10-$p")")" "$(mb "$nrss")" \
      "loss at step 1 differs by $first (target 1e-6: $(within "$first" 1e-6)), at step 60 by $last (target 1e-4: $(within "$last" 1e-4)); Nabla $(collect w10-nabla nabla_gpt_float32 step_alloc_bytes) B/step; loads peer $(loads "w10-$p") / Nabla $(loads w10-nabla)"
  done
  [ "$best" != 0 ] && row "W10-float32" "faster peer" "$best" "$nm" "tokens/s" 1 1.0 "—" "$(mb "$nrss")" "target: at least the faster of PyTorch and TorchSharp"
fi

if want W11 && [ $have_torch = 1 ]; then
  echo "W11 LSTM language model float32..."
  for i in $(seq 1 "$pairs"); do
    run w11-torch "$i" env OMP_WAIT_POLICY=passive NABLA_PEERS="$peers" "$py" "$root/bench/peers/torch_lstm.py" float32 2
    run w11-nabla "$i" dotnet "$dll" lstm float32 2
  done
  first=$(gap w11-torch torch_lstm w11-nabla nabla_lstm_float32 loss_first); last=$(gap w11-torch torch_lstm w11-nabla nabla_lstm_float32 loss_last)
  row "W11-float32" torch "$(collect w11-torch torch_lstm tokens_per_s)" "$(collect w11-nabla nabla_lstm_float32 tokens_per_s)" "tokens/s" 1 1.0 \
    "$(mb "$(rss w11-torch)")" "$(mb "$(rss w11-nabla)")" "loss at step 1 differs by $first (target 1e-6: $(within "$first" 1e-6)), at step 60 by $last (target 1e-4: $(within "$last" 1e-4)); Nabla $(collect w11-nabla nabla_lstm_float32 step_alloc_bytes) B/step; loads peer $(loads w11-torch) / Nabla $(loads w11-nabla)"
fi

echo
echo "| workload | peer | peer median | Nabla median | ratio (Nabla faster by) | target | met | peer peak RSS | Nabla peak RSS | notes |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for r in "${rows[@]}"; do echo "$r"; done
echo
for r in "${ratios[@]}"; do echo "$r"; done
echo "load average at the end: $(cat /proc/loadavg)"
if [ ${#missing[@]} -gt 0 ]; then
  echo
  echo "INCOMPLETE: requested peers missing (their rows are absent above):"
  for m in "${missing[@]}"; do echo "  $m"; done
  exit 3
fi

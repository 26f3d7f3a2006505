#!/usr/bin/env bash
# compare.sh: run the PyTorch reference scripts and the Go benchmarks back to
# back on this machine, then print each figure side by side with its ratio
# (Go/PyTorch for throughputs, PyTorch/Go for latencies and memory, so a ratio
# above 1 always means Go is better).
#
#   scripts/compare.sh                       # about 4 minutes on 2 quiet cores
#   BENCH_DURATION=2s scripts/compare.sh     # shorter and noisier: about 2 minutes
#
# Time, measured on 2 cores: the PyTorch side takes about 1 minute (lstm.py:
# cleaning, one epoch, evaluation and its inference bench, 24 s; bert_timing.py
# tiny 8 s and mini 30 s; the cleaner, 1 s). The Go side runs 13 measurements
# of at least BENCH_DURATION each plus warm-ups and one or more LSTM training
# passes per variant: 65 s at 2s, about 3 minutes at the default 10s. With
# BENCH_DURATION=2s the whole script took 2m08s at load 2; under load 6.5 it
# took 8m47s, as lstm.py's epoch slowed twentyfold. These machines are shared:
# run it when quiet (it warns when the load exceeds the cores), and compare
# ratios rather than absolute numbers.
#
# Environment:
#   HATETWEET_ANCHORS  the reference scripts (default: ../shared/anchors beside the repository)
#   BENCH_DURATION     least time per Go measurement (default 10s)
#   OUT                directory for the JSON files and logs (default: a new temporary directory)
#
# Needs /usr/bin/python3 with torch, numpy and scikit-learn (Debian packages), and go.
set -euo pipefail

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
anchors=${HATETWEET_ANCHORS:-$root/../shared/anchors}
duration=${BENCH_DURATION:-10s}
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/hatetweet-compare.XXXXXX")}
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ beside the scripts

[[ -f $anchors/lstm.py && -f $anchors/bert_timing.py ]] || {
	echo "compare.sh: no reference scripts in $anchors (set HATETWEET_ANCHORS)" >&2
	exit 1
}
mkdir -p "$out"

# step NAME CMD...: run CMD with its output in $out/NAME.log, say how long it
# took, and show the log's end if it fails.
step() {
	local name=$1 t0=$SECONDS
	shift
	echo "== $name: $*" >&2
	if ! "$@" >"$out/$name.log" 2>&1; then
		tail -n 30 "$out/$name.log" >&2
		echo "compare.sh: $name failed (log: $out/$name.log)" >&2
		exit 1
	fi
	echo "   done in $((SECONDS - t0))s" >&2
}

# python_rss NAME SCRIPT ARGS...: run a Python reference script and write its
# peak resident set size (KiB) to $out/py_rss_NAME.txt.
python_rss() {
	local name=$1
	shift
	"$py" -c '
import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$out/py_rss_$name.txt" "$py" "$@"
}

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
echo "load average at start: $load on $(nproc) cores; output in $out" >&2
if awk -v l="$load" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
	# Measured: lstm.py's training epoch fell from ~1,100 to 64 ex/s at load
	# 6.5 on 2 cores, while the Go benchmark slowed far less.
	echo "compare.sh: warning: the machine is busy; torch's OpenMP threads slow down far more than Go under contention, so the ratios will flatter Go" >&2
fi
step py_lstm python_rss lstm "$anchors/lstm.py" davidson unweighted --bench-inference --epochs 1 --json "$out/py_lstm.json"
step py_bert_tiny python_rss bert_tiny "$anchors/bert_timing.py" tiny --json "$out/py_bert_tiny.json"
step py_bert_mini python_rss bert_mini "$anchors/bert_timing.py" mini --json "$out/py_bert_mini.json"
step py_clean "$py" "$root/scripts/clean_speed.py" "$anchors" --json "$out/py_clean.json"
step go_bench bash -c 'cd "$1" && go run ./examples/bench -duration "$2" -json "$3"' _ "$root" "$duration" "$out/go.json"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" >&2

"$py" "$root/scripts/ratios.py" "$out" --json "$out/ratios.json"

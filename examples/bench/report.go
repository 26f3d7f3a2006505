package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
)

// requiredKeys are the JSON keys other tools rely on; every run writes
// them, as null when not measured.
var requiredKeys = []string{
	"lstm_train_ex_per_s", "lstm_infer_b256_per_s", "lstm_infer_b1_ms_p50",
	"bert_tiny_train_seq_per_s", "bert_tiny_infer_b64_seq_per_s", "bert_tiny_b1_ms_p50",
	"bert_mini_train_seq_per_s", "bert_mini_infer_b64_seq_per_s", "bert_mini_b1_ms_p50",
}

// noIDsNote explains the null *_excl_tok_* figures.
const noIDsNote = "the lstm package has no entry point taking token ids, so figures without cleaning and tokenisation (*_excl_tok_*) are null; *_precleaned_* feed pre-cleaned text to a model without a cleaner: no cleaning, but splitting on spaces and the vocabulary lookup remain"

// figure is one measured number.
type figure struct {
	key, what, unit string
	value           float64
	ok              bool // measured
}

// report collects the figures of a run, in table order, and facts about
// the run that are not figures.
type report struct {
	figs  []figure
	index map[string]int
	meta  map[string]any
	// peakMB is the largest peak resident set size of any section;
	// resetFailed says the peak could not be reset between sections, so
	// the per-section peaks are cumulative.
	peakMB      float64
	resetFailed bool
}

// newReport returns a report with every figure unmeasured.
func newReport() *report {
	defs := [][3]string{
		{"clean_tweet_tweets_per_s", "textclean.Tweet{} over Davidson train", "tweets/s"},
		{"clean_light_tweets_per_s", "textclean.Light{} over Davidson train", "tweets/s"},
		{"wordpiece_tokens_per_s", "WordPiece (bert-base-uncased) over raw Davidson train", "tokens/s"},
		{"wordpiece_tweets_per_s", "WordPiece (bert-base-uncased) over raw Davidson train", "tweets/s"},
		{"lstm_train_ex_per_s", "LSTM TrainStep, batch 64, pre-cleaned text (median pass)", "examples/s"},
		{"lstm_train_incl_clean_ex_per_s", "LSTM TrainStep, batch 64, raw tweets (median pass)", "examples/s"},
		{"lstm_infer_b256_per_s", "LSTM PredictBatch b256, raw tweets (clean+tok)", "tweets/s"},
		{"lstm_infer_b256_precleaned_per_s", "LSTM PredictBatch b256, pre-cleaned text", "tweets/s"},
		{"lstm_infer_b256_excl_tok_per_s", "LSTM b256 on token ids (no API)", "tweets/s"},
		{"lstm_infer_b1_ms_p50", "LSTM batch-1 latency, raw tweet, median", "ms"},
		{"lstm_infer_b1_ms_p95", "LSTM batch-1 latency, raw tweet, p95", "ms"},
		{"lstm_infer_b1_precleaned_ms_p50", "LSTM batch-1 latency, pre-cleaned, median", "ms"},
		{"lstm_infer_b1_precleaned_ms_p95", "LSTM batch-1 latency, pre-cleaned, p95", "ms"},
		{"lstm_infer_b1_excl_tok_ms_p50", "LSTM batch-1 on token ids (no API), median", "ms"},
		{"lstm_infer_b1_excl_tok_ms_p95", "LSTM batch-1 on token ids (no API), p95", "ms"},
	}
	for _, sh := range bertShapes {
		p, shape := "bert_"+sh.name+"_", fmt.Sprintf("BERT %s (%d/%d/%d)", sh.name, sh.layers, sh.hidden, sh.heads)
		defs = append(defs,
			[3]string{p + "train_seq_per_s", shape + " TrainStep b32×64, AdamW", "seq/s"},
			[3]string{p + "train_step_ms", shape + " TrainStep b32×64, median step", "ms"},
			[3]string{p + "infer_b64_seq_per_s", shape + " PredictBatch b64×64", "seq/s"},
			[3]string{p + "b1_ms_p50", shape + " batch-1 latency ×64, median", "ms"},
			[3]string{p + "b1_ms_p95", shape + " batch-1 latency ×64, p95", "ms"},
		)
	}
	defs = append(defs, [3]string{"peak_rss_mb", "peak resident memory, whole run", "MB"})
	for _, name := range []string{"clean", "tokenize", "lstm"} {
		defs = append(defs, [3]string{"peak_rss_mb_" + name, "peak resident memory, " + name, "MB"})
	}
	for _, sh := range bertShapes {
		defs = append(defs, [3]string{"peak_rss_mb_bert_" + sh.name, "peak resident memory, bert " + sh.name, "MB"})
	}
	r := &report{index: make(map[string]int, len(defs)), meta: make(map[string]any)}
	for i, d := range defs {
		r.figs = append(r.figs, figure{key: d[0], what: d[1], unit: d[2]})
		r.index[d[0]] = i
	}
	return r
}

// set records the figure key; a NaN or infinite v leaves it unmeasured
// (JSON has no such numbers). set panics for a key newReport does not
// define: the keys are constants of this program, so that is a bug.
func (r *report) set(key string, v float64) {
	i, ok := r.index[key]
	if !ok {
		panic("bench: unknown figure " + key)
	}
	r.figs[i].value, r.figs[i].ok = v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// describeMachine records what the figures depend on besides the code.
func (r *report) describeMachine(s settings) {
	r.meta["go_version"] = runtime.Version()
	r.meta["goos_goarch"] = runtime.GOOS + "/" + runtime.GOARCH
	r.meta["num_cpu"] = runtime.NumCPU()
	r.meta["gomaxprocs"] = runtime.GOMAXPROCS(0)
	r.meta["duration_s"] = s.duration.Seconds()
	r.meta["quick"] = s.quick
	if cpu, ok := procField("/proc/cpuinfo", "model name", ":"); ok {
		r.meta["cpu"] = cpu
	}
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(raw)); len(f) > 0 {
			if v, err := strconv.ParseFloat(f[0], 64); err == nil {
				r.meta["load_avg_1m_at_start"] = v
			}
		}
	}
}

// section runs fn as the memory section name: it returns memory to the
// OS, resets the peak resident set size, runs fn, and records the peak as
// peak_rss_mb_NAME.
func (r *report) section(name string, fn func() error) error {
	runtime.GC()
	debug.FreeOSMemory()
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		r.resetFailed = true
	}
	if err := fn(); err != nil {
		return err
	}
	if mb, ok := peakRSSMB(); ok {
		r.set("peak_rss_mb_"+name, mb)
		r.peakMB = max(r.peakMB, mb)
	}
	return nil
}

// finish records the whole run's peak memory and the notes on figures
// that could not be measured.
func (r *report) finish() {
	if mb, ok := peakRSSMB(); ok {
		r.set("peak_rss_mb", max(r.peakMB, mb))
	}
	if r.resetFailed {
		r.meta["peak_rss_note"] = "the peak could not be reset between sections: each section's peak includes the sections before it"
	}
	r.meta["lstm_excl_tok_note"] = noIDsNote
}

// peakRSSMB returns the process's peak resident set size (VmHWM) in MB,
// or false where /proc/self/status is unavailable.
func peakRSSMB() (float64, bool) {
	v, ok := procField("/proc/self/status", "VmHWM", ":")
	if !ok {
		return 0, false
	}
	kb, err := strconv.ParseFloat(strings.TrimSuffix(v, " kB"), 64)
	if err != nil {
		return 0, false
	}
	return kb / 1024, true
}

// procField returns the value of the first line "key<sep> value" of the
// file at path, trimmed.
func procField(path, key, sep string) (string, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), sep)
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// flat returns the figures and facts as one flat JSON object: unmeasured
// figures are nil (null).
func (r *report) flat() map[string]any {
	out := make(map[string]any, len(r.figs)+len(r.meta))
	for k, v := range r.meta {
		out[k] = v
	}
	for _, f := range r.figs {
		if f.ok {
			out[f.key] = f.value
		} else {
			out[f.key] = nil
		}
	}
	return out
}

// writeTable prints every figure as an aligned table, "—" for those not
// measured.
func (r *report) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "figure\tvalue\tunit\tkey\t\n")
	for _, f := range r.figs {
		val := "—"
		switch {
		case f.ok && f.unit == "ms":
			val = strconv.FormatFloat(f.value, 'f', 3, 64)
		case f.ok && f.value < 100:
			val = strconv.FormatFloat(f.value, 'f', 1, 64)
		case f.ok:
			val = strconv.FormatFloat(f.value, 'f', 0, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", f.what, val, f.unit, f.key)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "Go %s, %s, GOMAXPROCS %d, at least %gs per measurement; — = not measured.\nNote: %s.\n",
		r.meta["go_version"], r.meta["goos_goarch"], r.meta["gomaxprocs"], r.meta["duration_s"], noIDsNote); err != nil {
		return err
	}
	if r.meta["quick"] == true {
		_, err := fmt.Fprintf(w, "Quick run: small data, no warm-up, BERT at batch %d/%d × %d tokens: a smoke test, not comparable figures.\n",
			bertQuickSizes.trainBatch, bertQuickSizes.inferBatch, bertQuickSizes.seqLen)
		return err
	}
	return nil
}

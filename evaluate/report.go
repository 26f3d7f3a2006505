package evaluate

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hatetweet/hatetweet"
)

// ClassMetrics holds the metrics of one label. Precision, Recall and F1 are
// in [0, 1], and 0 when undefined (zero_division=0).
type ClassMetrics struct {
	// Label is the name of the label.
	Label string
	// Precision is TP/(TP+FP): the share of the examples predicted as this
	// label that carry it.
	Precision float64
	// Recall is TP/(TP+FN): the share of the examples carrying this label
	// that were predicted as it.
	Recall float64
	// F1 is the harmonic mean of Precision and Recall.
	F1 float64
	// Support is the number of examples whose gold label is this label.
	Support int
	// Predicted is the number of examples predicted as this label.
	Predicted int
}

// Average holds averaged precision, recall and F1, each in [0, 1].
type Average struct {
	// Precision is the averaged precision.
	Precision float64
	// Recall is the averaged recall.
	Recall float64
	// F1 is the averaged per-class F1 (for macro and weighted, the mean of
	// the per-class F1 values, not the F1 of the mean precision and recall).
	F1 float64
}

// Report holds the classification metrics of one evaluation. Build it with
// [Evaluate] or [Confusion.Report]; the zero value describes an empty
// evaluation over no labels. A Report is a plain value: it is safe to copy
// and to read from many goroutines.
type Report struct {
	// Labels are the class names, in index order.
	Labels hatetweet.Labels
	// Accuracy is the share of examples predicted correctly, 0 when Total is 0.
	Accuracy float64
	// PerClass holds the metrics of each label, in index order.
	PerClass []ClassMetrics
	// Macro is the unweighted mean of the per-class metrics over every
	// label, including labels with zero support.
	Macro Average
	// Micro pools the counts of all labels; with single-label data its
	// precision, recall and F1 all equal Accuracy.
	Micro Average
	// Weighted is the mean of the per-class metrics weighted by support.
	Weighted Average
	// Confusion[g][p] counts the examples with gold label g predicted as p:
	// rows are gold labels, columns predicted labels.
	Confusion [][]int
	// Total is the number of examples.
	Total int
}

// Class returns the metrics of label l, for example the F1 of the hate class.
// A label outside [0, len(r.Labels)) is an error wrapping
// [hatetweet.ErrUnknownLabel].
func (r Report) Class(l hatetweet.Label) (ClassMetrics, error) {
	if l < 0 || int(l) >= len(r.PerClass) {
		return ClassMetrics{}, fmt.Errorf("evaluate: %w: %d, want 0..%d", hatetweet.ErrUnknownLabel, l, len(r.PerClass)-1)
	}
	return r.PerClass[l], nil
}

// reportDigits is the number of decimals in [Report.String], as in
// classification_report's default digits=2.
const reportDigits = 2

// String formats r like scikit-learn's classification_report with digits=2:
// a header, one row per label (precision, recall, f1-score, support), then an
// "accuracy" row, or a "micro avg" row when some label is neither in the data
// nor predicted (as scikit-learn does when labels are given), then the
// "macro avg" and "weighted avg" rows. Names are right-aligned to the longest
// name (at least the width of "weighted avg"), counted in runes. The text
// ends with a newline.
func (r Report) String() string {
	const lastHeading = "weighted avg"
	width := utf8.RuneCountInString(lastHeading)
	for _, m := range r.PerClass {
		width = max(width, utf8.RuneCountInString(m.Label))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support")
	row := func(name string, p, rc, f float64, support int) {
		fmt.Fprintf(&b, "%*s  %9.*f %9.*f %9.*f %9d\n", width, name,
			reportDigits, p, reportDigits, rc, reportDigits, f, support)
	}
	microIsAccuracy := true
	for _, m := range r.PerClass {
		row(m.Label, m.Precision, m.Recall, m.F1, m.Support)
		if m.Support == 0 && m.Predicted == 0 {
			microIsAccuracy = false
		}
	}
	b.WriteString("\n")
	if microIsAccuracy {
		fmt.Fprintf(&b, "%*s  %9s %9s %9.*f %9d\n", width, "accuracy", "", "", reportDigits, r.Accuracy, r.Total)
	} else {
		row("micro avg", r.Micro.Precision, r.Micro.Recall, r.Micro.F1, r.Total)
	}
	row("macro avg", r.Macro.Precision, r.Macro.Recall, r.Macro.F1, r.Total)
	row(lastHeading, r.Weighted.Precision, r.Weighted.Recall, r.Weighted.F1, r.Total)
	return b.String()
}

// classJSON is one entry of the per_class object.
type classJSON struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// reportJSON is the JSON form of a Report; see [Report.MarshalJSON].
type reportJSON struct {
	Labels            []string             `json:"labels"`
	Total             int                  `json:"total"`
	Accuracy          float64              `json:"accuracy"`
	MacroPrecision    float64              `json:"macro_precision"`
	MacroRecall       float64              `json:"macro_recall"`
	MacroF1           float64              `json:"macro_f1"`
	MicroPrecision    float64              `json:"micro_precision"`
	MicroRecall       float64              `json:"micro_recall"`
	MicroF1           float64              `json:"micro_f1"`
	WeightedPrecision float64              `json:"weighted_precision"`
	WeightedRecall    float64              `json:"weighted_recall"`
	WeightedF1        float64              `json:"weighted_f1"`
	PerClass          map[string]classJSON `json:"per_class"`
	Confusion         [][]int              `json:"confusion"`
}

// MarshalJSON encodes r as one JSON object with the keys labels (names in
// index order), total, accuracy, macro_precision, macro_recall, macro_f1,
// micro_precision, micro_recall, micro_f1, weighted_precision,
// weighted_recall, weighted_f1, per_class (label name → precision, recall,
// f1, support) and confusion (rows gold, columns predicted, in the order of
// labels). Empty labels and confusion encode as [], never null. Two labels
// with the same name cannot be keys of per_class, so they are an error.
func (r Report) MarshalJSON() ([]byte, error) {
	out := reportJSON{
		Labels:            append([]string{}, r.Labels...),
		Total:             r.Total,
		Accuracy:          r.Accuracy,
		MacroPrecision:    r.Macro.Precision,
		MacroRecall:       r.Macro.Recall,
		MacroF1:           r.Macro.F1,
		MicroPrecision:    r.Micro.Precision,
		MicroRecall:       r.Micro.Recall,
		MicroF1:           r.Micro.F1,
		WeightedPrecision: r.Weighted.Precision,
		WeightedRecall:    r.Weighted.Recall,
		WeightedF1:        r.Weighted.F1,
		PerClass:          make(map[string]classJSON, len(r.PerClass)),
		Confusion:         make([][]int, 0, len(r.Confusion)),
	}
	for _, m := range r.PerClass {
		if _, dup := out.PerClass[m.Label]; dup {
			return nil, fmt.Errorf("evaluate: marshal report: label %q appears twice", m.Label)
		}
		out.PerClass[m.Label] = classJSON{Precision: m.Precision, Recall: m.Recall, F1: m.F1, Support: m.Support}
	}
	for _, row := range r.Confusion {
		out.Confusion = append(out.Confusion, append([]int{}, row...))
	}
	return json.Marshal(out)
}

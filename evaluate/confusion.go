package evaluate

import (
	"fmt"

	"github.com/hatetweet/hatetweet"
)

// Confusion counts (gold, predicted) label pairs. Build one with
// [NewConfusion], call [Confusion.Add] once per example, then
// [Confusion.Report].
//
// The zero value has no labels, so Add always fails on it. A Confusion is not
// safe for concurrent use.
type Confusion struct {
	labels hatetweet.Labels
	counts []int // row-major len(labels)×len(labels): gold row, predicted column
	total  int
}

// NewConfusion returns an empty Confusion over the labels ls. It copies ls,
// so later changes to the caller's slice do not affect it. It does not
// validate ls; [Evaluate] does.
func NewConfusion(ls hatetweet.Labels) *Confusion {
	return &Confusion{
		labels: append(hatetweet.Labels(nil), ls...),
		counts: make([]int, len(ls)*len(ls)),
	}
}

// Add counts one example whose gold label is gold and whose predicted label
// is pred. A label outside [0, len(labels)) is an error wrapping
// [hatetweet.ErrUnknownLabel], and nothing is counted.
func (c *Confusion) Add(gold, pred hatetweet.Label) error {
	n := len(c.labels)
	if gold < 0 || int(gold) >= n {
		return fmt.Errorf("evaluate: gold %w: %d, want 0..%d", hatetweet.ErrUnknownLabel, gold, n-1)
	}
	if pred < 0 || int(pred) >= n {
		return fmt.Errorf("evaluate: predicted %w: %d, want 0..%d", hatetweet.ErrUnknownLabel, pred, n-1)
	}
	c.counts[int(gold)*n+int(pred)]++
	c.total++
	return nil
}

// Report computes the metrics of the pairs added so far; see the package
// documentation for the definitions. An empty Confusion gives a Report whose
// metrics are all 0. The Report shares no memory with c.
func (c *Confusion) Report() Report {
	n := len(c.labels)
	r := Report{
		Labels:    append(hatetweet.Labels(nil), c.labels...),
		PerClass:  make([]ClassMetrics, n),
		Confusion: make([][]int, n),
		Total:     c.total,
	}
	predicted := make([]int, n)
	var correct int
	for g := range n {
		r.Confusion[g] = append([]int(nil), c.counts[g*n:(g+1)*n]...)
		for p, k := range r.Confusion[g] {
			predicted[p] += k
			r.PerClass[g].Support += k
		}
		correct += r.Confusion[g][g]
	}
	var supportSum int
	for i := range r.PerClass {
		m := &r.PerClass[i]
		tp := r.Confusion[i][i]
		m.Label = c.labels[i]
		m.Predicted = predicted[i]
		m.Precision = ratio(tp, predicted[i])
		m.Recall = ratio(tp, m.Support)
		m.F1 = f1(m.Precision, m.Recall)
		supportSum += m.Support
	}
	r.Accuracy = ratio(correct, c.total)

	// Macro: unweighted mean over every label. Weighted: mean weighted by
	// support. As numpy's np.average: sum the products, then divide once.
	var wp, wr, wf float64
	for _, m := range r.PerClass {
		r.Macro.Precision += m.Precision
		r.Macro.Recall += m.Recall
		r.Macro.F1 += m.F1
		s := float64(m.Support)
		wp += m.Precision * s
		wr += m.Recall * s
		wf += m.F1 * s
	}
	if n > 0 {
		r.Macro.Precision /= float64(n)
		r.Macro.Recall /= float64(n)
		r.Macro.F1 /= float64(n)
	}
	if supportSum > 0 {
		s := float64(supportSum)
		r.Weighted = Average{Precision: wp / s, Recall: wr / s, F1: wf / s}
	}

	// Micro: pool the counts of all labels.
	var predictedSum int
	for _, k := range predicted {
		predictedSum += k
	}
	r.Micro.Precision = ratio(correct, predictedSum)
	r.Micro.Recall = ratio(correct, supportSum)
	r.Micro.F1 = f1(r.Micro.Precision, r.Micro.Recall)
	return r
}

// ratio returns num/den, or 0 when den is 0 (zero_division=0).
func ratio(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// f1 is the harmonic mean of p and r as scikit-learn 1.2 computes it, 0 when
// both are 0.
func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

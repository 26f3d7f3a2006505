package train

import (
	"errors"
	"fmt"

	"github.com/hatetweet/hatetweet"
)

// ClassWeights returns one loss weight per label, inversely proportional to
// the label's frequency in examples: N / (numLabels · n_c) for a label with
// n_c of the N examples, as scikit-learn's
// compute_class_weight("balanced"). Weights average to 1 over the examples,
// so a balanced set gets all 1s.
//
// A label with no example gets weight 0 (scikit-learn rejects that case); it
// has no examples to weigh in this set, so 0 only matters if the weights are
// reused on other data. An empty examples slice or numLabels below 1 is an
// error, and a label outside [0, numLabels) is an error wrapping
// [hatetweet.ErrUnknownLabel].
func ClassWeights(examples []hatetweet.Example, numLabels int) ([]float32, error) {
	if numLabels < 1 {
		return nil, fmt.Errorf("train: class weights for %d labels, want at least 1", numLabels)
	}
	if len(examples) == 0 {
		return nil, errors.New("train: class weights of an empty set")
	}
	counts := make([]int, numLabels)
	for i, ex := range examples {
		if ex.Label < 0 || int(ex.Label) >= numLabels {
			return nil, fmt.Errorf("train: class weights: example %d: %w: %d, want 0..%d", i, hatetweet.ErrUnknownLabel, ex.Label, numLabels-1)
		}
		counts[ex.Label]++
	}
	w := make([]float32, numLabels)
	for c, n := range counts {
		if n > 0 {
			w[c] = float32(float64(len(examples)) / (float64(numLabels) * float64(n)))
		}
	}
	return w, nil
}

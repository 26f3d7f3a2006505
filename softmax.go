package hatetweet

import "math"

// Softmax returns the softmax of logits in a new slice, computed in float64
// after subtracting the maximum, so large logits do not overflow. An empty
// input gives an empty result.
func Softmax(logits []float32) []float32 {
	out := make([]float32, len(logits))
	if len(logits) == 0 {
		return out
	}
	m := math.Inf(-1)
	for _, v := range logits {
		m = math.Max(m, float64(v))
	}
	var sum float64
	exps := make([]float64, len(logits))
	for i, v := range logits {
		exps[i] = math.Exp(float64(v) - m)
		sum += exps[i]
	}
	for i := range out {
		out[i] = float32(exps[i] / sum)
	}
	return out
}

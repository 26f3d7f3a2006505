// Package classifiertest is the conformance suite that every
// [hatetweet.Classifier] in this module must pass.
//
// # Overview
//
// [Run] checks the Classifier contract of STYLE.md §2 as subtests: one
// prediction per text in order, an empty batch, any string as input
// (empty, whitespace, emoji only, other scripts, invalid UTF-8, control
// characters, 10,000 characters), well-formed predictions, determinism,
// padding invariance, batches beyond one internal batch, cancellation and
// concurrent calls. Model packages call it from their tests with a tiny
// model:
//
//	func TestModel_conformance(t *testing.T) {
//		classifiertest.Run(t, func(t *testing.T) hatetweet.Classifier { return tinyModel(t) }, labels)
//	}
//
// # Contract
//
// Run needs no network, GPU or files. It calls newC once per subtest, and
// the subtests run in parallel, so newC must be safe to call from several
// goroutines; it should register any cleanup with t.Cleanup. The
// concurrency subtest is meaningful under -race. Tolerances: probabilities
// sum to 1 within 1e-5, and padding changes a prediction by at most 1e-5,
// as STYLE.md §2 states.
//
// # See also
//
// [hatetweet.Classifier], [hatetweet.NewPrediction].
package classifiertest

// Package train runs the training loop shared by every model of hatetweet:
// epochs, shuffled batches, validation, early stopping and keeping the best
// weights.
//
// # Overview
//
// A [Trainer] is built from a [Config] with [New] and trains any [Trainable]
// (a classifier with a TrainStep method, such as
// [github.com/hatetweet/hatetweet/lstm.Model] and
// [github.com/hatetweet/hatetweet/bert.Model]) with [Trainer.Fit]. There is
// one loop; what varies lives in the model and the Config. The optimiser,
// learning-rate schedule and loss weights belong to each model's own
// configuration; [ClassWeights] computes scikit-learn's "balanced" class
// weights for them.
//
// Fit discovers two optional interfaces with type assertions. A model that
// implements [Snapshotter] gets the weights of its best validation epoch back
// when Fit returns; a model that implements [Scheduler] is told the planned
// number of steps before the first one. The models implement these methods
// using only func and builtin types, so they never import this package.
//
// Progress goes through the hooks Config.OnBatch (every step) and
// Config.OnEpoch (every epoch, may stop the run); the package never prints or
// logs. Fit returns a [History] of every completed epoch, with its
// validation [evaluate.Report], the best epoch and why it stopped.
//
// # Contract
//
// Input: a non-nil model, a non-empty training set and labels within
// Config.Labels, checked before the first step (a bad label wraps
// [hatetweet.ErrUnknownLabel]). An empty validation set means no validation
// and no early stopping.
//
// Ordering and determinism: every epoch visits each training example once, in
// an order drawn from a math/rand/v2 PCG generator seeded with Config.Seed
// when Fit starts; the same Seed and training set give the same batches in
// every run. Fit itself uses no other randomness and no clock except to
// measure durations.
//
// Early stopping: an epoch improves when its validation macro F1 exceeds
// the best so far by more than Config.MinDelta (the first validated epoch
// always does); Fit stops after Config.Patience epochs in a row without
// improvement, then restores the best snapshot if the model can take one.
//
// Concurrency: a Trainer is immutable and safe for concurrent Fits on
// different models. Fit calls the model and the hooks from its own goroutine
// only, one call at a time.
//
// Errors: [ErrInvalidConfig] from [New] and [Config.Validate] (all problems
// at once); from Fit, ctx's error wrapped when it is cancelled, [ErrDiverged]
// for a NaN or infinite loss, and the model's and hooks' errors wrapped with
// the epoch and step. Fit always returns the [History] so far, with
// History.Stopped set to a [StopReason].
//
// # See also
//
//   - [github.com/hatetweet/hatetweet/evaluate], which scores the validation
//     set.
//   - shared/anchors/lstm.py, the PyTorch reference loop this one mirrors:
//     shuffle every epoch, validation macro F1, patience, keep the best
//     weights.
package train

package train

import (
	"fmt"
	"time"

	"github.com/hatetweet/hatetweet/evaluate"
)

// StopReason says why [Trainer.Fit] returned.
type StopReason int

// The reasons Fit stops. The zero value, StopNone, means Fit did not start
// training (its input was invalid).
const (
	// StopNone: Fit rejected its input before the first step.
	StopNone StopReason = iota
	// StopCompleted: every configured epoch ran.
	StopCompleted
	// StopEarly: the validation macro F1 did not improve for Patience
	// epochs.
	StopEarly
	// StopCancelled: the context was cancelled or its deadline passed.
	StopCancelled
	// StopCallback: Config.OnEpoch returned an error.
	StopCallback
	// StopFailed: a TrainStep, the validation, a snapshot or the loss
	// ([ErrDiverged]) failed.
	StopFailed
)

var stopNames = [...]string{
	StopNone:      "none",
	StopCompleted: "completed",
	StopEarly:     "early",
	StopCancelled: "cancelled",
	StopCallback:  "callback",
	StopFailed:    "failed",
}

// String returns the lowercase name of r ("completed", "early", ...), or
// "StopReason(N)" for a value that is not one of the constants.
func (r StopReason) String() string {
	if r >= 0 && int(r) < len(stopNames) {
		return stopNames[r]
	}
	return fmt.Sprintf("StopReason(%d)", int(r))
}

// MarshalText encodes r as its name, so JSON shows "early" rather than 2. A
// value that is not one of the constants is an error.
func (r StopReason) MarshalText() ([]byte, error) {
	if r < 0 || int(r) >= len(stopNames) {
		return nil, fmt.Errorf("train: unknown stop reason %d", int(r))
	}
	return []byte(stopNames[r]), nil
}

// UnmarshalText decodes a name written by [StopReason.MarshalText]; an
// unknown name is an error.
func (r *StopReason) UnmarshalText(text []byte) error {
	for i, n := range stopNames {
		if n == string(text) {
			*r = StopReason(i)
			return nil
		}
	}
	return fmt.Errorf("train: unknown stop reason %q", text)
}

// BatchStats describes one finished training step, for progress bars. It is
// passed to Config.OnBatch.
type BatchStats struct {
	// Epoch is the current epoch, from 1; Epochs is the configured number
	// of epochs.
	Epoch, Epochs int
	// Step is the step within the epoch, from 1; Steps is the number of
	// steps per epoch.
	Step, Steps int
	// Loss is the loss TrainStep returned for this batch.
	Loss float64
	// Examples is the number of training examples seen so far in this
	// epoch, this batch included.
	Examples int
	// ExamplesPerSec is Examples divided by the wall time since the epoch
	// began (0 if no time was measured).
	ExamplesPerSec float64
}

// EpochStats describes one completed epoch. It is passed to Config.OnEpoch
// and kept in [History].
type EpochStats struct {
	// Epoch is the epoch number, from 1.
	Epoch int `json:"epoch"`
	// Steps is the number of TrainStep calls in the epoch.
	Steps int `json:"steps"`
	// Examples is the number of training examples in the epoch.
	Examples int `json:"examples"`
	// TrainLoss is the mean of the batch losses weighted by batch size.
	TrainLoss float64 `json:"train_loss"`
	// Duration is the wall time of the training steps, without validation.
	Duration time.Duration `json:"duration_ns"`
	// ExamplesPerSec is Examples / Duration in seconds (0 if no time was
	// measured).
	ExamplesPerSec float64 `json:"examples_per_sec"`
	// Val is the validation report, or nil without a validation set.
	Val *evaluate.Report `json:"val,omitempty"`
	// ValDuration is the wall time of the validation.
	ValDuration time.Duration `json:"val_duration_ns"`
	// ValMacroF1 is Val.Macro.F1, or 0 without a validation set.
	ValMacroF1 float64 `json:"val_macro_f1"`
	// Improved reports whether ValMacroF1 beat the best of the earlier
	// epochs by more than MinDelta; the first validated epoch always
	// improves. It is false without a validation set.
	Improved bool `json:"improved"`
}

// History records a [Trainer.Fit] run.
type History struct {
	// Epochs holds the completed epochs in order. An epoch cut short by
	// cancellation or an error, in its steps or its validation, is not
	// included.
	Epochs []EpochStats `json:"epochs"`
	// Steps is the number of successful TrainStep calls, partial epochs
	// included.
	Steps int `json:"steps"`
	// BestEpoch is the epoch with the best validation macro F1, from 1; 0
	// when no epoch was validated. When the model implements [Snapshotter],
	// Fit leaves the model with this epoch's weights.
	BestEpoch int `json:"best_epoch"`
	// BestMacroF1 is the validation macro F1 of BestEpoch.
	BestMacroF1 float64 `json:"best_macro_f1"`
	// Stopped says why Fit returned.
	Stopped StopReason `json:"stopped"`
}

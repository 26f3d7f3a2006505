package train

import (
	"errors"
	"fmt"
	"math"

	"github.com/hatetweet/hatetweet"
)

// ErrInvalidConfig is wrapped by every problem [Config.Validate] reports, and
// so by the errors of [New].
var ErrInvalidConfig = errors.New("train: invalid config")

// Defaults for the zero values of [Config].
const (
	// DefaultEpochs is the number of epochs when Config.Epochs is 0. It
	// matches the BiLSTM reference run (shared/anchors/lstm.py: up to 8
	// epochs with early stopping).
	DefaultEpochs = 8
	// DefaultBatchSize is the number of examples per optimiser step when
	// Config.BatchSize is 0.
	DefaultBatchSize = 32
	// DefaultEvalBatchSize is the number of texts per PredictBatch call on
	// the validation set when Config.EvalBatchSize is 0.
	DefaultEvalBatchSize = 256
)

// Config holds the training loop's settings: how many epochs, the batch size,
// the shuffle seed, early stopping, and progress hooks. The optimiser (its
// learning rate, schedule, weight decay, clipping and class weights) belongs
// to each model's own configuration, not here.
//
// The data fields have JSON tags so a run's settings can be saved beside its
// results; the hooks are not encoded. [New] applies the defaults to a copy,
// never to the caller's struct.
type Config struct {
	// Epochs is the number of passes over the training set, fewer if early
	// stopping triggers. 0 means [DefaultEpochs] (8); negative is invalid.
	Epochs int `json:"epochs"`
	// BatchSize is the number of examples per TrainStep; the last batch of
	// an epoch holds the remainder. 0 means [DefaultBatchSize] (32);
	// negative is invalid.
	BatchSize int `json:"batch_size"`
	// Seed seeds the shuffle: the training set is reshuffled at the start of
	// every epoch by a math/rand/v2 PCG generator created from Seed at the
	// start of each Fit, so the same Seed and training set give the same
	// batches in every run. 0 is a valid seed.
	Seed uint64 `json:"seed"`
	// Patience is the number of consecutive epochs without an improvement
	// of the validation macro F1 after which Fit stops early. 0 means no
	// early stopping; negative is invalid. It has no effect without a
	// validation set.
	Patience int `json:"patience"`
	// MinDelta is the amount by which the validation macro F1 must exceed
	// the best so far to count as an improvement. 0 means any strict
	// increase; it must be finite and not negative.
	MinDelta float64 `json:"min_delta"`
	// EvalBatchSize is the number of validation texts per PredictBatch
	// call. 0 means [DefaultEvalBatchSize] (256); negative is invalid.
	EvalBatchSize int `json:"eval_batch_size"`
	// Labels are the class names in index order. They are required: Fit
	// checks every example's label against them and evaluates the
	// validation set with them. They must pass
	// [hatetweet.Labels.Validate].
	Labels hatetweet.Labels `json:"labels"`
	// OnEpoch, when not nil, is called after every completed epoch (after
	// validation and any snapshot), on the goroutine running Fit. A non-nil
	// error stops Fit, which returns it wrapped, with
	// History.Stopped == [StopCallback].
	OnEpoch func(EpochStats) error `json:"-"`
	// OnBatch, when not nil, is called after every successful TrainStep, on
	// the goroutine running Fit, for progress reporting. It must return
	// quickly; it cannot stop Fit (cancel the context for that).
	OnBatch func(BatchStats) `json:"-"`
}

// Validate reports every problem with c at once, joined with errors.Join;
// each wraps [ErrInvalidConfig]. It checks the fields as given, so zero
// values (meaning "use the default") are valid.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.Epochs < 0 {
		bad("epochs %d, want at least 0 (0 means %d)", c.Epochs, DefaultEpochs)
	}
	if c.BatchSize < 0 {
		bad("batch size %d, want at least 0 (0 means %d)", c.BatchSize, DefaultBatchSize)
	}
	if c.Patience < 0 {
		bad("patience %d, want at least 0 (0 means no early stopping)", c.Patience)
	}
	if math.IsNaN(c.MinDelta) || math.IsInf(c.MinDelta, 0) || c.MinDelta < 0 {
		bad("min delta %v, want a finite value of at least 0", c.MinDelta)
	}
	if c.EvalBatchSize < 0 {
		bad("eval batch size %d, want at least 0 (0 means %d)", c.EvalBatchSize, DefaultEvalBatchSize)
	}
	if err := c.Labels.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("%w: labels: %w", ErrInvalidConfig, err))
	}
	return errors.Join(errs...)
}

// withDefaults returns a copy of c with the defaults applied and its own
// copy of Labels.
func (c Config) withDefaults() Config {
	if c.Epochs == 0 {
		c.Epochs = DefaultEpochs
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.EvalBatchSize == 0 {
		c.EvalBatchSize = DefaultEvalBatchSize
	}
	c.Labels = append(hatetweet.Labels(nil), c.Labels...)
	return c
}

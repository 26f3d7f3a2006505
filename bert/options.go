package bert

import (
	"errors"
	"fmt"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/textclean"
)

// Option configures [Load] and [New]: knobs that are not saved with a
// checkpoint. Each option takes effect or makes the constructor fail; none
// is silently ignored.
type Option func(*options)

type options struct {
	maxLen    int
	maxLenOK  bool // WithMaxLen was given
	cleaner   textclean.Cleaner
	cleanerOK bool // WithCleaner was given
	seed      uint64
	seedOK    bool // WithSeed was given
	labels    hatetweet.Labels
	labelsOK  bool // WithLabels was given
}

// WithMaxLen sets the maximum input length in tokens, [CLS] and [SEP]
// included; longer texts are truncated the way Hugging Face truncates them.
// Without it the length is model_max_length from tokenizer_config.json when
// present, else max_position_embeddings capped at 512, and never more than
// max_position_embeddings. [Load] and [New] reject n outside
// [2, max_position_embeddings].
func WithMaxLen(n int) Option {
	return func(o *options) { o.maxLen, o.maxLenOK = n, true }
}

// WithCleaner sets the cleaner applied to every text before tokenization,
// replacing the one recorded in the checkpoint (or, without a record,
// [textclean.Light]). A nil cleaner is an error. [Model.Save] records the
// cleaner when it is one of the [textclean.Preset] cleaners; a custom
// cleaner cannot be recorded, so pass it again to Load.
func WithCleaner(c textclean.Cleaner) Option {
	return func(o *options) { o.cleaner, o.cleanerOK = c, true }
}

// WithSeed seeds the weights that the constructor draws: every weight for
// [New], and the new classifier head for [Load] of a checkpoint without one
// (see [Model.FreshHead]). The default seed is 0. Load fails when the option
// is given for a checkpoint that has a head, since there is nothing to
// draw.
func WithSeed(seed uint64) Option {
	return func(o *options) { o.seed, o.seedOK = seed, true }
}

// WithLabels names the classes for [Load]. For a checkpoint without a
// classifier head, the new head gets one output per label; without this
// option its labels come from id2label in config.json, else they are
// [hatetweet.DavidsonLabels]. For a checkpoint with a head, the labels
// rename its outputs and their number must match (otherwise the error wraps
// [ErrBadCheckpoint]). [New] takes its labels as an argument and rejects
// this option.
func WithLabels(ls hatetweet.Labels) Option {
	return func(o *options) { o.labels, o.labelsOK = append(hatetweet.Labels(nil), ls...), true }
}

// applyOptions applies opts and checks what can be checked without a
// config; the limits that depend on it are checked by the constructors.
func applyOptions(opts []Option) (options, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	var errs []error
	if o.cleanerOK && o.cleaner == nil {
		errs = append(errs, errors.New("bert: WithCleaner: nil cleaner"))
	}
	if o.labelsOK {
		if err := o.labels.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("bert: WithLabels: %w", err))
		}
	}
	return o, errors.Join(errs...)
}

// resolveMaxLen returns the maximum input length for a model with
// maxPos position embeddings: the option when given (checked against
// [2, maxPos]), else fromTokenizer (model_max_length, 0 when absent), else
// maxPos capped at 512, never above maxPos.
func resolveMaxLen(o options, fromTokenizer, maxPos int) (int, error) {
	if o.maxLenOK {
		if o.maxLen < 2 || o.maxLen > maxPos {
			return 0, fmt.Errorf("bert: WithMaxLen(%d): want 2..%d (max_position_embeddings)", o.maxLen, maxPos)
		}
		return o.maxLen, nil
	}
	n := fromTokenizer
	if n <= 0 {
		n = min(maxPos, 512)
	}
	return max(2, min(n, maxPos)), nil
}

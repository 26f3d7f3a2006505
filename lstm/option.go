package lstm

import (
	"fmt"
	"runtime"

	"github.com/hatetweet/hatetweet/textclean"
)

// Option configures [New] and [Load] with settings that are not saved with
// the model.
type Option func(*options)

type options struct {
	cleaner    textclean.Cleaner
	cleanerSet bool
	poolSize   int
}

// WithCleaner makes the Model clean texts with c instead of the preset
// named by Config.Cleaner. c is not saved: a model loaded later uses its
// saved preset unless it is given WithCleaner again. c must be safe for
// concurrent use, as every [textclean.Cleaner] is; a nil c is an error.
func WithCleaner(c textclean.Cleaner) Option {
	return func(o *options) { o.cleaner, o.cleanerSet = c, true }
}

// WithPoolSize sets how many inference workers the Model keeps, and so how
// many PredictBatch calls compute at once (more wait). Each worker holds
// its own compiled graphs. The default is runtime.GOMAXPROCS(0); n below
// 1 is an error.
func WithPoolSize(n int) Option {
	return func(o *options) { o.poolSize = n }
}

func newOptions(opts []Option) (options, error) {
	o := options{poolSize: runtime.GOMAXPROCS(0)}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.cleanerSet && o.cleaner == nil {
		return o, fmt.Errorf("lstm: WithCleaner(nil)")
	}
	if o.poolSize < 1 {
		return o, fmt.Errorf("lstm: pool size %d, want at least 1", o.poolSize)
	}
	return o, nil
}

package serve

import (
	"errors"
	"fmt"
	"time"
)

// Option configures a [Handler]. Zero or unset options mean the defaults
// below.
type Option func(*options)

type options struct {
	maxBodyBytes int64
	maxTexts     int
	maxBatch     int
	maxWait      time.Duration
	workers      int
}

const (
	defaultMaxBodyBytes = 1 << 20
	defaultMaxTexts     = 256
	defaultMaxBatch     = 64
	defaultMaxWait      = 2 * time.Millisecond
	defaultWorkers      = 2
)

// MaxBodyBytes limits the size of a request body; larger bodies get 413.
// Default 1 MiB.
func MaxBodyBytes(n int64) Option { return func(o *options) { o.maxBodyBytes = n } }

// MaxTexts limits the number of texts in one request; more get 400.
// Default 256.
func MaxTexts(n int) Option { return func(o *options) { o.maxTexts = n } }

// MaxBatch is the largest micro-batch handed to the classifier at once, in
// texts. A single request larger than MaxBatch is split. Default 64.
func MaxBatch(n int) Option { return func(o *options) { o.maxBatch = n } }

// MaxWait is how long a micro-batch waits for more requests after its first
// one arrives; a lone request is never delayed longer. Default 2ms; 0 keeps
// the default, and a negative value disables waiting.
func MaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

// Workers is the number of micro-batches classified at the same time.
// Default 2 (one per core of the reference machine).
func Workers(n int) Option { return func(o *options) { o.workers = n } }

func newOptions(opts []Option) (options, error) {
	o := options{}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	var errs []error
	if o.maxBodyBytes < 0 {
		errs = append(errs, fmt.Errorf("serve: max body bytes %d is negative", o.maxBodyBytes))
	}
	if o.maxTexts < 0 {
		errs = append(errs, fmt.Errorf("serve: max texts %d is negative", o.maxTexts))
	}
	if o.maxBatch < 0 {
		errs = append(errs, fmt.Errorf("serve: max batch %d is negative", o.maxBatch))
	}
	if o.workers < 0 {
		errs = append(errs, fmt.Errorf("serve: workers %d is negative", o.workers))
	}
	if err := errors.Join(errs...); err != nil {
		return o, err
	}
	if o.maxBodyBytes == 0 {
		o.maxBodyBytes = defaultMaxBodyBytes
	}
	if o.maxTexts == 0 {
		o.maxTexts = defaultMaxTexts
	}
	if o.maxBatch == 0 {
		o.maxBatch = defaultMaxBatch
	}
	switch {
	case o.maxWait == 0:
		o.maxWait = defaultMaxWait
	case o.maxWait < 0:
		o.maxWait = 0
	}
	if o.workers == 0 {
		o.workers = defaultWorkers
	}
	return o, nil
}

package serve

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hatetweet/hatetweet"
)

// ErrClosed is returned for work submitted after [Handler.Close].
var ErrClosed = errors.New("serve: handler closed")

// job is one request's share of a micro-batch: a run of texts and the slot
// its results go to.
type job struct {
	ctx   context.Context
	texts []string
	out   []hatetweet.Prediction // len(texts), filled by a worker
	done  chan error             // buffered, receives exactly once
}

// batcher gathers jobs from concurrent requests into micro-batches of at
// most maxBatch texts, waiting at most maxWait after the first job of a
// batch, and classifies them with a fixed number of workers.
type batcher struct {
	c        hatetweet.Classifier
	maxBatch int
	maxWait  time.Duration
	queue    chan *job
	quit     chan struct{}
	wg       sync.WaitGroup

	// mu orders enqueueing against close: once closed is set no job
	// enters the queue, so the workers' final drain answers every job.
	mu     sync.RWMutex
	closed bool
}

func newBatcher(c hatetweet.Classifier, o options) *batcher {
	b := &batcher{
		c:        c,
		maxBatch: o.maxBatch,
		maxWait:  o.maxWait,
		queue:    make(chan *job, 4*o.maxBatch),
		quit:     make(chan struct{}),
	}
	b.wg.Add(o.workers)
	for range o.workers {
		go b.work()
	}
	return b
}

// classify splits texts into jobs of at most maxBatch texts, queues them,
// and waits for their results or for ctx to end.
func (b *batcher) classify(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	out := make([]hatetweet.Prediction, len(texts))
	var jobs []*job
	for start := 0; start < len(texts); start += b.maxBatch {
		end := min(start+b.maxBatch, len(texts))
		j := &job{ctx: ctx, texts: texts[start:end], out: out[start:end], done: make(chan error, 1)}
		if err := b.enqueue(ctx, j); err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	for _, j := range jobs {
		select {
		case err := <-j.done:
			if err != nil {
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

func (b *batcher) enqueue(ctx context.Context, j *job) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return ErrClosed
	}
	select {
	case b.queue <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// work runs until close: it takes a first job, gathers more until the batch
// is full or maxWait has passed, and classifies the batch.
func (b *batcher) work() {
	defer b.wg.Done()
	var timer *time.Timer
	for {
		var batch []*job
		n := 0
		select {
		case j := <-b.queue:
			batch, n = append(batch, j), len(j.texts)
		case <-b.quit:
			b.drain()
			return
		}
		if b.maxWait > 0 {
			if timer == nil {
				timer = time.NewTimer(b.maxWait)
			} else {
				timer.Reset(b.maxWait)
			}
		gather:
			for n < b.maxBatch {
				select {
				case j := <-b.queue:
					batch, n = append(batch, j), n+len(j.texts)
				case <-timer.C:
					break gather
				}
			}
			timer.Stop()
		}
		b.run(batch)
	}
}

// drain answers the jobs still queued at close.
func (b *batcher) drain() {
	for {
		select {
		case j := <-b.queue:
			j.done <- ErrClosed
		default:
			return
		}
	}
}

// run classifies one micro-batch. Jobs whose request has gone away are
// dropped first; the batch's context ends only when every remaining
// request's context has ended, so one client leaving never fails another.
func (b *batcher) run(batch []*job) {
	live := batch[:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var left atomic.Int64
	left.Store(int64(len(live)))
	for _, j := range live {
		stop := context.AfterFunc(j.ctx, func() {
			if left.Add(-1) == 0 {
				cancel()
			}
		})
		defer stop()
	}

	var texts []string
	for _, j := range live {
		texts = append(texts, j.texts...)
	}
	preds, err := b.c.PredictBatch(ctx, texts)
	if err == nil && len(preds) != len(texts) {
		err = fmt.Errorf("serve: classifier returned %d predictions for %d texts: %w", len(preds), len(texts), hatetweet.ErrLengthMismatch)
	}
	off := 0
	for _, j := range live {
		if err == nil {
			copy(j.out, preds[off:off+len(j.texts)])
		}
		off += len(j.texts)
		j.done <- err
	}
}

// close stops the workers after the batches in flight finish; queued jobs
// get ErrClosed.
func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.quit)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

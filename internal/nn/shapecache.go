package nn

import "errors"

// LenBucket is the granularity of padded sequence lengths, in tokens.
const LenBucket = 8

// PaddedLen returns the length a batch whose longest sequence has n tokens
// is padded to: n rounded up to a multiple of [LenBucket], capped at
// maxLen (n never exceeds it). Batches of similar lengths then share one
// entry of a [ShapeCache] instead of compiling a graph per exact length;
// models mask padding, so results do not change.
func PaddedLen(n, maxLen int) int {
	return min((n+LenBucket-1)/LenBucket*LenBucket, maxLen)
}

// ShapeCache keeps compiled graphs (or anything else to be closed) by
// shape, batch × seqLen, because a gorgonia graph has fixed shapes and
// compiling one costs milliseconds. Beyond size entries, and beyond tokens
// batch×seqLen tokens in all (0: no token limit), it closes the least
// recently used, but never the most recent one. A ShapeCache belongs to
// one goroutine at a time.
type ShapeCache[T interface{ Close() error }] struct {
	size, tokens int
	entries      []shapeEntry[T] // most recently used last
}

type shapeEntry[T any] struct {
	batch, seqLen int
	v             T
}

// NewShapeCache returns an empty cache of at most size entries (at least
// 1) and tokens tokens (0: unlimited).
func NewShapeCache[T interface{ Close() error }](size, tokens int) *ShapeCache[T] {
	return &ShapeCache[T]{size: max(1, size), tokens: tokens}
}

// Get returns the entry for batch × seqLen, building it with build on a
// miss. The built entry is returned even when closing an evicted one
// fails; the error then reports that failure.
func (c *ShapeCache[T]) Get(batch, seqLen int, build func() (T, error)) (T, error) {
	for i, e := range c.entries {
		if e.batch == batch && e.seqLen == seqLen {
			copy(c.entries[i:], c.entries[i+1:])
			c.entries[len(c.entries)-1] = e
			return e.v, nil
		}
	}
	v, err := build()
	if err != nil {
		return v, err
	}
	c.entries = append(c.entries, shapeEntry[T]{batch, seqLen, v})
	var cerr error
	for len(c.entries) > 1 && (len(c.entries) > c.size || (c.tokens > 0 && c.held() > c.tokens)) {
		cerr = errors.Join(cerr, c.entries[0].v.Close())
		c.entries = append(c.entries[:0], c.entries[1:]...)
	}
	return v, cerr
}

// held returns the tokens of the cached entries.
func (c *ShapeCache[T]) held() int {
	t := 0
	for _, e := range c.entries {
		t += e.batch * e.seqLen
	}
	return t
}

// Len returns the number of cached entries.
func (c *ShapeCache[T]) Len() int { return len(c.entries) }

// Close closes every entry and empties the cache.
func (c *ShapeCache[T]) Close() error {
	var err error
	for _, e := range c.entries {
		err = errors.Join(err, e.v.Close())
	}
	c.entries = nil
	return err
}

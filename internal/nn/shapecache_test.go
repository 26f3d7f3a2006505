package nn

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type closer struct {
	name   string
	closed *[]string
	err    error
}

func (c closer) Close() error { *c.closed = append(*c.closed, c.name); return c.err }

func TestShapeCache(t *testing.T) {
	var closed []string
	builds := 0
	get := func(c *ShapeCache[closer], b, s int, err error) closer {
		t.Helper()
		v, gerr := c.Get(b, s, func() (closer, error) {
			builds++
			return closer{name: string(rune('a'+b)) + string(rune('0'+s)), closed: &closed, err: err}, nil
		})
		require.NoError(t, gerr)
		return v
	}

	t.Run("least recently used goes first", func(t *testing.T) {
		closed, builds = nil, 0
		c := NewShapeCache[closer](2, 0)
		get(c, 1, 1, nil)
		get(c, 2, 2, nil)
		get(c, 1, 1, nil) // a hit refreshes it
		assert.Equal(t, 2, builds)
		get(c, 3, 3, nil)
		assert.Equal(t, []string{"c2"}, closed, "2×2 was the least recently used")
		assert.Equal(t, 2, c.Len())
		require.NoError(t, c.Close())
		assert.ElementsMatch(t, []string{"c2", "b1", "d3"}, closed)
		assert.Zero(t, c.Len())
	})

	t.Run("token budget", func(t *testing.T) {
		closed = nil
		c := NewShapeCache[closer](10, 8)
		get(c, 2, 2, nil) // 4 tokens
		get(c, 2, 3, nil) // 10 tokens held: evict the older
		assert.Equal(t, []string{"c2"}, closed)
		get(c, 4, 4, nil) // alone over budget, but the most recent is kept
		assert.Equal(t, 1, c.Len())
	})

	t.Run("close errors reach the caller", func(t *testing.T) {
		closed = nil
		c := NewShapeCache[closer](1, 0)
		boom := errors.New("close failed")
		get(c, 1, 1, boom)
		v, err := c.Get(2, 2, func() (closer, error) { return closer{name: "new", closed: &closed}, nil })
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, "new", v.name, "the built entry is still returned")
	})
}

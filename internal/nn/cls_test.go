package nn

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

func TestCLS(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 13))
	const b, seq, h = 3, 4, 5
	x := randParam(r, "x", b, seq, h)
	prog, probe, out := runKernel(t, r, &CLS{}, x)
	require.NoError(t, prog.Run())
	got := out()
	require.Len(t, got, b*h)
	for i := range b {
		assert.Equal(t, x.Data[i*seq*h:i*seq*h+h], got[i*h:(i+1)*h], "sequence %d", i)
	}
	// Gradient: the probe's weights at position 0, zero elsewhere.
	for i := range b {
		for p := range seq {
			for j := range h {
				want := float32(0)
				if p == 0 {
					want = probe.R[i*h+j]
				}
				assert.Equal(t, want, x.Grad[(i*seq+p)*h+j])
			}
		}
	}
	_, err := (&CLS{}).OutShape([]tensor.Shape{{3, 4}})
	assert.Error(t, err, "a 2-D input has no positions")
}

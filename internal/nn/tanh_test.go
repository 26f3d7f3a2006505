package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTanh(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	x := randParam(r, "x", 3, 7)
	x.Normal(r, 1.5)
	prog, _, out := runKernel(t, r, &Tanh{}, x)
	require.NoError(t, prog.Run())
	want := make([]float64, len(x.Data))
	for i, v := range x.Data {
		want[i] = math.Tanh(float64(v))
	}
	assert.Less(t, maxAbsDiff(out(), want), 1e-7)
	checkKernel(t, 12, &Tanh{}, 21, x)
}

package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// checkGrads compares the analytic gradients that run leaves in params'
// Grad with central finite differences of the loss that run returns. It
// probes up to probes entries of each param, chosen with a seeded RNG.
// Tolerance: float32 forward passes with eps = 1e-2 give about 3 significant
// digits, so |analytic - numeric| <= 2e-3 + 2e-2·|numeric|.
// skip, when non-nil, exempts entries whose gradient is zero by definition
// (an embedding's padding row).
func checkGrads(t *testing.T, params []*Param, run func() (float64, error), probes int, skip func(p *Param, j int) bool) {
	t.Helper()
	_, err := run()
	require.NoError(t, err)
	analytic := make([][]float32, len(params))
	for i, p := range params {
		analytic[i] = append([]float32(nil), p.Grad...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const eps = 1e-2
	for i, p := range params {
		for n := 0; n < probes && n < p.Size(); n++ {
			j := r.IntN(p.Size())
			if skip != nil && skip(p, j) {
				continue
			}
			orig := p.Data[j]
			p.Data[j] = orig + eps
			up, err := run()
			require.NoError(t, err)
			p.Data[j] = orig - eps
			down, err := run()
			require.NoError(t, err)
			p.Data[j] = orig
			numeric := (up - down) / (2 * eps)
			got := float64(analytic[i][j])
			if math.Abs(got-numeric) > 2e-3+2e-2*math.Abs(numeric) {
				t.Errorf("%s[%d]: analytic %.6f, numeric %.6f", p.Name, j, got, numeric)
			}
		}
	}
}

func randParam(r *rand.Rand, name string, shape ...int) *Param {
	p := NewParam(name, shape...)
	p.Normal(r, 0.5)
	return p
}

package nn

import "math"

// Fast float32 activations for the LSTM cell. They follow Cephes' expf
// (Cody–Waite range reduction and a degree-6 polynomial), within about
// 2 ulp of the true value: well inside the 1e-5 the torch parity test
// allows, and many times faster than float64 math.Exp. On amd64 with AVX2
// the slice forms run eight lanes at a time (lstm_act_amd64.s) with the
// same method and constants.

const (
	lstmExpHi    = 88.0                // e^88 < MaxFloat32; the sigmoid and tanh saturate long before
	lstmExpLo    = -87.3365478515625   // ln of the smallest normal float32
	lstmLog2e    = 1.44269504088896341 // 1/ln 2
	lstmLn2Hi    = 0.693359375         // ln 2 split in two, so n·lstmLn2Hi is exact
	lstmLn2Lo    = -2.12194440e-4
	lstmExpPoly0 = 1.9875691500e-4
	lstmExpPoly1 = 1.3981999507e-3
	lstmExpPoly2 = 8.3334519073e-3
	lstmExpPoly3 = 4.1665795894e-2
	lstmExpPoly4 = 1.6666665459e-1
	lstmExpPoly5 = 5.0000001201e-1
)

// exp32 returns e^x for x clamped to [lstmExpLo, lstmExpHi]; NaN gives NaN.
func exp32(x float32) float32 {
	if x != x {
		return x
	}
	x = min(max(x, lstmExpLo), lstmExpHi)
	fn := float32(math.Floor(float64(x*lstmLog2e + 0.5)))
	r := x - fn*lstmLn2Hi - fn*lstmLn2Lo
	p := float32(lstmExpPoly0)
	p = p*r + lstmExpPoly1
	p = p*r + lstmExpPoly2
	p = p*r + lstmExpPoly3
	p = p*r + lstmExpPoly4
	p = p*r + lstmExpPoly5
	y := p*r*r + r + 1
	// fn is in [-126, 127] after the clamp: a normal power of two.
	return y * math.Float32frombits(uint32(int32(fn)+127)<<23)
}

// sigmoid32 returns 1/(1+e^-x).
func sigmoid32(x float32) float32 { return 1 / (1 + exp32(-x)) }

// tanh32 returns tanh x as 1 - 2/(e^2x + 1), accurate to about 1e-7 in
// absolute terms (not relative terms near 0, which the LSTM does not need).
func tanh32(x float32) float32 { return 1 - 2/(exp32(2*x)+1) }

// sigmoidSlice sets dst[i] = sigmoid32(src[i]) for i < len(dst); dst and
// src may be the same slice.
func sigmoidSlice(dst, src []float32) {
	n := len(dst)
	src = src[:n]
	i := 0
	if lstmAVX2 && n >= 8 {
		i = n &^ 7
		sigmoidAVX2(&dst[0], &src[0], i)
	}
	for ; i < n; i++ {
		dst[i] = sigmoid32(src[i])
	}
}

// tanhSlice sets dst[i] = tanh32(src[i]) for i < len(dst); dst and src may
// be the same slice.
func tanhSlice(dst, src []float32) {
	n := len(dst)
	src = src[:n]
	i := 0
	if lstmAVX2 && n >= 8 {
		i = n &^ 7
		tanhAVX2(&dst[0], &src[0], i)
	}
	for ; i < n; i++ {
		dst[i] = tanh32(src[i])
	}
}

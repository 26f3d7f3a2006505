package nn

import "math"

// Float32 elementary functions for the hot loops of GELU and attention.
// math.Exp and math.Erf work in float64 and cost 10–60 ns a call on the
// shared 2-core machines; these cost about 5 ns, with errors far below what
// float32 activations can show.

const (
	log2e   = 1.44269504088896341
	ln2Hi   = 0.693359375    // Cephes: ln 2 split so that n·ln2Hi is exact
	ln2Lo   = -2.12194440e-4 // ln 2 - ln2Hi
	expfMin = -87.33654475055310898657
	// roundMagic is 1.5·2²³: adding it to a float32 of magnitude below 2²²
	// rounds it to an integer, which then sits in the low mantissa bits.
	roundMagic     = 12582912
	roundMagicBits = 0x4B400000
)

// expNonPos returns e**x for x ≤ 0 in float32, with the Cephes expf
// method: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e**r,
// and 2**n put into the exponent bits. Its relative error is within 2 ulp
// (1.2e-7 measured). Below about -87.34, where the result would be
// subnormal, it returns 0, so the masked scores of attention (-3.4e38) get
// weight exactly 0. NaN gives NaN. Positive x is outside its domain (the
// result is wrong above 88.4): its callers pass x - max and -x²/2.
func expNonPos(x float32) float32 {
	if x < expfMin {
		return 0
	}
	t := x*log2e + roundMagic
	n := int32(math.Float32bits(t)) - roundMagicBits
	fn := t - roundMagic
	r := x - fn*ln2Hi
	r -= fn * ln2Lo
	y := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	y = y*(r*r) + r + 1
	return y * math.Float32frombits(uint32(n+127)<<23)
}

// erff returns erf(x) in float32 as the ratio of an odd degree-13 and an
// even degree-8 polynomial on x clamped to [-4, 4] (beyond which erf is ±1
// in float32): the rational approximation of Eigen's and XLA's float32 erf.
// Its absolute error is within 5e-7 (4.2e-7 measured against math.Erf), a
// few ulp. It has no branches but the clamp and is inlined, so a loop over
// it runs at about 5 ns per value. NaN gives NaN.
func erff(x float32) float32 {
	// Written to stay within the compiler's inlining budget.
	if x > 4 {
		x = 4
	}
	if x < -4 {
		x = -4
	}
	x2 := x * x
	p := (((((x2*-2.72614225801306e-10+2.77068142495902e-08)*x2-2.10102402082508e-06)*x2-5.69250639462346e-05)*x2-7.34990630326855e-04)*x2-2.95459980854025e-03)*x2 - 1.60960333262415e-02
	q := (((x2*-1.45660718464996e-05-2.13374055278905e-04)*x2-1.68282697438203e-03)*x2-7.37332916720468e-03)*x2 - 1.42647390514189e-02
	return x * p / q
}

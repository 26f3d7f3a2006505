package nn

import (
	"fmt"
	"slices"
	"sync"

	"gorgonia.org/tensor"
)

// LSTM is one LSTM layer, forward-only or bidirectional, over a batch-first
// sequence, with PyTorch's weights and packed-sequence semantics.
//
// Inputs: x [B, T, In], then for each direction (forward first, then
// backward) W_ih [4H, In], W_hh [4H, H], b_ih [4H] and b_hh [4H], in the
// layout and gate order (input, forget, cell, output) of torch.nn.LSTM's
// weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k} and bias_hh_l{k} (with the
// suffix _reverse for the backward direction). Five inputs make a
// forward-only layer and nine a bidirectional one. The output is
// [B, T, dirs·H]: the forward direction's hidden states in the first H
// columns and the backward direction's in the next H.
//
// Lengths gives the number of valid steps of each row, as
// torch.nn.utils.rnn.pack_padded_sequence does: the forward direction runs
// t = 0 … len-1 and the backward direction t = len-1 … 0, both from a zero
// state; padded steps (t ≥ len) output zeros, never touch the state, and
// get no gradient. A length of 0 gives a row of zeros.
//
// The kernel sorts the rows by length and packs the valid steps, so the
// work is proportional to the number of valid tokens, not to B·T: one
// product computes the input projection of every valid step, and each step
// multiplies only the rows still running by W_hhᵀ. The backward pass is
// hand-written back-propagation through time. The two directions run on
// two goroutines.
type LSTM struct {
	// Lengths holds the number of valid steps of each of the B rows, each
	// in [0, T]. Set it before each run.
	Lengths []int

	bsz, seq, in, hid, dirs int
	perm                    []int // sorted row → batch row, longest first
	steps                   []int // steps[t]: rows with length > t (a prefix of perm)
	offs                    []int // offs[t]: first packed row of step t; len seq+1
	total                   int   // valid steps in the batch = offs[seq]
	xld, g4, hw, hld        int   // row strides of xp, gates, hs and hprev (see padStride)

	xp    []float32 // [total, In]: the valid inputs, packed
	gates []float32 // [total, dirs·4H]: pre-activations, then activations, then (backward) their gradients
	hs    []float32 // [total, dirs·H]: hidden states, packed
	dxp   []float32 // [total, In]: gradient of xp
	dir   [2]lstmDir
	wg    [2]gemmScratch // for products split over both goroutines

	out, dx *tensor.Dense
}

// lstmDir holds one direction's weights in product-friendly layouts, its
// per-step states, and its gradients.
type lstmDir struct {
	wihT, whhT []float32 // W_ihᵀ [In, 4H] and W_hhᵀ [H, 4H], row stride padStride(4H)
	whhPad     []float32 // W_hh [4H, H], row stride padStride(H)
	bias       []float32 // b_ih + b_hh [4H]
	hprev      []float32 // [total, H], row stride padStride(H): the state each packed step started from
	cs, tc     []float32 // [total, H]: cell states and their tanh
	dh, dc     []float32 // [B, H] (dh with row stride padStride(H)): gradients flowing into the previous step
	s          gemmScratch

	dWih, dWhh, dbih, dbhh *tensor.Dense
}

// Name implements [Kernel].
func (*LSTM) Name() string { return "lstm" }

// DiffWRT implements [Kernel].
func (*LSTM) DiffWRT(n int) []bool { return all(n) }

// OutShape implements [Kernel].
func (*LSTM) OutShape(in []tensor.Shape) (tensor.Shape, error) {
	if len(in) != 5 && len(in) != 9 {
		return nil, fmt.Errorf("want x and 4 weights per direction (5 or 9 inputs), got %d inputs", len(in))
	}
	x := in[0]
	if len(x) != 3 {
		return nil, fmt.Errorf("x has shape %v, want [batch, seq, in]", x)
	}
	dirs := (len(in) - 1) / 4
	hid := 0
	for d := range dirs {
		wih, whh, bih, bhh := in[1+4*d], in[2+4*d], in[3+4*d], in[4+4*d]
		if len(whh) != 2 || whh[0] != 4*whh[1] || whh[1] == 0 {
			return nil, fmt.Errorf("direction %d: W_hh has shape %v, want [4H, H]", d, whh)
		}
		h := whh[1]
		if d == 0 {
			hid = h
		} else if h != hid {
			return nil, fmt.Errorf("direction %d: hidden size %d, direction 0 has %d", d, h, hid)
		}
		if len(wih) != 2 || wih[0] != 4*h || wih[1] != x[2] {
			return nil, fmt.Errorf("direction %d: W_ih has shape %v, want [%d, %d]", d, wih, 4*h, x[2])
		}
		for _, b := range []tensor.Shape{bih, bhh} {
			if len(b) != 1 || b[0] != 4*h {
				return nil, fmt.Errorf("direction %d: bias has shape %v, want [%d]", d, b, 4*h)
			}
		}
	}
	return tensor.Shape{x[0], x[1], dirs * hid}, nil
}

// Forward implements [Kernel].
func (k *LSTM) Forward(in []*tensor.Dense) (*tensor.Dense, error) {
	xs := in[0].Shape()
	k.bsz, k.seq, k.in = xs[0], xs[1], xs[2]
	k.dirs = (len(in) - 1) / 4
	k.hid = in[2].Shape()[1]
	k.xld, k.g4, k.hw, k.hld = padStride(k.in), padStride(k.dirs*4*k.hid), padStride(k.dirs*k.hid), padStride(k.hid)
	if err := k.pack(f32(in[0])); err != nil {
		return nil, err
	}
	k.gates = grow(k.gates, k.total*k.g4)
	k.hs = grow(k.hs, k.total*k.hw)
	run := func(d int) {
		w := in[1+4*d : 5+4*d]
		k.forwardDir(d, f32(w[0]), f32(w[1]), f32(w[2]), f32(w[3]))
	}
	if k.dirs == 2 {
		parallel2(func() { run(0) }, func() { run(1) })
	} else {
		run(0)
	}
	k.out = buffer(k.out, k.bsz, k.seq, k.dirs*k.hid)
	k.scatter(f32(k.out), k.dirs*k.hid, k.hs, k.hw)
	return k.out, nil
}

// pack sorts the rows by length and gathers the valid steps of x into xp,
// step-major: the rows of step t, longest first, from offs[t].
func (k *LSTM) pack(x []float32) error {
	if len(k.Lengths) != k.bsz {
		return fmt.Errorf("%d lengths for a batch of %d", len(k.Lengths), k.bsz)
	}
	for i, n := range k.Lengths {
		if n < 0 || n > k.seq {
			return fmt.Errorf("length %d of row %d is outside [0, %d]", n, i, k.seq)
		}
	}
	k.perm = k.perm[:0]
	for i := range k.bsz {
		k.perm = append(k.perm, i)
	}
	lens := k.Lengths
	slices.SortStableFunc(k.perm, func(a, b int) int { return lens[b] - lens[a] })
	k.steps = slices.Grow(k.steps[:0], k.seq)[:k.seq]
	k.offs = slices.Grow(k.offs[:0], k.seq+1)[:k.seq+1]
	r := k.bsz
	for t := range k.seq {
		for r > 0 && lens[k.perm[r-1]] <= t {
			r--
		}
		k.steps[t] = r
		k.offs[t+1] = k.offs[t] + r
	}
	k.total = k.offs[k.seq]
	k.xp = grow(k.xp, k.total*k.xld)
	for t, n := range k.steps {
		for r := range n {
			src := (k.perm[r]*k.seq + t) * k.in
			dst := (k.offs[t] + r) * k.xld
			copy(k.xp[dst:dst+k.in], x[src:src+k.in])
		}
	}
	return nil
}

// scatter writes packed rows (row stride ld) of width w back into the
// batch-first dst [B, T, w], with zeros at padded steps.
func (k *LSTM) scatter(dst []float32, w int, packed []float32, ld int) {
	for r, b := range k.perm {
		n := k.Lengths[b]
		for t := range n {
			src := (k.offs[t] + r) * ld
			copy(dst[(b*k.seq+t)*w:(b*k.seq+t+1)*w], packed[src:src+w])
		}
		clear(dst[(b*k.seq+n)*w : (b+1)*k.seq*w])
	}
}

// forwardDir runs direction d: the input projection of every valid step,
// then the recurrence.
func (k *LSTM) forwardDir(d int, wih, whh, bih, bhh []float32) {
	dr := &k.dir[d]
	h, h4, g4, hw, hld := k.hid, 4*k.hid, k.g4, k.hw, k.hld
	ld4 := padStride(h4)
	dr.wihT = transposeInto(dr.wihT, wih, h4, k.in, ld4)
	dr.whhT = transposeInto(dr.whhT, whh, h4, h, ld4)
	dr.bias = grow(dr.bias, h4)
	for j := range dr.bias {
		dr.bias[j] = bih[j] + bhh[j]
	}
	dr.hprev = grow(dr.hprev, k.total*hld)
	dr.cs = grow(dr.cs, k.total*h)
	dr.tc = grow(dr.tc, k.total*h)
	gates := k.gates[d*h4:]
	mm(&dr.s, false, k.total, h4, k.in, k.xp, k.xld, dr.wihT, ld4, gates, g4, false)
	for i := range k.seq {
		t := i
		if d == 1 {
			t = k.seq - 1 - i
		}
		n := k.steps[t]
		if n == 0 {
			continue
		}
		// The previous step (t-1 forward, t+1 backward) and how many of
		// this step's rows it holds: all of them going forward; going
		// backward, rows that start here start from zero.
		prev, np := t-1, n
		if d == 1 {
			prev = t + 1
			np = 0
			if prev < k.seq {
				np = k.steps[prev]
			}
		}
		if prev < 0 {
			np = 0
		}
		off := k.offs[t]
		hp := dr.hprev[off*hld : (off+n)*hld]
		for r := range np {
			src := (k.offs[prev]+r)*hw + d*h
			copy(hp[r*hld:r*hld+h], k.hs[src:src+h])
		}
		for r := np; r < n; r++ {
			clear(hp[r*hld : r*hld+h])
		}
		if np > 0 {
			mm(&dr.s, false, np, h4, h, hp, hld, dr.whhT, ld4, gates[off*g4:], g4, true)
		}
		for r := range n {
			row := off + r
			var cprev []float32
			if r < np {
				cprev = dr.cs[(k.offs[prev]+r)*h : (k.offs[prev]+r+1)*h]
			}
			lstmCellForward(gates[row*g4:row*g4+h4], dr.bias, cprev,
				dr.cs[row*h:(row+1)*h], dr.tc[row*h:(row+1)*h], k.hs[row*hw+d*h:row*hw+d*h+h])
		}
	}
}

// lstmCellForward turns one row's gate pre-activations g (without bias)
// into activations in place and computes the new cell state c, its tanh tc
// and the hidden state h. A nil cprev is a zero previous cell state.
func lstmCellForward(g, bias, cprev, c, tc, h []float32) {
	n := len(c)
	if lstmAVX2 && n%8 == 0 && n > 0 {
		g, bias, tc, h = g[:4*n], bias[:4*n], tc[:n], h[:n]
		var cp *float32
		if cprev != nil {
			cp = &cprev[:n][0]
		}
		lstmCellAVX2(&g[0], &bias[0], cp, &c[0], &tc[0], &h[0], n)
		return
	}
	lstmCellForwardGo(g, bias, cprev, c, tc, h)
}

// lstmCellForwardGo is lstmCellForward in plain Go.
func lstmCellForwardGo(g, bias, cprev, c, tc, h []float32) {
	n := len(c)
	g, bias = g[:4*n], bias[:4*n]
	for j, b := range bias {
		g[j] += b
	}
	sigmoidSlice(g[:2*n], g[:2*n])
	tanhSlice(g[2*n:3*n], g[2*n:3*n])
	sigmoidSlice(g[3*n:], g[3*n:])
	gi, gf, gg, gO := g[:n], g[n:2*n], g[2*n:3*n], g[3*n:4*n]
	if cprev != nil {
		cprev = cprev[:n]
		for j := range n {
			c[j] = gf[j]*cprev[j] + gi[j]*gg[j]
		}
	} else {
		for j := range n {
			c[j] = gi[j] * gg[j]
		}
	}
	tanhSlice(tc[:n], c[:n])
	h = h[:n]
	for j, t := range tc[:n] {
		h[j] = gO[j] * t
	}
}

// Backward implements [Kernel].
func (k *LSTM) Backward(in []*tensor.Dense, _, dOut *tensor.Dense) ([]*tensor.Dense, error) {
	dy := f32(dOut)
	run := func(d int) { k.backwardDir(d, dy, f32(in[2+4*d])) }
	if k.dirs == 2 {
		parallel2(func() { run(0) }, func() { run(1) })
	} else {
		run(0)
	}
	// dxp = Σ_d dG_d · W_ih_d.
	h4 := 4 * k.hid
	k.dxp = grow(k.dxp, k.total*k.xld)
	for d := range k.dirs {
		mmPar(nil, &k.wg, false, k.total, k.in, h4, k.gates[d*h4:], k.g4, f32(in[1+4*d]), k.in, k.dxp, k.xld, d > 0)
	}
	k.dx = buffer(k.dx, k.bsz, k.seq, k.in)
	k.scatter(f32(k.dx), k.in, k.dxp, k.xld)
	grads := []*tensor.Dense{k.dx}
	for d := range k.dirs {
		dr := &k.dir[d]
		grads = append(grads, dr.dWih, dr.dWhh, dr.dbih, dr.dbhh)
	}
	return grads, nil
}

// backwardDir back-propagates direction d through time, leaving the gate
// gradients in place of the activations in k.gates, and computes the
// direction's weight gradients.
func (k *LSTM) backwardDir(d int, dy, whh []float32) {
	dr := &k.dir[d]
	h, h4, g4, hw, hld := k.hid, 4*k.hid, k.g4, k.dirs*k.hid, k.hld
	dr.dh = grow(dr.dh, k.bsz*hld)
	dr.dc = grow(dr.dc, k.bsz*h)
	clear(dr.dh)
	clear(dr.dc)
	// W_hh with a padded row stride, the B operand of the per-step product.
	dr.whhPad = grow(dr.whhPad, h4*hld)
	for i := range h4 {
		copy(dr.whhPad[i*hld:i*hld+h], whh[i*h:(i+1)*h])
	}
	gates := k.gates[d*h4:]
	// Reverse the order of the forward pass: forward direction
	// t = T-1 … 0, backward direction t = 0 … T-1.
	for i := range k.seq {
		t := k.seq - 1 - i
		if d == 1 {
			t = i
		}
		n := k.steps[t]
		if n == 0 {
			continue
		}
		off := k.offs[t]
		for r := range n {
			row := off + r
			b := k.perm[r]
			var cprev []float32
			if np := k.prevRows(d, t); r < np {
				p := k.offs[k.prevStep(d, t)] + r
				cprev = dr.cs[p*h : (p+1)*h]
			}
			src := (b*k.seq+t)*hw + d*h
			lstmCellBackward(gates[row*g4:row*g4+h4], cprev, dr.tc[row*h:(row+1)*h],
				dy[src:src+h], dr.dh[r*hld:r*hld+h], dr.dc[r*h:(r+1)*h])
		}
		// Gradient with respect to the previous step's hidden state, for
		// the rows that had one.
		if np := k.prevRows(d, t); np > 0 {
			mm(&dr.s, false, np, h, h4, gates[off*g4:], g4, dr.whhPad, hld, dr.dh, hld, false)
		}
	}
	dr.dWih = buffer(dr.dWih, h4, k.in)
	mm(&dr.s, true, h4, k.in, k.total, gates, g4, k.xp, k.xld, f32(dr.dWih), k.in, false)
	dr.dWhh = buffer(dr.dWhh, h4, h)
	mm(&dr.s, true, h4, h, k.total, gates, g4, dr.hprev, hld, f32(dr.dWhh), h, false)
	dr.dbih = zeroed(dr.dbih, h4)
	db := f32(dr.dbih)
	for row := range k.total {
		for j, v := range gates[row*g4 : row*g4+h4] {
			db[j] += v
		}
	}
	dr.dbhh = buffer(dr.dbhh, h4)
	copy(f32(dr.dbhh), db)
}

// prevStep returns the step that feeds step t in direction d: t-1 going
// forward, t+1 going backward.
func (k *LSTM) prevStep(d, t int) int {
	if d == 1 {
		return t + 1
	}
	return t - 1
}

// prevRows returns how many of step t's rows continue a previous step in
// direction d (the others start from the zero state).
func (k *LSTM) prevRows(d, t int) int {
	p := k.prevStep(d, t)
	if p < 0 || p >= k.seq {
		return 0
	}
	return min(k.steps[t], k.steps[p])
}

// lstmCellBackward back-propagates one row of one step. On entry act holds
// the activations (i, f, g, o) of the forward pass, tc the tanh of the cell
// state, dy the gradient of the layer's output at this step, and dh and dc
// the gradients flowing back from the next step into this step's hidden
// and cell states. On return act holds the gradients of the gate
// pre-activations and dc the gradient of the previous cell state; dh is
// left for the caller to overwrite. A nil cprev is a zero previous cell
// state.
func lstmCellBackward(act, cprev, tc, dy, dh, dc []float32) {
	n := len(tc)
	ai, af, ag, ao := act[:n], act[n:2*n], act[2*n:3*n], act[3*n:4*n]
	dy, dh, dc = dy[:n], dh[:n], dc[:n]
	if cprev != nil {
		cprev = cprev[:n]
	}
	for j := range n {
		i, f, g, o, t := ai[j], af[j], ag[j], ao[j], tc[j]
		dhj := dy[j] + dh[j]
		dcj := dc[j] + dhj*o*(1-t*t)
		var cp float32
		if cprev != nil {
			cp = cprev[j]
		}
		dc[j] = dcj * f
		ai[j] = dcj * g * i * (1 - i)
		af[j] = dcj * cp * f * (1 - f)
		ag[j] = dcj * i * (1 - g*g)
		ao[j] = dhj * t * o * (1 - o)
	}
}

// transposeInto writes the transpose of the rows×cols matrix src into dst
// with row stride ld ≥ rows, grown as needed, and returns it.
func transposeInto(dst, src []float32, rows, cols, ld int) []float32 {
	dst = grow(dst, cols*ld)
	for i := range rows {
		for j, v := range src[i*cols : (i+1)*cols] {
			dst[j*ld+i] = v
		}
	}
	return dst
}

// padStride returns the row stride for rows of n floats. Strides that are
// a multiple of 256 bytes make the rows of a GEMM panel fall into a few L1
// cache sets and evict each other; 16 more floats (one cache line) spread
// them out (measured: 8–10% less CPU time for the reference layer).
func padStride(n int) int {
	if n%64 == 0 {
		return n + 16
	}
	return n
}

// parallel2 runs f0 on the calling goroutine and f1 on a new one, and
// returns when both are done. A panic in f1 is re-raised on the calling
// goroutine, where the op that runs the kernel turns it into [ErrMath].
func parallel2(f0, f1 func()) {
	var wg sync.WaitGroup
	var p any
	wg.Go(func() {
		defer func() { p = recover() }()
		f1()
	})
	func() {
		defer wg.Wait()
		f0()
	}()
	if p != nil {
		panic(p)
	}
}

package nn

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Kernel is a differentiable computation with hand-written float32 forward
// and backward passes. A Kernel is placed in a gorgonia graph with
// [Graph.Apply]; gorgonia then schedules it, differentiates through it with
// its symbolic differentiation, and runs it on a TapeMachine.
//
// A Kernel instance belongs to one graph, and so to one goroutine: it may
// keep the inputs and intermediates of its latest Forward for Backward, and
// it may reuse its output buffers across runs. Inputs that are not
// differentiable and not float32 (token ids, lengths, dropout masks, class
// targets) are fields of the kernel, set before each run, rather than graph
// inputs.
type Kernel interface {
	// Name names the kernel in errors and graph dumps.
	Name() string
	// OutShape returns the output shape for inputs of the given shapes, or
	// an error naming the mismatch. A nil or empty shape is a scalar.
	OutShape(in []tensor.Shape) (tensor.Shape, error)
	// Forward computes the output from the inputs.
	Forward(in []*tensor.Dense) (*tensor.Dense, error)
	// Backward returns the gradient of the loss with respect to each input,
	// given the inputs and output of the latest Forward and dOut, the
	// gradient with respect to that output. The result has one entry per
	// input; entries for inputs that DiffWRT marks false may be nil.
	Backward(in []*tensor.Dense, out, dOut *tensor.Dense) ([]*tensor.Dense, error)
	// DiffWRT reports, for each of n inputs, whether the kernel is
	// differentiable with respect to it.
	DiffWRT(n int) []bool
}

var opSeq atomic.Uint64

// errSlot keeps the latest error of an op, because gorgonia reports op
// failures as text and loses the chain (errors.Is(err, ErrMath),
// errors.Is(err, context.Canceled)).
type errSlot struct{ err error }

func (s *errSlot) keep(err *error) { s.err = *err }

// kernelOp adapts a Kernel to gorgonia's Op and SDOp interfaces.
type kernelOp struct {
	errSlot
	k      Kernel
	id     uint64 // unique per instance, so gorgonia never merges two kernels
	in     []tensor.Shape
	out    tensor.Shape
	grad   *gradOp
	hashed uint32
}

func newKernelOp(k Kernel, in []tensor.Shape) (*kernelOp, error) {
	out, err := k.OutShape(in)
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", k.Name(), err)
	}
	op := &kernelOp{k: k, id: opSeq.Add(1), in: in, out: out}
	op.hashed = hashOf(op)
	return op, nil
}

func typeOf(s tensor.Shape) hm.Type {
	if len(s) == 0 || s.IsScalar() {
		return tensor.Float32
	}
	return gorgonia.TensorType{Dims: len(s), Of: tensor.Float32}
}

func fnType(in []tensor.Shape, out tensor.Shape) hm.Type {
	ts := make([]hm.Type, 0, len(in)+1)
	for _, s := range in {
		ts = append(ts, typeOf(s))
	}
	return hm.NewFnType(append(ts, typeOf(out))...)
}

func hashOf(s fmt.Stringer) uint32 {
	h := fnv.New32a()
	fmt.Fprint(h, s.String())
	return h.Sum32()
}

func (op *kernelOp) Arity() int    { return len(op.in) }
func (op *kernelOp) Type() hm.Type { return fnType(op.in, op.out) }
func (op *kernelOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return op.out.Clone(), nil
}
func (op *kernelOp) ReturnsPtr() bool      { return false }
func (op *kernelOp) CallsExtern() bool     { return false }
func (op *kernelOp) OverwritesInput() int  { return -1 }
func (op *kernelOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *kernelOp) Hashcode() uint32      { return op.hashed }
func (op *kernelOp) String() string        { return fmt.Sprintf("%s#%d", op.k.Name(), op.id) }
func (op *kernelOp) DiffWRT(n int) []bool  { return op.k.DiffWRT(n) }

func (op *kernelOp) Do(vals ...gorgonia.Value) (v gorgonia.Value, err error) {
	// gorgonia runs ops on a goroutine of its own: a panic must be caught
	// here, or it would take the process down. gorgonia also flattens the
	// error chain, so the error is kept for Program.Run as well.
	defer op.keep(&err)
	defer recoverMath(&err)
	in, err := denses(vals)
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", op.k.Name(), err)
	}
	out, err := op.k.Forward(in)
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", op.k.Name(), err)
	}
	return toValue(out, op.out)
}

// SymDiff places one backward node that computes every input gradient at
// once, and one cheap pick node per differentiable input that hands gorgonia
// that input's gradient.
func (op *kernelOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	g := &gradOp{fwd: op}
	op.grad = g
	args := make(gorgonia.Nodes, 0, len(inputs)+2)
	args = append(args, inputs...)
	args = append(args, output, grad)
	gn, err := gorgonia.ApplyOp(g, args...)
	if err != nil {
		return nil, fmt.Errorf("nn: %s backward: %w", op.k.Name(), err)
	}
	diff := op.k.DiffWRT(len(inputs))
	out := make(gorgonia.Nodes, len(inputs))
	for i := range inputs {
		if !diff[i] {
			continue
		}
		if out[i], err = gorgonia.ApplyOp(&pickOp{src: g, i: i}, gn); err != nil {
			return nil, fmt.Errorf("nn: %s gradient %d: %w", op.k.Name(), i, err)
		}
	}
	return out, nil
}

// gradOp runs Kernel.Backward. Its own value is a dummy scalar; the
// gradients are handed out by pickOps that depend on it.
type gradOp struct {
	errSlot
	fwd   *kernelOp
	grads []*tensor.Dense
}

func (g *gradOp) Arity() int { return len(g.fwd.in) + 2 }
func (g *gradOp) Type() hm.Type {
	in := append(append([]tensor.Shape(nil), g.fwd.in...), g.fwd.out, g.fwd.out)
	return fnType(in, tensor.ScalarShape())
}
func (g *gradOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return tensor.ScalarShape(), nil
}
func (g *gradOp) ReturnsPtr() bool      { return false }
func (g *gradOp) CallsExtern() bool     { return false }
func (g *gradOp) OverwritesInput() int  { return -1 }
func (g *gradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, g.String()) }
func (g *gradOp) Hashcode() uint32      { return hashOf(g) }
func (g *gradOp) String() string        { return "grad(" + g.fwd.String() + ")" }

func (g *gradOp) Do(vals ...gorgonia.Value) (v gorgonia.Value, err error) {
	defer g.keep(&err)
	defer recoverMath(&err)
	n := len(g.fwd.in)
	ds, err := denses(vals)
	if err != nil {
		return nil, fmt.Errorf("nn: %s backward: %w", g.fwd.k.Name(), err)
	}
	grads, err := g.fwd.k.Backward(ds[:n], ds[n], ds[n+1])
	if err != nil {
		return nil, fmt.Errorf("nn: %s backward: %w", g.fwd.k.Name(), err)
	}
	if len(grads) != n {
		return nil, fmt.Errorf("nn: %s backward returned %d gradients for %d inputs", g.fwd.k.Name(), len(grads), n)
	}
	g.grads = grads
	return gorgonia.NewF32(0), nil
}

// pickOp hands out gradient i computed by src.
type pickOp struct {
	src *gradOp
	i   int
}

func (p *pickOp) Arity() int { return 1 }
func (p *pickOp) Type() hm.Type {
	return fnType([]tensor.Shape{tensor.ScalarShape()}, p.src.fwd.in[p.i])
}
func (p *pickOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return p.src.fwd.in[p.i].Clone(), nil
}
func (p *pickOp) ReturnsPtr() bool      { return false }
func (p *pickOp) CallsExtern() bool     { return false }
func (p *pickOp) OverwritesInput() int  { return -1 }
func (p *pickOp) WriteHash(h hash.Hash) { fmt.Fprint(h, p.String()) }
func (p *pickOp) Hashcode() uint32      { return hashOf(p) }
func (p *pickOp) String() string        { return fmt.Sprintf("pick%d(%s)", p.i, p.src) }

func (p *pickOp) Do(...gorgonia.Value) (gorgonia.Value, error) {
	if p.src.grads == nil || p.src.grads[p.i] == nil {
		return nil, fmt.Errorf("nn: %s gave no gradient for input %d", p.src.fwd.k.Name(), p.i)
	}
	return toValue(p.src.grads[p.i], p.src.fwd.in[p.i])
}

func denses(vals []gorgonia.Value) ([]*tensor.Dense, error) {
	out := make([]*tensor.Dense, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case *tensor.Dense:
			if v.Dtype() != tensor.Float32 {
				return nil, fmt.Errorf("input %d has dtype %v, want float32", i, v.Dtype())
			}
			out[i] = v
		case *gorgonia.F32:
			out[i] = tensor.New(tensor.WithShape(), tensor.WithBacking([]float32{float32(*v)}))
		case nil:
			return nil, fmt.Errorf("input %d has no value", i)
		default:
			return nil, fmt.Errorf("input %d is a %T, want a float32 tensor", i, v)
		}
	}
	return out, nil
}

// toValue converts a kernel result to the Value gorgonia expects for shape s:
// scalars travel as *gorgonia.F32.
func toValue(d *tensor.Dense, s tensor.Shape) (gorgonia.Value, error) {
	if d == nil {
		return nil, errors.New("nn: kernel returned no value")
	}
	if len(s) == 0 || s.IsScalar() {
		data := f32(d)
		if len(data) != 1 {
			return nil, fmt.Errorf("nn: want a scalar, got shape %v", d.Shape())
		}
		return gorgonia.NewF32(data[0]), nil
	}
	if !d.Shape().Eq(s) {
		return nil, fmt.Errorf("nn: kernel returned shape %v, want %v", d.Shape(), s)
	}
	return d, nil
}

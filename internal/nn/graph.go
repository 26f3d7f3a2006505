package nn

import (
	"errors"
	"fmt"
	"runtime/debug"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ErrMath wraps a panic recovered from the math layer (gorgonia or a
// kernel). It signals a bug, never bad user input.
var ErrMath = errors.New("nn: math layer failed")

// Graph builds one gorgonia expression graph out of Params and Kernels. It
// carries a sticky error: after the first failure every method is a no-op
// that returns nil, and [Graph.Err] (or [Graph.Compile]) reports the
// failure. A Graph and the Program compiled from it belong to one goroutine.
type Graph struct {
	g          *gorgonia.ExprGraph
	team       *team // shared by the graph's kernels (one goroutine runs them)
	err        error
	params     []*Param
	paramNodes []*gorgonia.Node
	ops        []*kernelOp
}

// NewGraph returns an empty Graph.
func NewGraph() *Graph { return &Graph{g: gorgonia.NewGraph(), team: &team{}} }

// Err returns the first error met while building, or nil.
func (b *Graph) Err() error { return b.err }

// Param adds p to the graph as a leaf whose value shares p.Data.
func (b *Graph) Param(p *Param) *gorgonia.Node {
	if b.err != nil {
		return nil
	}
	if p == nil || p.Size() == 0 {
		b.err = errors.New("nn: nil or empty param")
		return nil
	}
	val := tensor.New(tensor.WithShape(p.Shape...), tensor.WithBacking(p.Data))
	n := gorgonia.NewTensor(b.g, tensor.Float32, len(p.Shape), gorgonia.WithShape(p.Shape...),
		gorgonia.WithName(p.Name), gorgonia.WithValue(val))
	b.params = append(b.params, p)
	b.paramNodes = append(b.paramNodes, n)
	return n
}

// Apply adds k to the graph with the given inputs and returns its output
// node.
func (b *Graph) Apply(k Kernel, in ...*gorgonia.Node) *gorgonia.Node {
	if b.err != nil {
		return nil
	}
	shapes := make([]tensor.Shape, len(in))
	pu, _ := k.(paramUser)
	for i, n := range in {
		if n == nil {
			b.err = fmt.Errorf("nn: %s: input %d is nil", k.Name(), i)
			return nil
		}
		shapes[i] = n.Shape().Clone()
		if pu == nil {
			continue
		}
		for j, pn := range b.paramNodes {
			if pn == n {
				pu.useParam(i, b.params[j])
				break
			}
		}
	}
	if tu, ok := k.(teamUser); ok {
		tu.setTeam(b.team)
	}
	op, err := newKernelOp(k, shapes)
	if err != nil {
		b.err = err
		return nil
	}
	out, err := gorgonia.ApplyOp(op, in...)
	if err != nil {
		b.err = fmt.Errorf("nn: apply %s: %w", k.Name(), err)
		return nil
	}
	b.ops = append(b.ops, op)
	return out
}

// paramUser is a Kernel that can use the Params behind its inputs, e.g.
// to cache values derived from them; [Graph.Apply] hands it every input
// that is a Param's node.
type paramUser interface {
	useParam(i int, p *Param)
}

// Compile turns the graph into a Program. With a non-nil loss (a scalar
// node), the Program also computes the gradient of loss with respect to
// every Param added to the graph, and [Program.Run] leaves it in
// Param.Grad.
func (b *Graph) Compile(loss *gorgonia.Node) (p *Program, err error) {
	if b.err != nil {
		return nil, b.err
	}
	defer recoverMath(&err)
	prog := &Program{params: b.params, paramNodes: b.paramNodes, ops: b.ops}
	var opts []gorgonia.VMOpt
	if loss != nil {
		if !loss.IsScalar() {
			return nil, fmt.Errorf("nn: loss has shape %v, want a scalar", loss.Shape())
		}
		if _, err := gorgonia.Grad(loss, b.paramNodes...); err != nil {
			return nil, fmt.Errorf("nn: differentiate: %w", err)
		}
		opts = append(opts, gorgonia.BindDualValues(b.paramNodes...))
		prog.grads = true
	}
	prog.vm = gorgonia.NewTapeMachine(b.g, opts...)
	return prog, nil
}

// Program is a compiled Graph: one TapeMachine. It belongs to one
// goroutine; Close releases it.
type Program struct {
	vm         gorgonia.VM
	params     []*Param
	paramNodes []*gorgonia.Node
	ops        []*kernelOp
	grads      bool
}

// Run executes the graph once. Kernels read their per-run fields (ids,
// masks, targets) as set before the call. When the program was compiled with
// a loss, each Param's Grad holds the gradient afterwards. A panic in the
// math layer is returned as an error wrapping [ErrMath].
func (p *Program) Run() (err error) {
	defer recoverMath(&err)
	p.vm.Reset()
	for _, op := range p.ops {
		op.err = nil
		if op.grad != nil {
			op.grad.err = nil
		}
	}
	if p.grads {
		// gorgonia adds each run's gradients into the dual values of the
		// params; every run must start from zero.
		for i, n := range p.paramNodes {
			gv, err := n.Grad()
			if err != nil || gv == nil {
				continue // no value yet: the first run allocates it zeroed
			}
			gd, ok := gv.(*tensor.Dense)
			if !ok {
				return fmt.Errorf("nn: gradient of %s is a %T", p.params[i].Name, gv)
			}
			clear(gd.Float32s())
		}
	}
	if err := p.vm.RunAll(); err != nil {
		if kerr := p.kernelErr(); kerr != nil {
			return kerr
		}
		return fmt.Errorf("nn: run: %w", err)
	}
	if !p.grads {
		return nil
	}
	for i, n := range p.paramNodes {
		gv, err := n.Grad()
		if err != nil {
			return fmt.Errorf("nn: gradient of %s: %w", p.params[i].Name, err)
		}
		gd, ok := gv.(*tensor.Dense)
		if !ok {
			return fmt.Errorf("nn: gradient of %s is a %T", p.params[i].Name, gv)
		}
		copy(p.params[i].Grad, gd.Data().([]float32))
	}
	return nil
}

// kernelErr returns the error of the kernel that failed in the latest run,
// with its chain intact.
func (p *Program) kernelErr() error {
	for _, op := range p.ops {
		if op.err != nil {
			return op.err
		}
		if op.grad != nil && op.grad.err != nil {
			return op.grad.err
		}
	}
	return nil
}

// Params returns the Params of the program, in the order they were added.
func (p *Program) Params() []*Param { return p.params }

// Close releases the machine.
func (p *Program) Close() error {
	if p == nil || p.vm == nil {
		return nil
	}
	return p.vm.Close()
}

func recoverMath(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v\n%s", ErrMath, r, debug.Stack())
	}
}

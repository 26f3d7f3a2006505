// Package nn is the math layer shared by the bert and lstm packages: layers
// with hand-written float32 forward and backward passes, run as gorgonia
// operations, plus parameters, optimisers and seeded initialisation.
//
// # Overview
//
// A [Kernel] is one fused computation (a linear layer, a whole (Bi)LSTM over
// a sequence, multi-head attention, LayerNorm, a loss) whose backward pass is
// written by hand. [Graph] places kernels and [Param]s in a gorgonia
// expression graph with a sticky error; [Graph.Compile] adds gorgonia's
// symbolic gradients and returns a [Program], one TapeMachine, whose
// [Program.Run] leaves the gradient of the loss in every Param.Grad.
// gorgonia differentiates through a kernel by calling its Backward once and
// handing each input its gradient, so a fused kernel costs one backward
// call, not one per input. [Adam] (Adam and AdamW with torch.optim's
// semantics), [ClipGlobalNorm] and [LinearWarmupDecay] update the Params.
//
// Graphs have fixed shapes: a model builds one per (batch, sequence length)
// bucket and caches it. Inputs that are not differentiable (token ids,
// lengths, masks, targets, dropout masks) are fields of the kernels, set
// before each run. Matrix products (linear layers, attention, the LSTM)
// run on AVX2/FMA micro-kernels, with an AVX-512 variant for the widest
// tiles, where the CPU has them, on cache blocks of b packed into
// contiguous panels; a pure-Go fallback covers other CPUs (build tag
// purego forces it). Element-wise GELU and the softmax exponentials are
// vectorised the same way. The kernels of a graph share their work with
// one helper goroutine that spins between jobs (waking an idle core costs
// 100 µs and more, as much as a batch-1 product) and exits when idle;
// work goes out in chunks taken as each goroutine gets free. Inference
// graphs may keep each weight transposed and packed on its
// Param ([Linear.CacheTransposedW]) until [Param.Touch] marks it changed.
//
// # Contract
//
// A Graph, its Program and its kernels belong to one goroutine: a model
// keeps one per inference worker, all over the same read-only Params. A
// panic inside a kernel (which gorgonia runs on a goroutine of its own) is
// recovered and returned as an error wrapping [ErrMath]; kernel errors keep
// their chain. All randomness comes from a caller's *rand.Rand: the same seed
// gives bit-identical weights and dropout masks on one machine. Every kernel
// is checked against numeric gradients, and the optimisers against PyTorch
// (testdata/SOURCE). [Adam.Step] and [ClipGlobalNorm] spread their work
// over the cores; their results do not depend on the number of cores.
//
// # See also
//
// The bert and lstm packages build their networks from these kernels.
package nn

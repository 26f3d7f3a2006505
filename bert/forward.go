package bert

import (
	"fmt"
	"math/rand/v2"

	"github.com/hatetweet/hatetweet/internal/nn"
	"github.com/hatetweet/hatetweet/tokenize"
	"gorgonia.org/gorgonia"
)

// net is one compiled BERT graph for a fixed batch size and sequence
// length: gorgonia graphs have fixed shapes. It belongs to one goroutine.
// A training net also computes the loss and the parameter gradients.
type net struct {
	batch, seqLen int
	prog          *nn.Program
	word, typ     *nn.Embedding
	attn          []*nn.Attention
	drops         []dropout // training only, in a fixed order
	loss          *nn.SoftmaxCrossEntropy
	pooled        *gorgonia.Node // the pooler output [batch, H], for tests
	logits        *gorgonia.Node
}

// dropout is a Dropout kernel with its rate; attention dropout masks live
// in the Attention kernel instead.
type dropout struct {
	k    *nn.Dropout
	attn *nn.Attention
	p    float64
	size int
	buf  []float32 // the mask's memory, kept across steps
}

// buildNet builds and compiles the graph of BertForSequenceClassification
// for batch × seqLen tokens, as in Hugging Face's eager implementation:
//
//	x = LayerNorm(word[ids] + position[0..T-1] + type[typeIDs]) → dropout
//	per layer: a = LayerNorm(x + dropout(dense(attention(q(x), k(x), v(x)))))
//	           x = LayerNorm(a + dropout(dense(gelu(dense(a)))))
//	logits = classifier(dropout(tanh(pooler(x[:, 0]))))
//
// With train set, dropout kernels are placed (their masks are filled per
// step; nil masks are the identity) and the graph ends in the class-weighted
// cross-entropy, whose gradient the program computes.
func buildNet(cfg Config, w *paramSet, batch, seqLen int, train bool) (*net, error) {
	g := nn.NewGraph()
	n := &net{batch: batch, seqLen: seqLen}
	param := g.Param
	h := cfg.HiddenSize
	hiddenP := cfg.HiddenDropoutProb
	clsP := hiddenP
	if cfg.ClassifierDropout != nil {
		clsP = *cfg.ClassifierDropout
	}
	drop := func(x *gorgonia.Node, p float64, size int) *gorgonia.Node {
		if !train {
			return x
		}
		k := &nn.Dropout{}
		n.drops = append(n.drops, dropout{k: k, p: p, size: size})
		return g.Apply(k, x)
	}
	linear := func(x *gorgonia.Node, wt, b *nn.Param) *gorgonia.Node {
		// Weights change only through Adam, Restore and the init
		// functions, which all Touch them: inference nets can keep Wᵀ.
		return g.Apply(&nn.Linear{CacheTransposedW: !train}, x, param(wt), param(b))
	}
	layerNorm := func(x *gorgonia.Node, ln norm) *gorgonia.Node {
		return g.Apply(&nn.LayerNorm{Eps: cfg.LayerNormEps}, x, param(ln.g), param(ln.b))
	}
	acts := batch * seqLen * h // activations of a [batch, seqLen, H] tensor

	n.word = &nn.Embedding{Shape: []int{batch, seqLen}, PaddingIdx: cfg.PadTokenID}
	n.typ = &nn.Embedding{Shape: []int{batch, seqLen}, PaddingIdx: -1}
	pos := &nn.Embedding{Shape: []int{batch, seqLen}, PaddingIdx: -1, IDs: make([]int, batch*seqLen)}
	for i := range pos.IDs {
		pos.IDs[i] = i % seqLen
	}
	x := g.Apply(&nn.Add{},
		g.Apply(n.word, param(w.word)),
		g.Apply(n.typ, param(w.typ)),
		g.Apply(pos, param(w.pos)))
	x = drop(layerNorm(x, w.embLN), hiddenP, acts)

	for _, l := range w.layers {
		att := &nn.Attention{Heads: cfg.NumAttentionHeads}
		n.attn = append(n.attn, att)
		if train {
			n.drops = append(n.drops, dropout{attn: att, p: cfg.AttentionProbsDropoutProb,
				size: batch * cfg.NumAttentionHeads * seqLen * seqLen})
		}
		ctx := g.Apply(att, linear(x, l.qW, l.qB), linear(x, l.kW, l.kB), linear(x, l.vW, l.vB))
		a := drop(linear(ctx, l.aoW, l.aoB), hiddenP, acts)
		a = layerNorm(g.Apply(&nn.Add{}, a, x), l.attLN)
		f := linear(g.Apply(&nn.GELU{}, linear(a, l.iW, l.iB)), l.oW, l.oB)
		f = drop(f, hiddenP, acts)
		x = layerNorm(g.Apply(&nn.Add{}, f, a), l.outLN)
	}

	pooled := g.Apply(&nn.Tanh{}, linear(g.Apply(&nn.CLS{}, x), w.poolW, w.poolB))
	n.pooled = pooled
	pooled = drop(pooled, clsP, batch*h)
	n.logits = linear(pooled, w.clsW, w.clsB)
	var loss *gorgonia.Node
	if train {
		n.loss = &nn.SoftmaxCrossEntropy{}
		loss = g.Apply(n.loss, n.logits)
	}
	prog, err := g.Compile(loss)
	if err != nil {
		return nil, fmt.Errorf("bert: build graph for %d×%d tokens: %w", batch, seqLen, err)
	}
	n.prog = prog
	return n, nil
}

// setInputs points the net's kernels at a batch of batch × seqLen tokens.
func (n *net) setInputs(b tokenize.Batch) {
	n.word.IDs = b.IDs
	n.typ.IDs = b.TypeIDs
	for _, a := range n.attn {
		a.Mask = b.Mask
	}
}

// setDropout fills the dropout masks from r, or clears them (identity)
// when off. Masks are drawn in graph order, so a seed fixes them.
func (n *net) setDropout(r *rand.Rand, on bool) {
	for i := range n.drops {
		d := &n.drops[i]
		var mask []float32
		if on && d.p > 0 {
			if cap(d.buf) < d.size {
				d.buf = make([]float32, d.size)
			}
			mask = d.buf[:d.size]
			nn.FillDropoutMask(r, mask, d.p)
		}
		if d.k != nil {
			d.k.Mask = mask
		} else {
			d.attn.DropMask = mask
		}
	}
}

// run executes the net and returns its logits, row-major [batch, labels],
// in a new slice.
func (n *net) run() ([]float32, error) {
	if err := n.prog.Run(); err != nil {
		return nil, err
	}
	v := n.logits.Value()
	if v == nil {
		return nil, fmt.Errorf("bert: graph produced no logits")
	}
	data, ok := v.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("bert: logits are %T, want []float32", v.Data())
	}
	return append([]float32(nil), data...), nil
}

// Close releases the net's machine.
func (n *net) Close() error { return n.prog.Close() }

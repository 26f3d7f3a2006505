package lstm

import (
	"fmt"
	"math/bits"

	"gorgonia.org/gorgonia"

	"github.com/hatetweet/hatetweet/internal/nn"
)

// Shape buckets. Gorgonia graphs have fixed shapes, so the Model compiles
// one graph per (batch, seq) bucket and caches it. Padding a batch up to
// its bucket costs little: the LSTM kernel packs the valid steps and skips
// rows of length 0.
const (
	// maxBatch is the largest number of texts one graph run handles;
	// PredictBatch cuts longer inputs into batches of this size.
	maxBatch = 256
	// maxGraphs bounds the compiled graphs one worker keeps; the least
	// recently used is released beyond it.
	maxGraphs = 12
)

// batchBucket returns the inference batch size for n texts: the next power
// of two, so a handful of graphs serve every batch size up to maxBatch.
func batchBucket(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}

// netGraph is one compiled graph of the network for one shape, with the
// kernels whose per-run fields the caller fills: ids and lens are shared
// by the kernels that read them.
type netGraph struct {
	bsz, seq int
	prog     *nn.Program
	ids      []int // [bsz·seq] token ids, 0 = padding
	lens     []int // [bsz] valid tokens per row
	logits   *gorgonia.Node
	drop     *nn.Dropout             // training with dropout only
	ce       *nn.SoftmaxCrossEntropy // training only
}

// build compiles the network for batches of bsz rows of seq tokens: for
// training (dropout and class-weighted cross-entropy, with gradients) or
// for inference.
func (m *Model) build(bsz, seq int, train bool) (*netGraph, error) {
	ng := &netGraph{bsz: bsz, seq: seq, ids: make([]int, bsz*seq), lens: make([]int, bsz)}
	g := nn.NewGraph()
	x := g.Apply(&nn.Embedding{Shape: []int{bsz, seq}, IDs: ng.ids, PaddingIdx: 0}, g.Param(m.emb))
	for _, layer := range m.layers {
		in := []*gorgonia.Node{x}
		for _, d := range layer {
			in = append(in, g.Param(d.wih), g.Param(d.whh), g.Param(d.bih), g.Param(d.bhh))
		}
		x = g.Apply(&nn.LSTM{Lengths: ng.lens}, in...)
	}
	feat := g.Apply(&nn.LastState{Lengths: ng.lens, Bidirectional: m.cfg.dirs() == 2}, x)
	if p := m.cfg.dropout(); train && p > 0 {
		ng.drop = &nn.Dropout{Mask: make([]float32, bsz*m.cfg.dirs()*m.cfg.Hidden)}
		feat = g.Apply(ng.drop, feat)
	}
	ng.logits = g.Apply(&nn.Linear{}, feat, g.Param(m.fcW), g.Param(m.fcB))
	var loss *gorgonia.Node
	if train {
		ng.ce = &nn.SoftmaxCrossEntropy{Targets: make([]int, bsz), Weights: m.cfg.ClassWeights}
		loss = g.Apply(ng.ce, ng.logits)
	}
	prog, err := g.Compile(loss)
	if err != nil {
		return nil, fmt.Errorf("lstm: build graph for %d×%d: %w", bsz, seq, err)
	}
	ng.prog = prog
	return ng, nil
}

// fill writes the token ids of rows into the graph's id grid (padding the
// rest with 0) and their lengths into lens; rows beyond len(rows) get
// length 0.
func (ng *netGraph) fill(rows [][]int) {
	clear(ng.ids)
	clear(ng.lens)
	for i, ids := range rows {
		copy(ng.ids[i*ng.seq:], ids)
		ng.lens[i] = len(ids)
	}
}

// newGraphCache returns a worker's or trainer's cache of compiled graphs.
func newGraphCache() *nn.ShapeCache[*netGraph] { return nn.NewShapeCache[*netGraph](maxGraphs, 0) }

// Close releases the graph's machine.
func (ng *netGraph) Close() error { return ng.prog.Close() }

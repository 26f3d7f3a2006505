package lstm

import (
	"runtime"
	"sync"

	"github.com/hatetweet/hatetweet/internal/nn"
)

// shardedAdam runs Adam over the parameters cut into equal shards, one
// goroutine per shard. Adam is element-wise, so the result is the same as
// one Adam over all parameters, bit for bit; the embedding table alone
// holds most of the reference model's 1.2M values, and one goroutine spent
// about a fifth of a training step updating them.
type shardedAdam struct {
	parts []*nn.Adam
}

// newShardedAdam cuts params into up to GOMAXPROCS (at most 4) shards of
// about equal size: parameters that cross a cut are split into Params that
// alias their halves.
func newShardedAdam(params []*nn.Param, cfg nn.AdamConfig) (*shardedAdam, error) {
	total := 0
	for _, p := range params {
		total += p.Size()
	}
	shards := min(runtime.GOMAXPROCS(0), 4)
	if total < 1<<16 {
		shards = 1 // small models: a goroutine costs more than it saves
	}
	per := (total + shards - 1) / shards
	var parts [][]*nn.Param
	var cur []*nn.Param
	room := per
	for _, p := range params {
		for off := 0; off < p.Size(); {
			n := min(room, p.Size()-off)
			alias := &nn.Param{Name: p.Name, Shape: []int{n}, Data: p.Data[off : off+n], Grad: p.Grad[off : off+n], NoDecay: p.NoDecay}
			cur = append(cur, alias)
			off += n
			room -= n
			if room == 0 {
				parts, cur, room = append(parts, cur), nil, per
			}
		}
	}
	if len(cur) > 0 {
		parts = append(parts, cur)
	}
	s := &shardedAdam{}
	for _, ps := range parts {
		a, err := nn.NewAdam(ps, cfg)
		if err != nil {
			return nil, err
		}
		s.parts = append(s.parts, a)
	}
	return s, nil
}

// Steps returns the number of updates made so far.
func (s *shardedAdam) Steps() int { return s.parts[0].Steps() }

// Step updates every parameter once, with learning rate scaled by lrScale.
func (s *shardedAdam) Step(lrScale float64) {
	var wg sync.WaitGroup
	for _, a := range s.parts[1:] {
		wg.Go(func() { a.Step(lrScale) })
	}
	s.parts[0].Step(lrScale)
	wg.Wait()
}

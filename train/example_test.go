package train_test

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/train"
)

// bowModel is a toy Trainable: bag-of-words softmax regression trained with
// plain SGD. It is deterministic, so the example output is stable. It
// implements train.Snapshotter, so Fit hands back its best epoch.
type bowModel struct {
	ls hatetweet.Labels
	lr float64
	w  map[string][]float64 // word → one weight per class
	b  []float64
}

// newBowModel starts with bias b (one per class) and no word weights.
func newBowModel(ls hatetweet.Labels, lr float64, b []float64) *bowModel {
	return &bowModel{ls: ls, lr: lr, w: map[string][]float64{}, b: b}
}

func (m *bowModel) scores(text string) []float64 {
	s := append([]float64(nil), m.b...)
	for _, word := range strings.Fields(text) {
		for c, v := range m.w[word] {
			s[c] += v
		}
	}
	return s
}

func (m *bowModel) PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]hatetweet.Prediction, len(texts))
	for i, text := range texts {
		s := m.scores(text)
		logits := make([]float32, len(s))
		for c, v := range s {
			logits[c] = float32(v)
		}
		p, err := hatetweet.NewPrediction(m.ls, logits)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func (m *bowModel) TrainStep(ctx context.Context, batch []hatetweet.Example) (float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var loss float64
	gw := map[string][]float64{}
	gb := make([]float64, len(m.ls))
	for _, ex := range batch {
		s := m.scores(ex.Text)
		mx := math.Inf(-1)
		for _, v := range s {
			mx = math.Max(mx, v)
		}
		var z float64
		for c := range s {
			s[c] = math.Exp(s[c] - mx)
			z += s[c]
		}
		loss -= math.Log(s[ex.Label] / z)
		for c := range s {
			g := s[c] / z // d(-log p_y)/d score_c = p_c - [c == y]
			if c == int(ex.Label) {
				g--
			}
			gb[c] += g
			for _, word := range strings.Fields(ex.Text) {
				if gw[word] == nil {
					gw[word] = make([]float64, len(m.ls))
				}
				gw[word][c] += g
			}
		}
	}
	n := float64(len(batch))
	for c := range m.b {
		m.b[c] -= m.lr * gb[c] / n
	}
	for word, g := range gw {
		if m.w[word] == nil {
			m.w[word] = make([]float64, len(m.ls))
		}
		for c := range g {
			m.w[word][c] -= m.lr * g[c] / n
		}
	}
	return loss / n, nil
}

// Snapshot copies the weights; restore installs a fresh copy of that copy, so
// it can be called again.
func (m *bowModel) Snapshot() (func() error, error) {
	w, b := cloneWeights(m.w, m.b)
	return func() error {
		m.w, m.b = cloneWeights(w, b)
		return nil
	}, nil
}

func cloneWeights(w map[string][]float64, b []float64) (map[string][]float64, []float64) {
	out := make(map[string][]float64, len(w))
	for k, v := range w {
		out[k] = append([]float64(nil), v...)
	}
	return out, append([]float64(nil), b...)
}

func ExampleTrainer_Fit() {
	ls := hatetweet.DavidsonLabels()
	ex := func(text string, l hatetweet.Label) hatetweet.Example { return hatetweet.Example{Text: text, Label: l} }
	trainSet := []hatetweet.Example{
		ex("i hate those people", 0), ex("hate them all", 0), ex("those people are vermin", 0),
		ex("damn this stupid game", 1), ex("shut up you idiot", 1), ex("what a stupid damn day", 1),
		ex("you idiot lol", 1), ex("lovely weather today", 2), ex("watching the game tonight", 2),
		ex("great day with friends", 2), ex("new phone today", 2), ex("friends are great", 2),
	}
	valSet := []hatetweet.Example{
		ex("those people", 0), ex("hate this game", 0), ex("you people are stupid", 1),
		ex("damn idiot", 1), ex("the game today", 2), ex("what a great day", 2),
	}

	tr, err := train.New(train.Config{
		Epochs: 10, BatchSize: 4, Seed: 1, Patience: 2, Labels: ls,
		OnEpoch: func(s train.EpochStats) error {
			fmt.Printf("epoch %d: loss %.3f, val macro F1 %.3f, improved %v\n", s.Epoch, s.TrainLoss, s.ValMacroF1, s.Improved)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The bias starts out favouring "neither", so early epochs predict it
	// for everything.
	m := newBowModel(ls, 0.2, []float64{0, 0, 1})
	h, err := tr.Fit(context.Background(), m, trainSet, valSet)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("stopped: %v after %d steps, best epoch %d (macro F1 %.3f)\n", h.Stopped, h.Steps, h.BestEpoch, h.BestMacroF1)
	// Output:
	// epoch 1: loss 1.129, val macro F1 0.167, improved true
	// epoch 2: loss 0.916, val macro F1 0.167, improved false
	// epoch 3: loss 0.787, val macro F1 0.556, improved true
	// epoch 4: loss 0.673, val macro F1 0.822, improved true
	// epoch 5: loss 0.584, val macro F1 0.822, improved false
	// epoch 6: loss 0.516, val macro F1 0.822, improved false
	// stopped: early after 18 steps, best epoch 4 (macro F1 0.822)
}

package train

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hatetweet/hatetweet"
)

// fakeModel is a scripted Trainable. Its "weights" are version, the number of
// TrainStep calls applied; Snapshot copies version and restore puts it back.
// After e completed epochs (version / stepsPerEpoch), it predicts the first
// script[e-1] validation examples correctly and the rest wrongly, so the
// validation macro F1 of every epoch is scripted. Validation texts are
// "v<i>/<gold>" (see valSet).
type fakeModel struct {
	ls            hatetweet.Labels
	stepsPerEpoch int
	script        []int

	version int
	batches [][]hatetweet.Example // every TrainStep batch, in order
	planned []int                 // every PlanSteps argument
	predict []int                 // every PredictBatch size

	// loss returns the loss of a step (1-based over the run); nil means 1.
	loss func(step int, batch []hatetweet.Example) float64
	// stepErr, when set, may fail a step (1-based over the run).
	stepErr func(ctx context.Context, step int) error

	snapshots, restores int
	snapshotErr         error
	nilRestore          bool
	restoreErr          error
}

func (m *fakeModel) PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.predict = append(m.predict, len(texts))
	level := 0
	if e := m.epochsDone(); e > 0 {
		level = m.script[min(e, len(m.script))-1]
	}
	out := make([]hatetweet.Prediction, len(texts))
	for i, s := range texts {
		idx, gold, err := parseVal(s)
		if err != nil {
			return nil, err
		}
		pred := gold
		if idx >= level {
			pred = (gold + 1) % len(m.ls)
		}
		logits := make([]float32, len(m.ls))
		logits[pred] = 1
		p, err := hatetweet.NewPrediction(m.ls, logits)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func (m *fakeModel) epochsDone() int {
	if m.stepsPerEpoch == 0 {
		return 0
	}
	return m.version / m.stepsPerEpoch
}

func (m *fakeModel) TrainStep(ctx context.Context, batch []hatetweet.Example) (float64, error) {
	step := len(m.batches) + 1
	m.batches = append(m.batches, batch)
	if m.stepErr != nil {
		if err := m.stepErr(ctx, step); err != nil {
			return 0, err
		}
	}
	m.version++
	if m.loss == nil {
		return 1, nil
	}
	return m.loss(step, batch), nil
}

func (m *fakeModel) PlanSteps(total int) { m.planned = append(m.planned, total) }

func (m *fakeModel) Snapshot() (func() error, error) {
	if m.snapshotErr != nil {
		return nil, m.snapshotErr
	}
	m.snapshots++
	if m.nilRestore {
		return nil, nil
	}
	saved := m.version
	return func() error {
		m.restores++
		if m.restoreErr != nil {
			return m.restoreErr
		}
		m.version = saved
		return nil
	}, nil
}

// plainModel hides the optional interfaces of a fakeModel: it is a Trainable
// that is neither a Snapshotter nor a Scheduler.
type plainModel struct{ m *fakeModel }

func (p plainModel) PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	return p.m.PredictBatch(ctx, texts)
}

func (p plainModel) TrainStep(ctx context.Context, batch []hatetweet.Example) (float64, error) {
	return p.m.TrainStep(ctx, batch)
}

// trainSet returns n examples with texts "t0", "t1", ... and labels cycling
// over 3 classes.
func trainSet(n int) []hatetweet.Example {
	out := make([]hatetweet.Example, n)
	for i := range out {
		out[i] = hatetweet.Example{Text: "t" + strconv.Itoa(i), Label: hatetweet.Label(i % 3)}
	}
	return out
}

// valSetSize is the size of valSet; script levels range over 0..valSetSize.
const valSetSize = 12

// valSet returns valSetSize validation examples "v<i>/<gold>", gold cycling
// over 3 classes.
func valSet() []hatetweet.Example {
	out := make([]hatetweet.Example, valSetSize)
	for i := range out {
		out[i] = hatetweet.Example{Text: fmt.Sprintf("v%d/%d", i, i%3), Label: hatetweet.Label(i % 3)}
	}
	return out
}

func parseVal(s string) (idx, gold int, err error) {
	a, b, ok := strings.Cut(strings.TrimPrefix(s, "v"), "/")
	if !ok {
		return 0, 0, fmt.Errorf("fake: not a validation text: %q", s)
	}
	if idx, err = strconv.Atoi(a); err != nil {
		return 0, 0, err
	}
	gold, err = strconv.Atoi(b)
	return idx, gold, err
}

// texts returns the texts of a batch.
func texts(batch []hatetweet.Example) []string {
	out := make([]string, len(batch))
	for i, ex := range batch {
		out[i] = ex.Text
	}
	return out
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/evaluate"
	"github.com/hatetweet/hatetweet/lstm"
	"github.com/hatetweet/hatetweet/textclean"
	"github.com/hatetweet/hatetweet/tokenize"
	"github.com/hatetweet/hatetweet/train"
)

// LSTMRun configures [TrainLSTM]. Zero values mean the anchor's recipe
// (../shared/anchors/lstm.py): emb 100, BiLSTM 128, dropout 0.3, Adam 1e-3,
// batch 64, up to 8 epochs, patience 2, seed 42, vocabulary min count 2.
type LSTMRun struct {
	Model        lstm.Config
	Train        train.Config
	Cleaner      textclean.Cleaner // nil: Model.Cleaner's preset
	MinFreq      int
	ClassWeights bool
	// Progress receives the progress bar; nil means none.
	Progress io.Writer
}

// TrainLSTM builds a vocabulary from the training split, trains an LSTM with
// early stopping on the validation split, and evaluates it on the test split
// (when there is one). The model is returned open; the caller closes it.
func TrainLSTM(ctx context.Context, s Split, r LSTMRun) (*lstm.Model, train.History, *evaluate.Report, error) {
	if r.MinFreq == 0 {
		r.MinFreq = 2
	}
	if r.Model.Seed == 0 {
		r.Model.Seed = 42
	}
	if r.Train.Seed == 0 {
		r.Train.Seed = r.Model.Seed
	}
	if r.Train.BatchSize == 0 {
		r.Train.BatchSize = 64
	}
	if r.Train.Patience == 0 {
		r.Train.Patience = 2
	}
	r.Train.Labels = s.Labels
	cleaner := r.Cleaner
	if cleaner == nil {
		if cleaner = r.Model.Cleaner.Cleaner(); cleaner == nil {
			return nil, train.History{}, nil, fmt.Errorf("unknown cleaner preset %d", r.Model.Cleaner)
		}
	}
	tokens := make([][]string, len(s.Train))
	for i, ex := range s.Train {
		tokens[i] = strings.Fields(cleaner.Clean(ex.Text))
	}
	vocab, err := tokenize.BuildVocab(tokens, r.MinFreq, 0)
	if err != nil {
		return nil, train.History{}, nil, err
	}
	if r.ClassWeights {
		if r.Model.ClassWeights, err = train.ClassWeights(s.Train, len(s.Labels)); err != nil {
			return nil, train.History{}, nil, err
		}
	}
	var opts []lstm.Option
	if r.Cleaner != nil {
		opts = append(opts, lstm.WithCleaner(r.Cleaner))
	}
	m, err := lstm.New(r.Model, vocab, s.Labels, opts...)
	if err != nil {
		return nil, train.History{}, nil, err
	}
	if r.Progress != nil {
		p := NewProgress(r.Progress)
		r.Train.OnBatch, r.Train.OnEpoch = p.Batch, p.Epoch
	}
	hist, rep, err := FitAndTest(ctx, m, s, r.Train)
	if err != nil {
		return nil, hist, nil, errors.Join(err, m.Close())
	}
	return m, hist, rep, nil
}

// FitAndTest trains m with a Trainer of cfg (early stopping on the
// validation split) and reports on the test split, if any; evalOpts tune
// that evaluation.
func FitAndTest(ctx context.Context, m train.Trainable, s Split, cfg train.Config, evalOpts ...evaluate.Option) (train.History, *evaluate.Report, error) {
	tr, err := train.New(cfg)
	if err != nil {
		return train.History{}, nil, err
	}
	hist, err := tr.Fit(ctx, m, s.Train, s.Val)
	if err != nil {
		return hist, nil, err
	}
	if len(s.Test) == 0 {
		return hist, nil, nil
	}
	rep, err := evaluate.Evaluate(ctx, m, s.Labels, s.Test, evalOpts...)
	if err != nil {
		return hist, nil, err
	}
	return hist, &rep, nil
}

// Summarize prints how training ended and the test report (when there is
// one) to w, and writes the report as JSON to reportPath unless it is "".
// A reportPath without a test report is an error.
func Summarize(w io.Writer, hist train.History, rep *evaluate.Report, reportPath string) error {
	fmt.Fprintf(w, "best epoch %d of %d (val macro-F1 %.3f), stopped: %s\n", hist.BestEpoch, len(hist.Epochs), hist.BestMacroF1, hist.Stopped)
	if rep == nil {
		if reportPath != "" {
			return errors.New("-report needs -test data")
		}
		return nil
	}
	fmt.Fprintf(w, "\ntest report:\n%s\n", rep)
	if reportPath == "" {
		return nil
	}
	return WriteJSON(reportPath, *rep)
}

// Classify prints the label and probabilities of each text, one line each.
func Classify(ctx context.Context, w io.Writer, c hatetweet.Classifier, ls hatetweet.Labels, texts []string) error {
	preds, err := c.PredictBatch(ctx, texts)
	if err != nil {
		return err
	}
	for i, p := range preds {
		var probs []string
		for j, v := range p.Probs {
			probs = append(probs, fmt.Sprintf("%s=%.3f", ls.Name(hatetweet.Label(j)), v))
		}
		fmt.Fprintf(w, "%-9s %s  %q\n", p.Name, strings.Join(probs, " "), texts[i])
	}
	return nil
}

package cli

import (
	"errors"
	"flag"
	"fmt"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
)

// Data is the set of flags that choose a labelled data set: -train, -val and
// -test paths (CSV, TSV or JSONL) with -text-column and -label-column. With
// no paths, the embedded Davidson split is used.
type Data struct {
	Train, Val, Test        string
	TextColumn, LabelColumn string
}

// Register adds the flags to fs.
func (d *Data) Register(fs *flag.FlagSet) {
	fs.StringVar(&d.Train, "train", "", "training data (CSV, TSV or JSONL); default: the embedded Davidson split")
	fs.StringVar(&d.Val, "val", "", "validation data for early stopping (same format as -train)")
	fs.StringVar(&d.Test, "test", "", "test data for the final report (same format as -train)")
	fs.StringVar(&d.TextColumn, "text-column", "text", "name of the text column (JSONL: key)")
	fs.StringVar(&d.LabelColumn, "label-column", "label", "name of the label column (JSONL: key)")
}

// Split is a loaded data set.
type Split struct {
	Train, Val, Test []hatetweet.Example
	Labels           hatetweet.Labels
	// Source names where the data came from, for reports.
	Source string
}

// Load reads the data set the flags choose. The labels come from the
// training file (sorted names), or are Davidson's.
func (d *Data) Load() (Split, error) {
	if d.Train == "" {
		if d.Val != "" || d.Test != "" {
			return Split{}, errors.New("-val and -test need -train")
		}
		train, val, test, err := dataset.Davidson()
		if err != nil {
			return Split{}, err
		}
		return Split{Train: train, Val: val, Test: test, Labels: hatetweet.DavidsonLabels(), Source: "embedded Davidson et al. (2017) split"}, nil
	}
	opts := []dataset.Option{dataset.TextColumn(d.TextColumn), dataset.LabelColumn(d.LabelColumn)}
	recs, err := dataset.ReadFile(d.Train, opts...)
	if err != nil {
		return Split{}, err
	}
	s := Split{Labels: dataset.LabelsOf(recs), Source: d.Train}
	if s.Train, err = dataset.Examples(recs, s.Labels); err != nil {
		return Split{}, err
	}
	for _, f := range []struct {
		path string
		dst  *[]hatetweet.Example
	}{{d.Val, &s.Val}, {d.Test, &s.Test}} {
		if f.path == "" {
			continue
		}
		if *f.dst, err = dataset.Load(f.path, s.Labels, opts...); err != nil {
			return Split{}, fmt.Errorf("labels of %s must be among those of %s: %w", f.path, d.Train, err)
		}
	}
	return s, nil
}

package hatetweet

import (
	"context"
	"errors"
	"fmt"
)

// ErrUnknownLabel is returned by [Labels.Index] (and by loaders that map label
// names to indices) when a name is not one of the labels.
var ErrUnknownLabel = errors.New("hatetweet: unknown label")

// ErrLengthMismatch is returned when two slices that must be parallel, such
// as texts and labels, have different lengths.
var ErrLengthMismatch = errors.New("hatetweet: length mismatch")

// Label is a class index: an index into a [Labels] slice.
type Label int

// Labels holds class names in index order: Labels[l] is the name of Label l.
// The zero value is an empty label set.
type Labels []string

// Index returns the Label whose name is name. Matching is exact. An unknown
// name gives an error wrapping [ErrUnknownLabel].
func (ls Labels) Index(name string) (Label, error) {
	for i, n := range ls {
		if n == name {
			return Label(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want one of %q)", ErrUnknownLabel, name, []string(ls))
}

// Name returns the name of l, or an empty string when l is out of range.
func (ls Labels) Name(l Label) string {
	if l < 0 || int(l) >= len(ls) {
		return ""
	}
	return ls[l]
}

// Validate reports whether ls can label a classifier: at least two labels,
// none empty, no duplicates.
func (ls Labels) Validate() error {
	if len(ls) < 2 {
		return fmt.Errorf("hatetweet: need at least 2 labels, got %d", len(ls))
	}
	seen := make(map[string]bool, len(ls))
	var errs []error
	for i, n := range ls {
		switch {
		case n == "":
			errs = append(errs, fmt.Errorf("hatetweet: label %d is empty", i))
		case seen[n]:
			errs = append(errs, fmt.Errorf("hatetweet: label %q appears twice", n))
		}
		seen[n] = true
	}
	return errors.Join(errs...)
}

// DavidsonLabels returns the classes of the Davidson et al. (2017) data set in
// index order: hate, offensive, neither. Each call returns a fresh slice.
func DavidsonLabels() Labels { return Labels{"hate", "offensive", "neither"} }

// Example is one labelled text.
type Example struct {
	Text  string
	Label Label
}

// Prediction is a classifier's answer for one text.
type Prediction struct {
	// Label is the argmax of Probs; the lowest index wins ties.
	Label Label
	// Name is the name of Label.
	Name string
	// Probs holds one probability per class, each in [0,1], summing to 1
	// within 1e-5.
	Probs []float32
	// Logits holds the raw scores before softmax, one per class.
	Logits []float32
}

// Classifier labels texts. Implementations in this module are
// [github.com/hatetweet/hatetweet/lstm.Model] and
// [github.com/hatetweet/hatetweet/bert.Model].
//
// PredictBatch returns one Prediction per text, in order; an empty batch
// gives an empty result and a nil error. Any string (empty, emoji only, any
// script, invalid UTF-8) yields a Prediction, never an error because of its
// content. Results are deterministic, and padding is masked, so a text's
// prediction does not depend on the rest of its batch (within 1e-5).
// PredictBatch honours ctx between batches and returns an error wrapping
// ctx.Err() once it is cancelled.
type Classifier interface {
	PredictBatch(ctx context.Context, texts []string) ([]Prediction, error)
}

// NewPrediction builds a Prediction from raw logits: it applies a
// numerically stable softmax and takes the argmax, lowest index first on
// ties. It returns an error wrapping [ErrLengthMismatch] when len(logits) !=
// len(ls).
func NewPrediction(ls Labels, logits []float32) (Prediction, error) {
	if len(logits) != len(ls) {
		return Prediction{}, fmt.Errorf("%w: %d logits for %d labels", ErrLengthMismatch, len(logits), len(ls))
	}
	p := Prediction{Probs: Softmax(logits), Logits: append([]float32(nil), logits...)}
	for i, v := range p.Probs {
		if v > p.Probs[p.Label] {
			p.Label = Label(i)
		}
	}
	p.Name = ls.Name(p.Label)
	return p, nil
}

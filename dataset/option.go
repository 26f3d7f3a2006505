package dataset

import (
	"errors"
	"fmt"
)

// Option configures [ReadRecords], [ReadFile] and [Load]. Options hold no
// state; one may be reused across calls and goroutines. A nil Option is an
// error.
type Option func(*options)

type options struct {
	text, label, name string
}

// TextColumn sets the column (CSV, TSV) or key (JSON Lines) that holds the
// text. The default is "text". Names match exactly, case included.
func TextColumn(name string) Option { return func(o *options) { o.text = name } }

// LabelColumn sets the column (CSV, TSV) or key (JSON Lines) that holds the
// label. The default is "label". Names match exactly, case included.
func LabelColumn(name string) Option { return func(o *options) { o.label = name } }

// Name sets the name of the input used in errors and in [Record.File],
// usually its path. [ReadRecords] has no name by default; [ReadFile] and
// [Load] use the path they are given, and a Name option overrides it.
func Name(name string) Option { return func(o *options) { o.name = name } }

func newOptions(opts []Option) (options, error) {
	o := options{text: "text", label: "label"}
	for _, opt := range opts {
		if opt == nil {
			return o, errors.New("dataset: nil Option")
		}
		opt(&o)
	}
	switch {
	case o.text == "":
		return o, errors.New("dataset: empty TextColumn name")
	case o.label == "":
		return o, errors.New("dataset: empty LabelColumn name")
	case o.text == o.label:
		return o, fmt.Errorf("dataset: TextColumn and LabelColumn are both %q", o.text)
	}
	return o, nil
}

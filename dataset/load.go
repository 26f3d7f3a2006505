package dataset

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hatetweet/hatetweet"
)

// ReadFile reads the records of the file at path with [ReadRecords], in the
// [Format] given by its extension (see [FormatFromPath]). Errors name path,
// unless a [Name] option names the input otherwise. A missing file gives an
// error wrapping [io/fs.ErrNotExist].
func ReadFile(path string, opts ...Option) (recs []Record, err error) {
	f, err := FormatFromPath(path)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer func() {
		if cerr := file.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("dataset: %w", cerr))
		}
	}()
	return ReadRecords(file, f, append([]Option{Name(path)}, opts...)...)
}

// Load reads the file at path with [ReadFile] and maps its labels to ls
// with [Examples]. Errors are those of both; an unknown label gives a
// [*ParseError] wrapping [hatetweet.ErrUnknownLabel] that names the file
// and line.
func Load(path string, ls hatetweet.Labels, opts ...Option) ([]hatetweet.Example, error) {
	recs, err := ReadFile(path, opts...)
	if err != nil {
		return nil, err
	}
	return Examples(recs, ls)
}

// Examples maps each record to an Example whose Label is the index of its
// label name in ls, in order. ls must pass [hatetweet.Labels.Validate].
//
// Names match exactly, as in [hatetweet.Labels.Index]. A label that names
// no class but is a non-negative decimal integer without leading zeros,
// such as a JSON Lines integer label or the numeric class column of the
// original Davidson data, is taken as a class index when it is below
// len(ls). Any other label gives a [*ParseError] with the record's File and
// Line, wrapping [hatetweet.ErrUnknownLabel].
func Examples(records []Record, ls hatetweet.Labels) ([]hatetweet.Example, error) {
	if err := ls.Validate(); err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	out := make([]hatetweet.Example, len(records))
	for i, r := range records {
		l, err := labelOf(ls, r.Label)
		if err != nil {
			return nil, &ParseError{File: r.File, Line: r.Line, Err: err}
		}
		out[i] = hatetweet.Example{Text: r.Text, Label: l}
	}
	return out, nil
}

func labelOf(ls hatetweet.Labels, name string) (hatetweet.Label, error) {
	l, err := ls.Index(name)
	if err == nil || !isDecimal(name) {
		return l, err
	}
	if i, aerr := strconv.Atoi(name); aerr == nil && i < len(ls) {
		return hatetweet.Label(i), nil
	}
	return 0, err
}

// LabelsOf returns the distinct labels of records, sorted, for use as the
// class names of a model trained on them. When every label is a
// non-negative decimal integer (see [Examples]) they sort by value, so
// labels 0 to n-1 keep their indices; otherwise they sort as strings. No
// records give nil.
func LabelsOf(records []Record) hatetweet.Labels {
	seen := make(map[string]bool)
	var ls hatetweet.Labels
	numeric := true
	for _, r := range records {
		if !seen[r.Label] {
			seen[r.Label] = true
			ls = append(ls, r.Label)
			numeric = numeric && isDecimal(r.Label)
		}
	}
	slices.SortFunc(ls, func(a, b string) int {
		if numeric {
			// Canonical decimals order by length first.
			if c := cmp.Compare(len(a), len(b)); c != 0 {
				return c
			}
		}
		return strings.Compare(a, b)
	})
	return ls
}

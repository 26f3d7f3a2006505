package dataset

import "fmt"

// ParseError reports a problem with the content of a data file: a malformed
// row, a missing column, a bad label, or a file without data rows. Callers
// reach it with errors.As; Err stays matchable with errors.Is (for example
// [github.com/hatetweet/hatetweet.ErrUnknownLabel] or
// [encoding/csv.ErrBareQuote]). A ParseError is not modified after it is
// returned, so it may be shared.
type ParseError struct {
	// File names the input, as given by [Name] (the path for [Load] and
	// [ReadFile]); it is empty when no name was given.
	File string
	// Line is the 1-based line where the offending record starts, or 0 when
	// the problem concerns the whole input (such as an empty file).
	Line int
	// Err is the cause.
	Err error
}

// Error formats e as "dataset: FILE:LINE: cause", leaving out the parts that
// are unknown (for example "dataset: line 17: cause").
func (e *ParseError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("dataset: %s:%d: %v", e.File, e.Line, e.Err)
	case e.File != "":
		return fmt.Sprintf("dataset: %s: %v", e.File, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("dataset: line %d: %v", e.Line, e.Err)
	default:
		return fmt.Sprintf("dataset: %v", e.Err)
	}
}

// Unwrap returns e.Err.
func (e *ParseError) Unwrap() error { return e.Err }

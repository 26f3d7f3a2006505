// Package dataset reads labelled texts from CSV, TSV and JSON Lines files,
// splits them by class, and embeds the Davidson et al. (2017) data set.
//
// # Overview
//
// [Load] reads a file into []hatetweet.Example given the class names:
//
//	train, err := dataset.Load("train.csv", hatetweet.DavidsonLabels())
//
// The format follows the extension ([FormatFromPath]); the text and label
// columns (or JSON keys) default to "text" and "label" and are chosen with
// [TextColumn] and [LabelColumn]. To learn the class names from a training
// file, read it with [ReadFile], take [LabelsOf] its records and map them
// with [Examples]; use the same Labels for the validation and test files.
//
// [StratifiedSplit] deals examples into parts that keep the class
// proportions, reproducibly from a seed. [Davidson] returns the embedded
// train/validation/test split of the Davidson et al. (2017) tweets (hate,
// offensive, neither), the default data of this module. Its tweets contain
// slurs and abuse.
//
// # Contract
//
// Input: CSV and TSV files need a header row, and use RFC 4180 quoting, so
// a quoted field may hold separators, doubled quotes and line breaks. A
// UTF-8 byte order mark is skipped, CRLF is read as LF, and blank lines are
// skipped. Text is kept as it is, even empty or invalid UTF-8 (models accept
// any string; only JSON decoding turns invalid UTF-8 into U+FFFD). Labels
// must be non-empty valid UTF-8 and match a class name exactly, or be a
// class index written as a decimal integer (see [Examples]). A file with no
// data rows is an error.
//
// Ordering and determinism: records and examples keep file order.
// [StratifiedSplit] depends only on its arguments, never on global state.
//
// Concurrency: the package has no mutable state; every function is safe for
// concurrent use, and returned slices belong to the caller.
//
// Errors: problems with the content of a file are a [*ParseError] naming
// the file and line, such as
//
//	dataset: val.csv:17: hatetweet: unknown label: "foo" (want one of ["hate" "offensive" "neither"])
//
// It wraps the cause: [hatetweet.ErrUnknownLabel] for a label that names no
// class, and [encoding/csv.ErrBareQuote], [encoding/csv.ErrQuote] or
// [encoding/csv.ErrFieldCount] for malformed rows. I/O errors wrap their
// cause, such as [io/fs.ErrNotExist]. No input makes the package panic.
//
// # See also
//
// [github.com/hatetweet/hatetweet.Labels] for class names,
// [github.com/hatetweet/hatetweet/train] to fit a model on the examples, and
// [github.com/hatetweet/hatetweet/evaluate] to score it. The embedded data,
// its source and licence are described in davidson/README.md.
package dataset

package dataset

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is the syntax of a data file. The zero Format is invalid. Formats
// are plain values, safe for concurrent use.
type Format int

const (
	// FormatCSV is comma-separated values with a header row and RFC 4180
	// quoting, as written by Python's csv module and pandas: a quoted field
	// may hold commas, doubled quotes ("") and line breaks.
	FormatCSV Format = iota + 1
	// FormatTSV is [FormatCSV] with a tab as the separator (Python's
	// "excel-tab" dialect, pandas to_csv(sep="\t")): fields that hold a tab,
	// a quote or a line break are quoted.
	FormatTSV
	// FormatJSONL is JSON Lines: one JSON object per line, blank lines
	// ignored. The text is a string member; the label is a string member or
	// a non-negative integer member (a class index, see [Examples]).
	FormatJSONL
)

// String returns the usual file extension of f without the dot ("csv",
// "tsv", "jsonl"), or "Format(N)" for an invalid Format.
func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "csv"
	case FormatTSV:
		return "tsv"
	case FormatJSONL:
		return "jsonl"
	default:
		return fmt.Sprintf("Format(%d)", int(f))
	}
}

// FormatFromPath returns the Format named by the extension of path, ignoring
// case: .csv, .tsv, and .jsonl or .ndjson. Any other extension, including
// compressed files such as .csv.gz, is an error.
func FormatFromPath(path string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		return FormatCSV, nil
	case ".tsv":
		return FormatTSV, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	default:
		return 0, fmt.Errorf("dataset: %s: unsupported extension %q (want .csv, .tsv, .jsonl or .ndjson)", path, ext)
	}
}

package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// Record is one labelled row of a data file, before its label is mapped to
// a class index by [Examples]. It is a plain value, safe to share.
type Record struct {
	// Text is the text field. CSV and TSV text is kept byte for byte, even
	// when it is empty or not valid UTF-8; JSON Lines text is a decoded JSON
	// string, in which encoding/json replaces invalid UTF-8 with U+FFFD.
	Text string
	// Label is the label field: never empty, always valid UTF-8. A JSON
	// Lines integer label is kept as its decimal digits ("2").
	Label string
	// File is the name of the input given by [Name], or empty.
	File string
	// Line is the 1-based line where the record starts. A quoted CSV field
	// may span lines; Line is then the first of them.
	Line int
}

var utf8BOM = []byte("\uFEFF")

// ReadRecords reads every record of r in format f, in input order.
//
// A leading UTF-8 byte order mark is skipped, and CRLF line ends are read
// as LF (also inside quoted CSV fields). CSV and TSV need a header row that
// names the columns; the text and label columns are chosen with
// [TextColumn] and [LabelColumn] (default "text" and "label"), other columns
// are ignored, every row must have as many fields as the header, and blank
// lines are skipped. JSON Lines needs one object per non-blank line with
// the text key holding a string and the label key holding a string or a
// non-negative integer; other keys are ignored.
//
// A problem with the content returns a [*ParseError] naming the line (and
// the input, given [Name]): a malformed row, a bare or unclosed quote
// (wrapping [csv.ErrBareQuote] or [csv.ErrQuote]), a row of the wrong width
// (wrapping [csv.ErrFieldCount]), a missing or repeated column, an empty or
// invalid UTF-8 label, and an input with no data rows (Line 0). An invalid
// Format or Option, or an error from r, is returned as a plain error that
// wraps the cause.
func ReadRecords(r io.Reader, f Format, opts ...Option) ([]Record, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	if f != FormatCSV && f != FormatTSV && f != FormatJSONL {
		return nil, fmt.Errorf("dataset: invalid %v", f)
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM)) // cannot fail: the bytes are buffered
	} else if err != nil && err != io.EOF {
		return nil, readError(o.name, err)
	}
	var recs []Record
	switch f {
	case FormatCSV:
		recs, err = readDelimited(br, ',', o)
	case FormatTSV:
		recs, err = readDelimited(br, '\t', o)
	default:
		recs, err = readJSONL(br, o)
	}
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &ParseError{File: o.name, Err: errors.New("no data rows")}
	}
	return recs, nil
}

func readDelimited(r io.Reader, comma rune, o options) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // checked below, with a clearer message
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{File: o.name, Err: errors.New("empty input, want a header row naming the columns")}
	}
	if err != nil {
		return nil, csvError(o.name, err)
	}
	headerLine, _ := cr.FieldPos(0)
	width := len(header)
	ti, err := column(header, o.text)
	if err != nil {
		return nil, &ParseError{File: o.name, Line: headerLine, Err: err}
	}
	li, err := column(header, o.label)
	if err != nil {
		return nil, &ParseError{File: o.name, Line: headerLine, Err: err}
	}
	var recs []Record
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return nil, csvError(o.name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) != width {
			return nil, &ParseError{File: o.name, Line: line,
				Err: fmt.Errorf("%w: got %d, want %d as in the header", csv.ErrFieldCount, len(row), width)}
		}
		if err := checkLabel(row[li]); err != nil {
			return nil, &ParseError{File: o.name, Line: line, Err: err}
		}
		recs = append(recs, Record{Text: row[ti], Label: row[li], File: o.name, Line: line})
	}
}

// column returns the index of name in header, which must hold it once.
func column(header []string, name string) (int, error) {
	switch n := countOf(header, name); n {
	case 0:
		return 0, fmt.Errorf("no column %q (columns: %q)", name, header)
	case 1:
		return slices.Index(header, name), nil
	default:
		return 0, fmt.Errorf("column %q appears %d times in the header", name, n)
	}
}

func countOf(xs []string, x string) int {
	n := 0
	for _, s := range xs {
		if s == x {
			n++
		}
	}
	return n
}

// csvError turns an error of encoding/csv into a *ParseError at the line
// where the record starts, keeping the position of the fault in the cause.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return readError(name, err)
	}
	cause := fmt.Errorf("column %d: %w", pe.Column, pe.Err)
	if pe.Line != pe.StartLine {
		cause = fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)
	}
	return &ParseError{File: name, Line: pe.StartLine, Err: cause}
}

func readError(name string, err error) error {
	if name == "" {
		return fmt.Errorf("dataset: read: %w", err)
	}
	return fmt.Errorf("dataset: read %s: %w", name, err)
}

func checkLabel(label string) error {
	switch {
	case label == "":
		return errors.New("empty label")
	case !utf8.ValidString(label):
		return fmt.Errorf("label %q is not valid UTF-8", label)
	}
	return nil
}

func readJSONL(br *bufio.Reader, o options) ([]Record, error) {
	var recs []Record
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, readError(o.name, err)
		}
		if b = bytes.Trim(b, " \t\r\n"); len(b) > 0 {
			rec, perr := jsonRecord(b, o)
			if perr != nil {
				return nil, &ParseError{File: o.name, Line: line, Err: perr}
			}
			rec.File, rec.Line = o.name, line
			recs = append(recs, rec)
		}
		if err == io.EOF {
			return recs, nil
		}
	}
}

// jsonRecord decodes one JSON Lines object, b, trimmed of white space.
func jsonRecord(b []byte, o options) (Record, error) {
	if b[0] != '{' {
		return Record{}, fmt.Errorf("want a JSON object, got %.40q", b)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return Record{}, fmt.Errorf("invalid JSON: %w", err)
	}
	text, ok := obj[o.text]
	if !ok {
		return Record{}, missingKey(o.text, obj)
	}
	label, ok := obj[o.label]
	if !ok {
		return Record{}, missingKey(o.label, obj)
	}
	var rec Record
	if len(text) == 0 || text[0] != '"' {
		return Record{}, fmt.Errorf("key %q: want a string, got %.40s", o.text, text)
	}
	if err := json.Unmarshal(text, &rec.Text); err != nil {
		return Record{}, fmt.Errorf("key %q: %w", o.text, err)
	}
	switch {
	case len(label) > 0 && label[0] == '"':
		if err := json.Unmarshal(label, &rec.Label); err != nil {
			return Record{}, fmt.Errorf("key %q: %w", o.label, err)
		}
		if err := checkLabel(rec.Label); err != nil {
			return Record{}, err
		}
	case isDecimal(string(label)):
		rec.Label = string(label)
	default:
		return Record{}, fmt.Errorf("key %q: want a string or a non-negative integer, got %.40s", o.label, label)
	}
	return rec, nil
}

func missingKey(key string, obj map[string]json.RawMessage) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return fmt.Errorf("no key %q (keys: %q)", key, keys)
}

// isDecimal reports whether s is a non-negative integer in canonical
// decimal form: ASCII digits, no sign, no leading zero.
func isDecimal(s string) bool {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

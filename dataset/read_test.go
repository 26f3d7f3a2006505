package dataset_test

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/dataset"
)

type readCase struct {
	name, reason string
	format       dataset.Format
	in           string
	opts         []dataset.Option
	want         []dataset.Record // File is set from the Name option, if any
}

// readCases are inputs that parse; they also seed FuzzReadRecords.
var readCases = []readCase{
	{
		name: "csv", reason: "the plain case: header, two rows, LF",
		format: dataset.FormatCSV, in: "text,label\nhello,hate\nworld,neither\n",
		want: []dataset.Record{{Text: "hello", Label: "hate", Line: 2}, {Text: "world", Label: "neither", Line: 3}},
	},
	{
		name: "csv_bom", reason: "Excel writes a UTF-8 BOM; it must not end up in the first column name",
		format: dataset.FormatCSV, in: "\uFEFFtext,label\nhi,hate\n",
		want: []dataset.Record{{Text: "hi", Label: "hate", Line: 2}},
	},
	{
		name: "csv_crlf", reason: "Windows line ends must not leave \\r in labels",
		format: dataset.FormatCSV, in: "text,label\r\nhi,hate\r\nyo,neither\r\n",
		want: []dataset.Record{{Text: "hi", Label: "hate", Line: 2}, {Text: "yo", Label: "neither", Line: 3}},
	},
	{
		name: "csv_embedded_newline", reason: "a quoted tweet may span lines; Line is where the record starts and later lines still count",
		format: dataset.FormatCSV, in: "text,label\n\"a\nb\",hate\nc,neither\n",
		want: []dataset.Record{{Text: "a\nb", Label: "hate", Line: 2}, {Text: "c", Label: "neither", Line: 4}},
	},
	{
		name: "csv_embedded_crlf", reason: "CRLF inside a quoted field reads as LF, as in the csv package",
		format: dataset.FormatCSV, in: "text,label\r\n\"a\r\nb\",hate\r\nc,neither\r\n",
		want: []dataset.Record{{Text: "a\nb", Label: "hate", Line: 2}, {Text: "c", Label: "neither", Line: 4}},
	},
	{
		name: "csv_quotes_and_commas", reason: "doubled quotes and separators inside quotes are text",
		format: dataset.FormatCSV, in: "text,label\n\"say \"\"hi\"\", ok\",hate\n",
		want: []dataset.Record{{Text: `say "hi", ok`, Label: "hate", Line: 2}},
	},
	{
		name: "csv_blank_lines", reason: "blank lines are skipped but counted, and the last row needs no newline",
		format: dataset.FormatCSV, in: "text,label\n\nhi,hate\n\n\nyo,neither",
		want: []dataset.Record{{Text: "hi", Label: "hate", Line: 3}, {Text: "yo", Label: "neither", Line: 6}},
	},
	{
		name: "csv_column_order", reason: "columns are found by name, in any order, and others are ignored",
		format: dataset.FormatCSV, in: "id,label,text,extra\n1,hate,hi,x\n",
		want: []dataset.Record{{Text: "hi", Label: "hate", Line: 2}},
	},
	{
		name: "csv_custom_columns", reason: "the original Davidson file calls them tweet and class",
		format: dataset.FormatCSV, in: "tweet,class\nhi,0\n",
		opts: []dataset.Option{dataset.TextColumn("tweet"), dataset.LabelColumn("class")},
		want: []dataset.Record{{Text: "hi", Label: "0", Line: 2}},
	},
	{
		name: "csv_empty_text", reason: "models take any string, so an empty text is data, not an error",
		format: dataset.FormatCSV, in: "text,label\n,hate\n",
		want: []dataset.Record{{Text: "", Label: "hate", Line: 2}},
	},
	{
		name: "csv_invalid_utf8_text", reason: "text bytes are kept as they are; models must handle them",
		format: dataset.FormatCSV, in: "text,label\n\xff\xfe,hate\n",
		want: []dataset.Record{{Text: "\xff\xfe", Label: "hate", Line: 2}},
	},
	{
		name: "csv_name", reason: "Name fills Record.File",
		format: dataset.FormatCSV, in: "text,label\nhi,hate\n", opts: []dataset.Option{dataset.Name("in.csv")},
		want: []dataset.Record{{Text: "hi", Label: "hate", File: "in.csv", Line: 2}},
	},
	{
		name: "tsv", reason: "commas are text in TSV",
		format: dataset.FormatTSV, in: "text\tlabel\na,b\thate\n",
		want: []dataset.Record{{Text: "a,b", Label: "hate", Line: 2}},
	},
	{
		name: "tsv_quoted", reason: "pandas quotes a TSV field that holds a tab, a quote or a newline",
		format: dataset.FormatTSV, in: "text\tlabel\r\n\"a\tb \"\"c\"\"\nd\"\thate\r\n",
		want: []dataset.Record{{Text: "a\tb \"c\"\nd", Label: "hate", Line: 2}},
	},
	{
		name: "jsonl", reason: "keys in any order, extra keys ignored",
		format: dataset.FormatJSONL, in: `{"text":"hi","label":"hate"}` + "\n" + `{"label":"neither","id":3,"text":"yo"}` + "\n",
		want: []dataset.Record{{Text: "hi", Label: "hate", Line: 1}, {Text: "yo", Label: "neither", Line: 2}},
	},
	{
		name: "jsonl_int_label", reason: "an integer label is a class index, kept as its digits",
		format: dataset.FormatJSONL, in: `{"text":"hi","label":2}` + "\n" + `{"text":"yo","label":0}`,
		want: []dataset.Record{{Text: "hi", Label: "2", Line: 1}, {Text: "yo", Label: "0", Line: 2}},
	},
	{
		name: "jsonl_bom_crlf_blank", reason: "BOM, CRLF and blank lines as in CSV; blank lines still count",
		format: dataset.FormatJSONL, in: "\uFEFF{\"text\":\"hi\",\"label\":\"hate\"}\r\n\r\n  \r\n{\"text\":\"yo\",\"label\":\"neither\"}\r\n",
		want: []dataset.Record{{Text: "hi", Label: "hate", Line: 1}, {Text: "yo", Label: "neither", Line: 4}},
	},
	{
		name: "jsonl_escapes", reason: "JSON escapes, including surrogate pairs and \\n, are decoded",
		format: dataset.FormatJSONL, in: `{"text":"caf\u00e9 \ud83d\ude00\nok","label":"h\u00e4te"}`,
		want: []dataset.Record{{Text: "café 😀\nok", Label: "häte", Line: 1}},
	},
	{
		name: "jsonl_invalid_utf8_text", reason: "encoding/json replaces invalid UTF-8 in strings with U+FFFD",
		format: dataset.FormatJSONL, in: "{\"text\":\"a\xffb\",\"label\":\"hate\"}",
		want: []dataset.Record{{Text: "a\uFFFDb", Label: "hate", Line: 1}},
	},
	{
		name: "jsonl_spaces", reason: "white space around keys and values is JSON, not part of the label",
		format: dataset.FormatJSONL, in: `  { "text" : "a" ,  "label" :  1 }  `,
		want: []dataset.Record{{Text: "a", Label: "1", Line: 1}},
	},
	{
		name: "jsonl_custom_keys", reason: "TextColumn and LabelColumn name JSON keys",
		format: dataset.FormatJSONL, in: `{"tweet":"a","class":"hate","text":1}`,
		opts: []dataset.Option{dataset.TextColumn("tweet"), dataset.LabelColumn("class"), dataset.Name("in.jsonl")},
		want: []dataset.Record{{Text: "a", Label: "hate", File: "in.jsonl", Line: 1}},
	},
}

func TestReadRecords(t *testing.T) {
	t.Parallel()
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := dataset.ReadRecords(strings.NewReader(tc.in), tc.format, tc.opts...)
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, got, tc.reason)
		})
	}
}

func TestReadRecords_parseErrors(t *testing.T) {
	t.Parallel()
	const (
		csvF   = dataset.FormatCSV
		tsvF   = dataset.FormatTSV
		jsonlF = dataset.FormatJSONL
	)
	tests := []struct {
		name, reason string
		format       dataset.Format
		in           string
		line         int    // want ParseError.Line
		is           error  // want errors.Is, if not nil
		msg          string // want in err.Error()
	}{
		{name: "csv_empty", reason: "no header at all", format: csvF, in: "", line: 0, msg: "dataset: in: empty input"},
		{name: "csv_bom_only", reason: "a BOM is not a header", format: csvF, in: "\uFEFF", line: 0, msg: "empty input"},
		{name: "csv_header_only", reason: "0 data rows is an error, not an empty data set", format: csvF, in: "text,label\n", line: 0, msg: "dataset: in: no data rows"},
		{name: "csv_blank_rows_only", reason: "blank lines are not rows", format: csvF, in: "text,label\n\n\r\n", line: 0, msg: "no data rows"},
		{name: "csv_no_text_column", reason: "the message lists the columns found", format: csvF, in: "body,label\nhi,hate\n", line: 1, msg: `dataset: in:1: no column "text" (columns: ["body" "label"])`},
		{name: "csv_no_label_column", reason: "both columns are required", format: csvF, in: "\n\ntext,class\nhi,hate\n", line: 3, msg: `no column "label" (columns: ["text" "class"])`},
		{name: "csv_case_matters", reason: "column names match exactly", format: csvF, in: "Text,Label\nhi,hate\n", line: 1, msg: `no column "text"`},
		{name: "csv_duplicate_column", reason: "which text column would be meant is unclear", format: csvF, in: "text,label,text\nhi,hate,yo\n", line: 1, msg: `column "text" appears 2 times`},
		{name: "csv_too_few_fields", reason: "ragged row", format: csvF, in: "text,label\nhi,hate\nyo\n", line: 3, is: csv.ErrFieldCount, msg: "in:3: wrong number of fields: got 1, want 2"},
		{name: "csv_too_many_fields", reason: "an unquoted comma in a tweet", format: csvF, in: "text,label\nhi, there,hate\n", line: 2, is: csv.ErrFieldCount, msg: "got 3, want 2"},
		{name: "csv_ragged_after_multiline", reason: "the line counts the lines of earlier quoted fields", format: csvF, in: "text,label\n\"a\nb\",hate\nc\n", line: 4, is: csv.ErrFieldCount},
		{name: "csv_bare_quote", reason: "a quote inside an unquoted field", format: csvF, in: "text,label\nok,hate\nsay \"hi\",hate\n", line: 3, is: csv.ErrBareQuote, msg: "in:3: column 5: bare"},
		{name: "csv_unclosed_quote", reason: "the record starts on line 2; the csv package finds the fault at the end of the input, on line 3", format: csvF, in: "text,label\n\"never closed,hate\nmore,neither\n", line: 2, is: csv.ErrQuote, msg: "in:2: line 3, column 14: extraneous"},
		{name: "csv_text_after_quote", reason: "a closing quote must end the field", format: csvF, in: "text,label\n\"a\"b,hate\n", line: 2, is: csv.ErrQuote},
		{name: "csv_empty_label", reason: "a missing label is not a class", format: csvF, in: "text,label\nhi,hate\nyo,\n", line: 3, msg: "in:3: empty label"},
		{name: "csv_invalid_utf8_label", reason: "labels become class names, which must be text", format: csvF, in: "text,label\nhi,h\xffte\n", line: 2, msg: `label "h\xffte" is not valid UTF-8`},
		{name: "tsv_given_csv", reason: "a CSV read as TSV has one column; the message shows it", format: tsvF, in: "text,label\nhi,hate\n", line: 1, msg: `(columns: ["text,label"])`},
		{name: "jsonl_empty", reason: "0 records", format: jsonlF, in: "", line: 0, msg: "no data rows"},
		{name: "jsonl_blank", reason: "blank lines are not records", format: jsonlF, in: "\n \r\n\t\n", line: 0, msg: "no data rows"},
		{name: "jsonl_not_json", reason: "a CSV given as JSON Lines", format: jsonlF, in: "text,label\n", line: 1, msg: "in:1: want a JSON object"},
		{name: "jsonl_array", reason: "records are objects", format: jsonlF, in: `{"text":"a","label":"b"}` + "\n" + `["a","b"]`, line: 2, msg: "want a JSON object"},
		{name: "jsonl_null", reason: "null is not an object", format: jsonlF, in: "null\n", line: 1, msg: "want a JSON object"},
		{name: "jsonl_invalid", reason: "trailing comma", format: jsonlF, in: "\n\n" + `{"text":"a","label":"b",}`, line: 3, msg: "in:3: invalid JSON"},
		{name: "jsonl_trailing_data", reason: "two objects on one line", format: jsonlF, in: `{"text":"a","label":"b"} {"text":"c","label":"d"}`, line: 1, msg: "invalid JSON"},
		{name: "jsonl_split_object", reason: "an object may not span lines", format: jsonlF, in: "{\"text\":\"a\",\n\"label\":\"b\"}\n", line: 1, msg: "invalid JSON"},
		{name: "jsonl_no_text", reason: "the message lists the keys found", format: jsonlF, in: `{"tweet":"a","label":"b"}`, line: 1, msg: `no key "text" (keys: ["label" "tweet"])`},
		{name: "jsonl_no_label", reason: "both keys are required", format: jsonlF, in: `{"text":"a"}`, line: 1, msg: `no key "label" (keys: ["text"])`},
		{name: "jsonl_text_number", reason: "text must be a string", format: jsonlF, in: `{"text":12,"label":"b"}`, line: 1, msg: `key "text": want a string, got 12`},
		{name: "jsonl_text_null", reason: "null is not an empty text", format: jsonlF, in: `{"text":null,"label":"b"}`, line: 1, msg: "want a string, got null"},
		{name: "jsonl_label_null", reason: "null is no label", format: jsonlF, in: `{"text":"a","label":null}`, line: 1, msg: `key "label": want a string or a non-negative integer, got null`},
		{name: "jsonl_label_bool", reason: "booleans are not class indices", format: jsonlF, in: `{"text":"a","label":true}`, line: 1, msg: "got true"},
		{name: "jsonl_label_float", reason: "class indices are integers", format: jsonlF, in: `{"text":"a","label":1.0}`, line: 1, msg: "got 1.0"},
		{name: "jsonl_label_negative", reason: "class indices are not negative", format: jsonlF, in: `{"text":"a","label":-1}`, line: 1, msg: "got -1"},
		{name: "jsonl_label_exponent", reason: "only plain integers", format: jsonlF, in: `{"text":"a","label":1e2}`, line: 1, msg: "got 1e2"},
		{name: "jsonl_label_empty", reason: "as in CSV", format: jsonlF, in: `{"text":"a","label":""}`, line: 1, msg: "empty label"},
		{name: "jsonl_label_array", reason: "multi-label data is not supported", format: jsonlF, in: `{"text":"a","label":["x"]}`, line: 1, msg: `got ["x"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := dataset.ReadRecords(strings.NewReader(tc.in), tc.format, dataset.Name("in"))
			require.Error(t, err, tc.reason)
			var pe *dataset.ParseError
			require.ErrorAs(t, err, &pe, tc.reason)
			assert.Equal(t, "in", pe.File, tc.reason)
			assert.Equal(t, tc.line, pe.Line, tc.reason)
			assert.True(t, strings.HasPrefix(err.Error(), "dataset: "), "%s: %q", tc.reason, err)
			assert.Contains(t, err.Error(), tc.msg, tc.reason)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is, tc.reason)
			}
		})
	}
}

func TestReadRecords_otherErrors(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	const good = "text,label\nhi,hate\n"
	tests := []struct {
		name, reason string
		r            io.Reader
		format       dataset.Format
		opts         []dataset.Option
		is           error  // want errors.Is, if not nil
		msg          string // want in err.Error()
	}{
		{name: "zero_format", reason: "the zero Format is invalid", r: strings.NewReader(good), format: 0, msg: "dataset: invalid Format(0)"},
		{name: "unknown_format", reason: "out of range", r: strings.NewReader(good), format: 9, msg: "invalid Format(9)"},
		{name: "empty_text_column", reason: "an empty name matches nothing useful", r: strings.NewReader(good), format: dataset.FormatCSV, opts: []dataset.Option{dataset.TextColumn("")}, msg: "dataset: empty TextColumn"},
		{name: "empty_label_column", reason: "as for text", r: strings.NewReader(good), format: dataset.FormatCSV, opts: []dataset.Option{dataset.LabelColumn("")}, msg: "dataset: empty LabelColumn"},
		{name: "same_columns", reason: "text and label cannot be one column", r: strings.NewReader(good), format: dataset.FormatCSV, opts: []dataset.Option{dataset.LabelColumn("text")}, msg: `both "text"`},
		{name: "nil_option", reason: "a nil Option must not panic", r: strings.NewReader(good), format: dataset.FormatCSV, opts: []dataset.Option{nil}, msg: "dataset: nil Option"},
		{name: "read_error_csv_start", reason: "I/O errors are passed on, not parse errors", r: iotest.ErrReader(errBoom), format: dataset.FormatCSV, is: errBoom, msg: "dataset: read: boom"},
		{name: "read_error_csv_later", reason: "after some rows", r: io.MultiReader(strings.NewReader(good), iotest.ErrReader(errBoom)), format: dataset.FormatCSV, is: errBoom},
		{name: "read_error_tsv", reason: "every format", r: iotest.ErrReader(errBoom), format: dataset.FormatTSV, is: errBoom},
		{name: "read_error_jsonl_later", reason: "after a record", r: io.MultiReader(strings.NewReader(`{"text":"a","label":"b"}`+"\n"), iotest.ErrReader(errBoom)), format: dataset.FormatJSONL, opts: []dataset.Option{dataset.Name("in.jsonl")}, is: errBoom, msg: "dataset: read in.jsonl: boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := dataset.ReadRecords(tc.r, tc.format, tc.opts...)
			require.Error(t, err, tc.reason)
			assert.Nil(t, got, tc.reason)
			var pe *dataset.ParseError
			assert.False(t, errors.As(err, &pe), "%s: %v is not about the content", tc.reason, err)
			assert.Contains(t, err.Error(), tc.msg, tc.reason)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is, tc.reason)
			}
		})
	}
}

func TestReadRecords_oneByteReads(t *testing.T) {
	t.Parallel()
	// A reader that returns one byte at a time splits the BOM and every line
	// across reads.
	for _, tc := range readCases {
		got, err := dataset.ReadRecords(iotest.OneByteReader(strings.NewReader(tc.in)), tc.format, tc.opts...)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

func TestParseError_Error(t *testing.T) {
	t.Parallel()
	cause := errors.New("cause")
	tests := []struct {
		name, reason string
		err          *dataset.ParseError
		want         string
	}{
		{name: "file_and_line", reason: "the usual form, like a compiler's", err: &dataset.ParseError{File: "train.csv", Line: 17, Err: cause}, want: "dataset: train.csv:17: cause"},
		{name: "file_only", reason: "a problem of the whole file", err: &dataset.ParseError{File: "train.csv", Err: cause}, want: "dataset: train.csv: cause"},
		{name: "line_only", reason: "ReadRecords without Name", err: &dataset.ParseError{Line: 3, Err: cause}, want: "dataset: line 3: cause"},
		{name: "neither", reason: "still prefixed", err: &dataset.ParseError{Err: cause}, want: "dataset: cause"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.err.Error(), tc.reason)
			assert.ErrorIs(t, tc.err, cause, tc.reason)
		})
	}
}

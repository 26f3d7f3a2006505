package dataset_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestLoad(t *testing.T) {
	t.Parallel()
	davidson := hatetweet.DavidsonLabels()
	tests := []struct {
		name, reason string
		file, in     string
		ls           hatetweet.Labels
		opts         []dataset.Option
		want         []hatetweet.Example
	}{
		{
			name: "csv", reason: "names map to their index in ls",
			file: "train.csv", in: "text,label\na,neither\nb,hate\nc,offensive\n", ls: davidson,
			want: []hatetweet.Example{{Text: "a", Label: 2}, {Text: "b", Label: 0}, {Text: "c", Label: 1}},
		},
		{
			name: "tsv_upper_case_extension", reason: "extensions ignore case",
			file: "TRAIN.TSV", in: "text\tlabel\na\thate\n", ls: davidson,
			want: []hatetweet.Example{{Text: "a", Label: 0}},
		},
		{
			name: "jsonl_index_labels", reason: "JSON integer labels are class indices",
			file: "train.jsonl", in: `{"text":"a","label":2}` + "\n" + `{"text":"b","label":"hate"}`, ls: davidson,
			want: []hatetweet.Example{{Text: "a", Label: 2}, {Text: "b", Label: 0}},
		},
		{
			name: "original_davidson_columns", reason: "the original labeled_data.csv has tweet and a numeric class",
			file: "labeled_data.csv", in: ",count,hate_speech,offensive_language,neither,class,tweet\n0,3,0,0,3,2,\"!!! RT @x: hi\"\n",
			ls: davidson, opts: []dataset.Option{dataset.TextColumn("tweet"), dataset.LabelColumn("class")},
			want: []hatetweet.Example{{Text: "!!! RT @x: hi", Label: 2}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := dataset.Load(writeFile(t, tc.file, tc.in), tc.ls, tc.opts...)
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, got, tc.reason)
		})
	}
}

func TestLoad_unknownLabel(t *testing.T) {
	t.Parallel()
	// The bad label is on line 5: the quoted text of line 2 spans two lines.
	path := writeFile(t, "val.csv", "text,label\n\"two\nlines\",hate\nok,neither\nbad,foo\n")
	_, err := dataset.Load(path, hatetweet.DavidsonLabels())
	require.Error(t, err)
	require.ErrorIs(t, err, hatetweet.ErrUnknownLabel)
	var pe *dataset.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, path, pe.File)
	assert.Equal(t, 5, pe.Line)
	assert.True(t, strings.HasPrefix(err.Error(), "dataset: "+path+`:5: `), err.Error())
	assert.Contains(t, err.Error(), `"foo"`)

	_, err = dataset.Load(path, hatetweet.DavidsonLabels(), dataset.Name("val"))
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "val", pe.File, "Name overrides the path")
}

func TestLoad_errors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	require.NoError(t, os.WriteFile(good, []byte("text,label\na,hate\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "good.txt"), []byte("text,label\na,hate\n"), 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub.csv"), 0o700))
	tests := []struct {
		name, reason string
		path         string
		ls           hatetweet.Labels
		is           error
		msg          string
	}{
		{name: "missing_file", reason: "callers test for fs.ErrNotExist", path: filepath.Join(dir, "none.csv"), ls: hatetweet.DavidsonLabels(), is: fs.ErrNotExist, msg: "dataset: open "},
		{name: "directory", reason: "a directory named like a data file fails on read", path: filepath.Join(dir, "sub.csv"), ls: hatetweet.DavidsonLabels(), msg: "dataset: read " + filepath.Join(dir, "sub.csv")},
		{name: "bad_extension", reason: "the format is not guessed from content", path: filepath.Join(dir, "good.txt"), ls: hatetweet.DavidsonLabels(), msg: `unsupported extension ".txt"`},
		{name: "one_label", reason: "a classifier needs two classes", path: good, ls: hatetweet.Labels{"hate"}, msg: "dataset: hatetweet: need at least 2 labels"},
		{name: "nil_labels", reason: "no classes at all", path: good, ls: nil, msg: "need at least 2 labels"},
		{name: "duplicate_labels", reason: "ambiguous classes", path: good, ls: hatetweet.Labels{"hate", "hate"}, msg: "appears twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := dataset.Load(tc.path, tc.ls)
			require.Error(t, err, tc.reason)
			assert.Nil(t, got, tc.reason)
			assert.Contains(t, err.Error(), tc.msg, tc.reason)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is, tc.reason)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "train.ndjson", `{"text":"a","label":"x"}`+"\n\n"+`{"text":"b","label":"y"}`)
	got, err := dataset.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, []dataset.Record{{Text: "a", Label: "x", File: path, Line: 1}, {Text: "b", Label: "y", File: path, Line: 3}}, got)
}

func TestExamples(t *testing.T) {
	t.Parallel()
	davidson := hatetweet.DavidsonLabels()
	tests := []struct {
		name, reason string
		label        string
		ls           hatetweet.Labels
		want         hatetweet.Label
		unknown      bool
	}{
		{name: "name", reason: "exact name", label: "offensive", ls: davidson, want: 1},
		{name: "name_case", reason: "names match exactly", label: "Hate", ls: davidson, unknown: true},
		{name: "name_space", reason: "no trimming", label: "hate ", ls: davidson, unknown: true},
		{name: "index", reason: "a decimal below len(ls) is an index", label: "2", ls: davidson, want: 2},
		{name: "index_zero", reason: "0 is canonical", label: "0", ls: davidson, want: 0},
		{name: "index_out_of_range", reason: "3 classes have indices 0..2", label: "3", ls: davidson, unknown: true},
		{name: "index_leading_zero", reason: "only canonical decimals are indices", label: "02", ls: davidson, unknown: true},
		{name: "index_sign", reason: "no signs", label: "+1", ls: davidson, unknown: true},
		{name: "index_huge", reason: "overflows int", label: "99999999999999999999999", ls: davidson, unknown: true},
		{name: "name_before_index", reason: "a class named \"0\" wins over index 0", label: "0", ls: hatetweet.Labels{"1", "0"}, want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			recs := []dataset.Record{{Text: "t", Label: tc.label, File: "f.csv", Line: 9}}
			got, err := dataset.Examples(recs, tc.ls)
			if tc.unknown {
				require.ErrorIs(t, err, hatetweet.ErrUnknownLabel, tc.reason)
				var pe *dataset.ParseError
				require.ErrorAs(t, err, &pe, tc.reason)
				assert.Equal(t, dataset.ParseError{File: "f.csv", Line: 9, Err: pe.Err}, *pe, tc.reason)
				assert.Nil(t, got, tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Equal(t, []hatetweet.Example{{Text: "t", Label: tc.want}}, got, tc.reason)
		})
	}
}

func TestLabelsOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		labels       []string
		want         hatetweet.Labels
	}{
		{name: "none", reason: "no records, no labels", labels: nil, want: nil},
		{name: "names", reason: "distinct, sorted as strings", labels: []string{"neither", "hate", "offensive", "hate"}, want: hatetweet.Labels{"hate", "neither", "offensive"}},
		{name: "numbers", reason: "integers sort by value, so 0..n-1 keep their index", labels: []string{"10", "2", "0", "1", "9", "3", "4", "5", "6", "7", "8", "2"}, want: hatetweet.Labels{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}},
		{name: "mixed", reason: "one name makes all sort as strings", labels: []string{"10", "2", "a"}, want: hatetweet.Labels{"10", "2", "a"}},
		{name: "leading_zero", reason: "\"01\" is not an index, so strings", labels: []string{"2", "01"}, want: hatetweet.Labels{"01", "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var recs []dataset.Record
			for _, l := range tc.labels {
				recs = append(recs, dataset.Record{Text: "x", Label: l})
			}
			assert.Equal(t, tc.want, dataset.LabelsOf(recs), tc.reason)
		})
	}
}

func TestFormatFromPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		path         string
		want         dataset.Format
		wantErr      bool
	}{
		{name: "csv", reason: "by extension", path: "data/train.csv", want: dataset.FormatCSV},
		{name: "csv_upper", reason: "case is ignored", path: "TRAIN.CSV", want: dataset.FormatCSV},
		{name: "tsv", reason: "tab separated", path: "a.b/train.tsv", want: dataset.FormatTSV},
		{name: "jsonl", reason: "JSON Lines", path: "train.jsonl", want: dataset.FormatJSONL},
		{name: "ndjson", reason: "the other name of JSON Lines", path: "train.ndjson", want: dataset.FormatJSONL},
		{name: "json", reason: "a JSON array file is not JSON Lines", path: "train.json", wantErr: true},
		{name: "gzip", reason: "compressed files are not read", path: "train.csv.gz", wantErr: true},
		{name: "none", reason: "no extension", path: "train", wantErr: true},
		{name: "dir_dot", reason: "a dot in a directory is no extension", path: "v1.csv/train", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := dataset.FormatFromPath(tc.path)
			if tc.wantErr {
				require.Error(t, err, tc.reason)
				assert.Contains(t, err.Error(), "dataset: "+tc.path+": unsupported extension", tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, got, tc.reason)
		})
	}
}

func TestFormat_String(t *testing.T) {
	t.Parallel()
	for f, want := range map[dataset.Format]string{
		dataset.FormatCSV: "csv", dataset.FormatTSV: "tsv", dataset.FormatJSONL: "jsonl", 0: "Format(0)", 7: "Format(7)",
	} {
		assert.Equal(t, want, f.String())
	}
}

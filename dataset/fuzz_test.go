package dataset_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hatetweet/hatetweet/dataset"
)

// FuzzReadRecords checks, for any input in any format, that ReadRecords does
// not panic, that every failure is a *ParseError (the reader cannot fail and
// the options are valid), that records have non-empty valid UTF-8 labels and
// increasing line numbers, and that a leading BOM changes nothing.
func FuzzReadRecords(f *testing.F) {
	for _, tc := range readCases {
		if len(tc.opts) == 0 {
			f.Add(uint8(tc.format), []byte(tc.in))
		}
	}
	f.Add(uint8(dataset.FormatCSV), []byte("text,label\n\"a\"\"\nb\",\"\"\n\"unclosed"))
	f.Add(uint8(dataset.FormatCSV), []byte("text,label\r\n\r\r\n\"\r\",x\r"))
	f.Add(uint8(dataset.FormatJSONL), []byte(`{"text":"\ud800","label":"\u0000"}`))
	f.Fuzz(func(t *testing.T, format uint8, data []byte) {
		fm := dataset.Format(format%3 + 1)
		recs, err := dataset.ReadRecords(bytes.NewReader(data), fm, dataset.Name("in"))
		if err != nil {
			var pe *dataset.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "in", pe.File)
			assert.GreaterOrEqual(t, pe.Line, 0)
			assert.True(t, strings.HasPrefix(err.Error(), "dataset: in"), err.Error())
			assert.Nil(t, recs)
		} else {
			require.NotEmpty(t, recs)
			prev := 0
			for _, r := range recs {
				assert.Greater(t, r.Line, prev, "lines increase")
				prev = r.Line
				assert.Equal(t, "in", r.File)
				assert.NotEmpty(t, r.Label)
				assert.True(t, utf8.ValidString(r.Label), "label %q", r.Label)
			}
		}
		if bytes.HasPrefix(data, []byte("\uFEFF")) {
			return
		}
		withBOM, bomErr := dataset.ReadRecords(bytes.NewReader(append([]byte("\uFEFF"), data...)), fm, dataset.Name("in"))
		assert.Equal(t, recs, withBOM, "a BOM changes nothing")
		if err != nil {
			var a, b *dataset.ParseError
			require.True(t, errors.As(bomErr, &b), "BOM: %v", bomErr)
			require.ErrorAs(t, err, &a)
			assert.Equal(t, a.Line, b.Line, "a BOM changes no line number")
		}
	})
}

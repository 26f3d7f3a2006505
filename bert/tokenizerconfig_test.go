package bert

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadTokenizerConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		json   string
		want   tokenizerConfig
		bad    string // error substring; empty means success
	}{
		{"bert-base", "the usual file", `{"do_lower_case": true, "model_max_length": 512}`, tokenizerConfig{true, 512}, ""},
		{"cased", "do_lower_case false is kept", `{"do_lower_case": false, "model_max_length": 128}`, tokenizerConfig{false, 128}, ""},
		{"empty object", "absent keys take BertTokenizer defaults", `{}`, tokenizerConfig{true, 0}, ""},
		{"huge int", "HF writes int(1e30) for no limit; it does not fit int64",
			`{"model_max_length": 1000000000000000019884624838656}`, tokenizerConfig{true, 0}, ""},
		{"huge float", "some writers spell it 1e30", `{"model_max_length": 1e30}`, tokenizerConfig{true, 0}, ""},
		{"int64 huge", "2^62 is also no limit", `{"model_max_length": 4611686018427387904}`, tokenizerConfig{true, 0}, ""},
		{"integral float", "512.0 is 512", `{"model_max_length": 512.0}`, tokenizerConfig{true, 512}, ""},
		{"extra keys", "special tokens and classes are ignored",
			`{"tokenizer_class": "BertTokenizer", "unk_token": "[UNK]", "model_max_length": 64}`, tokenizerConfig{true, 64}, ""},
		{"zero", "a zero limit is meaningless", `{"model_max_length": 0}`, tokenizerConfig{}, "not positive"},
		{"negative", "negative limits are errors", `{"model_max_length": -5}`, tokenizerConfig{}, "not positive"},
		{"fractional", "lengths count tokens", `{"model_max_length": 12.5}`, tokenizerConfig{}, "not an integer"},
		{"not json", "syntax errors", `{"do_lower_case": tru`, tokenizerConfig{}, "invalid character"},
		{"bool type", "do_lower_case is a bool", `{"do_lower_case": "yes"}`, tokenizerConfig{}, "cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "tokenizer_config.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.json), 0o600))
			got, err := readTokenizerConfig(path)
			if tc.bad != "" {
				require.ErrorIs(t, err, ErrBadCheckpoint, tc.reason)
				assert.Contains(t, err.Error(), tc.bad, tc.reason)
				return
			}
			require.NoError(t, err, tc.reason)
			assert.Equal(t, tc.want, got, tc.reason)
		})
	}
}

func TestReadTokenizerConfig_missingAndFixture(t *testing.T) {
	t.Parallel()
	got, err := readTokenizerConfig(filepath.Join(t.TempDir(), "tokenizer_config.json"))
	require.NoError(t, err, "a missing file means BertTokenizer defaults")
	assert.Equal(t, tokenizerConfig{DoLowerCase: true}, got)

	// testdata/tiny-b/tokenizer_config.json: gen_fixtures.py writes
	// do_lower_case true and model_max_length 24 (max_position_embeddings).
	got, err = readTokenizerConfig("testdata/tiny-b/tokenizer_config.json")
	require.NoError(t, err)
	assert.Equal(t, tokenizerConfig{DoLowerCase: true, ModelMaxLength: 24}, got)
}

func TestWriteTokenizerConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []tokenizerConfig{{true, 128}, {false, 0}} {
		path := filepath.Join(dir, "tokenizer_config.json")
		require.NoError(t, writeTokenizerConfig(path, tc))
		got, err := readTokenizerConfig(path)
		require.NoError(t, err)
		assert.Equal(t, tc, got)
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Contains(t, string(raw), `"tokenizer_class": "BertTokenizer"`)
		assert.Contains(t, string(raw), `"do_lower_case"`, "false must be written, not omitted")
	}
	require.Error(t, writeTokenizerConfig(filepath.Join(dir, "x.json"), tokenizerConfig{ModelMaxLength: -1}))
}

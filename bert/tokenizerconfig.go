package bert

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"

	"github.com/hatetweet/hatetweet/internal/atomicfile"
)

// tokenizerConfig is the part of HuggingFace's tokenizer_config.json that
// this package uses.
type tokenizerConfig struct {
	// DoLowerCase ("do_lower_case") tells the WordPiece tokenizer to
	// lowercase and strip accents; BertTokenizer's default is true.
	DoLowerCase bool
	// ModelMaxLength ("model_max_length") is the longest input in tokens the
	// tokenizer was saved with; 0 means no limit was recorded (HF writes
	// int(1e30) for that).
	ModelMaxLength int
}

// defaultTokenizerConfig returns what HF's BertTokenizer assumes without a
// tokenizer_config.json.
func defaultTokenizerConfig() tokenizerConfig { return tokenizerConfig{DoLowerCase: true} }

// noLimitThreshold: HF's "no limit" sentinel is int(1e30); any
// model_max_length at or above this many tokens is treated as no limit.
const noLimitThreshold = 1 << 40

// tokenizerConfigJSON is the JSON form; pointers tell absent from false/0.
type tokenizerConfigJSON struct {
	DoLowerCase    *bool        `json:"do_lower_case,omitempty"`
	ModelMaxLength *json.Number `json:"model_max_length,omitempty"`
	TokenizerClass string       `json:"tokenizer_class,omitempty"`
}

// readTokenizerConfig reads tokenizer_config.json at path. A missing file
// gives BertTokenizer's defaults (lowercase, no length limit) and no error;
// absent keys take the same defaults. A malformed file, a non-integer or
// non-positive model_max_length, gives an error wrapping
// [ErrBadCheckpoint]. Values of model_max_length at or above 2^40 tokens,
// such as HF's int(1e30), mean no limit (0).
func readTokenizerConfig(path string) (tokenizerConfig, error) {
	b, err := readFileLimited(path, maxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return defaultTokenizerConfig(), nil
	}
	if err != nil {
		return tokenizerConfig{}, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	var j tokenizerConfigJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return tokenizerConfig{}, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, path, err)
	}
	tc := defaultTokenizerConfig()
	if j.DoLowerCase != nil {
		tc.DoLowerCase = *j.DoLowerCase
	}
	if j.ModelMaxLength != nil {
		n, err := parseMaxLength(string(*j.ModelMaxLength))
		if err != nil {
			return tokenizerConfig{}, fmt.Errorf("%w: %s: %w", ErrBadCheckpoint, path, err)
		}
		tc.ModelMaxLength = n
	}
	return tc, nil
}

// parseMaxLength parses model_max_length, mapping HF's huge "no limit"
// values to 0.
func parseMaxLength(s string) (int, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		switch {
		case n <= 0:
			return 0, fmt.Errorf("bert: model_max_length %d is not positive", n)
		case n >= noLimitThreshold:
			return 0, nil
		}
		return int(n), nil
	}
	// Too large for int64 (int(1e30) is written as a 31-digit integer) or
	// written as a float.
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("bert: model_max_length %q: %w", s, err)
	case math.IsNaN(f) || f <= 0:
		return 0, fmt.Errorf("bert: model_max_length %s is not positive", s)
	case f >= noLimitThreshold:
		return 0, nil
	case f != math.Trunc(f):
		return 0, fmt.Errorf("bert: model_max_length %s is not an integer", s)
	}
	return int(f), nil
}

// writeTokenizerConfig writes tc as tokenizer_config.json at path,
// atomically, with tokenizer_class BertTokenizer. A zero ModelMaxLength
// omits the key (HF then assumes no limit).
func writeTokenizerConfig(path string, tc tokenizerConfig) error {
	if tc.ModelMaxLength < 0 {
		return fmt.Errorf("bert: write %s: model_max_length %d is negative", path, tc.ModelMaxLength)
	}
	j := tokenizerConfigJSON{DoLowerCase: &tc.DoLowerCase, TokenizerClass: "BertTokenizer"}
	if tc.ModelMaxLength > 0 {
		n := json.Number(strconv.Itoa(tc.ModelMaxLength))
		j.ModelMaxLength = &n
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return fmt.Errorf("bert: write %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

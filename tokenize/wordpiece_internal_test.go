package tokenize

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/sugarme/tokenizer"
)

// wpStubModel is a subword model that misbehaves on purpose.
type wpStubModel func(word string) ([]tokenizer.Token, error)

func (m wpStubModel) Tokenize(word string) ([]tokenizer.Token, error) { return m(word) }

var errWPStub = errors.New("stub failure")

// TestWordPiece_modelFailures proves that a panic or an error inside the
// third-party subword model reaches the caller as an error, never as a
// panic, for both Tokenize and TokenizePair.
func TestWordPiece_modelFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, reason string
		model        wpStubModel
		wantIs       error
		wantMsg      string
	}{
		{
			name: "panic", reason: "sugarme's issues report panics on some inputs",
			model:   func(string) ([]tokenizer.Token, error) { panic("index out of range") },
			wantMsg: "internal panic: index out of range",
		},
		{
			name: "error", reason: "an error is wrapped",
			model:  func(string) ([]tokenizer.Token, error) { return nil, errWPStub },
			wantIs: errWPStub, wantMsg: "stub failure",
		},
		{
			name: "foreign_piece", reason: "a piece that is not in the vocabulary is an error, not a bad id",
			model: func(string) ([]tokenizer.Token, error) {
				return []tokenizer.Token{{Id: 7, Value: "not-a-token"}}, nil
			},
			wantMsg: `piece "not-a-token" with id 7`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := NewDefaultWordPiece()
			require.NoError(t, err)
			w.model = tt.model
			for _, call := range []func() (Encoding, error){
				func() (Encoding, error) { return w.Tokenize("hello") },
				func() (Encoding, error) { return w.TokenizePair("hello", "world") },
			} {
				var e Encoding
				require.NotPanics(t, func() { e, err = call() }, tt.reason)
				require.Error(t, err, tt.reason)
				assert.Zero(t, e.Len())
				assert.Contains(t, err.Error(), tt.wantMsg)
				assert.Contains(t, err.Error(), "tokenize: wordpiece: ")
				if tt.wantIs != nil {
					assert.ErrorIs(t, err, tt.wantIs)
				}
			}
		})
	}
}

// TestLongestFirst compares the closed form with Hugging Face's loop
// (transformers' truncate_sequences, longest_first): remove one token at a
// time from the longer segment, from the second on ties.
func TestLongestFirst(t *testing.T) {
	t.Parallel()
	for la := 0; la <= 24; la++ {
		for lb := 0; lb <= 24; lb++ {
			for budget := 0; budget <= 50; budget++ {
				a, b := la, lb
				for a+b > budget {
					if a > b {
						a--
					} else {
						b--
					}
				}
				ga, gb := longestFirst(la, lb, budget)
				require.Equal(t, [2]int{a, b}, [2]int{ga, gb}, "la=%d lb=%d budget=%d", la, lb, budget)
			}
		}
	}
}

// TestBertLower checks the two places where Python's str.lower differs from
// Go's per-rune unicode.ToLower. An exhaustive comparison with Python 3.11
// over all code points was run once when this was written (see
// testdata/wordpiece/SOURCE.md); these cases pin it.
func TestBertLower(t *testing.T) {
	t.Parallel()
	// Expected values: /usr/bin/python3 (3.11.2) -c "print(ascii(s.lower()))".
	tests := []struct{ name, reason, in, want string }{
		{"dotted_capital_i", "U+0130 lowers to i + U+0307 (SpecialCasing)", "İi", "i\u0307i"},
		{"final_sigma", "Σ at a word end is ς", "ΟΔΟΣ", "οδος"},
		{"medial_sigma", "Σ inside a word is σ", "ΣΑΣΑ", "σασα"},
		{"alone", "Σ with no cased letter before is σ", "Σ", "σ"},
		{"ignorable_after", "case-ignorable characters are skipped", "ΑΣ'", "ας'"},
		{"ignorable_between", "…on both sides", "ΑΣ'Α", "ασ'α"},
		{"mark_before", "a combining mark is case-ignorable", "Α\u0301Σ", "α\u0301ς"},
		{"digit_after", "a digit is neither cased nor ignorable", "ΑΣ1", "ας1"},
		{"ascii", "ASCII fast path", "HeLLo", "hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, bertLower(tt.in), tt.reason)
		})
	}
}

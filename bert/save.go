package bert

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hatetweet/hatetweet/internal/atomicfile"
)

// Save writes the model to dir as a Hugging Face
// BertForSequenceClassification directory, creating dir if needed:
// model.safetensors (F32, Hugging Face names), config.json (architectures,
// id2label and label2id, format_version, and the cleaner preset as
// hatetweet_cleaner), vocab.txt and tokenizer_config.json (do_lower_case and
// model_max_length = [Model.MaxLen]). Each file is written atomically
// (a temporary file renamed into place), config.json last. [Load] restores
// the model, its labels, maximum length and cleaner; a custom cleaner (not
// a [textclean.Preset]) is not recorded and must be passed to Load again
// with [WithCleaner]. transformers' BertForSequenceClassification and
// BertTokenizer load the directory too.
//
// Save may run alongside predictions; it waits for a running TrainStep.
// Errors name the file that failed; nothing is left half-written.
func (m *Model) Save(dir string) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return errClosed
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bert: save: %w", err)
	}
	cfg := m.cfg.withLabels(m.labels)
	cfg.Cleaner = ""
	if m.hasPreset {
		cfg.Cleaner = m.preset.String()
	}
	if err := writeWeights(filepath.Join(dir, ckptSafetensorsFile), m.ps.src, cfg); err != nil {
		return err
	}
	if err := writeVocab(filepath.Join(dir, ckptVocabFile), m.tok.VocabSize(), m.tok.Token); err != nil {
		return err
	}
	tc := tokenizerConfig{DoLowerCase: m.tok.DoLowerCase(), ModelMaxLength: m.maxLen}
	if err := writeTokenizerConfig(filepath.Join(dir, ckptTokenizerConfigFile), tc); err != nil {
		return err
	}
	return writeConfig(filepath.Join(dir, ckptConfigFile), cfg)
}

// writeVocab writes a vocab.txt of n tokens, one per line in id order,
// atomically.
func writeVocab(path string, n int, token func(id int) string) error {
	for id := range n {
		if t := token(id); t == "" || strings.ContainsAny(t, "\r\n") {
			return fmt.Errorf("bert: write %s: token %d (%q) cannot be written as a line", path, id, t)
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for id := range n {
			if _, err := bw.WriteString(token(id) + "\n"); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}

package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hatetweet/hatetweet/train"
)

// Progress draws a one-line progress bar for a training run on w (a
// terminal's stderr) and prints one summary line per epoch.
type Progress struct {
	w    io.Writer
	last time.Time
}

// NewProgress returns a Progress writing to w.
func NewProgress(w io.Writer) *Progress { return &Progress{w: w} }

// Batch is a train.Config.OnBatch hook. It redraws at most ten times a
// second.
func (p *Progress) Batch(s train.BatchStats) {
	if s.Step != s.Steps && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	done := width * s.Step / max(1, s.Steps)
	fmt.Fprintf(p.w, "\repoch %d/%d [%s%s] %d/%d loss %.4f %5.0f ex/s",
		s.Epoch, s.Epochs, strings.Repeat("=", done), strings.Repeat(" ", width-done),
		s.Step, s.Steps, s.Loss, s.ExamplesPerSec)
}

// Epoch is a train.Config.OnEpoch hook: it ends the bar's line with the
// epoch's summary.
func (p *Progress) Epoch(s train.EpochStats) error {
	fmt.Fprintf(p.w, "\repoch %d: train loss %.4f, %.0f ex/s (%s)", s.Epoch, s.TrainLoss, s.ExamplesPerSec, s.Duration.Round(time.Millisecond))
	if s.Val != nil {
		hate := ""
		if len(s.Val.PerClass) > 0 {
			hate = fmt.Sprintf(", F1(%s) %.3f", s.Val.PerClass[0].Label, s.Val.PerClass[0].F1)
		}
		fmt.Fprintf(p.w, "; val accuracy %.3f, macro-F1 %.3f%s", s.Val.Accuracy, s.ValMacroF1, hate)
		if s.Improved {
			fmt.Fprint(p.w, " (best)")
		}
	}
	fmt.Fprintln(p.w, strings.Repeat(" ", 8))
	return nil
}

package evaluate_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/evaluate"
)

// keywordClassifier is a toy classifier: "hate" in a text means hate, "damn"
// means offensive, anything else neither.
type keywordClassifier struct{ ls hatetweet.Labels }

func (k keywordClassifier) PredictBatch(ctx context.Context, texts []string) ([]hatetweet.Prediction, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]hatetweet.Prediction, len(texts))
	for i, s := range texts {
		logits := []float32{0, 0, 1}
		switch {
		case strings.Contains(s, "hate"):
			logits = []float32{1, 0, 0}
		case strings.Contains(s, "damn"):
			logits = []float32{0, 1, 0}
		}
		p, err := hatetweet.NewPrediction(k.ls, logits)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func ExampleEvaluate() {
	ls := hatetweet.DavidsonLabels()
	data := []hatetweet.Example{
		{Text: "i hate them all", Label: 0},
		{Text: "damn that game", Label: 1},
		{Text: "damn you", Label: 0},
		{Text: "nice weather", Label: 2},
		{Text: "i hate mondays", Label: 2},
	}
	r, err := evaluate.Evaluate(context.Background(), keywordClassifier{ls}, ls, data)
	if err != nil {
		fmt.Println(err)
		return
	}
	hate, err := r.Class(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("accuracy %.3f, macro F1 %.3f, hate F1 %.3f\n", r.Accuracy, r.Macro.F1, hate.F1)
	fmt.Println(r.Confusion)
	// Output:
	// accuracy 0.600, macro F1 0.611, hate F1 0.500
	// [[1 1 0] [0 1 0] [1 0 1]]
}

func ExampleConfusion() {
	c := evaluate.NewConfusion(hatetweet.Labels{"hate", "offensive", "neither"})
	pairs := [][2]hatetweet.Label{{0, 0}, {0, 1}, {1, 1}, {1, 1}, {2, 2}, {2, 1}}
	for _, p := range pairs {
		if err := c.Add(p[0], p[1]); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Print(c.Report())
	// Output:
	//               precision    recall  f1-score   support
	//
	//         hate       1.00      0.50      0.67         2
	//    offensive       0.50      1.00      0.67         2
	//      neither       1.00      0.50      0.67         2
	//
	//     accuracy                           0.67         6
	//    macro avg       0.83      0.67      0.67         6
	// weighted avg       0.83      0.67      0.67         6
}

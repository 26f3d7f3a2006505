package dataset_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hatetweet/hatetweet"
	"github.com/hatetweet/hatetweet/dataset"
)

func ExampleLoad() {
	ls := hatetweet.DavidsonLabels()
	examples, err := dataset.Load("testdata/tweets.csv", ls)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range examples {
		fmt.Printf("%-9s %q\n", ls.Name(e.Label), e.Text)
	}
	// Output:
	// neither   "Sunny day, off to the beach"
	// offensive "this \"film\" is trash\nand so are you"
	// hate      "a placeholder for a hateful tweet"
}

func ExampleDavidson() {
	train, val, test, err := dataset.Davidson()
	if err != nil {
		fmt.Println(err)
		return
	}
	hate := 0
	for _, e := range train {
		if e.Label == 0 { // hatetweet.DavidsonLabels()[0] is "hate"
			hate++
		}
	}
	fmt.Println(len(train), len(val), len(test))
	fmt.Printf("hate in train: %d (%.3f)\n", hate, float64(hate)/float64(len(train)))
	// Output:
	// 19826 2478 2479
	// hate in train: 1144 (0.058)
}

// Labels can come from the training data itself: LabelsOf sorts them.
func ExampleLabelsOf() {
	const jsonl = `{"text": "have a nice day", "label": "neither"}
{"text": "you absolute clown", "label": "offensive"}
`
	recs, err := dataset.ReadRecords(strings.NewReader(jsonl), dataset.FormatJSONL)
	if err != nil {
		fmt.Println(err)
		return
	}
	ls := dataset.LabelsOf(recs)
	examples, err := dataset.Examples(recs, ls)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ls)
	fmt.Println(examples)
	// Output:
	// [neither offensive]
	// [{have a nice day 0} {you absolute clown 1}]
}

func ExampleParseError() {
	const data = "text,label\n\"a tweet\non two lines\",neither\nanother,hateful\n"
	recs, err := dataset.ReadRecords(strings.NewReader(data), dataset.FormatCSV, dataset.Name("val.csv"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = dataset.Examples(recs, hatetweet.DavidsonLabels())
	var pe *dataset.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.File, pe.Line, errors.Is(err, hatetweet.ErrUnknownLabel))
	}
	fmt.Println(err)
	// Output:
	// val.csv 4 true
	// dataset: val.csv:4: hatetweet: unknown label: "hateful" (want one of ["hate" "offensive" "neither"])
}

func ExampleStratifiedSplit() {
	var examples []hatetweet.Example
	for i := range 100 {
		l := hatetweet.Label(0) // 10 of class 0, 90 of class 1
		if i >= 10 {
			l = 1
		}
		examples = append(examples, hatetweet.Example{Text: fmt.Sprint("tweet ", i), Label: l})
	}
	parts, err := dataset.StratifiedSplit(examples, []float64{0.8, 0.1, 0.1}, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		n0 := 0
		for _, e := range p {
			if e.Label == 0 {
				n0++
			}
		}
		fmt.Printf("%d examples, %d of class 0\n", len(p), n0)
	}
	// Output:
	// 80 examples, 8 of class 0
	// 10 examples, 1 of class 0
	// 10 examples, 1 of class 0
}

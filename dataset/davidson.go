package dataset

import (
	_ "embed" // for the Davidson split
	"strings"

	"github.com/hatetweet/hatetweet"
)

// The Davidson et al. (2017) split, CSV text,label; see davidson/README.md.
var (
	//go:embed davidson/train.csv
	davidsonTrain string
	//go:embed davidson/val.csv
	davidsonVal string
	//go:embed davidson/test.csv
	davidsonTest string
)

// Davidson returns the train, validation and test sets of the Davidson et
// al. (2017) hate speech data, embedded in this package, labelled with
// [hatetweet.DavidsonLabels] (0 hate, 1 offensive, 2 neither). The split is
// stratified 80/10/10 (19826, 2478 and 2479 tweets; about 5.8% hate,
// 77.4% offensive, 16.8% neither in each). The texts are the raw tweets,
// with HTML entities such as "&amp;" and "&#8220;" as in the source, and they
// contain slurs and abuse.
//
// Each call parses the embedded files anew (about 2.4 MB, tens of
// milliseconds) and returns fresh slices that the caller owns. The data is
// © 2017 Tom Davidson under the MIT licence, in davidson/LICENSE. An error is
// not expected; it would mean the embedded files are damaged.
func Davidson() (train, val, test []hatetweet.Example, err error) {
	ls := hatetweet.DavidsonLabels()
	if train, err = davidsonPart("davidson/train.csv", davidsonTrain, ls); err != nil {
		return nil, nil, nil, err
	}
	if val, err = davidsonPart("davidson/val.csv", davidsonVal, ls); err != nil {
		return nil, nil, nil, err
	}
	if test, err = davidsonPart("davidson/test.csv", davidsonTest, ls); err != nil {
		return nil, nil, nil, err
	}
	return train, val, test, nil
}

func davidsonPart(name, data string, ls hatetweet.Labels) ([]hatetweet.Example, error) {
	recs, err := ReadRecords(strings.NewReader(data), FormatCSV, Name(name))
	if err != nil {
		return nil, err
	}
	return Examples(recs, ls)
}

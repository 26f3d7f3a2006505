package tokenize_test

import (
	"bytes"
	"fmt"

	"github.com/hatetweet/hatetweet/tokenize"
)

func ExampleBuildVocab() {
	// Texts already cleaned and split into words (see textclean.Tweet).
	corpus := [][]string{
		{"you", "are", "a", "good", "dog"},
		{"a", "good", "day"},
		{"you", "are", "late"},
	}
	// Keep words seen at least twice; no size cap.
	v, err := tokenize.BuildVocab(corpus, 2, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for id := range v.VocabSize() {
		fmt.Println(id, v.Token(id))
	}
	e, err := v.Tokenize("a good cat")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.IDs, e.Tokens)
	// Output:
	// 0 <pad>
	// 1 <unk>
	// 2 a
	// 3 are
	// 4 good
	// 5 you
	// [2 4 1] [a good <unk>]
}

func ExampleReadVocab() {
	v, err := tokenize.BuildVocab([][]string{{"hello", "world", "hello"}}, 1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(buf.String())

	back, err := tokenize.ReadVocab(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	id, ok := back.ID("world")
	fmt.Println(back.VocabSize(), id, ok)
	// Output:
	// {
	//   "format_version": 1,
	//   "pad": "<pad>",
	//   "unk": "<unk>",
	//   "tokens": [
	//     "<pad>",
	//     "<unk>",
	//     "hello",
	//     "world"
	//   ]
	// }
	// 4 3 true
}

func ExampleEncodeBatch() {
	v, err := tokenize.BuildVocab([][]string{{"so", "good", "so"}}, 1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Rows of 3 tokens: the long text is cut, the others are padded with 0.
	b, err := tokenize.EncodeBatch(v, []string{"so good", "good so so so", ""}, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range b.Size {
		row := b.IDs[i*b.SeqLen : (i+1)*b.SeqLen]
		mask := b.Mask[i*b.SeqLen : (i+1)*b.SeqLen]
		fmt.Println(row, mask)
	}
	fmt.Println(b.Lengths())
	// Output:
	// [2 3 0] [1 1 0]
	// [3 2 2] [1 1 1]
	// [1 0 0] [1 0 0]
	// [2 3 1]
}

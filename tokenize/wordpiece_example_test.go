package tokenize_test

import (
	"fmt"

	"github.com/hatetweet/hatetweet/tokenize"
)

func ExampleNewDefaultWordPiece() {
	w, err := tokenize.NewDefaultWordPiece()
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := w.Tokenize("Café naïve résumé \u200bzero\u200dwidth!")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Tokens)
	fmt.Println(e.IDs)
	// Output:
	// [[CLS] cafe naive resume zero ##wi ##dt ##h ! [SEP]]
	// [101 7668 15743 13746 5717 9148 11927 2232 999 102]
}

func ExampleWordPiece_TokenizePair() {
	w, err := tokenize.NewDefaultWordPiece(tokenize.WithMaxLen(8))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := w.TokenizePair("is this offensive or not?", "no")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Tokens)
	fmt.Println(e.TypeIDs)
	// Output:
	// [[CLS] is this offensive or [SEP] no [SEP]]
	// [0 0 0 0 0 0 1 1]
}

func ExampleWordPiece_Truncate() {
	w, err := tokenize.NewDefaultWordPiece()
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := w.Tokenize("RT @user: soooo funny lmao")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Tokens)
	fmt.Println(w.Truncate(e, 5).Tokens)
	// Output:
	// [[CLS] rt @ user : soo ##oo funny l ##ma ##o [SEP]]
	// [[CLS] rt @ user [SEP]]
}

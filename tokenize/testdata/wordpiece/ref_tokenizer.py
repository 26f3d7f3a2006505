#!/usr/bin/python3
"""Reference BERT WordPiece tokenizer: writes the parity fixture of tokenize.WordPiece.

It implements, with the standard library only (unicodedata), the algorithm of
Hugging Face's BertTokenizer (transformers, tokenization_bert.py):
BasicTokenizer followed by WordpieceTokenizer, then [CLS]/[SEP], token type
ids and longest-first truncation as in tokenizer(text, text_pair,
truncation=True, max_length=N). Special tokens written in the input are
ordinary text (split_special_tokens=True).

BasicTokenizer, in order:
  1. clean: drop U+0000, U+FFFD and every category C* character except
     tab, newline and carriage return; those three and Zs become " ";
  2. put spaces around CJK ideographs (the ranges of _is_chinese_char);
  3. NFC-normalise;
  4. str.split() into words;
  5. per word: str.lower() when do_lower_case; then, when strip_accents
     (default: same as do_lower_case), NFD and drop category Mn;
  6. split punctuation (ASCII 33-47, 58-64, 91-96, 123-126 and P*) into
     single characters; re-split on whitespace.
WordpieceTokenizer: greedy longest-match-first with "##" continuations; a
word of more than 100 characters, or one with any piece missing from the
vocabulary, is a single [UNK].

Usage (from the repository root):
  /usr/bin/python3 tokenize/testdata/wordpiece/ref_tokenizer.py \
      --davidson ../shared/data/davidson \
      --out tokenize/testdata/wordpiece/parity.jsonl

The output is JSON Lines, one record per case:
  name, text, [text_pair], [text_hex: the raw input bytes when they are not
  valid UTF-8; text is then their decode("utf-8", "replace")],
  do_lower_case, [strip_accents], max_len, tokens, ids, type_ids,
  [ref_unassigned: code points of the input that this Python's
  unicodedata (see unidata_version in the header record) calls Cn].
The first line is a header record {"header": {...}} naming the producer.
"""

import argparse
import csv
import html
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VOCAB = os.path.join(HERE, "..", "..", "vocab", "bert-base-uncased-vocab.txt")
MAX_LEN = 512  # tokenize.DefaultMaxLen


def read_vocab(path):
    vocab = {}
    with open(path, encoding="utf-8", newline="\n") as f:
        for i, line in enumerate(f):
            tok = line.rstrip("\n")
            assert tok not in vocab, f"duplicate token {tok!r}"
            vocab[tok] = i
    return vocab


# ---- character classes -------------------------------------------------

def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch)[0] == "C"


def is_whitespace(ch):
    if ch in " \t\n\r":
        return True
    return unicodedata.category(ch) == "Zs"


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch)[0] == "P"


CJK_RANGES = (
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
)


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


# ---- basic tokenizer ---------------------------------------------------

def basic_tokenize(text, do_lower_case, strip_accents=None, chinese=True):
    out = []
    for ch in text:
        if ch == "\x00" or ch == "\ufffd" or is_control(ch):
            continue
        out.append(" " if is_whitespace(ch) else ch)
    text = "".join(out)
    if chinese:
        text = "".join(f" {ch} " if is_cjk(ch) else ch for ch in text)
    text = unicodedata.normalize("NFC", text)
    strip = do_lower_case if strip_accents is None else strip_accents
    pieces = []
    for word in text.split():
        if do_lower_case:
            word = word.lower()
        if strip:
            word = "".join(c for c in unicodedata.normalize("NFD", word)
                           if unicodedata.category(c) != "Mn")
        current = None
        for ch in word:
            if is_punctuation(ch):
                pieces.append(ch)
                current = None
            else:
                if current is None:
                    current = []
                    pieces.append(current)
                current.append(ch)
    words = ["".join(p) if isinstance(p, list) else p for p in pieces]
    return " ".join(words).split()


def wordpiece(word, vocab, unk="[UNK]", max_chars=100):
    if len(word) > max_chars:
        return [unk]
    out = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while end > start:
            cand = word[start:end] if start == 0 else "##" + word[start:end]
            if cand in vocab:
                found = cand
                break
            end -= 1
        if found is None:
            return [unk]
        out.append(found)
        start = end
    return out


def pieces_of(text, vocab, do_lower_case, strip_accents):
    toks = []
    for w in basic_tokenize(text, do_lower_case, strip_accents):
        toks.extend(wordpiece(w, vocab))
    return toks


def encode(text, vocab, do_lower_case=True, strip_accents=None, text_pair=None, max_len=MAX_LEN):
    a = pieces_of(text, vocab, do_lower_case, strip_accents)
    if text_pair is None:
        a = a[:max(max_len - 2, 0)]
        tokens = ["[CLS]"] + a + ["[SEP]"]
        type_ids = [0] * len(tokens)
    else:
        b = pieces_of(text_pair, vocab, do_lower_case, strip_accents)
        # longest_first, one token at a time, as transformers' truncate_sequences
        while len(a) + len(b) + 3 > max_len:
            if len(a) > len(b):
                a = a[:-1]
            else:
                b = b[:-1]
        tokens = ["[CLS]"] + a + ["[SEP]"] + b + ["[SEP]"]
        type_ids = [0] * (len(a) + 2) + [1] * (len(b) + 1)
    return tokens, [vocab[t] for t in tokens], type_ids


# ---- cases ---------------------------------------------------------------

HAND = [
    # name, text
    ("empty", ""),
    ("spaces_only", "     "),
    ("whitespace_mix", " \t\n\r \u00a0\u3000 "),
    ("crlf_runs", "line one\r\nline two\r\n\r\n\r\nline three\r\n"),
    ("crlf_many", "\r\n" * 300 + "end"),
    ("long_space_run", " " * 10000 + "end"),
    ("long_tab_run", "start" + "\t" * 2000 + "end"),
    ("accents_lower", "Café naïve résumé"),
    ("accents_upper", "CAFÉ NAÏVE RÉSUMÉ"),
    ("accents_decomposed", "Cafe\u0301 nai\u0308ve re\u0301sume\u0301"),
    ("accents_mixed", "Zoë Brontë ñandú Ångström façade coöperate"),
    ("vietnamese", "Tiếng Việt có dấu rất đẹp"),
    ("stacked_marks", "Ẵ ǖ ṩ ḗ ǟ"),
    ("zalgo", "z\u0351\u0352\u0353a\u0354\u0355l\u0356\u0357g\u0358o"),
    ("lone_combining", "\u0301 \u0302\u0303 a \u0308"),
    ("enclosing_mark", "a\u20dd b\u20de 1\u20e3"),
    ("zero_width", "\u200bzero\u200dwidth"),
    ("zero_width_more", "zero\u200cwidth\ufeffjoiner \u2060word\u2061join"),
    ("soft_hyphen", "soft\u00adhyphen in\u00adcred\u00adible"),
    ("bidi_controls", "\u202eevil\u202c \u200eltr\u200f rtl \u2066iso\u2069"),
    ("c0_controls", "a\x00b\x01c\x02d\x7fe"),
    ("c0_whitespace", "bell\x07tab\tnl\nret\rend"),
    ("info_separators", "\x1c\x1d\x1e\x1fsep a\x1fb"),
    ("vt_ff", "\x0b\x0cvt ff\x0bx\x0cy"),
    ("c1_controls", "nel\x85line \x80\x9f c1"),
    ("line_para_sep", "\u2028line\u2029para a\u2028b"),
    ("nbsp", "nbsp\u00a0space no\u00a0break"),
    ("ideographic_space", "ideographic\u3000space"),
    ("thin_spaces", "thin\u2009space hair\u200aspace narrow\u202fnb math\u205fsp"),
    ("ogham_space", "ogham\u1680space"),
    ("private_use", "\ue000pua\U000F0000 x\U0010FFFDy"),
    ("noncharacters", "\ufdd0non\uffffchar\U0001FFFE"),
    ("unassigned", "\u0378x\u0379y \U000E0080z"),
    ("replacement_char", "bad\ufffdchar \ufffd"),
    ("nul_only", "\x00\x00\x00"),
    ("emoji_tweet", "😂😂😂 lmao this is too funny"),
    ("emoji_skin_tone", "👍🏽 ok 👋🏿"),
    ("emoji_zwj_family", "👨\u200d👩\u200d👧 family"),
    ("emoji_flags", "🇺🇸 🇬🇧 flags"),
    ("emoji_variation", "❤️ love ☺️ ✔️"),
    ("emoji_keycap", "#️⃣ 1️⃣ keycap"),
    ("emoji_mixed_words", "love❤you😍so💯much"),
    ("cjk_chinese", "我爱你"),
    ("cjk_japanese", "日本語のテキストです。"),
    ("korean_hangul", "한국어 텍스트"),
    ("cjk_mixed_latin", "中文mixed英文text"),
    ("cjk_ext_b", "\U00020000\U00020001\U0002A6D6"),
    ("cjk_compat", "\uf900\ufa0e\U0002F800"),
    ("cjk_radicals", "\u2e80\u2f00 \u3005\u3007"),
    ("fullwidth", "ＨＥＬＬＯ！ｗｏｒｌｄ？ １２３"),
    ("halfwidth_katakana", "ｶﾀｶﾅ ﾃｽﾄ"),
    ("url_tco", "check this http://t.co/abc123XYZ out"),
    ("url_query", "https://www.example.com/path/to?q=1&x=y#frag"),
    ("url_www", "www.google.com and google.com/search"),
    ("entities_raw", "&amp; &lt; &gt; &quot; &#8220;hi&#8221; &amp;#8220; &#128514;"),
    ("entities_decoded", html.unescape("&#8220;hi&#8221; &#128514;&#128514; &#9995; &#187; &#8230;")),
    ("mention_hashtag_rt", "RT @some_user: #ThrowbackThursday #TBT lol"),
    ("elongation", "soooooo gooood!!!!!! whyyyyy???"),
    ("punct_runs", "???!!!...,,,;;;:::"),
    ("ascii_punct_all", "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum())),
    ("unicode_quotes", "\u201cquoted\u201d \u2018single\u2019 \u2014 dash \u2013 en\u2026"),
    ("curly_apostrophe", "don\u2019t can\u2019t won\u2019t y\u2019all"),
    ("ascii_apostrophe", "don't can't won't y'all 'quoted'"),
    ("spanish_marks", "¿Qué pasa? ¡Sí, señor!"),
    ("guillemets", "«guillemets» ‹single›"),
    ("section_pilcrow", "§1 ¶2 † ‡ • ‰"),
    ("symbols_not_punct", "©2020 ®™ $100 €50 £20 ¥ ¢ +=<>|~^`"),
    ("math_symbols", "√π≈∞ ±×÷ ∑∫ ≠≤≥"),
    ("emoticons", "^_^ :-) <3 (: :P xD ;)"),
    ("shrug", "¯\\_(ツ)_/¯"),
    ("table_flip", "(╯°□°）╯︵ ┻━┻"),
    ("look_of_disapproval", "ಠ_ಠ"),
    ("numbers", "123,456.789 1st 2nd 3rd 4th 2019"),
    ("fractions_superscripts", "½ ¼ ² ³ x² H₂O"),
    ("units", "5'11\" 9/11 24/7 100% 3:00pm"),
    ("abbreviations", "U.S.A. a.m. p.m. Mr. Dr. e.g. i.e."),
    ("hyphenated", "e-mail self-driving well-known"),
    ("greek_final_sigma", "ΟΔΟΣ ΟΔΟΣ. ΣΑΣ Σ ΑΣ'Σ"),
    ("greek_sigma_contexts", "ΑΣ ΑΣΑ Σ. .Σ ΑΣ\u0301 Α\u0301Σ ΑΣ\u00adΒ ΑΣ1"),
    ("greek_lower", "καλημέρα κόσμε ΚΑΛΗΜΈΡΑ"),
    ("turkish_dotted", "İstanbul İİ ı DİYARBAKIR"),
    ("titlecase_digraphs", "ǅemal ǈubljana ǋegoš Ǆ"),
    ("german_eszett", "ß STRASSE Straße ẞ"),
    ("ligatures", "ﬁ ﬂ ﬀ ligature ﬃ"),
    ("letterlike", "Ω Kelvin K Ångström Å ℃ №"),
    ("greek_varia", "a\u1fefb \u1fef \u037e\u0387"),
    ("cherokee", "\u13a0\u13a1 \uab70"),
    ("georgian_mtavruli", "\u1c90\u1c91 \u10d0"),
    ("deseret", "\U00010400\U00010428"),
    ("adlam", "\U0001E900\U0001E922"),
    ("cyrillic", "Привет мир ПРИВЕТ Ёжик"),
    ("arabic_harakat", "مَرْحَبًا بالعالم"),
    ("hebrew_niqqud", "שָׁלוֹם עולם"),
    ("devanagari", "नमस्ते दुनिया"),
    ("thai", "สวัสดีครับ"),
    ("special_tokens_in_text", "[CLS] hello [SEP] world [PAD] [UNK] [MASK]"),
    ("special_tokens_lower", "[cls] [sep] [unk]"),
    ("hash_prefix", "##ing un##believable ##"),
    ("long_word_100", "a" * 100),
    ("long_word_101", "a" * 101),
    ("long_word_mixed", "supercalifragilisticexpialidocious" * 3),
    ("long_word_emoji", "😂" * 101),
    ("long_word_300_then_ok", "x" * 300 + " ok"),
    ("long_word_100_accents", "é" * 100),
    ("long_word_lower_expands", "İ" * 60),
    ("long_input_many_words", " ".join(["word"] * 700)),
    ("unk_word", "qxzqxzqxzq zzzzzzzzzzzzzzzzzzzzzzz"),
    ("unicode15_shaking_face", "new emoji \U0001FAE8 shaking"),
    ("unicode15_cjk_ext_h", "ext h \U00031350 char"),
]

INVALID_UTF8 = [
    ("invalid_utf8_bytes", b"bad \xff\xfe bytes"),
    ("invalid_utf8_lead", b"\xc3\x28 lead"),
    ("invalid_utf8_truncated", b"trunc \xe2\x82"),
    ("invalid_utf8_surrogate", b"ok\xed\xa0\x80surrogate"),
    ("invalid_utf8_overlong", b"over\xc0\xaflong"),
    ("invalid_utf8_only", b"\x80\x81\x82"),
]

CASED = [
    "accents_lower", "accents_upper", "accents_decomposed", "greek_final_sigma",
    "turkish_dotted", "german_eszett", "fullwidth", "cyrillic", "cjk_mixed_latin",
    "greek_varia", "letterlike", "ligatures", "special_tokens_in_text", "zero_width",
]

NO_STRIP = [
    "accents_lower", "accents_upper", "accents_decomposed", "turkish_dotted",
    "vietnamese", "greek_lower", "zalgo", "long_word_lower_expands",
]


def davidson_tweets(directory, n, step):
    with open(os.path.join(directory, "test.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(i, rows[i]["text"]) for i in range(0, len(rows), step)][:n]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vocab", default=DEFAULT_VOCAB)
    ap.add_argument("--davidson", required=True, help="directory with test.csv (text,label)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    vocab = read_vocab(args.vocab)
    records = []

    def add(name, text, lower=True, strip=None, pair=None, max_len=MAX_LEN, raw=None):
        tokens, ids, type_ids = encode(text, vocab, lower, strip, pair, max_len)
        rec = {"name": name, "text": text}
        if pair is not None:
            rec["text_pair"] = pair
        if raw is not None:
            rec["text_hex"] = raw.hex()
        rec["do_lower_case"] = lower
        if strip is not None:
            rec["strip_accents"] = strip
        rec["max_len"] = max_len
        rec.update(tokens=tokens, ids=ids, type_ids=type_ids)
        cn = sorted({ord(c) for c in text + (pair or "") if unicodedata.category(c) == "Cn"})
        if cn:
            rec["ref_unassigned"] = cn
        records.append(rec)

    hand = dict(HAND)
    for name, text in HAND:
        add(name, text)
    for name, raw in INVALID_UTF8:
        add(name, raw.decode("utf-8", "replace"), raw=raw)
    for name in CASED:
        add("cased_" + name, hand[name], lower=False)
    for name in NO_STRIP:
        add("nostrip_" + name, hand[name], strip=False)

    tweets = davidson_tweets(args.davidson, 250, 9)
    for i, t in tweets:
        add(f"davidson_test_{i}", t)
    for i, t in tweets[:40]:
        add(f"davidson_test_{i}_unescaped", html.unescape(t))
    long_tweets = sorted(tweets, key=lambda it: -len(it[1]))[:24]
    for k, (i, t) in enumerate(long_tweets):
        max_len = (2, 3, 4, 5, 8, 16, 24, 32)[k % 8]
        add(f"davidson_test_{i}_max{max_len}", t, max_len=max_len)
    for k in range(20):
        (i, a), (j, b) = tweets[2 * k], tweets[2 * k + 1]
        max_len = (MAX_LEN, 3, 4, 5, 8, 12, 16, 24, 32, 48)[k % 10]
        add(f"davidson_pair_{i}_{j}_max{max_len}", a, pair=b, max_len=max_len)
    add("pair_empty_both", "", pair="")
    add("pair_empty_second", "hello world", pair="")
    add("pair_unicode", hand["accents_upper"], pair=hand["cjk_mixed_latin"])
    add("pair_equal_len_truncated", "one two three four", pair="five six seven eight", max_len=8)
    add("pair_long_first", hand["long_input_many_words"], pair="short tail")
    add("pair_long_second", "short head", pair=hand["long_input_many_words"])
    add("pair_cased", hand["accents_upper"], pair=hand["greek_final_sigma"], lower=False)

    header = {
        "producer": "tokenize/testdata/wordpiece/ref_tokenizer.py",
        "python": sys.version.split()[0],
        "unidata_version": unicodedata.unidata_version,
        "vocab": os.path.relpath(os.path.abspath(args.vocab), os.path.join(HERE, "..", "..")),
        "records": len(records),
        "tolerance": "exact: ids, tokens and type_ids must be equal",
    }
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps({"header": header}, ensure_ascii=False) + "\n")
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

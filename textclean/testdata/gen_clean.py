#!/usr/bin/python3
"""Writes the parity fixtures that pin textclean.Tweet to the Python reference clean().

Run from the textclean directory:
  /usr/bin/python3 testdata/gen_clean.py [SHARED_DIR]
SHARED_DIR defaults to /work/shared; it must hold anchors/clean.py and
data/davidson/train.csv. Outputs, in testdata/:

  clean_parity.jsonl  one JSON object a line: {"in", "out", "out_stop"} where
                      out = clean(in) and out_stop = clean(in, remove_stopwords=True).
                      The hand-written hard cases come first, then 2000 tweets sampled
                      with random.Random(42) from train.csv, in file order. A row made
                      from invalid UTF-8 also has "in_hex": the raw bytes in hex; its "in"
                      is those bytes decoded the way Go's range loop does (each invalid
                      byte becomes U+FFFD), which is what textclean does first.
  steps_parity.jsonl  for each hard case up to 2000 characters, the text after each step of clean(), keyed
                      by step: the Go test runs each exported step on the previous state.
  unicode_py.txt      the code points Python's re sees as \\w and \\s, the unassigned
                      ones, and every str.lower() that changes a code point: the rune
                      classes the Go port must share with Python.

Exact equality is the tolerance for all three. Go never rewrites these files.
"""
import codecs
import csv
import html
import json
import os
import platform
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared"
sys.path.insert(0, os.path.join(SHARED, "anchors"))
import clean as ref  # noqa: E402  (anchors/clean.py)

SAMPLE = 2000
SEED = 42
STEPS_MAX_LEN = 2000  # the long inputs are left out of steps_parity.jsonl to keep it small


def go_replace(err):
    """Decode error handler matching Go: one U+FFFD per invalid byte."""
    return "\ufffd" * (err.end - err.start), err.end


codecs.register_error("go_replace", go_replace)

STOP = sorted(ref.stopwords())

# Hand-written hard cases: str, or bytes for invalid UTF-8.
HARD = [
    # HTML entities
    "&amp;#8220;quoted&amp;#8221;",
    "So now been trill is trash cus asap said so &#128533; ok &amp;#8220;quoted&amp;#8221;",
    "&#8220;@princessalyssxo: When I see you walk up I think hoe&#8221;",
    "fish &amp; chips &lt;3 &gt;:( &quot;hi&quot;",
    "don&#x27;t &#X27;x&#39; &apos;y&apos;",
    "&amp no semicolon &ampfoo &lt3 &copy2024",
    "&notit; &notin; &not",
    "&amp;amp;amp; &amp;amp;lt; &amp;lt;",
    "&#0; &#13; &#128; &#129; &#150; &#1; &#127; &#65534; &#xD800; &#1114112; &#99999999999999999999999;",
    "&#; &#x; &#xg; & amp; && &; &AMP; &AMP &Amp; AT&T",
    "&nGt; &NotEqualTilde; &CounterClockwiseContourIntegral; &fjlig;",
    "&abcdefghijklmnopqrstuvwxyzabcdefghijklmn; &éacute; &ampé; &eacute &Eacute;",
    "&#65&#66&#x43;D &#0065;",
    "&#8230; &hellip; &#8217;s &rsquo;s &lsquo;x&rsquo;",
    # curly apostrophes
    "@user Eight years the republicans denied obama\u2019s picks.",
    "\u2018quoted\u2019 don\u2019t can\u02bct \u2019\u2019 '' 'tis rock'n'roll",
    # URLs
    "RT @deviledlegs: drawing myself an organic powdered goats milk bath &#8230; http://t.co/x #Soooo GOOD!!!!",
    "HTTPS://T.CO/ABC and Http://x.y www.example.com WWW.X.COM",
    "http:// nothing https:// www. wwwx httpurl ftp://a.b http://a\u00a0b http://a\u3000b",
    "go to http://a.b/c?d=e&amp;f=g!!! now",
    "httpss://x https:/x http:/x hhttp://x",
    # mentions
    "@user @User_Name123: hi @ @@a a@b.com @_ @\u00e9ric @\u00e4 @\u65e5\u672c @1",
    # hashtags
    "#Grrr #Soooo #MONSTERtape # ##tag #_x #\u65e5\u672c #1 #rt #@x",
    # RT
    "RT @MetroBoomin: Coming soon on a bitch nigga!!!!! #MONSTERtape 10.28 http://t.co/03aS6BGqeC",
    "rt Rt rT RT ert \u00e9rt rt_ _rt rt's 'rt' art rtrt RT:RT rt\u00e9 rt5 5rt rt! (rt)",
    "e\u0301rt \u00e9rt\u00e9 \u0440rt rt\u00b2 x\u00b2rt \uff11rt",
    "start rt", "rt", "RT", "rt rt rt",
    # elongations
    "soooo sooooo goood aaa zzzzzzzz !!!!! ????? ...... '''' ''' lol hahahaha",
    "\n\n\n x \u00e9\u00e9\u00e9\u00e9 \U0001F602\U0001F602\U0001F602\U0001F602 ___ 1111 AAAA aAaA",
    # emoji, scripts, accents
    "\U0001F602 I \u2764\ufe0f NY \U0001F1FA\U0001F1F8 \U0001F44D\U0001F3FD",
    "\u65e5\u672c\u8a9e\u306e\u30c4\u30a4\u30fc\u30c8 tokyo",
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440 hello",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c9COLE stra\u00dfe",
    "\u0130stanbul \u0130 K\u212a KELVIN \u017ft \u039f\u0394\u039f\u03a3 \u03a3\u03a3\u03a3",
    "\u0645\u0631\u062d\u0628\u0627 \u0939\u093f\u0928\u094d\u0926\u0940 rt \u05e9\u05dc\u05d5\u05dd",
    "\uff21\uff22\uff23 \uff11\uff12\uff13 \u00bd \u2163",
    # empty, whitespace, control characters
    "",
    "   ",
    " \t\n\r\x0b\x0c ",
    "\u00a0\u2003\u3000\u2028\x1c\x1d\x1e\x1f\x85",
    "a\x00b \x00 rt\x00",
    "\x01\x07\x7f\x1b[31mred\x1b[0m",
    "line1\r\nline2\rline3",
    "\ufffd",
    # stopwords
    "I am not the one who is going to be there",
    " ".join(STOP),
    # invalid UTF-8
    b"\xff",
    b"abc\xfe\xffdef",
    b"\xe2\x80",
    b"caf\xc3 rt\xff \xffrt",
    b"\xed\xa0\x80 surrogate",
    b"\xc0\xaf overlong",
    b"\xf4\x90\x80\x80 too big",
    b"@\xffuser #\xfftag http://\xff",
    b"soo\xff\xff\xff\xffooo",
    # long input
    "RT @user " + "sooooo " * 3000 + "http://x.y/z &amp;#8220;end",
    "a" * 10000,
]


def as_text(case):
    """Returns (text, raw_hex or None)."""
    if isinstance(case, bytes):
        return case.decode("utf-8", errors="go_replace"), case.hex()
    return case, None


def steps(text):
    """The states of clean(text) after each step, by the name of the Go step."""
    out = {}
    s = html.unescape(html.unescape(str(text)))
    out["decode"] = s
    s = s.lower()
    out["lower"] = s
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    out["apostrophes"] = s
    s = ref._URL.sub(" httpurl ", s)
    out["urls"] = s
    s = ref._MENTION.sub(" atuser ", s)
    out["mentions"] = s
    s = ref._HASHTAG.sub(r"\1", s)
    out["hashtags"] = s
    s = ref._RT.sub(" ", s)
    out["rt"] = s
    s = ref._REPEAT.sub(r"\1\1", s)
    out["squeeze"] = s
    s = ref._NONALNUM.sub(" ", s)
    out["special"] = s
    toks = [t.strip("'") for t in s.split()]
    toks = [t for t in toks if t]
    out["trim"] = " ".join(toks)
    sw = ref.stopwords()
    out["stop"] = " ".join(t for t in toks if t not in sw)
    # The steps above must be clean() itself.
    assert out["trim"] == ref.clean(text), text
    assert out["stop"] == ref.clean(text, remove_stopwords=True), text
    return out


def sample_tweets():
    with open(os.path.join(SHARED, "data", "davidson", "train.csv"), newline="", encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f)]
    idx = sorted(random.Random(SEED).sample(range(len(rows)), SAMPLE))
    return [rows[i] for i in idx], len(rows)


def ranges(pred):
    out = []
    start = None
    for cp in range(0x110001):
        ok = cp <= 0x10FFFF and pred(cp)
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            out.append((start, cp - 1))
            start = None
    return out


def write_unicode(path):
    word = re.compile(r"\w")
    space = re.compile(r"\s")
    lines = [
        "# Rune classes of Python %s (Unicode %s), written by testdata/gen_clean.py." % (
            platform.python_version(), unicodedata.unidata_version),
        "# word LO HI: re \\w matches LO..HI; space LO HI: re \\s (and str.split) matches;",
        "# unassigned LO HI: general category Cn; lower CP L...: str.lower() of CP, where it changes;",
        "# ignorable LO HI: skipped by str.lower's final-sigma rule (Case_Ignorable);",
        "# cased LO HI: cased and not case-ignorable, as that rule sees them.",
        "# All values hex. Surrogates are left out: Go strings cannot hold them.",
    ]
    notsurr = lambda cp: not 0xD800 <= cp <= 0xDFFF
    for lo, hi in ranges(lambda cp: notsurr(cp) and word.match(chr(cp)) is not None):
        lines.append("word %x %x" % (lo, hi))
    for lo, hi in ranges(lambda cp: notsurr(cp) and space.match(chr(cp)) is not None):
        lines.append("space %x %x" % (lo, hi))
    for lo, hi in ranges(lambda cp: notsurr(cp) and unicodedata.category(chr(cp)) == "Cn"):
        lines.append("unassigned %x %x" % (lo, hi))
    # The final-sigma rule of str.lower sees three kinds of code point: case-ignorable
    # ones it skips, cased ones, and the rest. Probe which kind each one is.
    def ignorable(cp):
        c = chr(cp)
        return ("A" + c + "\u03a3").lower()[-1] == "\u03c2" and ("A\u03a3" + c).lower()[1] == "\u03c2"

    def cased(cp):
        return (chr(cp) + "\u03a3").lower()[-1] == "\u03c2"

    for lo, hi in ranges(lambda cp: notsurr(cp) and ignorable(cp)):
        lines.append("ignorable %x %x" % (lo, hi))
    for lo, hi in ranges(lambda cp: notsurr(cp) and cased(cp)):
        lines.append("cased %x %x" % (lo, hi))
    for cp in range(0x110000):
        if not notsurr(cp):
            continue
        low = chr(cp).lower()
        if low != chr(cp):
            lines.append("lower %x %s" % (cp, " ".join("%x" % ord(c) for c in low)))
    write(path, "\n".join(lines) + "\n")


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)
    print("wrote %s (%d bytes)" % (path, len(text.encode("utf-8"))), file=sys.stderr)


def row(text, raw_hex):
    r = {"in": text, "out": ref.clean(text), "out_stop": ref.clean(text, remove_stopwords=True)}
    if raw_hex is not None:
        r["in_hex"] = raw_hex
    return json.dumps(r, ensure_ascii=False)


def main():
    tweets, n = sample_tweets()
    parity, stepped = [], []
    for case in HARD:
        text, raw_hex = as_text(case)
        parity.append(row(text, raw_hex))
        if len(text) > STEPS_MAX_LEN:
            continue
        st = {"in": text}
        st.update(steps(text))
        stepped.append(json.dumps(st, ensure_ascii=False))
    for t in tweets:
        parity.append(row(t, None))
    write(os.path.join(HERE, "clean_parity.jsonl"), "\n".join(parity) + "\n")
    write(os.path.join(HERE, "steps_parity.jsonl"), "\n".join(stepped) + "\n")
    write_unicode(os.path.join(HERE, "unicode_py.txt"))
    print("hard cases: %d, sampled tweets: %d of %d" % (len(HARD), len(tweets), n), file=sys.stderr)


if __name__ == "__main__":
    main()

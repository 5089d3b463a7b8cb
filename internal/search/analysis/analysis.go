// Package analysis is the one text analysis shared by indexing and querying
// in 一网通查: normalisation (full-width → half-width, traditional →
// simplified where unambiguous, case folding), tokenisation (CJK runs as
// overlapping bigrams, a lone CJK character as a unigram, Latin and digit runs
// as words), 文号 tokens, synonyms, query parsing and highlighted snippets.
//
// It does no I/O and keeps no mutable state: the tables it needs are embedded
// and parsed once. Using the same functions on both sides is what makes a
// query typed in traditional characters or with full-width digits find the
// documents written in simplified characters with half-width ones.
package analysis

import (
	"unicode"
	"unicode/utf8"
)

// Kind tells what a Token stands for.
type Kind uint8

// The kinds of tokens.
const (
	// Word is a run of Latin letters and digits ("ipv6", "12345").
	Word Kind = iota + 1
	// Bigram is two adjacent CJK characters of a longer run.
	Bigram
	// Unigram is a CJK character standing alone between non-CJK characters.
	Unigram
	// DocNo is a normalised 发文字号, emitted in addition to the ordinary
	// tokens of the same text so that every written variant of a 文号 finds
	// the same documents.
	DocNo
)

// Token is one index term with where it came from.
type Token struct {
	Term string
	Kind Kind
	// Start and End are byte offsets of the token in the text given to
	// Analyze (not in its normalised form), so highlights land on the
	// characters the reader sees.
	Start, End int
	// Position counts tokens from 1; a DocNo token shares the position of the
	// first ordinary token of its span.
	Position int
}

// Normalize returns s folded the way every index term is: full-width ASCII
// and the ideographic space become half-width, traditional characters become
// simplified where the mapping is unambiguous, and letters are lower-cased.
// Every rune maps to exactly one rune.
func Normalize(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		b = append(b, Fold(r))
	}
	return string(b)
}

// Fold normalises one rune (see Normalize).
func Fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		r -= 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	case r >= 0x2E80:
		if s, ok := t2s[r]; ok {
			return s
		}
		return r
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// class is how the tokeniser treats a (folded) rune.
type class uint8

const (
	sep class = iota
	cjk
	alnum
)

func classOf(r rune) class {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
			return alnum
		}
		return sep
	case isCJK(r):
		return cjk
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		return alnum
	}
	return sep
}

// isCJK reports whether r is written without spaces between words: Han
// ideographs, kana and Hangul are bigrammed alike.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// maxWordBytes bounds a Word token: longer runs (hashes, base64 pasted into
// a document) are cut, since nobody searches for them and huge terms bloat
// the term dictionary.
const maxWordBytes = 64

// Analyze returns the index terms of text in order: for every CJK run of
// two or more characters its overlapping bigrams, for a lone CJK character a
// unigram, for every run of letters and digits one lower-cased word, and for
// every 文号 written in the text its normalised DocNo token.
func Analyze(text string) []Token {
	// Fold the whole text once; every term is a substring of the folded
	// copy, so tokens cost no allocation of their own.
	type rinfo struct {
		orig, norm int32 // byte offsets of the rune in text and in norm
		cls        class
	}
	runes := make([]rinfo, 0, len(text)/2+1)
	nb := make([]byte, 0, len(text))
	for i, r := range text {
		f := Fold(r)
		runes = append(runes, rinfo{int32(i), int32(len(nb)), classOf(f)})
		nb = utf8.AppendRune(nb, f)
	}
	runes = append(runes, rinfo{int32(len(text)), int32(len(nb)), sep}) // sentinel
	norm := string(nb)
	toks := make([]Token, 0, len(runes))
	pos := 0
	for i := 0; i < len(runes)-1; {
		c := runes[i].cls
		j := i + 1
		for j < len(runes)-1 && runes[j].cls == c {
			j++
		}
		switch c {
		case cjk:
			if j-i == 1 {
				pos++
				toks = append(toks, Token{Term: norm[runes[i].norm:runes[j].norm], Kind: Unigram, Start: int(runes[i].orig), End: int(runes[j].orig), Position: pos})
				break
			}
			for k := i; k+1 < j; k++ {
				pos++
				toks = append(toks, Token{Term: norm[runes[k].norm:runes[k+2].norm], Kind: Bigram, Start: int(runes[k].orig), End: int(runes[k+2].orig), Position: pos})
			}
		case alnum:
			ns, ne := runes[i].norm, runes[j].norm
			if ne-ns > maxWordBytes {
				ne = ns
				for k := i; k < j && runes[k+1].norm-ns <= maxWordBytes; k++ {
					ne = runes[k+1].norm
				}
			}
			pos++
			toks = append(toks, Token{Term: norm[ns:ne], Kind: Word, Start: int(runes[i].orig), End: int(runes[j].orig), Position: pos})
		}
		i = j
	}
	return addDocNos(text, toks)
}

// addDocNos inserts a DocNo token for every 文号 in text, placed before the
// first ordinary token that starts inside the 文号 and sharing its position.
func addDocNos(text string, toks []Token) []Token {
	spans := findDocNos(text)
	if len(spans) == 0 {
		return toks
	}
	out := make([]Token, 0, len(toks)+len(spans))
	j := 0
	for _, t := range toks {
		for j < len(spans) && spans[j].start <= t.Start {
			out = append(out, Token{Term: spans[j].term, Kind: DocNo, Start: spans[j].start, End: spans[j].end, Position: t.Position})
			j++
		}
		out = append(out, t)
	}
	last := 0
	if len(toks) > 0 {
		last = toks[len(toks)-1].Position
	}
	for ; j < len(spans); j++ {
		out = append(out, Token{Term: spans[j].term, Kind: DocNo, Start: spans[j].start, End: spans[j].end, Position: last + 1})
	}
	return out
}

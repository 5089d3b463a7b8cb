package analysis

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// wordsData lists the question words dropped from queries and the common
// government-service words used to split a query; see its header.
//
//go:embed words.txt
var wordsData string

// lexicon is parsed once from wordsData and never changed afterwards.
var lexicon = parseWords(wordsData)

type wordList struct {
	fillers  map[string]bool
	words    map[string]bool
	maxRunes int
}

func parseWords(data string) wordList {
	w := wordList{fillers: map[string]bool{}, words: map[string]bool{}}
	var cur map[string]bool
	for _, line := range strings.Split(data, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		switch strings.TrimSpace(line) {
		case "[filler]":
			cur = w.fillers
			continue
		case "[word]":
			cur = w.words
			continue
		}
		for _, f := range strings.Fields(line) {
			if cur == nil {
				panic("analysis: words.txt: word before a section: " + f)
			}
			f = Normalize(f)
			cur[f] = true
			if n := utf8.RuneCountInString(f); n > w.maxRunes {
				w.maxRunes = n
			}
		}
	}
	return w
}

// particles are dropped from the end of an unknown stretch of a query
// ("社保卡丢了" → 丢), since documents do not use the spoken particle.
const particles = "了吗呢吧啊呀么哦嘛的"

package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// textSkip are elements whose content is never text a reader sees.
var textSkip = map[string]bool{
	"head": true, "title": true, "script": true, "style": true, "template": true,
	"noscript": true, "xml": true, "svg": true, "math": true, "iframe": true,
	"object": true, "embed": true, "applet": true, "select": true, "textarea": true,
	"noembed": true, "noframes": true,
}

// textBlock are elements that end a line of plain text.
var textBlock = map[string]bool{
	"p": true, "div": true, "br": true, "hr": true, "li": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "table": true, "caption": true, "ul": true, "ol": true,
	"dl": true, "dt": true, "dd": true, "pre": true, "section": true, "article": true,
	"header": true, "footer": true, "address": true, "figure": true, "figcaption": true,
	"center": true, "form": true, "fieldset": true, "main": true, "nav": true, "aside": true,
}

// PlainText returns the text of an HTML body for summaries, feeds and the
// search index: one line per paragraph, list item or table row (cells
// separated by a space), white space collapsed, entities decoded, scripts,
// styles and comments left out.
func PlainText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	var lines []string
	var cur strings.Builder
	flush := func() {
		if line := strings.TrimSpace(collapse(cur.String())); line != "" {
			lines = append(lines, line)
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(normaliseSpace(n.Data))
			return
		case html.ElementNode:
			name := elementName(n)
			if textSkip[name] || wordIsland(name) {
				return
			}
			if textBlock[name] {
				flush()
				defer flush()
			}
			if name == "td" || name == "th" {
				cur.WriteByte(' ')
			}
			if name == "img" {
				for _, a := range n.Attr {
					if a.Key == "alt" {
						cur.WriteString(a.Val)
					}
				}
			}
		case html.CommentNode, html.DoctypeNode:
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	flush()
	return strings.Join(lines, "\n")
}

// collapse turns every run of white space, including no-break spaces,
// into one space. The ideographic space U+3000 is kept inside a line (it is
// a character of Chinese text); at the ends of a line it is indentation,
// and the caller trims it.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) && r != '\u3000' || r == '\u200b' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Excerpt returns at most n characters of the body's text on one line, for
// list pages and feed summaries. A cut text ends with "…" (counted in n).
// Characters are runes, so a Chinese character counts as one.
func Excerpt(s string, n int) string {
	if n <= 0 {
		return ""
	}
	text := strings.ReplaceAll(PlainText(s), "\n", " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	cut := strings.TrimRightFunc(string(runes[:n-1]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '）' && r != ')' && r != '”' && r != '》'
	})
	return cut + "…"
}

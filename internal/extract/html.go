package extract

import (
	"bytes"
	"context"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// skipped elements hold no visible text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Object: true, atom.Svg: true,
	atom.Select: true, atom.Textarea: true,
}

// blocks are the elements that start and end a line of text.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Blockquote: true, atom.Pre: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Hr: true, atom.Form: true, atom.Address: true,
	atom.Figure: true, atom.Figcaption: true, atom.Main: true, atom.Nav: true, atom.Aside: true,
	atom.Caption: true, atom.Center: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
}

// htmlText returns the visible text of an HTML document or fragment: text
// of scripts, styles and the head is dropped, block elements become line
// breaks, table cells are separated by tabs, and runs of white space
// collapse to one space as a browser shows them (except inside pre).
func htmlText(ctx context.Context, data []byte, lim Limits) (string, error) {
	if !utf8.Valid(data) {
		// Older pages are GBK or GB18030: honour their <meta charset>.
		enc, _, _ := charset.DetermineEncoding(data, "")
		if decoded, err := enc.NewDecoder().Bytes(data); err == nil {
			data = decoded
		}
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	z.SetMaxBuf(lim.MaxText)
	t := &textBuilder{max: lim.MaxText}
	skip, pre := 0, 0
	line := &strings.Builder{}
	flush := func() {
		s := strings.TrimSpace(line.String())
		line.Reset()
		if s != "" {
			t.write(s)
		}
		t.newline()
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return "", err
			}
			flush()
			if t.err != nil {
				return "", t.err
			}
			return t.String(), nil
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped[a] {
				switch {
				case tt == html.StartTagToken:
					skip++
				case tt == html.EndTagToken && skip > 0:
					skip--
				}
				continue
			}
			if a == atom.Pre {
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
			}
			switch {
			case blocks[a]:
				flush()
			case a == atom.Td || a == atom.Th:
				if tt == html.EndTagToken {
					line.WriteString("\t")
				}
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text())
			if pre > 0 {
				for i, part := range strings.Split(text, "\n") {
					if i > 0 {
						flush()
					}
					line.WriteString(part)
				}
				continue
			}
			line.WriteString(collapseSpace(text))
			if t.max > 0 && line.Len() > t.max {
				return "", errTooLarge
			}
		}
	}
}

// collapseSpace turns each run of HTML white space into one space.
func collapseSpace(s string) string {
	if !strings.ContainsAny(s, " \t\n\r\f") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// HTMLText returns the visible text of an HTML document or fragment, such
// as the body of a document edited in the back office, under DefaultLimits.
func HTMLText(s string) (string, error) {
	return htmlText(context.Background(), []byte(s), DefaultLimits())
}

// Link is a hyperlink or embedded resource of an HTML document.
type Link struct {
	URL  string // the href or src attribute as written
	Text string // the link's visible text (empty for images and frames)
}

// HTMLLinks returns the absolute http(s) links and embedded resources
// (a href, img/iframe/script src) of an HTML document or fragment, in order.
// Relative links point into the site itself and are left out.
func HTMLLinks(s string) []Link {
	z := html.NewTokenizer(strings.NewReader(s))
	var links []Link
	open := -1 // index of the <a> being read
	for {
		switch z.Next() {
		case html.ErrorToken:
			return links
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			want := map[atom.Atom]string{atom.A: "href", atom.Img: "src", atom.Iframe: "src", atom.Script: "src", atom.Embed: "src"}[a]
			for hasAttr && want != "" {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				u := strings.TrimSpace(string(v))
				lower := strings.ToLower(u)
				if string(k) == want && (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "//")) {
					links = append(links, Link{URL: u})
					if a == atom.A {
						open = len(links) - 1
					}
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.A {
				open = -1
			}
		case html.TextToken:
			if open >= 0 {
				links[open].Text += collapseSpace(string(z.Text()))
			}
		}
	}
}

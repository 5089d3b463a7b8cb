// Package sanitize cleans the rich-text body of a Document before it is
// stored and published.
//
// Editors paste bodies from Word and WPS. What arrives is HTML full of
// styles, classes, mso-* properties, <o:p>, conditional comments and smart
// tags, and possibly worse: scripts, event attributes, javascript: links.
// Body keeps the structure a government document needs (headings,
// paragraphs, lists, tables, emphasis, links, images from our own storage)
// and removes everything else, and it reports what it removed that was
// unsafe, so the editor can be told in Chinese (issue 3: "a <script> or
// onerror= in the body: removed, and the editor is told").
//
// The work is done in two passes. A tree pass over the parsed document
// (golang.org/x/net/html) restructures and counts: it drops dangerous
// elements with their content, unwraps Word's wrappers, turns <div> lines
// into paragraphs, demotes headings below the page's <h1>, checks every URL,
// and keeps only an allowlist of elements and attributes. Its output then
// goes through a bluemonday policy with the same allowlist, so that a
// mistake in the tree pass still cannot let anything unsafe through.
package sanitize

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// Removal is one kind of content Body removed, and how many times.
type Removal struct {
	// What names it in Chinese, e.g. "<script> 脚本" or "事件属性（onerror）".
	What  string
	Count int
	// Unsafe is true for content removed because it could run code or
	// change the page (scripts, event attributes, javascript: links,
	// frames, plug-ins, forms); false for content removed because the
	// portal cannot show it (local or external images, unsupported links,
	// audio and video).
	Unsafe bool
}

// Result is a sanitised body.
type Result struct {
	HTML    string
	Removed []Removal
}

// Notice tells the editor, in Chinese, what was removed; "" when nothing
// worth mentioning was. Formatting (styles, fonts, classes, Word's markup)
// is removed silently: it is expected and always happens.
func (r Result) Notice() string {
	var unsafe, other []string
	for _, x := range r.Removed {
		sep := " "
		if strings.HasSuffix(x.What, "）") {
			sep = "" // no space after full-width punctuation
		}
		s := fmt.Sprintf("%s%s%d 处", x.What, sep, x.Count)
		if x.Unsafe {
			unsafe = append(unsafe, s)
		} else {
			other = append(other, s)
		}
	}
	var b strings.Builder
	if len(unsafe) > 0 {
		b.WriteString("已移除不安全内容：" + strings.Join(unsafe, "、") + "。")
	}
	if len(other) > 0 {
		b.WriteString("以下内容无法在网站上显示，未予保留：" + strings.Join(other, "、") + "。")
		for _, x := range r.Removed {
			if !x.Unsafe && strings.Contains(x.What, "图片") {
				b.WriteString("图片请上传到本站后再插入正文。")
				break
			}
		}
	}
	return b.String()
}

// Options adjusts a Sanitizer.
type Options struct {
	// ImagePrefixes are absolute URL prefixes under which images may be
	// shown in a body, typically where the blob store serves attachments
	// ("https://files.example.gov.cn/attachments/"). Relative URLs are
	// always allowed; any other image is removed.
	ImagePrefixes []string
}

// Sanitizer cleans bodies. It is safe for concurrent use.
type Sanitizer struct {
	opts   Options
	policy *bluemonday.Policy
}

// New returns a Sanitizer with the given options.
func New(opts Options) *Sanitizer {
	return &Sanitizer{opts: opts, policy: newPolicy()}
}

var defaultSanitizer = New(Options{})

// Body sanitises with the default options: images only from relative URLs.
func Body(s string) Result { return defaultSanitizer.Body(s) }

// The class names the tree pass gives paragraphs, headings and cells that
// Word aligned to the centre or the right (a 公文's title and its signature
// and date). Inline styles are dropped, and a strict CSP would ignore them
// anyway, so the portal's stylesheet must style these two classes.
const (
	ClassCenter = "ta-center"
	ClassRight  = "ta-right"
)

// newPolicy is the final allowlist, kept in step with the tree pass.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
		"ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
		"strong", "b", "em", "i", "u", "sub", "sup")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener noreferrer$`)).OnElements("a")
	p.AllowAttrs("title").OnElements("a", "img")
	p.AllowAttrs("src", "alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[1-9][0-9]{0,3}$`)).OnElements("img")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[1-9][0-9]{0,2}$`)).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,6}$`)).OnElements("ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(`+ClassCenter+`|`+ClassRight+`)$`)).
		OnElements("p", "h2", "h3", "h4", "h5", "h6", "td", "th")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	return p
}

// maxPasses bounds the passes Body makes to reach a fixed point.
const maxPasses = 4

// Body sanitises in. The result is stable: sanitising it again changes
// nothing. The tree pass builds a tree the HTML parser would not always
// build from the serialised output (after <a> is unwrapped, an <h2> may sit
// inside another <h2>; the parser closes the first), so Body repeats the
// pass on its own output until nothing changes, which in practice takes one
// extra pass.
func (s *Sanitizer) Body(in string) Result {
	out, removed := s.pass(in)
	for range maxPasses - 1 {
		next, more := s.pass(out)
		removed = merge(removed, more)
		if next == out {
			break
		}
		out = next
	}
	return Result{HTML: out, Removed: removed}
}

func merge(a, b []Removal) []Removal {
next:
	for _, x := range b {
		for i := range a {
			if a[i].What == x.What {
				a[i].Count += x.Count
				continue next
			}
		}
		a = append(a, x)
	}
	return a
}

// pass is one run of the tree pass and the policy.
func (s *Sanitizer) pass(in string) (string, []Removal) {
	doc, err := html.Parse(strings.NewReader(in))
	if err != nil { // only a failing reader makes Parse fail
		return "", nil
	}
	c := &cleaner{s: s, index: map[string]int{}}
	var body *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && ch.Data == "body" && ch.Namespace == "" && body == nil {
				body = ch
			}
			if ch.Type == html.ElementNode && ch.Data == "h1" && ch.Namespace == "" {
				c.demote = true
			}
			find(ch)
		}
	}
	find(doc)
	// Everything outside <body> (a pasted page's <head>: <title>, <meta>,
	// <style>, and any <script> there) is dropped, but counted.
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		c.countOutside(n, body)
	}
	if body == nil {
		return "", c.removed
	}
	c.clean(body, true)
	tidy(body)
	var buf bytes.Buffer
	for n := body.FirstChild; n != nil; n = n.NextSibling {
		if err := html.Render(&buf, n); err != nil {
			return "", c.removed
		}
	}
	out := s.policy.Sanitize(buf.String())
	return strings.Trim(out, asciiSpace), c.removed
}

const asciiSpace = " \t\n\f\r"

package sanitize

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// unsafeDrop are elements removed with their content and reported.
var unsafeDrop = map[string]string{
	"script":   "<script> 脚本",
	"iframe":   "<iframe> 内嵌页面",
	"frame":    "<frame> 框架",
	"frameset": "<frameset> 框架",
	"object":   "<object> 插件",
	"embed":    "<embed> 插件",
	"applet":   "<applet> 插件",
	"svg":      "<svg> 图形",
	"math":     "<math> 公式",
	"base":     "<base> 元素",
	"input":    "表单控件",
	"button":   "表单控件",
	"select":   "表单控件",
	"textarea": "表单控件",
	"isindex":  "表单控件",
	"keygen":   "表单控件",
	"portal":   "<portal> 内嵌页面",
}

// mediaDrop are elements removed with their content and reported as
// content the portal cannot show.
var mediaDrop = map[string]string{
	"audio":  "音频、视频",
	"video":  "音频、视频",
	"canvas": "画布（canvas）",
}

// silentDrop are removed with their content and not reported: the head of
// a pasted page and Word's data islands.
var silentDrop = map[string]bool{
	"head": true, "title": true, "style": true, "link": true, "meta": true,
	"xml": true, "template": true, "noscript": true, "noembed": true, "noframes": true,
	"colgroup": true, "col": true, "map": true, "area": true, "source": true,
	"track": true, "param": true, "wbr": true, "datalist": true, "option": true,
	"optgroup": true, "dialog": true, "slot": true,
}

// kept are the elements the tree pass keeps (h1 is demoted, div becomes a
// paragraph or is unwrapped; everything else not listed is unwrapped).
var kept = map[string]bool{
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"p": true, "br": true, "hr": true, "blockquote": true,
	"ul": true, "ol": true, "li": true,
	"table": true, "caption": true, "thead": true, "tbody": true, "tfoot": true,
	"tr": true, "th": true, "td": true,
	"strong": true, "b": true, "em": true, "i": true, "u": true, "sub": true, "sup": true,
	"a": true, "img": true,
}

// block are the kept elements that make a <div> around them a wrapper
// rather than a paragraph.
var block = map[string]bool{
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"p": true, "hr": true, "blockquote": true, "ul": true, "ol": true, "li": true,
	"table": true, "caption": true, "thead": true, "tbody": true, "tfoot": true,
	"tr": true, "th": true, "td": true,
}

// flow are elements whose children may be paragraphs.
var flow = map[string]bool{
	"body": true, "blockquote": true, "li": true, "td": true, "th": true, "div": true,
}

// droppedIfEmpty are kept elements that are removed when nothing visible
// is left in them (Word's blank <p>&nbsp;</p> lines, empty <b></b>).
var droppedIfEmpty = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"strong": true, "b": true, "em": true, "i": true, "u": true, "sub": true, "sup": true,
	"a": true, "blockquote": true, "caption": true,
}

var (
	digits = regexp.MustCompile(`^[0-9]{1,6}$`)
	// textAlign finds text-align in a style attribute.
	textAlign = regexp.MustCompile(`(?i)(?:^|;)\s*text-align\s*:\s*(center|right)\b`)
)

type cleaner struct {
	s       *Sanitizer
	demote  bool
	removed []Removal
	index   map[string]int
}

func (c *cleaner) add(what string, unsafe bool) {
	if i, ok := c.index[what]; ok {
		c.removed[i].Count++
		return
	}
	c.index[what] = len(c.removed)
	c.removed = append(c.removed, Removal{What: what, Count: 1, Unsafe: unsafe})
}

// elementName returns the name the rules use: the tag for HTML elements,
// "svg" or "math" for anything in those namespaces.
func elementName(n *html.Node) string {
	if n.Namespace != "" {
		return n.Namespace
	}
	return n.Data
}

// countOutside counts unsafe elements in the parts of the document that
// are dropped wholesale (everything but body).
func (c *cleaner) countOutside(n, body *html.Node) {
	if n == body {
		return
	}
	if n.Type == html.ElementNode {
		if what, ok := unsafeDrop[elementName(n)]; ok {
			c.add(what, true)
			return
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.countOutside(ch, body)
	}
}

// clean cleans n's children. inFlow says whether n may hold paragraphs.
func (c *cleaner) clean(n *html.Node, inFlow bool) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		c.node(ch, inFlow)
		ch = next
	}
}

func (c *cleaner) node(n *html.Node, inFlow bool) {
	switch n.Type {
	case html.TextNode:
		n.Data = normaliseSpace(n.Data)
		if n.Data == "" {
			n.Parent.RemoveChild(n)
		}
		return
	case html.ElementNode:
	default: // comments (Word's <!--[if …]> blocks), doctypes
		n.Parent.RemoveChild(n)
		return
	}
	name := elementName(n)
	if what, ok := unsafeDrop[name]; ok {
		c.add(what, true)
		n.Parent.RemoveChild(n)
		return
	}
	if what, ok := mediaDrop[name]; ok {
		c.add(what, false)
		n.Parent.RemoveChild(n)
		return
	}
	if silentDrop[name] || wordIsland(name) {
		n.Parent.RemoveChild(n)
		return
	}
	if name == "form" {
		c.add("<form> 表单", true)
	}

	childFlow := inFlow
	if kept[name] || name == "div" {
		childFlow = flow[name]
	}
	c.clean(n, childFlow)

	switch {
	case name == "div":
		class := alignClass(n)
		switch {
		case !inFlow || hasBlockChild(n):
			unwrap(n)
		case !visible(n):
			n.Parent.RemoveChild(n)
		default:
			n.Data, n.Attr = "p", nil
			if class != "" {
				n.Attr = []html.Attribute{{Key: "class", Val: class}}
			}
		}
	case kept[name]:
		if c.keep(n) && droppedIfEmpty[name] && !visible(n) {
			if name == "p" || strings.HasPrefix(name, "h") || name == "blockquote" || name == "caption" || !hasChildren(n) {
				n.Parent.RemoveChild(n)
			} else {
				unwrap(n) // keep the spaces of <b> </b>
			}
		}
	default:
		c.dropAttrs(n) // count event attributes on unwrapped elements too
		unwrap(n)
	}
}

// wordIsland reports Word's VML (v:), document (w:) and OMML (m:)
// elements, whose content is data, not text. Other prefixed elements are
// unwrapped: <o:p> holds Word's paragraph filler, and smart tags such as
// <st1:chsdate> hold real text (a date).
func wordIsland(name string) bool {
	return strings.HasPrefix(name, "v:") || strings.HasPrefix(name, "w:") || strings.HasPrefix(name, "m:")
}

// keep filters the attributes of a kept element. It reports false if the
// element was removed or unwrapped because its essential attribute (a's
// href, img's src) was refused.
func (c *cleaner) keep(n *html.Node) bool {
	old := n.Attr
	n.Attr = nil
	class := alignClassOf(old)
	switch n.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		if c.demote {
			level := int(n.Data[1]-'0') + 1
			n.Data = "h" + strconv.Itoa(min(level, 6))
		}
		if class != "" {
			n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: class})
		}
	case "p", "td", "th":
		if class != "" {
			n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: class})
		}
	}
	var href, src string
	for _, a := range old {
		if a.Namespace != "" {
			c.countAttr(a)
			continue
		}
		switch {
		case n.Data == "a" && a.Key == "href":
			href = a.Val
		case n.Data == "img" && a.Key == "src":
			src = a.Val
		case (n.Data == "a" || n.Data == "img") && a.Key == "title",
			n.Data == "img" && a.Key == "alt":
			n.Attr = append(n.Attr, html.Attribute{Key: a.Key, Val: a.Val})
		case n.Data == "img" && (a.Key == "width" || a.Key == "height"),
			(n.Data == "td" || n.Data == "th") && (a.Key == "colspan" || a.Key == "rowspan"):
			if v := positive(a.Val, map[string]int{"width": 9999, "height": 9999, "colspan": 999, "rowspan": 999}[a.Key]); v > 1 || v == 1 && n.Data == "img" {
				n.Attr = append(n.Attr, html.Attribute{Key: a.Key, Val: strconv.Itoa(v)})
			}
		case n.Data == "th" && a.Key == "scope":
			switch v := strings.ToLower(strings.TrimSpace(a.Val)); v {
			case "row", "col", "rowgroup", "colgroup":
				n.Attr = append(n.Attr, html.Attribute{Key: "scope", Val: v})
			}
		case n.Data == "ol" && a.Key == "start":
			if v := strings.TrimSpace(a.Val); digits.MatchString(v) {
				i, _ := strconv.Atoi(v)
				n.Attr = append(n.Attr, html.Attribute{Key: "start", Val: strconv.Itoa(i)})
			}
		default:
			c.countAttr(a)
		}
	}
	switch n.Data {
	case "a":
		u, external, ok := c.link(href)
		if !ok {
			unwrap(n)
			return false
		}
		n.Attr = append([]html.Attribute{{Key: "href", Val: u}}, n.Attr...)
		if external {
			n.Attr = append(n.Attr, html.Attribute{Key: "rel", Val: "noopener noreferrer"})
		}
	case "img":
		u, ok := c.image(src)
		if !ok {
			n.Parent.RemoveChild(n)
			return false
		}
		n.Attr = append([]html.Attribute{{Key: "src", Val: u}}, n.Attr...)
	}
	return true
}

// dropAttrs counts the attributes of an element about to be unwrapped.
func (c *cleaner) dropAttrs(n *html.Node) {
	for _, a := range n.Attr {
		c.countAttr(a)
	}
}

// countAttr reports a removed attribute if it was unsafe: an event handler,
// or a value that is a script URL.
func (c *cleaner) countAttr(a html.Attribute) {
	key := strings.ToLower(a.Key)
	if strings.HasPrefix(key, "on") && len(key) > 2 {
		c.add("事件属性（"+key+"）", true)
		return
	}
	v := strings.ToLower(stripURL(a.Val))
	for _, s := range []string{"javascript:", "vbscript:", "livescript:"} {
		if strings.Contains(v, s) {
			c.add("脚本链接（"+s+"）", true)
			return
		}
	}
}

// stripURL does what browsers do to a URL attribute before reading its
// scheme: trim leading and trailing C0 controls and spaces, and delete
// tabs and newlines anywhere ("java\tscript:" is javascript:).
func stripURL(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// scheme returns the lower-cased scheme of u, or "" for a relative URL.
func scheme(u string) string {
	i := strings.IndexAny(u, ":/?#")
	if i <= 0 || u[i] != ':' {
		return ""
	}
	return strings.ToLower(u[:i])
}

// normalURL parses u and returns it in the form bluemonday will also
// produce, so a second pass changes nothing.
func normalURL(u string) (string, *url.URL, bool) {
	p, err := url.Parse(u)
	if err != nil {
		return "", nil, false
	}
	s := p.String()
	if s == "" || strings.ContainsAny(s, " \t\n") {
		return "", nil, false
	}
	return s, p, true
}

// link checks a link target. It returns the normalised URL and whether it
// leads off the site.
func (c *cleaner) link(raw string) (u string, external, ok bool) {
	s := stripURL(raw)
	if s == "" {
		return "", false, false // a Word bookmark: <a name="_Toc…">
	}
	switch sc := scheme(s); sc {
	case "":
	case "http", "https", "mailto":
	case "javascript", "vbscript", "livescript", "data":
		c.add("不安全链接（"+sc+":）", true)
		return "", false, false
	case "file":
		c.add("本地文件链接（file:）", false)
		return "", false, false
	default:
		if len(sc) == 1 { // C:\Users\…
			c.add("本地文件链接（file:）", false)
		} else {
			c.add("不支持的链接（"+sc+":）", false)
		}
		return "", false, false
	}
	u, p, ok := normalURL(s)
	if !ok {
		c.add("无效链接", false)
		return "", false, false
	}
	switch {
	case p.Scheme == "http" || p.Scheme == "https":
		if p.Host == "" {
			c.add("无效链接", false)
			return "", false, false
		}
		return u, true, true
	case p.Scheme == "" && p.Host != "": // //host/path
		return u, true, true
	}
	return u, false, true
}

// image checks an image source: relative URLs and the configured prefixes
// only.
func (c *cleaner) image(raw string) (string, bool) {
	s := stripURL(raw)
	if s == "" {
		return "", false
	}
	sc := scheme(s)
	switch {
	case sc == "javascript" || sc == "vbscript" || sc == "livescript":
		c.add("不安全的图片地址（"+sc+":）", true)
		return "", false
	case sc == "data":
		c.add("粘贴的内嵌图片", false)
		return "", false
	case sc == "file" || len(sc) == 1:
		c.add("本地图片（file:）", false)
		return "", false
	}
	u, p, ok := normalURL(s)
	if !ok {
		c.add("地址无效的图片", false)
		return "", false
	}
	if p.Scheme == "" && p.Host == "" {
		return u, true
	}
	for _, prefix := range c.s.opts.ImagePrefixes {
		if prefix != "" && strings.HasPrefix(u, prefix) && (p.Scheme == "http" || p.Scheme == "https") {
			return u, true
		}
	}
	c.add("外部网站图片", false)
	return "", false
}

// positive reads a small positive integer attribute ("2", " 3 ", "120px"
// is refused), capped at max; 0 means absent or invalid.
func positive(s string, max int) int {
	s = strings.TrimSpace(s)
	if !digits.MatchString(s) {
		return 0
	}
	v, _ := strconv.Atoi(s)
	if v < 1 {
		return 0
	}
	return min(v, max)
}

// alignClass reads Word's alignment (align="center", or text-align in the
// style) from n's attributes.
func alignClass(n *html.Node) string { return alignClassOf(n.Attr) }

func alignClassOf(attrs []html.Attribute) string {
	for _, a := range attrs {
		var v string
		switch a.Key {
		case "align":
			v = strings.ToLower(strings.TrimSpace(a.Val))
		case "style":
			if m := textAlign.FindStringSubmatch(a.Val); m != nil {
				v = strings.ToLower(m[1])
			}
		case "class":
			switch a.Val { // our own classes, on a second pass
			case ClassCenter, ClassRight:
				return a.Val
			}
		}
		switch v {
		case "center":
			return ClassCenter
		case "right":
			return ClassRight
		}
	}
	return ""
}

// structural are elements in which white space between children means
// nothing.
var structural = map[string]bool{
	"table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "ul": true, "ol": true,
}

// tidy removes white-space-only text that only Word's source layout put
// there: inside table and list structure, and next to block elements or at
// the edges of body, cells, list items and quotes. Space between inline
// elements (<b>a</b> <i>b</i>) is kept.
func tidy(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.ElementNode {
			tidy(ch)
		} else if ch.Type == html.TextNode && strings.Trim(ch.Data, asciiSpace) == "" {
			prev := ch.PrevSibling
			if structural[n.Data] || prev == nil || next == nil || isBlock(prev) || isBlock(next) {
				n.RemoveChild(ch)
			}
		}
		ch = next
	}
}

func isBlock(n *html.Node) bool { return n.Type == html.ElementNode && block[n.Data] }

func unwrap(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		n.RemoveChild(ch)
		n.Parent.InsertBefore(ch, n)
		ch = next
	}
	n.Parent.RemoveChild(n)
}

func hasChildren(n *html.Node) bool { return n.FirstChild != nil }

func hasBlockChild(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && block[ch.Data] {
			return true
		}
	}
	return false
}

// visible reports whether n holds text other than white space (including
// the no-break space Word fills blank lines with), or an image, a rule or a
// table. A lone <br> is not visible: <p><br></p> is a blank line.
func visible(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			if strings.TrimFunc(ch.Data, isBlank) != "" {
				return true
			}
		case html.ElementNode:
			switch ch.Data {
			case "img", "hr", "table":
				return true
			}
			if visible(ch) {
				return true
			}
		}
	}
	return false
}

func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\u200b'
}

// normaliseSpace rewrites the line breaks Word puts inside paragraphs. A run
// of white space holding a line break becomes one space, or nothing when
// it sits between two CJK characters: Word wraps its HTML source every 80
// or so bytes, and browsers would show those breaks as stray spaces inside
// Chinese sentences. Runs without a line break are kept as they are.
func normaliseSpace(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && strings.IndexByte(asciiSpace, s[j]) >= 0 {
			j++
		}
		if j == i {
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		run := s[i:j]
		if !strings.ContainsAny(run, "\r\n") {
			b.WriteString(run)
		} else {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[j:])
			if !(i > 0 && j < len(s) && wide(prev) && wide(next)) {
				b.WriteByte(' ')
			}
		}
		i = j
	}
	return b.String()
}

// wide reports CJK characters and punctuation, between which a line break
// is not a word space.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF // full-width forms
}

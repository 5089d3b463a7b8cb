package web

import (
	"bytes"
	"compress/gzip"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The public pages are the same for everyone, change only when something
// is published, revised or withdrawn, and take the traffic when a major
// policy is released. They are rendered once, kept in memory with a gzip
// copy, an ETag and a Last-Modified, and served from there until the store
// reports a public change (PublicChanged), which bumps the cache's
// generation and so retires every entry at once.
//
// A hit is answered before the request reaches the router or the
// per-request middleware: the security headers are part of the stored
// header set. That is what keeps a cached page close to a static file
// server's speed.

// noGzip asks newCachedPage for no compressed copy.
const noGzip = -100

type pageCache struct {
	max int
	gen atomic.Uint64
	mu  sync.RWMutex
	// pages is keyed by host, then by request target, so a lookup needs no
	// new string.
	pages map[string]map[string]*cachedPage
	n     int
	// changedAt is the instant of the last public change seen, the
	// Last-Modified of pages that do not set their own.
	changedAt atomic.Int64
}

type cachedPage struct {
	gen          uint64
	status       int
	lastModified time.Time
	// plain and gz are the complete header sets for each encoding, shared
	// read-only by every response.
	plain, gz          []headerField
	body, gzBody       []byte
	etag, gzETag       string
	contentLength      []string
	gzContentLength    []string
	lastModifiedHeader []string
}

type headerField struct {
	key   string
	value []string
}

func newPageCache(max int) *pageCache {
	c := &pageCache{max: max, pages: map[string]map[string]*cachedPage{}}
	c.changedAt.Store(time.Now().Truncate(time.Second).Unix())
	return c
}

func (c *pageCache) invalidate() {
	c.gen.Add(1)
	c.changedAt.Store(time.Now().Unix())
}

func (c *pageCache) get(r *http.Request) *cachedPage {
	c.mu.RLock()
	p := c.pages[r.Host][requestTarget(r)]
	c.mu.RUnlock()
	if p == nil || p.gen != c.gen.Load() {
		return nil
	}
	return p
}

func (c *pageCache) put(r *http.Request, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= c.max {
		// Start afresh: entries of earlier generations are dead anyway,
		// and a full cache is rare (10,000 pages by default).
		c.pages, c.n = map[string]map[string]*cachedPage{}, 0
	}
	host := c.pages[r.Host]
	if host == nil {
		host = map[string]*cachedPage{}
		c.pages[r.Host] = host
	}
	if _, ok := host[requestTarget(r)]; !ok {
		c.n++
	}
	host[requestTarget(r)] = p
}

// requestTarget is the path and query as the client sent them.
func requestTarget(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// securityHeaderFields are the headers every response carries: set by the
// securityHeaders middleware, and copied into cached pages, which are served
// before it. TLS deployments get HSTS from the reverse proxy in front, which
// terminates TLS.
var securityHeaderFields = []headerField{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
}

// serveCached answers GET and HEAD requests for cached public pages and
// passes everything else on.
func (s *Server) serveCached(next http.Handler) http.Handler {
	if s.cache == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if p := s.cache.get(r); p != nil {
				p.serve(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// cacheable renders a public page through a recorder, stores it when the
// cache is on, and answers with ETag, Last-Modified, 304 and gzip either way.
func (s *Server) cacheable(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var gen uint64
		if s.cache != nil {
			gen = s.cache.gen.Load()
		}
		rec := &pageRecorder{header: http.Header{}}
		if err := h(rec, r); err != nil {
			return err
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if rec.status != http.StatusOK {
			copyHeader(w.Header(), rec.header)
			w.WriteHeader(rec.status)
			_, err := w.Write(rec.buf.Bytes())
			return err
		}
		changed := time.Now()
		if s.cache != nil {
			changed = time.Unix(s.cache.changedAt.Load(), 0)
		}
		// Compress hard once for the cache; lightly per request without it.
		level := gzip.BestCompression
		if s.cache == nil {
			level = gzip.BestSpeed
			if !acceptsGzip(r) {
				level = noGzip
			}
		}
		p := newCachedPage(gen, rec, changed, level)
		if s.cache != nil {
			s.cache.put(r, p)
		}
		p.serve(w, r)
		return nil
	}
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// newCachedPage freezes a recorded response.
// level is the gzip level of the compressed copy, or noGzip for none.
func newCachedPage(gen uint64, rec *pageRecorder, changed time.Time, level int) *cachedPage {
	body := rec.buf.Bytes()
	p := &cachedPage{gen: gen, status: rec.status, body: body}
	lm := changed
	if v := rec.header.Get("Last-Modified"); v != "" {
		if t, err := http.ParseTime(v); err == nil {
			lm = t
		}
	}
	p.lastModified = lm.UTC().Truncate(time.Second)
	p.lastModifiedHeader = []string{p.lastModified.Format(http.TimeFormat)}
	h := fnv.New64a()
	h.Write(body)
	sum := strconv.FormatUint(h.Sum64(), 36)
	p.etag = `"` + sum + `"`
	p.contentLength = []string{strconv.Itoa(len(body))}
	base := append([]headerField(nil), securityHeaderFields...)
	for k, v := range rec.header {
		if k == "Last-Modified" || k == "Etag" || k == "Content-Length" {
			continue
		}
		base = append(base, headerField{k, v})
	}
	if rec.header.Get("Cache-Control") == "" {
		base = append(base, headerField{"Cache-Control", []string{"public, max-age=60"}})
	}
	base = append(base, headerField{"Last-Modified", p.lastModifiedHeader}, headerField{"Vary", []string{"Accept-Encoding"}})
	p.plain = append(append([]headerField(nil), base...), headerField{"Etag", []string{p.etag}}, headerField{"Content-Length", p.contentLength})
	if level != noGzip && len(body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, level)
		zw.Write(body)
		zw.Close()
		p.gzBody = buf.Bytes()
		p.gzETag = `"` + sum + `-gz"`
		p.gzContentLength = []string{strconv.Itoa(len(p.gzBody))}
		p.gz = append(append([]headerField(nil), base...), headerField{"Etag", []string{p.gzETag}},
			headerField{"Content-Length", p.gzContentLength}, headerField{"Content-Encoding", []string{"gzip"}})
	}
	return p
}

// serve writes the page, or 304 when the client's copy is current.
func (p *cachedPage) serve(w http.ResponseWriter, r *http.Request) {
	fields, body, etag := p.plain, p.body, p.etag
	if p.gz != nil && acceptsGzip(r) {
		fields, body, etag = p.gz, p.gzBody, p.gzETag
	}
	h := w.Header()
	for _, f := range fields {
		h[f.key] = f.value
	}
	if notModified(r, etag, p.lastModified) {
		delete(h, "Content-Length")
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies RFC 9110 §13.1: If-None-Match wins over
// If-Modified-Since. ETags compare weakly (a W/ prefix is ignored).
func notModified(r *http.Request, etag string, lastModified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !lastModified.After(t) {
			return true
		}
	}
	return false
}

// pageRecorder buffers a handler's response.
type pageRecorder struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (r *pageRecorder) Header() http.Header { return r.header }

func (r *pageRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *pageRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"gongkai"
)

//go:embed templates static
var embedded embed.FS

// assets are the static files, served at /static/{hash}/{name} so that they
// can be cached forever and a new release changes their URLs.
type assets struct {
	files map[string]*asset // by name
	byURL map[string]*asset
}

type asset struct {
	name, url, contentType string
	body, gz               []byte
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string]*asset{}, byURL: map[string]*asset{}}
	err := fs.WalkDir(embedded, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		x := &asset{name: name, url: "/static/" + hex.EncodeToString(sum[:6]) + "/" + name, contentType: ct, body: b}
		if strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "svg") {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			x.gz = buf.Bytes()
		}
		a.files[name] = x
		a.byURL[x.url] = x
		return nil
	})
	return a, err
}

// URL returns the hashed URL of a static file; an unknown name is a bug in
// a template, caught when the templates are type-checked in tests.
func (a *assets) URL(name string) (string, error) {
	x := a.files[name]
	if x == nil {
		return "", fmt.Errorf("no static file %q", name)
	}
	return x.url, nil
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	x := s.assets.byURL[r.URL.Path]
	if x == nil {
		return gongkai.Errorf(gongkai.ENOTFOUND, "文件不存在。")
	}
	h := w.Header()
	h.Set("Content-Type", x.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := x.body
	if x.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = x.gz
	}
	w.Write(body)
	return nil
}

func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

// templates holds one parsed set per page: the page's layout, the shared
// partials and the page itself. Parsed once at start-up; no per-request
// Funcs, so rendering is safe for concurrent use.
type templates struct {
	pages map[string]*template.Template
}

func templateFuncs(a *assets) template.FuncMap {
	m := template.FuncMap{
		"asset": a.URL,
		// date shows an instant as an Asia/Shanghai date.
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(gongkai.Shanghai).Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(gongkai.Shanghai).Format("2006-01-02 15:04")
		},
		"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"add":     func(a, b int) int { return a + b },
	}
	for k, v := range documentFuncs() {
		m[k] = v
	}
	return m
}

func parseTemplates(a *assets) (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}}
	partials, err := fs.Glob(embedded, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	for _, surface := range []string{"portal", "admin"} {
		pages, err := fs.Glob(embedded, "templates/"+surface+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, p := range pages {
			name := surface + "/" + strings.TrimSuffix(path.Base(p), ".html")
			files := append([]string{"templates/layout/" + surface + ".html"}, partials...)
			files = append(files, p)
			tm, err := template.New(path.Base(files[0])).Funcs(templateFuncs(a)).ParseFS(embedded, files...)
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", name, err)
			}
			t.pages[name] = tm
		}
	}
	return t, nil
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, page any) error {
	tm := s.tmpl.pages[name]
	if tm == nil {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := tm.Execute(&buf, page); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

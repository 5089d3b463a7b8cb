package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai"
)

// contentSecurityPolicy allows nothing inline and nothing from elsewhere:
// pages work without JavaScript, and any script we add is a static file.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, f := range securityHeaderFields {
			h[f.key] = f.value
		}
		if s.isTLS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Access logging is off at the default level: skip the recorder
		// and the attributes then, they cost on every request.
		if !s.Logger.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		s.Logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes), slog.Duration("duration", time.Since(start)), slog.String("client", s.clientIP(r)))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serveError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address used for throttling and the audit trail.
func (s *Server) clientIP(r *http.Request) string {
	if s.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) isTLS(r *http.Request) bool {
	return r.TLS != nil || (s.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// handle registers a handler that returns errors.
func (s *Server) handle(pattern string, h handlerFunc, mw ...func(handlerFunc) handlerFunc) {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// Cookie names. The session cookie is scoped to /admin: the public portal
// never needs it, so it is never sent with portal requests.
const (
	sessionCookie = "gk_session"
	csrfCookie    = "gk_csrf"
	csrfField     = "csrf_token"
)

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value, path string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: s.isTLS(r), SameSite: http.SameSiteLaxMode})
}

// staff authenticates the web session cookie and puts the actor in the
// context; without a valid session, pages redirect to the login form.
func (s *Server) staff(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		actor, sess, err := s.Auth.Authenticate(r.Context(), c.Value)
		if err != nil {
			if gongkai.ErrorCode(err) == gongkai.EUNAUTHORIZED {
				s.setCookie(w, r, sessionCookie, "", "/admin", -1)
			}
			return err
		}
		if sess.Kind != gongkai.SessionWeb {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		r = r.WithContext(gongkai.WithActor(r.Context(), actor))
		// Errors are answered here, where the actor is known, so that an
		// error page keeps the workspace menu.
		if err := next(w, r); err != nil {
			s.serveError(w, r, err)
		}
		return nil
	}
}

// apiAuth authenticates "Authorization: Bearer <token>" for the staff API.
// Browser cookies are deliberately ignored there, so no API call can be
// forged from another site (no CSRF on the API).
func (s *Server) apiAuth(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, ok := bearer(r)
		if !ok {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "缺少访问令牌（Authorization: Bearer …）。")
		}
		actor, sess, err := s.Auth.Authenticate(r.Context(), token)
		if err != nil {
			return err
		}
		if sess.Kind != gongkai.SessionAPI {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "该令牌不能用于接口调用，请通过 POST /api/v1/session 获取。")
		}
		return next(w, r.WithContext(gongkai.WithActor(r.Context(), actor)))
	}
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// csrfToken returns the token forms must carry: an HMAC of a random
// per-browser cookie, so that only pages served by us can know it, and an
// attacker who can set cookies on a sibling domain still cannot forge it.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	var id string
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		id = c.Value
	} else if v, ok := r.Context().Value(csrfIDKey{}).(string); ok {
		id = v
	} else {
		b := make([]byte, 24)
		rand.Read(b)
		id = base64.RawURLEncoding.EncodeToString(b)
		s.setCookie(w, r, csrfCookie, id, "/", 0)
	}
	return s.signCSRF(id)
}

type csrfIDKey struct{}

func (s *Server) signCSRF(id string) string {
	m := hmac.New(sha256.New, s.CSRFKey)
	m.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a form post whose token does not match its cookie.
// It also caps the form body: 1 MiB unless the route allowed more with
// allowUpload.
func (s *Server) checkCSRF(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		limit, ok := r.Context().Value(uploadLimitKey{}).(int64)
		if !ok {
			limit = 1 << 20
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return gongkai.Errorf(gongkai.ETOOLARGE, "提交的内容超过了 %s 的上限。", byteSize(limit))
			}
			return &gongkai.Error{Code: gongkai.EBADREQUEST, Message: "表单格式不正确。", Err: err}
		}
		c, err := r.Cookie(csrfCookie)
		token := r.PostFormValue(csrfField)
		if err != nil || token == "" || !hmac.Equal([]byte(token), []byte(s.signCSRF(c.Value))) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "表单已失效或来源不明，请返回上一页刷新后重新提交。")
		}
		return next(w, r)
	}
}

type uploadLimitKey struct{}

// allowUpload raises the body limit of a form route (placed before
// checkCSRF), for file uploads.
func allowUpload(limit int64) func(handlerFunc) handlerFunc {
	return func(next handlerFunc) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			return next(w, r.WithContext(context.WithValue(r.Context(), uploadLimitKey{}, limit)))
		}
	}
}

// byteSize formats a limit for messages: "50 MB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

// siteCache resolves Host headers to sites without a database query on
// every portal request; entries live for 30 seconds, so a site added on
// another node is picked up quickly.
type siteCache struct {
	mu      sync.Mutex
	entries map[string]siteEntry
}

type siteEntry struct {
	site *gongkai.Site
	at   time.Time
}

func (s *Server) site(r *http.Request) (*gongkai.Site, error) {
	host := gongkai.NormalizeHost(r.Host)
	now := time.Now()
	c := &s.sites
	c.mu.Lock()
	if e, ok := c.entries[host]; ok && now.Sub(e.at) < 30*time.Second {
		c.mu.Unlock()
		return e.site, nil
	}
	c.mu.Unlock()
	site, err := s.Sites.FindSiteByHost(r.Context(), host)
	if err != nil {
		if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
			return nil, gongkai.Errorf(gongkai.ENOTFOUND, "尚未配置任何站点。请管理员在工作平台“站点管理”中添加站点，或以 --demo 启动体验。")
		}
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]siteEntry{}
	}
	c.entries[host] = siteEntry{site, now}
	c.mu.Unlock()
	return site, nil
}

// forgetSites drops cached host lookups after a site changes here.
func (s *Server) forgetSites() {
	s.sites.mu.Lock()
	s.sites.entries = nil
	s.sites.mu.Unlock()
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns a local path to go to after login, refusing anything
// that could send the user to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/admin/"
	}
	return next
}

// allowUpload raises the form body limit of checkCSRF to the attachment
// limit (plus room for the other fields) on routes that take files.
func (s *Server) allowUpload(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := context.WithValue(r.Context(), uploadLimitKey{}, s.UploadLimit+64<<10)
		return next(w, r.WithContext(ctx))
	}
}

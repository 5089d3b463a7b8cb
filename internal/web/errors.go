package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"gongkai"
)

// statusOf maps domain error codes to HTTP statuses: the one table of it.
var statusOf = map[string]int{
	gongkai.EINVALID:      http.StatusUnprocessableEntity,
	gongkai.EBADREQUEST:   http.StatusBadRequest,
	gongkai.ENOTFOUND:     http.StatusNotFound,
	gongkai.ECONFLICT:     http.StatusConflict,
	gongkai.EUNAUTHORIZED: http.StatusUnauthorized,
	gongkai.EFORBIDDEN:    http.StatusForbidden,
	gongkai.ETOOMANY:      http.StatusTooManyRequests,
	gongkai.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	gongkai.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	gongkai.EGONE:         http.StatusGone,
	gongkai.EMETHOD:       http.StatusMethodNotAllowed,
	gongkai.EUNAVAILABLE:  http.StatusServiceUnavailable,
	gongkai.EINTERNAL:     http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem document. Title is the Chinese message
// safe to show; Code and Field are for programs.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Code     string            `json:"code"`
	Field    string            `json:"field,omitempty"`
	Detail   string            `json:"detail,omitempty"`
	Problems []gongkai.Problem `json:"problems,omitempty"`
}

// handlerFunc is the signature of every handler: errors are returned, and
// one adapter turns them into responses.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// errorStatus returns the HTTP status for err.
func errorStatus(err error) int {
	if st, ok := statusOf[gongkai.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// logError logs internal errors only: the others are the user's mistakes
// and are answered, not reported.
func (s *Server) logError(r *http.Request, err error) {
	if gongkai.ErrorCode(err) == gongkai.EINTERNAL || errorStatus(err) >= 500 {
		s.Logger.Error("request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// serveError answers err as problem+json on the API and as an HTML page
// elsewhere.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	s.logError(r, err)
	status := errorStatus(err)
	e := gongkai.AsError(err)
	if e != nil && e.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	if status == http.StatusUnauthorized && isAPI(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gongkai"`)
	}
	if isAPI(r) {
		writeProblem(w, status, err)
		return
	}
	if status == http.StatusUnauthorized && strings.HasPrefix(r.URL.Path, "/admin") && r.Method == http.MethodGet {
		http.Redirect(w, r, "/admin/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.renderErrorPage(w, r, status, gongkai.ErrorMessage(err))
}

func writeProblem(w http.ResponseWriter, status int, err error) {
	p := Problem{Type: "about:blank", Status: status, Code: gongkai.ErrorCode(err), Title: gongkai.ErrorMessage(err)}
	if e := gongkai.AsError(err); e != nil && e.Code != gongkai.EINTERNAL {
		p.Field, p.Detail, p.Problems = e.Field, e.Detail, e.Problems
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if e := gongkai.AsError(err); e != nil && e.Code != gongkai.EINTERNAL && len(e.Extensions) > 0 {
		json.NewEncoder(w).Encode(withExtensions(p, e.Extensions))
		return
	}
	json.NewEncoder(w).Encode(p)
}

// withExtensions adds RFC 9457 extension members to a problem; they never
// replace its standard members.
func withExtensions(p Problem, ext map[string]any) map[string]any {
	b, _ := json.Marshal(p)
	var m map[string]any
	json.Unmarshal(b, &m)
	for k, v := range ext {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return m
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// decodeJSON reads a JSON request body into v, refusing other media
// types, unknown fields and bodies over 1 MiB, with a message that says
// what is wrong.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &gongkai.Error{Code: gongkai.EUNSUPPORTED, Message: "请求正文须为 JSON（Content-Type: application/json）。", Detail: "body must be application/json"}
	}
	return decodeJSONFrom(http.MaxBytesReader(w, r.Body, 1<<20), v)
}

// decodeJSONFrom reads one JSON object from rd into v, refusing unknown
// fields; the multipart endpoints (an application, a reply) use it on
// their JSON part.
func decodeJSONFrom(rd io.Reader, v any) error {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return &gongkai.Error{Code: gongkai.ETOOLARGE, Message: "请求正文超过1 MB。", Detail: "body exceeds 1 MiB"}
		case errors.As(err, &typeErr) && typeErr.Type == reflect.TypeFor[gongkai.Date]():
			return &gongkai.Error{Code: gongkai.EBADREQUEST, Field: typeErr.Field, Message: "字段“" + typeErr.Field + "”应为 YYYY-MM-DD 格式的日期，例如 2024-03-01。", Detail: err.Error()}
		case errors.As(err, &typeErr):
			return &gongkai.Error{Code: gongkai.EBADREQUEST, Field: typeErr.Field, Message: "字段“" + typeErr.Field + "”的类型不正确。", Detail: err.Error()}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &gongkai.Error{Code: gongkai.EBADREQUEST, Field: field, Message: "不认识的字段“" + field + "”。", Detail: err.Error()}
		}
		return &gongkai.Error{Code: gongkai.EBADREQUEST, Message: "请求正文不是有效的 JSON。", Detail: err.Error()}
	}
	if dec.More() {
		return &gongkai.Error{Code: gongkai.EBADREQUEST, Message: "请求正文只能包含一个 JSON 对象。", Detail: "trailing data after the JSON object"}
	}
	return nil
}

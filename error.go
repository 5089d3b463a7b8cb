package gongkai

import (
	"errors"
	"fmt"
)

// Error codes. They travel to the API as the problem's machine `code` and map
// to HTTP statuses in one table in internal/web.
const (
	EINVALID      = "invalid"                // input failed validation; Field names it
	EBADREQUEST   = "bad_request"            // the request itself is malformed (unparsable JSON, wrong type)
	ENOTFOUND     = "not_found"              // no such object, or not visible to the caller
	ECONFLICT     = "conflict"               // a unique value is taken or the state forbids it
	EUNAUTHORIZED = "unauthorized"           // not logged in, or wrong credentials
	EFORBIDDEN    = "forbidden"              // logged in, but the role or org does not allow it
	ETOOMANY      = "too_many"               // throttled; RetryAfter says for how long
	ETOOLARGE     = "too_large"              // an upload or body over its limit
	EUNSUPPORTED  = "unsupported_media_type" // the request body is in a format the endpoint does not take
	EGONE         = "gone"                   // existed once, deliberately removed
	EMETHOD       = "method_not_allowed"     // the address exists, but not for this method
	EUNAVAILABLE  = "unavailable"            // a dependency (the database) is not answering
	EINTERNAL     = "internal"               // a bug or an unexpected failure; details are logged only
)

// Error is an error whose Message is safe to show to users. Message is
// Chinese; Detail may add English for API clients; Field names the offending
// input (a form field name or a JSON property) when there is one. Problems
// carries every field problem when a form has several.
type Error struct {
	Code     string
	Field    string
	Message  string
	Detail   string
	Problems []Problem
	// RetryAfterSeconds is set on ETOOMANY errors.
	RetryAfterSeconds int
	// Extensions are sent with the API's problem document as RFC 9457
	// extension members, for data a program needs to act on the error
	// (the findings that refused an approval, for one).
	Extensions map[string]any
	// Err is the underlying cause; it is logged, never shown.
	Err error
}

// Problem is one field's validation failure.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Err)
	}
	return e.Code + ": " + msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error naming the field.
func FieldError(field, message string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: message, Problems: []Problem{{Field: field, Message: message}}}
}

// Problems collects field problems while validating a whole form, so that a
// user sees every mistake at once rather than one per submission.
type Problems []Problem

// Add records a problem with a field.
func (p *Problems) Add(field, message string) {
	*p = append(*p, Problem{Field: field, Message: message})
}

// Err returns nil when nothing was added, else an EINVALID error whose Field
// and Message are the first problem's and whose Problems are all of them.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Field: p[0].Field, Message: p[0].Message, Problems: append([]Problem(nil), p...)}
}

// For returns the message for field, or "".
func (p Problems) For(field string) string {
	for _, q := range p {
		if q.Field == field {
			return q.Message
		}
	}
	return ""
}

// ErrorCode returns the code of an *Error in err's chain, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err. Errors that are not
// *Error are internal and get a generic message, so driver text never leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "系统内部错误，请稍后重试。"
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

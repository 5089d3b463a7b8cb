package gongkai

import (
	"context"
	"time"
)

// SessionKind separates browser sessions (cookie, CSRF-protected forms) from
// API tokens (Authorization: Bearer).
type SessionKind string

// The two session kinds.
const (
	SessionWeb = SessionKind("web")
	SessionAPI = SessionKind("api")
)

// Session is a server-side login. Only a hash of its token is stored, so a
// copy of the database does not let anyone log in.
type Session struct {
	ID         int64
	UserID     int64
	Kind       SessionKind
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is when the session ends if it stays idle.
	ExpiresAt time.Time
	ClientIP  string
}

// LoginThrottle is the policy for failed logins: after Failures failures in
// Window for one account or one client address, further attempts are
// refused for the rest of the window.
type LoginThrottle struct {
	Failures int
	Window   time.Duration
}

// DefaultLoginThrottle: 5 failures in 15 minutes (issue #2).
var DefaultLoginThrottle = LoginThrottle{Failures: 5, Window: 15 * time.Minute}

// AuthService logs staff in and out and authenticates requests.
type AuthService interface {
	// Login checks the credentials and opens a session. A wrong username
	// and a wrong password give the same EUNAUTHORIZED error; a throttled
	// account or address gives ETOOMANY with RetryAfterSeconds.
	Login(ctx context.Context, username, password, clientIP string, kind SessionKind) (*Session, string, error)
	// Authenticate returns the actor for a session token and extends the
	// session's idle timeout.
	Authenticate(ctx context.Context, token string) (*Actor, *Session, error)
	Logout(ctx context.Context, token string) error
	// DeleteExpiredSessions removes sessions and login failures that no
	// longer matter; a periodic job calls it.
	DeleteExpiredSessions(ctx context.Context) (int, error)
}

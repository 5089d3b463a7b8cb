package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/password"
)

var _ gongkai.AuthService = (*DB)(nil)

// SessionIdle is how long a session lives without use (issue #2: 30 min).
var SessionIdle = 30 * time.Minute

// Throttle is the failed-login policy.
var Throttle = gongkai.DefaultLoginThrottle

// dummyHash is verified when the username does not exist, so a wrong
// username takes as long as a wrong password and timing reveals nothing.
var dummyHash, _ = password.Hash("gongkai-no-such-user", password.Default)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Login checks credentials and opens a session, throttling repeated
// failures per account and per client address. Failures are recorded in the
// database, so several nodes share the count.
func (db *DB) Login(ctx context.Context, username, pw, clientIP string, kind gongkai.SessionKind) (*gongkai.Session, string, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || pw == "" {
		var p gongkai.Problems
		if username == "" {
			p.Add("username", "请输入用户名。")
		}
		if pw == "" {
			p.Add("password", "请输入密码。")
		}
		return nil, "", p.Err()
	}
	if kind != gongkai.SessionWeb && kind != gongkai.SessionAPI {
		kind = gongkai.SessionWeb
	}
	if err := db.checkThrottle(ctx, username, clientIP); err != nil {
		return nil, "", err
	}
	var userID int64
	var hash string
	var disabled bool
	err := db.read.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE username = $1`, username).Scan(&userID, &hash, &disabled)
	if err != nil && !isNoRows(err) {
		return nil, "", err
	}
	ok := false
	if err == nil {
		ok, _ = password.Verify(pw, hash)
	} else {
		password.Verify(pw, dummyHash)
	}
	if !ok || disabled {
		if ferr := db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO login_failures (username, client_ip, at) VALUES ($1, $2, $3)`, username, clientIP, ts(tx.now))
			return err
		}); ferr != nil {
			return nil, "", ferr
		}
		// One message for every cause, so a caller cannot learn which
		// usernames exist or are disabled.
		return nil, "", gongkai.Errorf(gongkai.EUNAUTHORIZED, "用户名或密码不正确。")
	}
	token, err := newToken()
	if err != nil {
		return nil, "", err
	}
	s := &gongkai.Session{UserID: userID, Kind: kind, ClientIP: clientIP}
	err = db.inTx(ctx, func(tx *Tx) error {
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = tx.now, tx.now, tx.now.Add(SessionIdle)
		if err := tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, kind, client_ip, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id`, hashToken(token), userID, string(kind), clientIP, ts(tx.now), ts(s.ExpiresAt)).Scan(&s.ID); err != nil {
			return err
		}
		// A success clears the account's failures (not the address's: an
		// attacker must not reset the address count by logging into their
		// own account).
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, username); err != nil {
			return err
		}
		tx.actor = &gongkai.Actor{UserID: userID, Username: username}
		return tx.audit(ctx, auditEntry{Action: "session.login", ObjectType: "user", ObjectID: username, After: map[string]string{"kind": string(kind), "clientIp": clientIP}})
	})
	if err != nil {
		return nil, "", err
	}
	return s, token, nil
}

// checkThrottle refuses a login when the account or the address has too
// many recent failures, saying when to try again.
func (db *DB) checkThrottle(ctx context.Context, username, clientIP string) error {
	now := db.Now().UTC()
	since := ts(now.Add(-Throttle.Window))
	var retry time.Duration
	for _, c := range []struct{ col, val string }{{"username", username}, {"client_ip", clientIP}} {
		if c.val == "" {
			continue
		}
		var n int
		// The failure that unlocks the key is the Failures-th most recent
		// one: once it leaves the window, fewer than Failures remain.
		rows, err := db.read.QueryContext(ctx, `SELECT at FROM login_failures WHERE `+c.col+` = $1 AND at > $2 ORDER BY at DESC LIMIT $3`,
			c.val, since, Throttle.Failures)
		if err != nil {
			return err
		}
		var at time.Time
		for rows.Next() {
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return err
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n >= Throttle.Failures {
			if d := at.Add(Throttle.Window).Sub(now); d > retry {
				retry = d
			}
		}
	}
	if retry > 0 {
		secs := int(math.Ceil(retry.Seconds()))
		e := gongkai.Errorf(gongkai.ETOOMANY, "登录失败次数过多，请在%d分钟后重试。", (secs+59)/60)
		e.RetryAfterSeconds = secs
		return e
	}
	return nil
}

// Authenticate returns the actor for a token and slides the idle timeout.
// The session row is rewritten at most once a minute, so that reading pages
// does not turn every request into a database write.
func (db *DB) Authenticate(ctx context.Context, token string) (*gongkai.Actor, *gongkai.Session, error) {
	if token == "" {
		return nil, nil, gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	now := db.Now().UTC().Truncate(time.Microsecond)
	var s gongkai.Session
	var a gongkai.Actor
	var disabled bool
	err := db.read.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.kind, s.client_ip, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hashToken(token)).
		Scan(&s.ID, &s.UserID, &s.Kind, &s.ClientIP, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &a.Username, &a.Name, &disabled)
	if isNoRows(err) || (err == nil && (disabled || !now.Before(s.ExpiresAt))) {
		return nil, nil, gongkai.Errorf(gongkai.EUNAUTHORIZED, "登录已过期，请重新登录。")
	}
	if err != nil {
		return nil, nil, err
	}
	a.UserID, a.SessionID = s.UserID, s.ID
	grants, err := db.grantsFor(ctx, s.UserID)
	if err != nil {
		return nil, nil, err
	}
	a.Grants = grants
	if now.Sub(s.LastSeenAt) >= time.Minute {
		s.LastSeenAt, s.ExpiresAt = now, now.Add(SessionIdle)
		if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3`, ts(now), ts(s.ExpiresAt), s.ID); err != nil {
			return nil, nil, err
		}
	}
	return &a, &s, nil
}

func (db *DB) grantsFor(ctx context.Context, userID int64) ([]gongkai.Grant, error) {
	var grants []gongkai.Grant
	err := db.inReadTx(ctx, func(tx *Tx) error {
		m, err := tx.grantsOf(ctx, map[int64]*gongkai.User{userID: {ID: userID}})
		grants = m[userID]
		return err
	})
	return grants, err
}

// Logout ends the session with the token. Logging out twice is not an error.
func (db *DB) Logout(ctx context.Context, token string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var userID int64
		var username string
		err := tx.QueryRowContext(ctx, `SELECT s.user_id, u.username FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hashToken(token)).Scan(&userID, &username)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
			return err
		}
		tx.actor = &gongkai.Actor{UserID: userID, Username: username}
		return tx.audit(ctx, auditEntry{Action: "session.logout", ObjectType: "user", ObjectID: username})
	})
}

// DeleteExpiredSessions removes expired sessions and login failures older
// than the throttle window.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ts(tx.now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= $1`, ts(tx.now.Add(-Throttle.Window)))
		return err
	})
	return int(n), err
}

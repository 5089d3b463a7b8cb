// Package mail sends the platform's e-mail (deadline reminders to staff)
// through an SMTP server configured with GONGKAI_SMTP_* variables. Without
// GONGKAI_SMTP_HOST nothing is sent and reminders stay in the workspace.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// Config says how to reach the SMTP server.
type Config struct {
	Host     string // GONGKAI_SMTP_HOST; empty disables e-mail
	Port     int    // GONGKAI_SMTP_PORT; default 587 (465 with TLS "tls")
	Username string // GONGKAI_SMTP_USERNAME; empty: no authentication
	Password string // GONGKAI_SMTP_PASSWORD
	From     string // GONGKAI_SMTP_FROM, e.g. "政务公开平台 <gongkai@example.gov.cn>"
	// TLS is "starttls" (default: upgrade a plain connection, required),
	// "tls" (implicit TLS, usually port 465) or "none" (only for a relay on
	// the same host or a trusted network).
	TLS string // GONGKAI_SMTP_TLS
}

// FromEnv reads the GONGKAI_SMTP_* variables.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Config{Host: strings.TrimSpace(getenv("GONGKAI_SMTP_HOST")), Username: getenv("GONGKAI_SMTP_USERNAME"),
		Password: getenv("GONGKAI_SMTP_PASSWORD"), From: strings.TrimSpace(getenv("GONGKAI_SMTP_FROM")),
		TLS: strings.ToLower(strings.TrimSpace(getenv("GONGKAI_SMTP_TLS")))}
	if c.Host == "" {
		return c, nil
	}
	switch c.TLS {
	case "":
		c.TLS = "starttls"
	case "starttls", "tls", "none":
	default:
		return c, fmt.Errorf("GONGKAI_SMTP_TLS 应为 starttls、tls 或 none")
	}
	c.Port = 587
	if c.TLS == "tls" {
		c.Port = 465
	}
	if p := strings.TrimSpace(getenv("GONGKAI_SMTP_PORT")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("GONGKAI_SMTP_PORT 应为 1 至 65535 之间的端口号")
		}
		c.Port = n
	}
	if c.From == "" {
		return c, fmt.Errorf("配置了 GONGKAI_SMTP_HOST 时必须同时设置发件人 GONGKAI_SMTP_FROM")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return c, fmt.Errorf("GONGKAI_SMTP_FROM 不是有效的邮件地址：%v", err)
	}
	return c, nil
}

// Enabled reports whether e-mail is configured.
func (c Config) Enabled() bool { return c.Host != "" }

// Mailer sends messages.
type Mailer interface {
	Send(ctx context.Context, to []string, subject, body string) error
}

// SMTP is a Mailer over an SMTP server.
type SMTP struct {
	Config Config
	// Now dates the messages; tests fix it.
	Now func() time.Time
}

// New returns a Mailer for c, or nil when e-mail is not configured.
func New(c Config) Mailer {
	if !c.Enabled() {
		return nil
	}
	return &SMTP{Config: c, Now: time.Now}
}

// Message builds the RFC 5322 message: UTF-8 text, base64 body, the
// subject encoded for non-ASCII (RFC 2047).
func Message(from string, to []string, subject, body string, now time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", encodeAddress(from))
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.BEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

func encodeAddress(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return s
	}
	return a.String() // encodes a non-ASCII display name
}

func addrOnly(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address
	}
	return s
}

// Send delivers one message to every recipient.
func (m *SMTP) Send(ctx context.Context, to []string, subject, body string) error {
	if len(to) == 0 {
		return nil
	}
	c := m.Config
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	d := net.Dialer{Timeout: 15 * time.Second}
	var conn net.Conn
	var err error
	if c.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(time.Minute))
	}
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer cl.Close()
	if c.TLS == "starttls" {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS (set GONGKAI_SMTP_TLS=none only for a trusted relay)")
		}
		if err := cl.StartTLS(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if c.Username != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, c.Host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := cl.Mail(addrOnly(c.From)); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	for _, r := range to {
		if err := cl.Rcpt(r); err != nil {
			return fmt.Errorf("smtp RCPT TO %s: %w", r, err)
		}
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(Message(c.From, to, subject, body, m.Now())); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	return cl.Quit()
}

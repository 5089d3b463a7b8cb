package mail_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"mime"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	gkmail "gongkai/internal/mail"
)

func TestFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	c, err := gkmail.FromEnv(env())
	if err != nil || c.Enabled() || gkmail.New(c) != nil {
		t.Fatalf("no host: %+v %v", c, err)
	}
	c, err = gkmail.FromEnv(env("GONGKAI_SMTP_HOST", "smtp.example.gov.cn", "GONGKAI_SMTP_FROM", "政务公开平台 <gk@example.gov.cn>"))
	want := gkmail.Config{Host: "smtp.example.gov.cn", Port: 587, From: "政务公开平台 <gk@example.gov.cn>", TLS: "starttls"}
	if diff := cmp.Diff(want, c); err != nil || diff != "" {
		t.Errorf("defaults mismatch (-want +got):\n%s %v", diff, err)
	}
	c, _ = gkmail.FromEnv(env("GONGKAI_SMTP_HOST", "h", "GONGKAI_SMTP_FROM", "a@b.cn", "GONGKAI_SMTP_TLS", "TLS"))
	if c.Port != 465 || c.TLS != "tls" {
		t.Errorf("implicit TLS: %+v", c)
	}
	for _, bad := range [][]string{
		{"GONGKAI_SMTP_HOST", "h"},
		{"GONGKAI_SMTP_HOST", "h", "GONGKAI_SMTP_FROM", "not an address"},
		{"GONGKAI_SMTP_HOST", "h", "GONGKAI_SMTP_FROM", "a@b.cn", "GONGKAI_SMTP_TLS", "ssl3"},
		{"GONGKAI_SMTP_HOST", "h", "GONGKAI_SMTP_FROM", "a@b.cn", "GONGKAI_SMTP_PORT", "70000"},
	} {
		if _, err := gkmail.FromEnv(env(bad...)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestMessage(t *testing.T) {
	body := "申请 YSQ20240603ABCDE 已超过答复期限。\n" + strings.Repeat("请尽快答复。", 20)
	raw := gkmail.Message("政务公开平台 <gk@example.gov.cn>", []string{"a@example.cn"}, "【依申请公开提醒】即将到期", body, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mimeDecoder)
	if got, _ := dec.decode(m.Header.Get("Subject")); got != "【依申请公开提醒】即将到期" {
		t.Errorf("subject = %q", got)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || from[0].Name != "政务公开平台" {
		t.Errorf("from = %v %v", from, err)
	}
	b, _ := bufio.NewReader(m.Body).ReadString(0)
	plain, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(b, "\r\n", ""))
	if err != nil || string(plain) != body {
		t.Errorf("body = %q, %v", plain, err)
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Error("line over 998 octets")
		}
	}
}

type mimeDecoder struct{}

func (mimeDecoder) decode(s string) (string, error) { return new(mime.WordDecoder).DecodeHeader(s) }

// fakeSMTP accepts one message without TLS and returns what it received.
func fakeSMTP(t *testing.T, starttls bool) (string, <-chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		w := func(s string) { c.Write([]byte(s + "\r\n")) }
		w("220 fake")
		var log strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				got <- log.String()
				return
			}
			cmd := strings.ToUpper(strings.TrimSpace(line))
			log.WriteString(strings.TrimSpace(line) + "\n")
			switch {
			case strings.HasPrefix(cmd, "EHLO"):
				if starttls {
					w("250-fake")
					w("250 STARTTLS")
				} else {
					w("250 fake")
				}
			case strings.HasPrefix(cmd, "DATA"):
				w("354 go")
				for {
					l, _ := r.ReadString('\n')
					if l == ".\r\n" {
						break
					}
					log.WriteString(l)
				}
				w("250 ok")
			case strings.HasPrefix(cmd, "QUIT"):
				w("221 bye")
				got <- log.String()
				return
			default:
				w("250 ok")
			}
		}
	}()
	return ln.Addr().String(), got
}

func TestSend(t *testing.T) {
	addr, got := fakeSMTP(t, false)
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	m := gkmail.New(gkmail.Config{Host: host, Port: p, From: "gk@example.gov.cn", TLS: "none"})
	if err := m.Send(context.Background(), []string{"a@example.cn", "b@example.cn"}, "提醒", "正文"); err != nil {
		t.Fatal(err)
	}
	log := <-got
	for _, want := range []string{"MAIL FROM:<gk@example.gov.cn>", "RCPT TO:<a@example.cn>", "RCPT TO:<b@example.cn>", "Subject: =?UTF-8?b?"} {
		if !strings.Contains(log, want) {
			t.Errorf("session lacks %q:\n%s", want, log)
		}
	}
	// STARTTLS required by default: a server without it is refused before
	// anything is sent.
	addr, _ = fakeSMTP(t, false)
	host, port, _ = net.SplitHostPort(addr)
	p, _ = strconv.Atoi(port)
	m = gkmail.New(gkmail.Config{Host: host, Port: p, From: "gk@example.gov.cn", TLS: "starttls"})
	if err := m.Send(context.Background(), []string{"a@example.cn"}, "x", "y"); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("no STARTTLS: %v", err)
	}
}

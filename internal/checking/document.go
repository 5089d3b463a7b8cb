package checking

import (
	"container/list"
	"context"
	"io"
	"strings"
	"sync"

	"gongkai"
	"gongkai/internal/check"
	"gongkai/internal/extract"
)

// TextCacheBytes bounds the memory kept for the text of attachments: the
// same attachment is checked at submission, at every level of review and
// at every recheck, and extracting a long PDF takes far longer than
// checking its text.
var TextCacheBytes = 64 << 20

// CheckDocument runs the checks of the document's site on its title, 发文
// 字号, metadata fields (内容概述, 关键词, 发文机关), body and attachments.
// A PII finding becomes a warning, with the reason recorded, when the
// document is marked as a legally required disclosure. publishedOn is the
// 发布日期 the 成文日期 is compared with.
func (s *Service) CheckDocument(ctx context.Context, d *gongkai.Document, publishedOn gongkai.Date) (*gongkai.DocumentCheck, error) {
	c, err := s.Checker(ctx, d.SiteID)
	if err != nil {
		return nil, err
	}
	in := check.Input{Title: d.Title, BodyHTML: d.Body, DocNo: d.DocNo, SignedOn: d.SignedOn, PublishedOn: publishedOn,
		RequiredDisclosure: d.RequiredDisclosure, DisclosureReason: d.RequiredDisclosureReason,
		Fields: []check.Field{{Name: "内容概述", Value: d.Summary}, {Name: "关键词", Value: strings.Join(d.Keywords, "，")}, {Name: "发文机关", Value: strings.Join(d.Issuers, "，")}}}
	findings := c.CheckDocument(in)
	base := check.Options{RequiredDisclosure: d.RequiredDisclosure, DisclosureReason: d.RequiredDisclosureReason}
	for _, a := range d.Attachments {
		if err := ctx.Err(); err != nil {
			return nil, gongkai.Errorf(gongkai.EUNAVAILABLE, "内容检查被中断，请重试。")
		}
		o := base
		o.Source = "attachment:" + a.Name
		text, err := s.attachmentText(ctx, a)
		if err != nil {
			// As check.CheckDocument does: the reviewer must know the file
			// was not checked.
			findings = append(findings, check.Finding{Rule: check.RuleAttachment, Severity: check.SeverityWarn, Source: o.Source,
				Excerpt: a.Name, Message: gongkai.ErrorMessage(err) + "请人工检查该附件。", Reason: "附件内容同样属于公开内容，须经检查"})
			continue
		}
		findings = append(findings, c.Check(text, o)...)
	}
	out := &gongkai.DocumentCheck{Fingerprint: c.Fingerprint(), DictionaryVersion: c.DictionaryVersion(), BodyHash: gongkai.BodyHash(d.Body),
		Findings: make([]gongkai.CheckFinding, 0, len(findings))}
	for _, f := range findings {
		out.Findings = append(out.Findings, gongkai.CheckFinding{Rule: f.Rule, Severity: gongkai.CheckSeverity(f.Severity), Source: f.Source,
			Start: f.Start, End: f.End, Line: f.Line, Col: f.Col, Excerpt: f.Excerpt, Context: f.Context, Message: f.Message,
			Suggestion: f.Suggestion, Reason: f.Reason})
	}
	return out, nil
}

// Refresh rebuilds the site's checker from its lists as they are now, for
// the recheck job (which may run on a node whose cached checker predates a
// list change made on another node), and returns its fingerprint.
func (s *Service) Refresh(ctx context.Context, siteID int64) (string, error) {
	s.Forget(siteID)
	c, err := s.Checker(ctx, siteID)
	if err != nil {
		return "", err
	}
	return c.Fingerprint(), nil
}

// attachmentText returns the text of an attachment, from the cache when it
// was extracted before. Attachments are addressed by their SHA-256, so a
// cached text can never be stale. Failures are cached too, except a
// timeout or cancellation, which may pass.
func (s *Service) attachmentText(ctx context.Context, a gongkai.Attachment) (string, error) {
	if x, ok := s.texts.get(a.SHA256); ok {
		return x.text, x.err
	}
	if s.Blobs == nil {
		return "", gongkai.Errorf(gongkai.EUNAVAILABLE, "无法读取附件“%s”。", a.Name)
	}
	f, err := s.Blobs.Open(ctx, a.SHA256)
	if err != nil {
		return "", err
	}
	lim := extract.DefaultLimits()
	data, err := io.ReadAll(io.LimitReader(f, int64(lim.MaxInput)+1))
	f.Close()
	if err != nil {
		return "", gongkai.Errorf(gongkai.EUNAVAILABLE, "读取附件“%s”失败。", a.Name)
	}
	text, err := extract.TextContext(ctx, a.Name, data, lim)
	if gongkai.ErrorCode(err) != gongkai.EUNAVAILABLE {
		s.texts.put(a.SHA256, text, err, TextCacheBytes)
	}
	return text, err
}

// textCache is a least-recently-used cache of attachment texts by SHA-256,
// bounded in bytes.
type textCache struct {
	mu    sync.Mutex
	ll    *list.List
	items map[string]*list.Element
	size  int
}

type textEntry struct {
	sum  string
	text string
	err  error
}

func (c *textCache) get(sum string) (*textEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[sum]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*textEntry), true
	}
	return nil, false
}

func (c *textCache) put(sum, text string, err error, limit int) {
	if len(text) > limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items, c.ll = map[string]*list.Element{}, list.New()
	}
	if _, ok := c.items[sum]; ok {
		return
	}
	c.items[sum] = c.ll.PushFront(&textEntry{sum: sum, text: text, err: err})
	c.size += len(text) + len(sum)
	for c.size > limit {
		e := c.ll.Back()
		x := e.Value.(*textEntry)
		c.ll.Remove(e)
		delete(c.items, x.sum)
		c.size -= len(x.text) + len(x.sum)
	}
}

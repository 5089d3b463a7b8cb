package replica

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/extract"
	"gongkai/internal/search"
	"gongkai/internal/store"
	"gongkai/internal/taxonomy"
)

// Source reads one kind of searchable item from the database and turns it
// into index entries. Documents (with 解读 and annual reports, which are
// published as documents) and the guide are built in; a module that makes
// something else searchable adds its source through Options.Sources and
// writes outbox rows of its kind in its own transactions.
type Source interface {
	// Load returns the entries of the items with these ids that are
	// public, and the index IDs of those that are no longer public.
	Load(ctx context.Context, ids []int64) (upserts []search.Doc, deletes []string, err error)
	// All passes every public item to fn in batches, for a rebuild.
	All(ctx context.Context, fn func([]search.Doc) error) error
	// Count returns the number of public items, for a rebuild's progress.
	Count(ctx context.Context) (int, error)
}

// documentSource: published documents and 解读.
type documentSource struct {
	db     *store.DB
	blobs  blob.Store
	logger *slog.Logger
}

// scanBatch is the number of documents read per query in a rebuild.
const scanBatch = 1000

func (s *documentSource) Load(ctx context.Context, ids []int64) ([]search.Doc, []string, error) {
	rows, err := s.db.FindSearchDocuments(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var public []*store.SearchDocument
	var deletes []string
	for _, d := range rows {
		if d.State == gongkai.PublicPublished {
			public = append(public, d)
		} else {
			// withdrawn and erroneous documents are never found
			deletes = append(deletes, d.IndexNo)
		}
	}
	docs, err := s.docs(ctx, public)
	return docs, deletes, err
}

func (s *documentSource) All(ctx context.Context, fn func([]search.Doc) error) error {
	var after int64
	for {
		rows, err := s.db.ScanSearchDocuments(ctx, after, scanBatch)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		after = rows[len(rows)-1].ID
		docs, err := s.docs(ctx, rows)
		if err != nil {
			return err
		}
		if err := fn(docs); err != nil {
			return err
		}
	}
}

func (s *documentSource) Count(ctx context.Context) (int, error) {
	return s.db.CountSearchDocuments(ctx)
}

// docs converts database rows, with their attachments' text.
func (s *documentSource) docs(ctx context.Context, rows []*store.SearchDocument) ([]search.Doc, error) {
	texts, err := s.attachmentTexts(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := make([]search.Doc, 0, len(rows))
	for _, d := range rows {
		var attach strings.Builder
		for _, a := range d.Attachments {
			if attach.Len() > maxAttachmentText {
				break
			}
			if attach.Len() > 0 {
				attach.WriteByte('\n')
			}
			// the file name is often the best description of the file
			attach.WriteString(a.Name)
			if t := texts[a.SHA256]; t != "" {
				attach.WriteByte('\n')
				attach.WriteString(t)
			}
		}
		out = append(out, DocumentDoc(d, attach.String()))
	}
	return out, nil
}

// Limits on attachment text: per file when it is extracted, and per
// document in the index. Beyond a few hundred pages more text only adds
// noise to ranking.
const (
	maxFileText       = 512 << 10
	maxAttachmentText = 2 << 20
)

// extractable reports whether the attachment is a format whose text is
// indexed: DOCX, XLSX and PDF.
func extractable(a gongkai.Attachment) bool {
	switch a.MIME {
	case "application/pdf",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return true
	}
	return false
}

// attachmentTexts returns the text of the documents' extractable
// attachments by SHA-256. Text is extracted once per file for the whole
// platform and kept in the database (search_attachment_text); a file the
// blob store does not hold on this node is skipped, not recorded, so a
// node that has it extracts it later.
func (s *documentSource) attachmentTexts(ctx context.Context, rows []*store.SearchDocument) (map[string]string, error) {
	var sums []string
	files := map[string]gongkai.Attachment{}
	for _, d := range rows {
		for _, a := range d.Attachments {
			if extractable(a) && files[a.SHA256].SHA256 == "" {
				files[a.SHA256] = a
				sums = append(sums, a.SHA256)
			}
		}
	}
	if len(sums) == 0 {
		return nil, nil
	}
	texts, err := s.db.AttachmentText(ctx, sums)
	if err != nil {
		return nil, err
	}
	for _, sum := range sums {
		if _, ok := texts[sum]; ok || s.blobs == nil {
			continue
		}
		a := files[sum]
		text, err := s.extract(ctx, a)
		if err != nil {
			s.log().Warn("attachment text not extracted", slog.String("sha256", sum), slog.String("name", a.Name), slog.Any("error", err))
			if gongkai.ErrorCode(err) == gongkai.ENOTFOUND || ctx.Err() != nil {
				continue
			}
			text = "" // unreadable: recorded as empty so it is not retried on every change
		}
		if err := s.db.SaveAttachmentText(ctx, sum, text); err != nil {
			return nil, err
		}
		texts[sum] = text
	}
	return texts, nil
}

func (s *documentSource) extract(ctx context.Context, a gongkai.Attachment) (string, error) {
	f, err := s.blobs.Open(ctx, a.SHA256)
	if err != nil {
		return "", err
	}
	defer f.Close()
	lim := extract.DefaultLimits()
	lim.MaxText = maxFileText
	lim.Timeout = 30 * time.Second
	data, err := io.ReadAll(io.LimitReader(f, int64(lim.MaxInput)+1))
	if err != nil {
		return "", err
	}
	text, err := extract.TextContext(ctx, a.Name, data, lim)
	if err != nil {
		return "", err
	}
	return text, nil
}

func (s *documentSource) log() *slog.Logger {
	if s.logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.logger
}

// DocumentDoc turns a published document into its index entry: codes as
// the index keeps them (topic as 一级\二级 codes, columns by id), validity
// by its Chinese label, the body as plain text.
func DocumentDoc(d *store.SearchDocument, attachments string) search.Doc {
	kind := search.KindDocument
	switch {
	case d.AnnualReport:
		kind = search.KindAnnualReport
	case d.Interprets:
		kind = search.KindInterpretation
	}
	body, err := extract.HTMLText(d.Body)
	if err != nil {
		body = d.Body
	}
	cols := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		cols[i] = strconv.FormatInt(c, 10)
	}
	validity := taxonomy.Validity(d.Validity).Label()
	if validity == "" {
		validity = search.Valid
	}
	return search.Doc{
		ID: d.IndexNo, Kind: kind, SiteIDs: []int64{d.SiteID},
		OrgCode: d.OrgCode, OrgPath: d.OrgPath, OrgName: d.OrgName, Columns: cols,
		Topic: TopicTerm(d.Topic), Genre: d.Genre, Year: d.Year, Validity: validity,
		Title: d.Title, DocNo: d.DocNo, Summary: d.Summary, Keywords: strings.Join(d.Keywords, " "),
		Body: body, AttachmentText: attachments, PublishedAt: d.PublishedAt, URL: gongkai.DocumentPath(d.ID),
	}
}

// TopicTerm is how the index keeps a 主题分类 code: a sub-level under its
// top level ("02\0201"), so a filter on the top level ("02") finds both.
func TopicTerm(code string) string {
	if t, ok := taxonomy.TopicByCode(code); ok && !t.IsTop() {
		return t.TopCode() + taxonomy.Sep + t.Code
	}
	return code
}

// guideSource: each site's 政府信息公开指南.
type guideSource struct {
	db *store.DB
}

// GuideID is the index key of a site's guide.
func GuideID(siteID int64) string { return "guide-" + strconv.FormatInt(siteID, 10) }

func (s *guideSource) Load(ctx context.Context, ids []int64) ([]search.Doc, []string, error) {
	guides, err := s.db.FindSearchGuides(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	found := map[int64]bool{}
	var docs []search.Doc
	for _, g := range guides {
		found[g.Site.ID] = true
		docs = append(docs, guideDoc(g))
	}
	var deletes []string
	for _, id := range ids {
		if !found[id] {
			deletes = append(deletes, GuideID(id))
		}
	}
	return docs, deletes, nil
}

func (s *guideSource) All(ctx context.Context, fn func([]search.Doc) error) error {
	guides, err := s.db.FindSearchGuides(ctx, nil)
	if err != nil || len(guides) == 0 {
		return err
	}
	docs := make([]search.Doc, len(guides))
	for i, g := range guides {
		docs[i] = guideDoc(g)
	}
	return fn(docs)
}

func (s *guideSource) Count(ctx context.Context) (int, error) {
	sites, err := s.db.FindSites(ctx)
	return len(sites), err
}

// guideDoc is the index entry of a guide: its items with their headings,
// so 办公地址 or 依申请公开 find it.
func guideDoc(g *store.SearchGuide) search.Doc {
	gd := g.Guide
	var b strings.Builder
	for _, f := range []struct{ label, value string }{
		{"政府信息的分类", gd.Classification}, {"编排体系", gd.Arrangement}, {"获取方式", gd.Access},
		{"政府信息公开工作机构", gd.OfficeName}, {"办公地址", gd.Address}, {"办公时间", gd.Hours},
		{"联系电话", gd.Phone}, {"传真", gd.Fax}, {"互联网联系方式", gd.Email},
	} {
		if f.value != "" {
			b.WriteString(f.label + "：" + f.value + "\n")
		}
	}
	at := gd.UpdatedAt
	return search.Doc{
		ID: GuideID(g.Site.ID), Kind: search.KindGuide, SiteIDs: []int64{g.Site.ID},
		OrgCode: g.Site.OrgCode, OrgPath: g.OrgPath, OrgName: g.OrgName, Columns: []string{strconv.FormatInt(g.ColumnID, 10)},
		Title: g.OrgName + "政府信息公开指南", Keywords: "政府信息公开指南 依申请公开", Summary: "本机关政府信息公开的分类、编排体系、获取方式和工作机构。",
		Body: b.String(), PublishedAt: at, Year: yearOf(at), URL: g.Path,
	}
}

func yearOf(t time.Time) int {
	if t.IsZero() {
		return 0
	}
	return t.In(gongkai.Shanghai).Year()
}

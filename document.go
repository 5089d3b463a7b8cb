package gongkai

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// DocumentStatus is where a Document's working copy stands in the 三审
// workflow. A published document being revised is draft, in_review or
// scheduled again while its public version stays on the portal; Live says
// whether a public version exists.
type DocumentStatus string

// The statuses, as the API sends them.
const (
	DocumentDraft     DocumentStatus = "draft"
	DocumentInReview  DocumentStatus = "in_review"
	DocumentScheduled DocumentStatus = "scheduled"
	DocumentPublished DocumentStatus = "published"
	DocumentWithdrawn DocumentStatus = "withdrawn"
)

// DocumentStatuses lists the statuses in workflow order.
var DocumentStatuses = []DocumentStatus{DocumentDraft, DocumentInReview, DocumentScheduled, DocumentPublished, DocumentWithdrawn}

// Label is the Chinese name of the status.
func (s DocumentStatus) Label() string {
	switch s {
	case DocumentDraft:
		return "草稿"
	case DocumentInReview:
		return "审核中"
	case DocumentScheduled:
		return "待发布"
	case DocumentPublished:
		return "已发布"
	case DocumentWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// WithdrawMode says how a published document leaves the portal.
type WithdrawMode string

// The two ways to withdraw. A withdrawn page stays, with a banner and the
// public reason, so links and citations still resolve; a document published
// in error answers 410 Gone.
const (
	WithdrawNormal    WithdrawMode = "withdrawn"
	WithdrawErroneous WithdrawMode = "erroneous"
)

// Label is the Chinese name of the mode.
func (m WithdrawMode) Label() string {
	switch m {
	case WithdrawNormal:
		return "撤回"
	case WithdrawErroneous:
		return "错误发布"
	}
	return string(m)
}

// Withdrawal records that and why a document left the portal.
type Withdrawal struct {
	Mode   WithdrawMode `json:"mode"`
	Reason string       `json:"reason"`
	At     time.Time    `json:"at"`
}

// ReviewDecision is a reviewer's answer at one level of the 三审.
type ReviewDecision string

// The two decisions.
const (
	Approve ReviewDecision = "approve"
	Reject  ReviewDecision = "reject"
)

// MaxReviewLevels is the most levels of review an org may require (初审,
// 复审, 终审); DefaultReviewLevels is what an org gets unless its admin
// changes it.
const (
	MaxReviewLevels     = 3
	DefaultReviewLevels = 3
)

// ReviewLevelLabel names the level of review: 初审, 复审, 终审 when an org
// uses all three; with fewer levels the last one is still the final one.
func ReviewLevelLabel(level, levels int) string {
	if level == levels {
		return "终审"
	}
	switch level {
	case 1:
		return "初审"
	case 2:
		return "复审"
	}
	return "第" + strconv.Itoa(level) + "级审核"
}

// Attachment is a file attached to a document. The content lives in the
// blob store under its SHA-256; Type and MIME come from sniffing the
// content, never from the name.
type Attachment struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	MIME   string `json:"mime"`
	// Type is the Chinese name of the format, e.g. "PDF 文档".
	Type string `json:"type"`
	// URL is set by the web layer.
	URL string `json:"url,omitempty"`
}

// Document is a piece of government information (政府信息) with the
// catalogue metadata the 条例 and the 政府网站发展指引 require. Codes are
// stored for the vocabularies (Genre, Topic, Disclosure, Validity are the
// codes of internal/taxonomy), so labels can be shown in any form.
//
// The fields describe the working copy. Once published, a document also
// has a public version (PublicDocument) which changes only when a revision
// passes review again.
type Document struct {
	ID      int64  `json:"id"`
	OrgID   int64  `json:"-"`
	OrgCode string `json:"org"`
	OrgName string `json:"orgName"`
	SiteID  int64  `json:"-"`

	Status DocumentStatus `json:"status"`
	// ReviewLevel is the level awaiting a decision while Status is
	// in_review (1…ReviewLevels), else 0.
	ReviewLevel  int `json:"reviewLevel"`
	ReviewLevels int `json:"reviewLevels"`
	// Round counts submissions; approvals count within one round.
	Round int `json:"-"`

	Title    string   `json:"title"`
	Body     string   `json:"body"`
	Summary  string   `json:"summary"`  // 内容概述
	Keywords []string `json:"keywords"` // 关键词
	// Issuers are the 发文机关, several for a joint document; the first is
	// the lead organ. Empty means the publishing org itself.
	Issuers  []string `json:"issuers"`
	DocNo    string   `json:"docNo"`    // 发文字号
	Genre    string   `json:"genre"`    // 公文种类 code
	Topic    string   `json:"topic"`    // 主题分类 code
	SignedOn Date     `json:"signedOn"` // 成文日期
	// FormedOn is the 形成/变更日期 from which 条例 Art. 26's 20 working
	// days run; it defaults to SignedOn.
	FormedOn         Date   `json:"formedOn"`
	Disclosure       string `json:"disclosure"` // 公开属性 code
	DisclosureReason string `json:"disclosureReason"`
	Validity         string `json:"validity"` // 有效性 code
	// ValidityOn is when the validity last changed (废止日期, 失效日期 …).
	ValidityOn Date `json:"validityOn"`
	// EffectiveOn is the 施行日期 and ValidUntil the last day of the
	// 有效期 (inclusive); both optional. A document still 有效 whose
	// ValidUntil has passed becomes 失效 the day after (ApplyTerm).
	EffectiveOn Date `json:"effectiveOn"`
	ValidUntil  Date `json:"validUntil"`
	// ReplacedBy is the document that repealed or amended this one.
	ReplacedBy int64 `json:"replacedBy,omitempty"`
	// Columns are the slugs of the site columns the document is listed in.
	Columns []string `json:"columns"`
	// Interprets lists the policies this document is a 解读 of; Repeals and
	// Amends the documents it repeals or amends when it is published.
	Interprets []int64 `json:"interprets"`
	Repeals    []int64 `json:"repeals"`
	Amends     []int64 `json:"amends"`
	// PublishAt asks for a scheduled publication; zero means as soon as the
	// last level approves.
	PublishAt time.Time `json:"publishAt,omitzero"`
	// RevisionNote explains a revision of a published document; it is shown
	// in the public change history.
	RevisionNote string       `json:"revisionNote"`
	Attachments  []Attachment `json:"attachments"`

	// RequiredDisclosure marks information whose publication with personal
	// data the law requires (惩戒公示, 行政处罚决定 …): the content checks
	// then report personal data as warnings, with the reason recorded.
	RequiredDisclosure       bool   `json:"requiredDisclosure"`
	RequiredDisclosureReason string `json:"requiredDisclosureReason"`

	// Set at first publication and never changed.
	IndexNo     string    `json:"indexNo,omitempty"`
	PublishedAt time.Time `json:"publishedAt,omitzero"`
	// Version counts publications: 1 after the first, 2 after a revision …
	Version    int         `json:"version"`
	Live       bool        `json:"live"` // a public version exists (published or withdrawn with its page kept)
	Withdrawal *Withdrawal `json:"withdrawal,omitempty"`
	// URL is the path of the public page once there is one; the web layer
	// makes it absolute.
	URL string `json:"url,omitempty"`

	CreatedBy     int64     `json:"createdBy"`
	CreatedByName string    `json:"createdByName"`
	SubmittedBy   int64     `json:"-"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`

	// Warnings tell the editor what saving changed, such as unsafe content
	// removed from the body. They are not stored.
	Warnings []string `json:"warnings,omitempty"`
}

// DocumentPath is the public page of a document on its site.
func DocumentPath(id int64) string { return "/xxgk/wj/" + strconv.FormatInt(id, 10) + ".html" }

// DocumentUpdate changes a document's working copy; nil fields are left as
// they are. A zero date or an empty list clears the field.
type DocumentUpdate struct {
	Title, Body, Summary, DocNo, Genre, Topic, Disclosure, DisclosureReason, Validity, RevisionNote *string
	Keywords, Issuers, Columns                                                                      *[]string
	SignedOn, FormedOn, ValidityOn, EffectiveOn, ValidUntil                                         *Date
	Interprets, Repeals, Amends                                                                     *[]int64
	// PublishAt: a pointer to the zero time clears the schedule.
	PublishAt *time.Time
	// RequiredDisclosure and its reason: see Document.
	RequiredDisclosure       *bool
	RequiredDisclosureReason *string
}

// DocumentFilter selects documents in the staff workspace. Nil fields do
// not filter. Results are limited to the orgs the actor works in or
// supervises.
type DocumentFilter struct {
	OrgID     *int64
	Within    *int64 // the subtree of this org
	Status    *DocumentStatus
	CreatedBy *int64
	// ReviewQueue selects documents waiting at a level the actor reviews.
	ReviewQueue bool
	Column      *string // slug
	Topic       *string // code; a top-level code matches its sub-levels
	Genre       *string
	Issuer      *string
	Year        *int // year of first publication
	Validity    *string
	Query       *string // words in the title or 发文字号
	Offset      int
	Limit       int
}

// ReviewEvent is one step in a document's review history: a submission, an
// approval or rejection at a level, a publication, a withdrawal.
type ReviewEvent struct {
	Round     int       `json:"round"`
	Level     int       `json:"level,omitempty"`
	Action    string    `json:"action"` // submit, approve, reject, schedule, publish, unschedule, withdraw, expire
	Comment   string    `json:"comment,omitempty"`
	ActorID   int64     `json:"actorId,omitempty"`
	ActorName string    `json:"actorName"`
	At        time.Time `json:"at"`
}

// ActionLabel is the Chinese name of the event's action.
func (e ReviewEvent) ActionLabel() string {
	switch e.Action {
	case "submit":
		return "提交审核"
	case "approve":
		return "审核通过"
	case "reject":
		return "退回修改"
	case "schedule":
		return "定时发布"
	case "unschedule":
		return "取消定时发布"
	case "publish":
		return "发布"
	case "withdraw":
		return "撤回"
	case "import":
		return "导入"
	case "override":
		return "放行检查问题"
	case "accept_findings":
		return "确认复查问题"
	case "expire":
		return "有效期届满失效"
	}
	return e.Action
}

// DocumentVersion is one publication of a document: the public change
// history.
type DocumentVersion struct {
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"publishedAt"`
	Note        string    `json:"note"`
}

// DocumentHistory is what staff see of a document's past.
type DocumentHistory struct {
	Events   []ReviewEvent     `json:"events"`
	Versions []DocumentVersion `json:"versions"`
}

// DocumentSettings are an org's choices for its documents.
type DocumentSettings struct {
	OrgID        int64 `json:"orgId"`
	ReviewLevels int   `json:"reviewLevels"`
	// IndexNoTemplate is the 索引号 template (internal/indexno); empty
	// means the default.
	IndexNoTemplate string `json:"indexNoTemplate"`
}

// DocumentService is the staff side of documents: drafting, the 三审
// review, publication, withdrawal and revision.
type DocumentService interface {
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	FindDocuments(ctx context.Context, filter DocumentFilter) ([]*Document, int, error)
	// CreateDocument creates a draft in the org with the given code (the
	// actor's only editor org when empty).
	CreateDocument(ctx context.Context, orgCode string, upd DocumentUpdate) (*Document, error)
	// UpdateDocument changes a draft; on a published document it starts a
	// revision, leaving the public version as it is until the revision is
	// published.
	UpdateDocument(ctx context.Context, id int64, upd DocumentUpdate) (*Document, error)
	AddAttachment(ctx context.Context, id int64, a Attachment) (*Document, error)
	RemoveAttachment(ctx context.Context, id int64, sha256 string) (*Document, error)
	SubmitDocument(ctx context.Context, id int64) (*Document, error)
	ReviewDocument(ctx context.Context, id int64, decision ReviewDecision, comment string) (*Document, error)
	CancelSchedule(ctx context.Context, id int64) (*Document, error)
	WithdrawDocument(ctx context.Context, id int64, mode WithdrawMode, reason string) (*Document, error)
	FindDocumentHistory(ctx context.Context, id int64) (*DocumentHistory, error)
	FindDocumentSettings(ctx context.Context, orgID int64) (*DocumentSettings, error)
	UpdateDocumentSettings(ctx context.Context, s DocumentSettings) (*DocumentSettings, error)
	// FindTimeliness reports 条例 Art. 26 timeliness for the org (and its
	// subtree when subtree is true), one row per org.
	FindTimeliness(ctx context.Context, orgID int64, year int, subtree bool) ([]*Timeliness, error)
}

// DisclosureDeadline is the number of working days 条例 Art. 26 allows
// from the day information is formed or changed to its publication.
const DisclosureDeadline = 20

// DisclosureDue returns the last day on which information formed on formed
// is published in time: the 20th working day after it.
func DisclosureDue(cal Workdays, formed Date) (Date, error) {
	return cal.Add(formed, DisclosureDeadline)
}

// WorkdaysLeft returns the working days from today to due: positive when
// due is ahead (0 on the day itself), negative by the working days overdue.
func WorkdaysLeft(cal Workdays, today, due Date) (int, error) {
	if !today.After(due) {
		return cal.Between(today, due)
	}
	n, err := cal.Between(due, today)
	return -n, err
}

// Timeliness is one org's record for a year: of the 主动公开 documents
// first published that year, how many within 20 working days.
type Timeliness struct {
	Org       *Org `json:"org"`
	Year      int  `json:"year"`
	Published int  `json:"published"`
	OnTime    int  `json:"onTime"`
	Late      int  `json:"late"`
	// Unknown counts documents whose deadline cannot be computed (a
	// formation date in a year the calendar does not hold).
	Unknown int `json:"unknown"`
	// Pending counts unpublished 主动公开 documents; Overdue those already
	// past their deadline.
	Pending int `json:"pending"`
	Overdue int `json:"overdue"`
}

// Share returns the share published on time, in percent; 100 when nothing
// with a known deadline was published.
func (t *Timeliness) Share() float64 {
	n := t.OnTime + t.Late
	if n == 0 {
		return 100
	}
	return float64(t.OnTime) * 100 / float64(n)
}

// Column is a 栏目 of a site's column tree. Kind and the frequency come
// from internal/taxonomy; statutory columns are seeded for every site and
// cannot be removed.
type Column struct {
	ID         int64     `json:"id"`
	SiteID     int64     `json:"siteId"`
	ParentID   int64     `json:"parentId,omitempty"`
	Slug       string    `json:"slug"`
	Path       string    `json:"path"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Basis      string    `json:"basis,omitempty"` // the 条例 provisions it serves
	FreqWeeks  int       `json:"freqWeeks"`
	FreqMonths int       `json:"freqMonths"`
	Sort       int       `json:"sort"`
	Statutory  bool      `json:"statutory"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// Guide is a site's 政府信息公开指南: the items 条例 Art. 12 requires.
type Guide struct {
	SiteID int64 `json:"siteId"`
	// Classification, Arrangement and Access describe 政府信息的分类、编排体系
	// and 获取方式.
	Classification string    `json:"classification"`
	Arrangement    string    `json:"arrangement"`
	Access         string    `json:"access"`
	OfficeName     string    `json:"officeName"` // 政府信息公开工作机构
	Address        string    `json:"address"`
	Hours          string    `json:"hours"`
	Phone          string    `json:"phone"`
	Fax            string    `json:"fax"`
	Email          string    `json:"email"`
	UpdatedAt      time.Time `json:"updatedAt"`
	UpdatedBy      string    `json:"updatedBy"`
}

// DocumentLink is a related document as a page shows it.
type DocumentLink struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	IndexNo string `json:"indexNo"`
	URL     string `json:"url"`
	// Relation names the link from the page's point of view: interprets,
	// interpreted_by, repeals, repealed_by, amends, amended_by.
	Relation string `json:"relation"`
}

// RelationLabel is the Chinese heading of a relation.
func (l DocumentLink) RelationLabel() string {
	switch l.Relation {
	case "interprets":
		return "解读的政策"
	case "interpreted_by":
		return "政策解读"
	case "repeals":
		return "废止的文件"
	case "repealed_by":
		return "废止本文件的文件"
	case "amends":
		return "修订的文件"
	case "amended_by":
		return "修订后的文件"
	}
	return l.Relation
}

// PublicState is what the portal shows of a document.
type PublicState string

// The public states.
const (
	PublicPublished PublicState = "published"
	PublicWithdrawn PublicState = "withdrawn"
	PublicErroneous PublicState = "erroneous"
)

// PublicDocument is the version of a document the public sees.
type PublicDocument struct {
	ID         int64       `json:"-"`
	SiteID     int64       `json:"-"`
	OrgID      int64       `json:"-"`
	OrgCode    string      `json:"org"`
	OrgName    string      `json:"orgName"`
	State      PublicState `json:"state"`
	IndexNo    string      `json:"indexNo"`
	Title      string      `json:"title"`
	Body       string      `json:"body,omitempty"`
	Summary    string      `json:"summary"`
	Keywords   []string    `json:"keywords"`
	Issuers    []string    `json:"issuers"`
	DocNo      string      `json:"docNo"`
	Genre      string      `json:"genre"`
	Topic      string      `json:"topic"`
	SignedOn   Date        `json:"signedOn"`
	Validity   string      `json:"validity"`
	ValidityOn Date        `json:"validityOn"`
	// EffectiveOn (施行日期) and ValidUntil (有效期至): see Document.
	EffectiveOn Date  `json:"effectiveOn"`
	ValidUntil  Date  `json:"validUntil"`
	ReplacedBy  int64 `json:"-"`
	// PublishedAt is the 发布日期 (first publication); UpdatedAt the
	// publication of the current version.
	PublishedAt time.Time         `json:"publishedAt"`
	UpdatedAt   time.Time         `json:"updatedAt"`
	Version     int               `json:"version"`
	Columns     []int64           `json:"-"`
	Attachments []Attachment      `json:"attachments"`
	Withdrawal  *Withdrawal       `json:"withdrawal,omitempty"`
	Related     []DocumentLink    `json:"related,omitempty"`
	Versions    []DocumentVersion `json:"versions,omitempty"`
	URL         string            `json:"url"`
}

// PublicFilter selects published documents for portal lists, feeds and the
// public API. Withdrawn documents are never listed.
type PublicFilter struct {
	SiteID int64
	// ColumnIDs selects documents in any of these columns (a column and
	// its sub-columns).
	ColumnIDs []int64
	OrgID     *int64
	Topic     *string // a top-level code matches its sub-levels
	Genre     *string
	Issuer    *string
	Year      *int // of 发布日期
	Validity  *string
	Offset    int
	Limit     int
}

// PortalService serves the public side: columns, the guide and published
// documents, plus the admins' changes to columns and the guide.
type PortalService interface {
	FindColumns(ctx context.Context, siteID int64) ([]*Column, error)
	CreateColumn(ctx context.Context, c *Column) error
	UpdateColumn(ctx context.Context, id int64, name string, freqWeeks, freqMonths int) (*Column, error)
	// MoveColumn moves a column up (delta < 0) or down among its siblings.
	MoveColumn(ctx context.Context, id int64, delta int) error
	DeleteColumn(ctx context.Context, id int64) error
	FindGuide(ctx context.Context, siteID int64) (*Guide, error)
	UpdateGuide(ctx context.Context, g *Guide) error
	// FindPublicDocument returns a document's public version with its
	// related documents and change history. Documents never published, and
	// those of other sites, are ENOTFOUND; documents published in error are
	// EGONE.
	FindPublicDocument(ctx context.Context, siteID, id int64) (*PublicDocument, error)
	FindPublicDocumentByIndexNo(ctx context.Context, indexNo string) (*PublicDocument, error)
	FindPublicDocuments(ctx context.Context, f PublicFilter) ([]*PublicDocument, int, error)
	// PublicChangedAt returns when anything the portal shows last changed,
	// for Last-Modified and cache invalidation across nodes.
	PublicChangedAt(ctx context.Context) (int64, time.Time, error)
}

// DocRef names a document in input: by id (a JSON number) or by 索引号 (a
// JSON string), since an import file cannot know the ids a database will
// give.
type DocRef struct {
	ID      int64
	IndexNo string
}

// UnmarshalJSON accepts 12 or "11369900MB0000022X/2024-00001".
func (r *DocRef) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			r.ID = id
			return nil
		}
		r.IndexNo = s
		return nil
	}
	return json.Unmarshal(b, &r.ID)
}

// MarshalJSON writes the id when there is one, else the 索引号.
func (r DocRef) MarshalJSON() ([]byte, error) {
	if r.ID != 0 || r.IndexNo == "" {
		return json.Marshal(r.ID)
	}
	return json.Marshal(r.IndexNo)
}

// DocumentInput is a document as API clients and import files write it.
// Vocabulary fields take a code or the Chinese label (genre "tongzhi" or
// "通知", topic "0201" or "综合政务\政务公开"); columns take a slug, a path
// or a name. Absent fields are left alone by PATCH. PublishedAt and IndexNo
// exist only for importing archives that were published elsewhere.
type DocumentInput struct {
	Org              *string   `json:"org,omitempty"`
	Title            *string   `json:"title,omitempty"`
	Body             *string   `json:"body,omitempty"`
	Summary          *string   `json:"summary,omitempty"`
	Keywords         *[]string `json:"keywords,omitempty"`
	Issuers          *[]string `json:"issuers,omitempty"`
	DocNo            *string   `json:"docNo,omitempty"`
	Genre            *string   `json:"genre,omitempty"`
	Topic            *string   `json:"topic,omitempty"`
	SignedOn         *Date     `json:"signedOn,omitempty"`
	FormedOn         *Date     `json:"formedOn,omitempty"`
	Disclosure       *string   `json:"disclosure,omitempty"`
	DisclosureReason *string   `json:"disclosureReason,omitempty"`
	Validity         *string   `json:"validity,omitempty"`
	ValidityOn       *Date     `json:"validityOn,omitempty"`
	EffectiveOn      *Date     `json:"effectiveOn,omitempty"`
	ValidUntil       *Date     `json:"validUntil,omitempty"`
	Columns          *[]string `json:"columns,omitempty"`
	Interprets       *[]DocRef `json:"interprets,omitempty"`
	Repeals          *[]DocRef `json:"repeals,omitempty"`
	Amends           *[]DocRef `json:"amends,omitempty"`
	// PublishAt is an RFC 3339 instant; "" clears the schedule.
	PublishAt    *string    `json:"publishAt,omitempty"`
	RevisionNote *string    `json:"revisionNote,omitempty"`
	PublishedAt  *time.Time `json:"publishedAt,omitempty"`
	IndexNo      *string    `json:"indexNo,omitempty"`
	// RequiredDisclosure and RequiredDisclosureReason: see Document.
	RequiredDisclosure       *bool   `json:"requiredDisclosure,omitempty"`
	RequiredDisclosureReason *string `json:"requiredDisclosureReason,omitempty"`
}

// Update turns the input into a DocumentUpdate. resolve maps a reference
// by 索引号 to an id; it is not called for references by id.
func (in *DocumentInput) Update(resolve func(indexNo string) (int64, error)) (DocumentUpdate, error) {
	u := DocumentUpdate{Title: in.Title, Body: in.Body, Summary: in.Summary, DocNo: in.DocNo, Genre: in.Genre, Topic: in.Topic,
		Disclosure: in.Disclosure, DisclosureReason: in.DisclosureReason, Validity: in.Validity, RevisionNote: in.RevisionNote,
		Keywords: in.Keywords, Issuers: in.Issuers, Columns: in.Columns, SignedOn: in.SignedOn, FormedOn: in.FormedOn, ValidityOn: in.ValidityOn,
		EffectiveOn: in.EffectiveOn, ValidUntil: in.ValidUntil,
		RequiredDisclosure: in.RequiredDisclosure, RequiredDisclosureReason: in.RequiredDisclosureReason}
	var p Problems
	for _, rel := range []struct {
		name string
		src  *[]DocRef
		dst  **[]int64
	}{{"interprets", in.Interprets, &u.Interprets}, {"repeals", in.Repeals, &u.Repeals}, {"amends", in.Amends, &u.Amends}} {
		if rel.src == nil {
			continue
		}
		ids := []int64{}
		for _, r := range *rel.src {
			if r.ID == 0 && r.IndexNo != "" {
				id, err := resolve(r.IndexNo)
				if err != nil {
					p.Add(rel.name, "关联的文件“"+r.IndexNo+"”不存在或尚未公开。")
					continue
				}
				r.ID = id
			}
			ids = append(ids, r.ID)
		}
		*rel.dst = &ids
	}
	if in.PublishAt != nil {
		var t time.Time
		if *in.PublishAt != "" {
			var err error
			if t, err = time.Parse(time.RFC3339, *in.PublishAt); err != nil {
				p.Add("publishAt", "定时发布时间格式应为 RFC 3339，例如 2026-03-01T09:00:00+08:00。")
			}
		}
		u.PublishAt = &t
	}
	return u, p.Err()
}

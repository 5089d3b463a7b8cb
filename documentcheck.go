package gongkai

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The content checks in the 三审 review (零差错, issue 7). The rules live in
// internal/check; this file holds what the rest of gongkai sees of them: a
// stored run of the checks on a document version, its findings, the final
// reviewer's override, and the service that reads and acts on them.

// CheckSeverity is how serious a content-check finding is.
type CheckSeverity string

// The severities, as internal/check names them. A block finding must be
// fixed, or overridden with a written reason by the last reviewer, before
// the document is published.
const (
	CheckBlock CheckSeverity = "block"
	CheckWarn  CheckSeverity = "warn"
	CheckInfo  CheckSeverity = "info"
)

// Label is the Chinese name of the severity.
func (s CheckSeverity) Label() string {
	switch s {
	case CheckBlock:
		return "须修改"
	case CheckWarn:
		return "提示"
	case CheckInfo:
		return "信息"
	}
	return string(s)
}

// CheckStage says when a document was checked.
type CheckStage string

// The stages. Draft checks are run for the editor's screen and never
// stored.
const (
	CheckAtSubmit  CheckStage = "submit"  // the editor submitted it for review
	CheckAtReview  CheckStage = "review"  // a reviewer approved it at Level
	CheckAtRecheck CheckStage = "recheck" // a published version, after the dictionaries or lists changed
	CheckAtDraft   CheckStage = "draft"   // the working copy as it stands, not stored
)

// Label is the Chinese name of the stage.
func (s CheckStage) Label() string {
	switch s {
	case CheckAtSubmit:
		return "提交审核时检查"
	case CheckAtReview:
		return "审核时检查"
	case CheckAtRecheck:
		return "发布后复查"
	case CheckAtDraft:
		return "当前稿件检查"
	}
	return string(s)
}

// CheckFinding is one problem the content checks found in a document.
// Start and End are byte offsets in the text of Source: for the body ("")
// the text of the body HTML as internal/extract.HTMLText gives it, for an
// attachment its extracted text. Line and Col (1-based, Col in
// characters) are 0 for findings about metadata or links.
type CheckFinding struct {
	Rule       string        `json:"rule"`
	Severity   CheckSeverity `json:"severity"`
	Source     string        `json:"source"` // "" body, "title", "docNo", "field:<name>", "attachment:<file>", "link", "metadata"
	Start      int           `json:"start"`
	End        int           `json:"end"`
	Line       int           `json:"line"`
	Col        int           `json:"col"`
	Excerpt    string        `json:"excerpt"`
	Context    string        `json:"context,omitempty"`
	Message    string        `json:"message"`
	Suggestion string        `json:"suggestion,omitempty"`
	Reason     string        `json:"reason,omitempty"`
	// New marks, on a recheck of a published version, a finding that
	// version was not published (or later accepted) with.
	New bool `json:"new,omitempty"`
}

// Key identifies a finding among the checks of one document version: the
// text of a version does not change, so the same rule at the same place
// is the same finding whatever checker found it.
func (f CheckFinding) Key() string {
	return f.Rule + "|" + f.Source + "|" + strconv.Itoa(f.Start) + "|" + strconv.Itoa(f.End) + "|" + f.Excerpt
}

// PersonalData reports whether the finding is about personal data (an ID,
// phone or bank card number).
func (f CheckFinding) PersonalData() bool { return strings.HasPrefix(f.Rule, "pii.") }

// SafeExcerpt is the excerpt fit for the audit log and the review history:
// personal data is replaced by its masked form, so recording an override
// does not copy an ID number into records that are kept for ever.
func (f CheckFinding) SafeExcerpt() string {
	if !f.PersonalData() {
		return f.Excerpt
	}
	if f.Suggestion != "" {
		return f.Suggestion
	}
	return "（个人信息）"
}

// SourceLabel names the part of the document the finding is in.
func (f CheckFinding) SourceLabel() string {
	switch {
	case f.Source == "":
		return "正文"
	case f.Source == "title":
		return "标题"
	case f.Source == "docNo":
		return "发文字号"
	case f.Source == "link":
		return "正文链接"
	case f.Source == "metadata":
		return "目录信息"
	case strings.HasPrefix(f.Source, "field:"):
		return strings.TrimPrefix(f.Source, "field:")
	case strings.HasPrefix(f.Source, "attachment:"):
		return "附件“" + strings.TrimPrefix(f.Source, "attachment:") + "”"
	}
	return f.Source
}

// Place says where the finding is, in words: "正文第3行第5字".
func (f CheckFinding) Place() string {
	if f.Line > 0 {
		return f.SourceLabel() + "第" + strconv.Itoa(f.Line) + "行第" + strconv.Itoa(f.Col) + "字"
	}
	return f.SourceLabel()
}

// CheckOverride records a written decision to let findings stand: the
// final reviewer publishing despite block findings, or staff accepting
// the new findings of a recheck of a published version.
type CheckOverride struct {
	Reason    string    `json:"reason"`
	ActorID   int64     `json:"actorId,omitempty"`
	ActorName string    `json:"actorName"`
	At        time.Time `json:"at"`
}

// DocumentCheck is one run of the content checks on one version of a
// document, stored with the step it belongs to (a submission, an approval,
// a recheck), so reviewers see what was checked, with which dictionaries
// and lists (Fingerprint) and when.
type DocumentCheck struct {
	ID         int64 `json:"id"`
	DocumentID int64 `json:"documentId"`
	// Version is the public version checked (rechecks) or the one the
	// review leads to (1 for a first publication).
	Version int        `json:"version"`
	Round   int        `json:"round"`
	Stage   CheckStage `json:"stage"`
	// Level is the review level approved (stage review).
	Level int `json:"level,omitempty"`
	// Fingerprint identifies the checker: engine, shipped dictionary and
	// the site's lists (internal/check Checker.Fingerprint).
	Fingerprint       string `json:"fingerprint"`
	DictionaryVersion string `json:"dictionaryVersion"`
	// RequiredDisclosure and its reason were in force for the check: PII
	// findings were warnings.
	RequiredDisclosure       bool   `json:"requiredDisclosure"`
	RequiredDisclosureReason string `json:"requiredDisclosureReason,omitempty"`
	// BodyHash identifies the body the offsets refer to (BodyHash).
	BodyHash  string         `json:"bodyHash"`
	CheckedAt time.Time      `json:"checkedAt"`
	CheckedBy string         `json:"checkedBy"`
	Findings  []CheckFinding `json:"findings"`
	// Accepted is true when the version was published with these findings
	// (the final approval) or staff accepted them after a recheck.
	Accepted bool           `json:"accepted"`
	Override *CheckOverride `json:"override,omitempty"`
}

// Count returns the number of findings of a severity.
func (c *DocumentCheck) Count(s CheckSeverity) int {
	n := 0
	for _, f := range c.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// BlockingDigest identifies the set of block findings, so a reviewer's
// override applies to the findings they saw and no others.
func (c *DocumentCheck) BlockingDigest() string { return FindingsDigest(c.Blocking()) }

// FindingsDigest identifies a set of findings, whatever their order.
func FindingsDigest(fs []CheckFinding) string {
	keys := make([]string, 0, len(fs))
	for _, f := range fs {
		keys = append(keys, f.Key())
	}
	slices.Sort(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// BodyHash identifies a body (HTML): findings in the body have offsets in
// its text, so they can be marked only on the body that was checked.
func BodyHash(bodyHTML string) string {
	sum := sha256.Sum256([]byte(bodyHTML))
	return hex.EncodeToString(sum[:8])
}

// Blocking returns the block findings.
func (c *DocumentCheck) Blocking() []CheckFinding {
	var out []CheckFinding
	for _, f := range c.Findings {
		if f.Severity == CheckBlock {
			out = append(out, f)
		}
	}
	return out
}

// NewFindings returns the findings marked new.
func (c *DocumentCheck) NewFindings() []CheckFinding {
	var out []CheckFinding
	for _, f := range c.Findings {
		if f.New {
			out = append(out, f)
		}
	}
	return out
}

// Open reports whether a recheck found something the published version
// was not accepted with, and nobody has accepted it since.
func (c *DocumentCheck) Open() bool {
	return c.Stage == CheckAtRecheck && !c.Accepted && len(c.NewFindings()) > 0
}

// Review is a reviewer's decision at the level a document waits at.
type Review struct {
	Decision ReviewDecision `json:"decision"`
	Comment  string         `json:"comment"`
	// Override is the final reviewer's written reason for publishing
	// despite block findings; it is ignored at earlier levels and when
	// there are none.
	Override string `json:"override"`
	// Seen is the BlockingDigest of the findings the reviewer was shown.
	// When set, an override is refused if the checks now find a different
	// set of block findings (a list changed in between).
	Seen string `json:"seen"`
}

// OpenFindings is a published document whose latest recheck found
// something new.
type OpenFindings struct {
	Document *Document      `json:"document"`
	Check    *DocumentCheck `json:"check"`
}

// OpenFindingsFilter selects published documents with open findings among
// those the actor may see (their orgs; supervisors and admins their
// subtrees).
type OpenFindingsFilter struct {
	OrgID  *int64
	Offset int
	Limit  int
}

// DocumentCheckService runs and keeps the content checks of documents.
type DocumentCheckService interface {
	// RunDocumentCheck checks the working copy as it stands and returns
	// the result without storing it (the editor's view of a draft).
	RunDocumentCheck(ctx context.Context, id int64) (*DocumentCheck, error)
	// FindDocumentChecks returns the stored checks of a document, newest
	// first.
	FindDocumentChecks(ctx context.Context, id int64) ([]*DocumentCheck, error)
	// DecideReview is ReviewDocument with the final reviewer's override of
	// block findings.
	DecideReview(ctx context.Context, id int64, r Review) (*Document, error)
	// AcceptFindings records, with a written reason, that the open
	// findings of a published document need no change. checkID names the
	// recheck the actor saw (0: the latest); a newer one is refused.
	AcceptFindings(ctx context.Context, id, checkID int64, reason string) (*DocumentCheck, error)
	FindOpenFindings(ctx context.Context, f OpenFindingsFilter) ([]*OpenFindings, int, error)
}

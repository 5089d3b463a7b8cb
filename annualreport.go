package gongkai

import "time"

// AnnualReport is what gongkai keeps about one org's 政府信息公开工作年度报告
// for one year (条例 Art. 49–50): the figures and prose staff entered, the
// report's document in the 政府信息公开年报 column and when it was
// submitted, published or imported. The tables are not stored: they are
// compiled from the data each time (internal/annualreport), and a published
// report is kept as a frozen snapshot beside this record.
type AnnualReport struct {
	Org  *Org `json:"org"`
	Year int  `json:"year"`
	// Deadline is the last day the report may be published: 31 January for
	// a department, 31 March for a government, of the next year.
	Deadline Date `json:"deadline"`

	// The table 二 figures kept in other systems, as last saved; nil is a
	// figure not entered yet. Fees is in hundredths of 万元.
	Licensing   *int64 `json:"licensing"`
	Penalty     *int64 `json:"penalty"`
	Enforcement *int64 `json:"enforcement"`
	Fees        *int64 `json:"fees"`
	// The prose of sections 一、五、六 as saved; "" means the draft computed
	// from the data is used.
	Overview     string `json:"overview"`
	Shortcomings string `json:"shortcomings"`
	Other        string `json:"other"`

	// DocumentID is the report's document (0 before the first submission);
	// DocumentStatus is its place in the 三审 review.
	DocumentID     int64          `json:"documentId,omitempty"`
	DocumentStatus DocumentStatus `json:"documentStatus,omitempty"`
	// Live is true while the document's public page exists.
	Live bool `json:"live"`
	// SubmittedAt is when the report was last sent for review; PublishedAt
	// when the snapshot now published was frozen (the final approval);
	// FirstPublishedAt the document's first publication, which decides
	// whether the report was on time.
	SubmittedAt      time.Time `json:"submittedAt,omitzero"`
	PublishedAt      time.Time `json:"publishedAt,omitzero"`
	FirstPublishedAt time.Time `json:"firstPublishedAt,omitzero"`
	// ImportedAt is set when an earlier year's report was imported as
	// history (for year-on-year comparison).
	ImportedAt time.Time `json:"importedAt,omitzero"`
	UpdatedAt  time.Time `json:"updatedAt,omitzero"`
	UpdatedBy  string    `json:"updatedBy,omitempty"`
}

// Published reports whether a snapshot of the report has been published
// through the review.
func (r *AnnualReport) Published() bool { return !r.PublishedAt.IsZero() }

// OnTime reports whether the report was first published by its deadline.
func (r *AnnualReport) OnTime() bool {
	return !r.FirstPublishedAt.IsZero() && !DateOf(r.FirstPublishedAt).After(r.Deadline)
}

// AnnualReportUpdate is what staff type on the report screen. Figures are
// text as typed (full-width digits and thousands separators are accepted;
// "" clears a figure); nil fields are left as they are. Prose equal to the
// computed draft is stored as "", so it keeps following the data.
type AnnualReportUpdate struct {
	Licensing, Penalty, Enforcement, Fees *string
	Overview, Shortcomings, Other         *string
}

// AnnualReportState is where an org's report of a year stands, for the
// 政务公开办's overview.
type AnnualReportState string

// The states, from nothing to published.
const (
	ReportNotStarted AnnualReportState = "not_started" // nothing entered, no document
	ReportDrafting   AnnualReportState = "drafting"    // figures or prose saved, or the document is a draft
	ReportInReview   AnnualReportState = "in_review"   // the document is in the 三审 review (or scheduled)
	ReportPublished  AnnualReportState = "published"   // on the portal
	ReportWithdrawn  AnnualReportState = "withdrawn"   // published, then withdrawn
	ReportImported   AnnualReportState = "imported"    // published elsewhere, imported as history
	// ReportNoData: a year before the org's data on the platform, with no
	// report imported; it can be neither compiled nor reminded about.
	ReportNoData AnnualReportState = "no_data"
)

// Label is the Chinese name of the state.
func (s AnnualReportState) Label() string {
	switch s {
	case ReportNotStarted:
		return "未编制"
	case ReportDrafting:
		return "编制中"
	case ReportInReview:
		return "审核中"
	case ReportPublished:
		return "已发布"
	case ReportWithdrawn:
		return "已撤回"
	case ReportImported:
		return "已导入（历史报告）"
	case ReportNoData:
		return "无本平台数据（可导入历史报告）"
	}
	return string(s)
}

// AnnualReportProgress is one org's line on the 政务公开办's overview: has
// its report for the year been published, and on time?
type AnnualReportProgress struct {
	Org      *Org              `json:"org"`
	Year     int               `json:"year"`
	Deadline Date              `json:"deadline"`
	State    AnnualReportState `json:"state"`
	// FirstPublishedAt is the first publication of the report's document.
	FirstPublishedAt time.Time `json:"firstPublishedAt,omitzero"`
	DocumentID       int64     `json:"documentId,omitempty"`
	// DaysLeft counts calendar days from today to the deadline: negative
	// once it has passed.
	DaysLeft int `json:"daysLeft"`
}

// OnTime reports whether the report was published by the deadline.
func (p *AnnualReportProgress) OnTime() bool {
	return !p.FirstPublishedAt.IsZero() && !DateOf(p.FirstPublishedAt).After(p.Deadline)
}

// DaysOverdue is how many days the deadline has passed (0 before it).
func (p *AnnualReportProgress) DaysOverdue() int { return max(0, -p.DaysLeft) }

// Overdue reports whether the deadline has passed without publication.
func (p *AnnualReportProgress) Overdue() bool {
	return p.FirstPublishedAt.IsZero() && p.DaysLeft < 0
}

// ReportReminderDays is how many days before its deadline an unpublished
// report starts to be reminded of.
const ReportReminderDays = 15

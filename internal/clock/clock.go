// Package clock computes the statutory reply clock of an application for
// government information (依申请公开) from its ledger of events.
//
// The rules come from 《中华人民共和国政府信息公开条例》 (国务院令第711号):
// Art. 31 (the receipt date), Art. 30 (补正 restarts the period), Art. 32 and
// Art. 34 (time spent consulting a third party or a co-making organ is not
// counted, 15 working days each), Art. 33 (20 working days, one extension of
// at most 20 working days), and from 国办函〔2020〕109号 (the applicant has 20
// working days from the day after a fee notice to pay).
//
// The package is pure: it reads no clock and does no I/O. "Today" and the
// official calendar are passed in, so the same ledger always gives the same
// answer, and staff and applicants see the same explanation.
//
// Counting conventions, used throughout: cal.Add(d, n) is the n-th working day
// strictly after d, and cal.Between(a, b) counts the working days in (a, b].
// A reply period that starts on d therefore ends on cal.Add(d, 20), and a
// pause from s to e lasts cal.Between(s, e) working days.
package clock

import "gongkai"

// Statutory periods that are not settings: changing them would mean a new
// regulation, not a local policy.
const (
	// ReplyPeriod is the reply period of Art. 33, in working days.
	ReplyPeriod = 20
	// FeePaymentPeriod is how long an applicant has to pay after a fee
	// notice (国办函〔2020〕109号, as reproduced by the provinces), in working
	// days counted from the day after the notice.
	FeePaymentPeriod = 20
)

// EventKind names what happened to an application. The values are stored and
// travel in the API, so they never change.
type EventKind string

// The kinds of ledger events.
const (
	// SupplementRequested: the organ notified the applicant, once, of what to
	// correct and by when (补正, Art. 30). The clock stops.
	SupplementRequested EventKind = "supplement_requested"
	// SupplementReceived: the corrected application arrived; a new
	// 20-working-day period starts from that day.
	SupplementReceived EventKind = "supplement_received"
	// ThirdPartyConsulted: a written consultation was sent to a third party
	// whose rights disclosure could harm (Art. 32). The clock pauses.
	ThirdPartyConsulted EventKind = "third_party_consulted"
	// ThirdPartyReplied: the third party's opinion arrived.
	ThirdPartyReplied EventKind = "third_party_replied"
	// CoMakerConsulted: an organ that made the information jointly was
	// consulted (Art. 34). The clock pauses.
	CoMakerConsulted EventKind = "co_maker_consulted"
	// CoMakerReplied: the co-making organ answered.
	CoMakerReplied EventKind = "co_maker_replied"
	// Extended: the head of the disclosure office approved an extension and
	// the applicant was told (Art. 33 ¶2).
	Extended EventKind = "extended"
	// FeeNotified: a fee notice (收费通知) was issued.
	FeeNotified EventKind = "fee_notified"
	// FeePaid: the applicant paid the 信息处理费.
	FeePaid EventKind = "fee_paid"
	// Replied: the organ replied; the application is closed.
	Replied EventKind = "replied"
)

// EventKinds lists every kind, in the usual order of a case.
var EventKinds = []EventKind{
	SupplementRequested, SupplementReceived,
	ThirdPartyConsulted, ThirdPartyReplied, CoMakerConsulted, CoMakerReplied,
	Extended, FeeNotified, FeePaid, Replied,
}

// Valid reports whether k is one of the ledger event kinds.
func (k EventKind) Valid() bool {
	for _, x := range EventKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Event is one entry of an application's ledger. Every event carries the date
// it happened (On); the other fields are used by the kinds named in their
// comments and ignored otherwise.
type Event struct {
	Kind EventKind    `json:"kind"`
	On   gongkai.Date `json:"on"`

	// Items lists what the applicant must correct (supplement_requested).
	Items string `json:"items,omitempty"`
	// Deadline is the correction deadline given to the applicant
	// (supplement_requested). It must be after On.
	Deadline gongkai.Date `json:"deadline,omitzero"`

	// Party names the third party or co-making organ consulted
	// (third_party_* and co_maker_*). A reply is matched to the open
	// consultation of the same kind and party; an empty Party on a reply
	// matches when exactly one consultation of that kind is open.
	Party string `json:"party,omitempty"`

	// Days is the length of an extension in working days (extended).
	Days int `json:"days,omitempty"`
	// ApprovedBy is the name of the head of the disclosure office who
	// approved the extension (extended).
	ApprovedBy string `json:"approved_by,omitempty"`
	// NotifiedOn is the day the applicant was told of the extension
	// (extended); it must fall on or after On and on or before the due date.
	NotifiedOn gongkai.Date `json:"notified_on,omitzero"`

	// Outcome is how the application was closed (replied). Optional here;
	// when it is 其他处理 for a missing correction or an unpaid fee, the
	// matching deadline must have passed.
	Outcome gongkai.Outcome `json:"outcome,omitempty"`

	// OverrideBy and OverrideReason record an administrator's decision to
	// accept an event the rules would otherwise refuse: a 补正 notice after
	// the seventh working day, a correction received after its deadline
	// (the applicant's 正当理由), or a payment after the fee deadline. Both
	// are required for such an event and shown in the explanation.
	OverrideBy     string `json:"override_by,omitempty"`
	OverrideReason string `json:"override_reason,omitempty"`
}

// Settings are the local policy choices of the clock. Use DefaultSettings and
// change fields; the zero Settings is not valid.
type Settings struct {
	// PauseWhileFeeUnpaid stops the reply clock from a fee notice until
	// payment. Whether the national rule excludes this time is UNCONFIRMED
	// (statutes §1.5), so it is a setting; the default is true.
	PauseWhileFeeUnpaid bool `json:"pause_while_fee_unpaid"`
	// DueSoonDays: an application with this many working days left or fewer
	// is due_soon. Default 5.
	DueSoonDays int `json:"due_soon_days"`
	// SupplementWarnFrom: a 补正 notice on or after this working day after
	// receipt gets a warning. Default 5.
	SupplementWarnFrom int `json:"supplement_warn_from"`
	// SupplementLimit: the last working day after receipt on which a 补正
	// notice may go out (Art. 30: 7).
	SupplementLimit int `json:"supplement_limit"`
	// ConsultationMaxPause: a consultation pauses the clock for at most
	// this many working days (Art. 32, 34: 15).
	ConsultationMaxPause int `json:"consultation_max_pause"`
	// MaxExtension: the longest extension in working days (Art. 33: 20).
	MaxExtension int `json:"max_extension"`
}

// DefaultSettings returns the statutory values and the documented defaults.
func DefaultSettings() Settings {
	return Settings{
		PauseWhileFeeUnpaid:  true,
		DueSoonDays:          5,
		SupplementWarnFrom:   5,
		SupplementLimit:      7,
		ConsultationMaxPause: 15,
		MaxExtension:         20,
	}
}

// Validate reports settings that cannot be applied.
func (s Settings) Validate() error {
	var p gongkai.Problems
	if s.DueSoonDays < 0 {
		p.Add("due_soon_days", "临近到期提醒天数不能为负数。")
	}
	if s.SupplementLimit < 1 {
		p.Add("supplement_limit", "补正告知期限至少为1个工作日。")
	}
	if s.SupplementWarnFrom < 1 {
		p.Add("supplement_warn_from", "补正提醒起始日至少为第1个工作日。")
	}
	if s.ConsultationMaxPause < 1 {
		p.Add("consultation_max_pause", "征求意见期限至少为1个工作日。")
	}
	if s.MaxExtension < 0 {
		p.Add("max_extension", "延期上限不能为负数。")
	}
	return p.Err()
}

// Status is where an application stands on its clock.
type Status string

// The statuses, from the most to the least settled.
const (
	// StatusClosed: replied (or otherwise closed); nothing may follow.
	StatusClosed Status = "closed"
	// StatusAwaitingSupplement: waiting for the applicant's correction; the
	// clock is stopped and has no due date.
	StatusAwaitingSupplement Status = "awaiting_supplement"
	// StatusOverdue: today is after the due date.
	StatusOverdue Status = "overdue"
	// StatusAwaitingFee: a fee notice is unpaid.
	StatusAwaitingFee Status = "awaiting_fee"
	// StatusPaused: a consultation is open and pausing the clock.
	StatusPaused Status = "paused"
	// StatusDueSoon: DueSoonDays working days left or fewer.
	StatusDueSoon Status = "due_soon"
	// StatusOnTime: running, with time to spare.
	StatusOnTime Status = "on_time"
)

// LineKind says what an explanation line records: one of the EventKinds, or
// one of the lines the clock adds itself.
type LineKind string

// Explanation lines that do not come from a ledger event.
const (
	// LineReceived opens every explanation: the receipt and the first due date.
	LineReceived LineKind = "received"
	// LineConsultationLapsed: no answer within ConsultationMaxPause working
	// days, so the pause ended by itself.
	LineConsultationLapsed LineKind = "consultation_lapsed"
	// LineSupplementLapsed: the correction deadline passed without a
	// correction; the application should be closed as
	// gongkai.OutcomeOtherNoSupplement.
	LineSupplementLapsed LineKind = "supplement_lapsed"
	// LineFeeLapsed: the fee deadline passed unpaid; the application should
	// be closed as gongkai.OutcomeOtherFeeUnpaid.
	LineFeeLapsed LineKind = "fee_lapsed"
)

// Line is one sentence of the explanation, with the machine fields behind it
// so the API can return both.
type Line struct {
	// Event is the index in the ledger of the event the line is about: the
	// event itself, or for a lapse the event that started the wait. It is
	// -1 for the receipt line.
	Event int      `json:"event"`
	Kind  LineKind `json:"kind"`
	// On is the day the line happened (for a lapse, the last day of the
	// period that lapsed).
	On gongkai.Date `json:"on"`
	// OldDue and NewDue are the due date before and after the line; zero
	// while the clock is stopped for a correction.
	OldDue gongkai.Date `json:"old_due,omitzero"`
	NewDue gongkai.Date `json:"new_due,omitzero"`
	// PausedDays is how many working days this line added to the period
	// because of a pause (after removing days already counted by an
	// overlapping pause).
	PausedDays int `json:"paused_days,omitempty"`
	// Text is the sentence in plain Chinese.
	Text string `json:"text"`
}

// State is the clock of an application as of "today".
type State struct {
	Status Status `json:"status"`
	// DueOn is the last day to reply. While a pause is open it is the date
	// the period would end if the pause ended today. Zero while the clock is
	// stopped for a correction.
	DueOn gongkai.Date `json:"due_on,omitzero"`
	// DaysLeft is the number of working days after today up to and including
	// DueOn (0 on the due date itself). When overdue it is minus the working
	// days past DueOn, and at least -1 so that a weekend right after the due
	// date still reads as overdue. For a closed application it is counted
	// from the closing day. Zero when DueOn is zero.
	DaysLeft int `json:"days_left"`
	// Paused reports that the clock is not running today (a correction, an
	// open consultation, or an unpaid fee when that pauses the clock).
	Paused bool `json:"paused"`
	// PeriodStart is the day the current reply period is counted from: the
	// receipt date, or the day the last correction arrived.
	PeriodStart gongkai.Date `json:"period_start,omitzero"`
	// PausedDays is the number of working days pauses have added to the
	// current period (each day counted once).
	PausedDays int `json:"paused_days"`
	// ExtensionDays is the granted extension, 0 if none.
	ExtensionDays int `json:"extension_days"`
	// SupplementDeadline is the applicant's correction deadline while a
	// correction is awaited.
	SupplementDeadline gongkai.Date `json:"supplement_deadline,omitzero"`
	// FeeDeadline is the payment deadline while a fee notice is unpaid.
	FeeDeadline gongkai.Date `json:"fee_deadline,omitzero"`
	// OpenConsultations counts consultations sent and not answered.
	OpenConsultations int `json:"open_consultations"`
	// CloseAs is set when the application should now be closed without a
	// reply: gongkai.OutcomeOtherNoSupplement or gongkai.OutcomeOtherFeeUnpaid.
	// A job appends the closing Replied event.
	CloseAs gongkai.Outcome `json:"close_as,omitempty"`
	// CloseFrom is the first day the application may be closed as CloseAs
	// (the day after the lapsed deadline).
	CloseFrom gongkai.Date `json:"close_from,omitzero"`
	// ClosedOn is the day of the Replied event.
	ClosedOn gongkai.Date `json:"closed_on,omitzero"`
	// Late reports a reply made after DueOn.
	Late bool `json:"late"`
	// Explanation tells, line by line, how the due date came about.
	Explanation []Line `json:"explanation"`
}

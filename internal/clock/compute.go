package clock

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gongkai"
)

// Compute replays the ledger of an application received on receipt and
// returns its clock as of today. The ledger must be valid (each event would
// pass Validate against the events before it); the first invalid event is
// reported as a *gongkai.Error whose Field is "events[i].field". Errors of
// the calendar (a year it does not know) are returned wrapped.
func Compute(receipt gongkai.Date, events []Event, s Settings, cal gongkai.Workdays, today gongkai.Date) (State, error) {
	m, err := replay(receipt, events, s, cal, today)
	if err != nil {
		return State{}, err
	}
	return m.state()
}

// Validate reports whether next may be appended to the ledger today. A
// refusal is a *gongkai.Error naming the field of next at fault; warnings are
// Chinese sentences for the clerk (a 补正 notice late in its window, a reply
// after the due date, a consultation that can no longer extend the period…)
// that do not prevent recording the event.
func Validate(receipt gongkai.Date, events []Event, next Event, s Settings, cal gongkai.Workdays, today gongkai.Date) (warnings []string, err error) {
	m, err := replay(receipt, events, s, cal, today)
	if err != nil {
		return nil, err
	}
	warnings, err = m.apply(len(events), next)
	var r *refusal
	if errors.As(err, &r) {
		return nil, gongkai.FieldError(r.field, r.msg)
	}
	return warnings, err
}

// refusal is a rule violation by one event, before it is given its field
// path: Validate reports it as is, Compute prefixes the ledger position.
type refusal struct{ field, msg string }

func (r *refusal) Error() string { return r.field + ": " + r.msg }

func refuse(field, format string, args ...any) error {
	return &refusal{field: field, msg: fmt.Sprintf(format, args...)}
}

func replay(receipt gongkai.Date, events []Event, s Settings, cal gongkai.Workdays, today gongkai.Date) (*machine, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if !receipt.Valid() {
		return nil, gongkai.FieldError("receipt", "请填写有效的收到申请日期。")
	}
	if !today.Valid() || today.Before(receipt) {
		return nil, gongkai.FieldError("today", "当前日期不能早于收到申请之日。")
	}
	m := &machine{s: s, cal: cal, receipt: receipt, today: today, start: receipt, budget: ReplyPeriod, last: receipt}
	due, err := cal.Add(receipt, ReplyPeriod)
	if err != nil {
		return nil, fmt.Errorf("clock: first due date: %w", err)
	}
	m.due = due
	m.line(-1, LineReceived, receipt, due, due, 0,
		fmt.Sprintf("%s 收到申请：答复期限为收到申请之日起%d个工作日，至%s。", receipt.Chinese(), ReplyPeriod, due.Chinese()))
	for i, ev := range events {
		if _, err := m.apply(i, ev); err != nil {
			var r *refusal
			if errors.As(err, &r) {
				return nil, gongkai.FieldError(fmt.Sprintf("events[%d].%s", i, r.field), fmt.Sprintf("第%d条办理记录：%s", i+1, r.msg))
			}
			return nil, fmt.Errorf("clock: event %d: %w", i, err)
		}
	}
	return m, nil
}

// interval is the working days in (from, to].
type interval struct{ from, to gongkai.Date }

type pauseKind int

const (
	pauseThirdParty pauseKind = iota
	pauseCoMaker
	pauseFee
)

// pause is a consultation or a fee notice that stops the clock until it ends.
type pause struct {
	kind  pauseKind
	event int
	party string
	from  gongkai.Date
	// limit is the last day of the pause for a consultation (no answer by
	// then ends it), and the payment deadline for a fee notice.
	limit gongkai.Date
	// admitted is false for a pause that began after the due date had
	// passed: time cannot be given back to a period that already ended, so
	// such a pause never moves the due date.
	admitted bool
	// lapsed: the consultation's pause ended at limit without an answer, or
	// the fee deadline passed unpaid.
	lapsed bool
}

type supplementWait struct {
	event    int
	on       gongkai.Date
	deadline gongkai.Date
	lapsed   bool
}

// machine replays a ledger. The due date it keeps (due) counts only closed
// pauses, so each explanation line moves it by exactly what the line says;
// open pauses are added on top when a date is needed "as of" some day
// (projected).
type machine struct {
	s       Settings
	cal     gongkai.Workdays
	receipt gongkai.Date
	today   gongkai.Date

	start      gongkai.Date // the current period runs from the day after start
	restarted  bool         // start is a correction's arrival, not the receipt
	budget     int          // ReplyPeriod plus the extension
	extension  int
	extendedOn gongkai.Date
	due        gongkai.Date // zero while a correction is awaited
	counted    int          // working days in the union of closed, admitted pauses
	closedIvs  []interval   // those pauses

	consults []*pause // sent and not answered (a lapsed one may still be answered late)
	fee      *pause   // unpaid fee notice
	supp     *supplementWait

	last     gongkai.Date
	closedOn gongkai.Date
	late     bool

	lines []Line
}

func (m *machine) line(event int, kind LineKind, on, oldDue, newDue gongkai.Date, paused int, text string) {
	m.lines = append(m.lines, Line{Event: event, Kind: kind, On: on, OldDue: oldDue, NewDue: newDue, PausedDays: paused, Text: text})
}

// unionDays counts the working days covered by the intervals, each day once:
// overlapping consultations share the days they have in common.
func (m *machine) unionDays(ivs []interval) (int, error) {
	ivs = slices.Clone(ivs)
	slices.SortFunc(ivs, func(a, b interval) int { return a.from.Compare(b.from) })
	total := 0
	var cur interval
	have := false
	flush := func() error {
		if !have {
			return nil
		}
		n, err := m.cal.Between(cur.from, cur.to)
		total += n
		return err
	}
	for _, iv := range ivs {
		if !iv.from.Before(iv.to) {
			continue
		}
		// (a,b] and (c,d] with c ≤ b join into (a, max(b,d)].
		if have && !iv.from.After(cur.to) {
			if iv.to.After(cur.to) {
				cur.to = iv.to
			}
			continue
		}
		if err := flush(); err != nil {
			return 0, err
		}
		cur, have = iv, true
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return total, nil
}

// activeIntervals returns the closed pauses plus the admitted open ones
// counted through t.
func (m *machine) activeIntervals(t gongkai.Date) []interval {
	ivs := slices.Clone(m.closedIvs)
	for _, p := range m.consults {
		if p.admitted && !p.lapsed {
			ivs = append(ivs, interval{p.from, minDate(t, p.limit)})
		}
	}
	if m.fee != nil && m.fee.admitted {
		ivs = append(ivs, interval{m.fee.from, t})
	}
	return ivs
}

// projected returns the due date as it stands on day t if every open pause
// ended on t.
func (m *machine) projected(t gongkai.Date) (gongkai.Date, int, error) {
	n, err := m.unionDays(m.activeIntervals(t))
	if err != nil {
		return gongkai.Date{}, 0, err
	}
	d, err := m.cal.Add(m.start, m.budget+n)
	return d, n, err
}

// closePause ends an admitted pause on end and moves the due date by the
// working days it adds that no other closed pause already counted. It
// returns that increment and the pause's own length.
func (m *machine) closePause(p *pause, end gongkai.Date) (inc, span int, err error) {
	span, err = m.cal.Between(p.from, end)
	if err != nil || !p.admitted {
		return 0, span, err
	}
	m.closedIvs = append(m.closedIvs, interval{p.from, end})
	n, err := m.unionDays(m.closedIvs)
	if err != nil {
		return 0, span, err
	}
	inc = n - m.counted
	m.counted = n
	m.due, err = m.cal.Add(m.start, m.budget+m.counted)
	return inc, span, err
}

func minDate(a, b gongkai.Date) gongkai.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// advance lets the waits whose last day is before t lapse, in date order: an
// unanswered consultation stops pausing, a correction or payment deadline
// passes. A wait lapses at the end of its last day, so an event on that day
// still happens within it.
func (m *machine) advance(t gongkai.Date) error {
	for {
		var (
			when  gongkai.Date
			event = -1
			do    func() error
		)
		consider := func(d gongkai.Date, ev int, f func() error) {
			if !d.Before(t) {
				return
			}
			if do == nil || d.Before(when) || (d == when && ev < event) {
				when, event, do = d, ev, f
			}
		}
		for _, p := range m.consults {
			if !p.lapsed {
				consider(p.limit, p.event, func() error { return m.lapseConsultation(p) })
			}
		}
		if m.fee != nil && !m.fee.lapsed {
			consider(m.fee.limit, m.fee.event, m.lapseFee)
		}
		if m.supp != nil && !m.supp.lapsed {
			consider(m.supp.deadline, m.supp.event, m.lapseSupplement)
		}
		if do == nil {
			return nil
		}
		if err := do(); err != nil {
			return err
		}
	}
}

func (m *machine) lapseConsultation(p *pause) error {
	p.lapsed = true
	old := m.due
	inc, span, err := m.closePause(p, p.limit)
	if err != nil {
		return err
	}
	var who string
	if p.kind == pauseCoMaker {
		who = fmt.Sprintf("%s未在%d个工作日内答复，视为同意公开", party("共同制作机关", p.party), m.s.ConsultationMaxPause)
	} else {
		who = fmt.Sprintf("%s未在%d个工作日内提出意见，由本机关依照条例第三十二条决定是否公开", party("第三方", p.party), m.s.ConsultationMaxPause)
	}
	var effect string
	if p.admitted {
		effect = pauseEffect(span, inc, m.due)
	} else {
		effect = fmt.Sprintf("答复期限不变，仍为%s", m.due.Chinese())
	}
	m.line(p.event, LineConsultationLapsed, p.limit, old, m.due, inc,
		fmt.Sprintf("%s %s，征求意见暂停结束（%s发出征求意见书），%s。", p.limit.Chinese(), who, p.from.Chinese(), effect))
	return nil
}

func (m *machine) lapseFee() error {
	m.fee.lapsed = true
	m.line(m.fee.event, LineFeeLapsed, m.fee.limit, m.due, m.due, 0,
		fmt.Sprintf("%s 缴费期限届满，申请人未缴纳信息处理费，视为放弃申请，可以终止办理（办理结果：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请）。", m.fee.limit.Chinese()))
	return nil
}

func (m *machine) lapseSupplement() error {
	m.supp.lapsed = true
	m.line(m.supp.event, LineSupplementLapsed, m.supp.deadline, gongkai.Date{}, gongkai.Date{}, 0,
		fmt.Sprintf("%s 补正期限届满，申请人未补正，视为放弃申请，可以终止办理（办理结果：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请）。", m.supp.deadline.Chinese()))
	return nil
}

// pauseEffect words what closing a pause did to the due date, saying so
// when part of it overlapped another pause already counted.
func pauseEffect(span, inc int, due gongkai.Date) string {
	switch {
	case span == 0:
		return fmt.Sprintf("未占用工作日，答复期限仍为%s", due.Chinese())
	case inc == span:
		return fmt.Sprintf("暂停%d个工作日，答复期限顺延至%s", span, due.Chinese())
	case inc == 0:
		return fmt.Sprintf("共暂停%d个工作日，均与其他暂停期间重叠、已经顺延，答复期限仍为%s", span, due.Chinese())
	default:
		return fmt.Sprintf("共暂停%d个工作日，其中%d个工作日与其他暂停期间重叠、已经顺延，本次再顺延%d个工作日，答复期限顺延至%s", span, span-inc, inc, due.Chinese())
	}
}

// party names the consulted party, or just its role when no name was given.
func party(role, name string) string {
	if name == "" {
		return role
	}
	return role + "（" + name + "）"
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func (ev Event) overridden() bool { return !blank(ev.OverrideBy) && !blank(ev.OverrideReason) }

func (ev Event) overrideNote(what string) string {
	return fmt.Sprintf("%s，经%s同意：%s", what, strings.TrimSpace(ev.OverrideBy), strings.TrimRight(strings.TrimSpace(ev.OverrideReason), "。；;."))
}

// apply checks one event against the ledger so far and, if it is allowed,
// records it. Refusals are *refusal; other errors come from the calendar.
func (m *machine) apply(i int, ev Event) (warnings []string, err error) {
	switch {
	case !m.closedOn.IsZero():
		return nil, refuse("kind", "申请已于%s办结，不能再登记办理记录。", m.closedOn.Chinese())
	case !ev.Kind.Valid():
		return nil, refuse("kind", "办理记录类型无效。")
	case !ev.On.Valid():
		return nil, refuse("on", "请填写有效的日期。")
	case ev.On.Before(m.receipt):
		return nil, refuse("on", "日期不能早于收到申请之日（%s）。", m.receipt.Chinese())
	case ev.On.After(m.today):
		return nil, refuse("on", "日期不能晚于今天（%s）。", m.today.Chinese())
	case ev.On.Before(m.last):
		return nil, refuse("on", "日期不能早于上一条办理记录的日期（%s）。", m.last.Chinese())
	}
	if err := m.advance(ev.On); err != nil {
		return nil, err
	}
	switch ev.Kind {
	case SupplementRequested:
		warnings, err = m.supplementRequested(i, ev)
	case SupplementReceived:
		warnings, err = m.supplementReceived(i, ev)
	case ThirdPartyConsulted:
		warnings, err = m.consulted(i, ev, pauseThirdParty)
	case CoMakerConsulted:
		warnings, err = m.consulted(i, ev, pauseCoMaker)
	case ThirdPartyReplied:
		warnings, err = m.consultReplied(i, ev, pauseThirdParty)
	case CoMakerReplied:
		warnings, err = m.consultReplied(i, ev, pauseCoMaker)
	case Extended:
		warnings, err = m.extended(i, ev)
	case FeeNotified:
		warnings, err = m.feeNotified(i, ev)
	case FeePaid:
		warnings, err = m.feePaid(i, ev)
	case Replied:
		warnings, err = m.replied(i, ev)
	}
	if err != nil {
		return nil, err
	}
	m.last = ev.On
	return warnings, nil
}

func (m *machine) activeConsultation() bool {
	for _, p := range m.consults {
		if !p.lapsed {
			return true
		}
	}
	return false
}

func (m *machine) supplementRequested(i int, ev Event) ([]string, error) {
	switch {
	case m.supp != nil:
		return nil, refuse("kind", "已于%s通知补正，尚未收到补正后的申请。", m.supp.on.Chinese())
	case m.activeConsultation():
		return nil, refuse("kind", "征求意见期间不能通知补正。")
	case m.fee != nil:
		return nil, refuse("kind", "收费通知尚未缴费，不能通知补正。")
	case m.extension > 0:
		return nil, refuse("kind", "已延期的申请不能再通知补正。")
	case blank(ev.Items):
		return nil, refuse("items", "请填写需要补正的事项。")
	case !ev.Deadline.Valid():
		return nil, refuse("deadline", "请填写补正期限。")
	case !ev.Deadline.After(ev.On):
		return nil, refuse("deadline", "补正期限应晚于通知补正之日。")
	}
	n, err := m.cal.Between(m.start, ev.On)
	if err != nil {
		return nil, err
	}
	base := "收到申请后"
	if m.restarted {
		base = "收到补正后的申请后"
	}
	var warnings []string
	note := fmt.Sprintf("%s第%d个工作日", base, n)
	if n > m.s.SupplementLimit {
		if !ev.overridden() {
			return nil, refuse("override_reason", "补正通知应在%s%d个工作日内发出，%s已是第%d个工作日；确需补正的，须由管理员登记理由。", base, m.s.SupplementLimit, ev.On.Chinese(), n)
		}
		note = ev.overrideNote(fmt.Sprintf("%s，已超过%d个工作日", note, m.s.SupplementLimit))
	} else if n >= m.s.SupplementWarnFrom {
		warnings = append(warnings, fmt.Sprintf("%s已是%s第%d个工作日，补正通知最迟应在第%d个工作日发出。", ev.On.Chinese(), base, n, m.s.SupplementLimit))
	}
	if m.restarted {
		warnings = append(warnings, "条例第三十条要求一次性告知补正事项；再次补正仅适用于补正后申请内容仍不明确的情形。")
	}
	old := m.due
	m.supp = &supplementWait{event: i, on: ev.On, deadline: ev.Deadline}
	m.due = gongkai.Date{}
	items := strings.TrimRight(strings.TrimSpace(ev.Items), "。；;.")
	m.line(i, LineKind(ev.Kind), ev.On, old, gongkai.Date{}, 0,
		fmt.Sprintf("%s 一次性告知申请人补正（%s），补正事项：%s；补正期限至%s。答复期限停止计算，自收到补正后的申请之日起重新计算。", ev.On.Chinese(), note, items, ev.Deadline.Chinese()))
	return warnings, nil
}

func (m *machine) supplementReceived(i int, ev Event) ([]string, error) {
	if m.supp == nil {
		return nil, refuse("kind", "没有待补正的通知，不能登记收到补正。")
	}
	note := ""
	if m.supp.lapsed {
		if !ev.overridden() {
			return nil, refuse("override_reason", "补正期限（%s）已过，申请视为放弃；申请人有正当理由的，须由管理员登记理由。", m.supp.deadline.Chinese())
		}
		note = "（" + ev.overrideNote(fmt.Sprintf("补正期限%s已过", m.supp.deadline.Chinese())) + "）"
	}
	// Art. 30: the reply period runs from the receipt of the corrected
	// application, so everything counted before it is discarded.
	due, err := m.cal.Add(ev.On, ReplyPeriod+m.extension)
	if err != nil {
		return nil, err
	}
	m.supp = nil
	m.start, m.restarted = ev.On, true
	m.budget = ReplyPeriod + m.extension
	m.closedIvs, m.counted = nil, 0
	m.due = due
	m.line(i, LineKind(ev.Kind), ev.On, gongkai.Date{}, due, 0,
		fmt.Sprintf("%s 收到补正后的申请%s：答复期限自收到补正后的申请之日起重新计算%d个工作日，至%s。", ev.On.Chinese(), note, ReplyPeriod, due.Chinese()))
	return nil, nil
}

func (m *machine) consulted(i int, ev Event, kind pauseKind) ([]string, error) {
	if m.supp != nil {
		return nil, refuse("kind", "等待补正期间不能征求意见。")
	}
	name := strings.TrimSpace(ev.Party)
	for _, p := range m.consults {
		if p.kind == kind && p.party == name && !p.lapsed {
			return nil, refuse("party", "已于%s向%s征求意见，尚未收到回复。", p.from.Chinese(), party(roleOf(kind), name))
		}
	}
	limit, err := m.cal.Add(ev.On, m.s.ConsultationMaxPause)
	if err != nil {
		return nil, err
	}
	cur, _, err := m.projected(ev.On)
	if err != nil {
		return nil, err
	}
	p := &pause{kind: kind, event: i, party: name, from: ev.On, limit: limit, admitted: !ev.On.After(cur)}
	m.consults = append(m.consults, p)
	var warnings []string
	var text string
	if kind == pauseCoMaker {
		text = fmt.Sprintf("%s 向%s征求意见", ev.On.Chinese(), party("共同制作机关", name))
	} else {
		text = fmt.Sprintf("%s 向%s发出征求意见书", ev.On.Chinese(), party("第三方", name))
	}
	if p.admitted {
		text += fmt.Sprintf("，征求意见期间不计算在答复期限内（对方答复期限为%d个工作日，至%s）。", m.s.ConsultationMaxPause, limit.Chinese())
	} else {
		text += fmt.Sprintf("。答复期限已于%s届满，征求意见期间不再顺延答复期限。", cur.Chinese())
		warnings = append(warnings, fmt.Sprintf("答复期限已于%s届满，本次征求意见不再顺延答复期限。", cur.Chinese()))
	}
	m.line(i, LineKind(ev.Kind), ev.On, m.due, m.due, 0, text)
	return warnings, nil
}

func roleOf(kind pauseKind) string {
	if kind == pauseCoMaker {
		return "共同制作机关"
	}
	return "第三方"
}

func (m *machine) consultReplied(i int, ev Event, kind pauseKind) ([]string, error) {
	name := strings.TrimSpace(ev.Party)
	role := roleOf(kind)
	// The latest unanswered consultation of this kind to this party; with no
	// party named, the only unanswered one of this kind.
	match := -1
	n := 0
	for j, p := range m.consults {
		if p.kind != kind {
			continue
		}
		n++
		if name == "" || p.party == name {
			match = j
		}
	}
	switch {
	case n == 0:
		return nil, refuse("kind", "没有尚未回复的向%s征求意见，不能登记%s的意见。", role, role)
	case name == "" && n > 1:
		return nil, refuse("party", "有%d件向%s的征求意见尚未回复，请注明回复的%s。", n, role, role)
	case match < 0:
		return nil, refuse("party", "没有尚未回复的向%s征求意见。", party(role, name))
	}
	p := m.consults[match]
	m.consults = slices.Delete(m.consults, match, match+1)
	verb := "收到" + party(role, p.party) + "的意见"
	if kind == pauseCoMaker {
		verb = "收到" + party(role, p.party) + "的答复"
	}
	head := fmt.Sprintf("%s %s（%s发出征求意见书）", ev.On.Chinese(), verb, p.from.Chinese())
	var warnings []string
	switch {
	case p.lapsed:
		m.line(i, LineKind(ev.Kind), ev.On, m.due, m.due, 0,
			fmt.Sprintf("%s。征求意见已于%s满%d个工作日，暂停已经结束，答复期限不再顺延，仍为%s。", head, p.limit.Chinese(), m.s.ConsultationMaxPause, m.due.Chinese()))
		warnings = append(warnings, fmt.Sprintf("征求意见已于%s满%d个工作日，答复期限不再因此顺延。", p.limit.Chinese(), m.s.ConsultationMaxPause))
	case !p.admitted:
		m.line(i, LineKind(ev.Kind), ev.On, m.due, m.due, 0,
			fmt.Sprintf("%s。征求意见时答复期限已届满，不顺延答复期限，仍为%s。", head, m.due.Chinese()))
	default:
		old := m.due
		inc, span, err := m.closePause(p, ev.On)
		if err != nil {
			return nil, err
		}
		m.line(i, LineKind(ev.Kind), ev.On, old, m.due, inc, fmt.Sprintf("%s，%s。", head, pauseEffect(span, inc, m.due)))
	}
	return warnings, nil
}

// pausingConsultation reports an open consultation that is stopping the
// clock today.
func (m *machine) pausingConsultation() bool {
	return slices.ContainsFunc(m.consults, func(p *pause) bool { return p.admitted && !p.lapsed })
}

// hasActivePause reports that the clock is not running: a consultation or
// an unpaid fee notice is pausing it.
func (m *machine) hasActivePause() bool {
	return m.pausingConsultation() || m.fee != nil && m.fee.admitted
}

func (m *machine) extended(i int, ev Event) ([]string, error) {
	switch {
	case m.supp != nil:
		return nil, refuse("kind", "等待补正期间答复期限停止计算，不能延期。")
	case m.extension > 0:
		return nil, refuse("kind", "答复期限只能延长一次，本申请已于%s延期。", m.extendedOn.Chinese())
	case ev.Days < 1:
		return nil, refuse("days", "请填写延期的工作日数。")
	case ev.Days > m.s.MaxExtension:
		return nil, refuse("days", "延长的期限最长不得超过%d个工作日。", m.s.MaxExtension)
	case blank(ev.ApprovedBy):
		return nil, refuse("approved_by", "请填写批准延期的政府信息公开工作机构负责人。")
	case !ev.NotifiedOn.Valid():
		return nil, refuse("notified_on", "请填写告知申请人延期的日期。")
	case ev.NotifiedOn.Before(ev.On):
		return nil, refuse("notified_on", "告知申请人的日期不能早于批准延期之日。")
	case ev.NotifiedOn.After(m.today):
		return nil, refuse("notified_on", "告知申请人的日期不能晚于今天（%s）。", m.today.Chinese())
	}
	cur, _, err := m.projected(ev.On)
	if err != nil {
		return nil, err
	}
	if ev.On.After(cur) {
		return nil, refuse("on", "答复期限已于%s届满，不能再延期。", cur.Chinese())
	}
	curN, _, err := m.projected(ev.NotifiedOn)
	if err != nil {
		return nil, err
	}
	if ev.NotifiedOn.After(curN) {
		return nil, refuse("notified_on", "延期应在答复期限（%s）届满前告知申请人。", curN.Chinese())
	}
	old := m.due
	m.extension, m.extendedOn = ev.Days, ev.On
	m.budget += ev.Days
	m.due, err = m.cal.Add(m.start, m.budget+m.counted)
	if err != nil {
		return nil, err
	}
	tail := ""
	if m.hasActivePause() {
		tail = "；正在进行的征求意见或缴费期间结束后另行顺延"
	}
	m.line(i, LineKind(ev.Kind), ev.On, old, m.due, 0,
		fmt.Sprintf("%s 延期%d个工作日（经%s批准，%s告知申请人），答复期限由%s延至%s%s。", ev.On.Chinese(), ev.Days, strings.TrimSpace(ev.ApprovedBy), ev.NotifiedOn.Chinese(), old.Chinese(), m.due.Chinese(), tail))
	return nil, nil
}

func (m *machine) feeNotified(i int, ev Event) ([]string, error) {
	switch {
	case m.supp != nil:
		return nil, refuse("kind", "等待补正期间不能发出收费通知。")
	case m.fee != nil:
		return nil, refuse("kind", "%s发出的收费通知尚未缴费。", m.fee.from.Chinese())
	}
	limit, err := m.cal.Add(ev.On, FeePaymentPeriod)
	if err != nil {
		return nil, err
	}
	cur, _, err := m.projected(ev.On)
	if err != nil {
		return nil, err
	}
	inTime := !ev.On.After(cur)
	m.fee = &pause{kind: pauseFee, event: i, from: ev.On, limit: limit, admitted: m.s.PauseWhileFeeUnpaid && inTime}
	text := fmt.Sprintf("%s 向申请人发出收费通知，缴费期限为通知次日起%d个工作日，至%s", ev.On.Chinese(), FeePaymentPeriod, limit.Chinese())
	var warnings []string
	switch {
	case !inTime:
		text += fmt.Sprintf("。答复期限已于%s届满，缴费期间不再顺延答复期限。", cur.Chinese())
		warnings = append(warnings, fmt.Sprintf("收费通知应在答复期限内发出，答复期限已于%s届满。", cur.Chinese()))
	case m.fee.admitted:
		text += "；缴费期间不计算在答复期限内。"
	default:
		text += fmt.Sprintf("；缴费期间答复期限照常计算，仍为%s。", m.due.Chinese())
	}
	m.line(i, LineKind(ev.Kind), ev.On, m.due, m.due, 0, text)
	return warnings, nil
}

func (m *machine) feePaid(i int, ev Event) ([]string, error) {
	if m.fee == nil {
		return nil, refuse("kind", "没有待缴费的收费通知，不能登记缴费。")
	}
	note := ""
	if m.fee.lapsed {
		if !ev.overridden() {
			return nil, refuse("override_reason", "缴费期限（%s）已过，申请视为放弃；确需继续办理的，须由管理员登记理由。", m.fee.limit.Chinese())
		}
		note = "（" + ev.overrideNote(fmt.Sprintf("缴费期限%s已过", m.fee.limit.Chinese())) + "）"
	}
	old := m.due
	inc, span, err := m.closePause(m.fee, ev.On)
	if err != nil {
		return nil, err
	}
	admitted := m.fee.admitted
	m.fee = nil
	text := fmt.Sprintf("%s 申请人缴纳信息处理费%s", ev.On.Chinese(), note)
	if admitted {
		text += "，缴费期间" + pauseEffect(span, inc, m.due) + "。"
	} else {
		text += fmt.Sprintf("，答复期限仍为%s。", m.due.Chinese())
	}
	m.line(i, LineKind(ev.Kind), ev.On, old, m.due, inc, text)
	return nil, nil
}

func (m *machine) replied(i int, ev Event) ([]string, error) {
	switch ev.Outcome {
	case "":
	case gongkai.OutcomeOtherNoSupplement:
		if m.supp == nil || !m.supp.lapsed {
			return nil, refuse("outcome", "只有补正期限届满仍未补正的申请，才能按“申请人无正当理由逾期不补正”办结。")
		}
	case gongkai.OutcomeUnavailableUnclear:
		// Table 三（四）3 is 补正后申请内容仍不明确: it presupposes a corrected
		// application (Art. 30). Without one the row would count cases that
		// belong in （六）1 (no correction) or were never asked to correct.
		if !m.restarted {
			return nil, refuse("outcome", "只有通知补正并收到补正后的申请、申请内容仍不明确的，才能按“补正后申请内容仍不明确”办结（条例第三十条）；申请人逾期未补正的，按“申请人无正当理由逾期不补正”办结。")
		}
	case gongkai.OutcomeOtherFeeUnpaid:
		if m.fee == nil || !m.fee.lapsed {
			return nil, refuse("outcome", "只有缴费期限届满仍未缴费的申请，才能按“申请人逾期未按收费通知要求缴纳费用”办结。")
		}
	default:
		if !ev.Outcome.Valid() {
			return nil, refuse("outcome", "办理结果无效。")
		}
	}
	var warnings []string
	old := m.due
	// Replying ends every pause still open on that day.
	for _, p := range m.consults {
		if p.admitted && !p.lapsed {
			if _, _, err := m.closePause(p, ev.On); err != nil {
				return nil, err
			}
		}
	}
	if len(m.consults) > 0 {
		warnings = append(warnings, "尚有征求意见未收到回复。")
	}
	if m.fee != nil && m.fee.admitted {
		if _, _, err := m.closePause(m.fee, ev.On); err != nil {
			return nil, err
		}
	}
	m.consults = nil
	m.closedOn = ev.On
	var text string
	switch {
	case ev.Outcome == gongkai.OutcomeOtherNoSupplement:
		text = fmt.Sprintf("%s 终止办理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请。", ev.On.Chinese())
	case ev.Outcome == gongkai.OutcomeOtherFeeUnpaid:
		text = fmt.Sprintf("%s 终止办理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请。", ev.On.Chinese())
	case m.supp != nil:
		text = fmt.Sprintf("%s 办理结束（等待补正期间）。", ev.On.Chinese())
	case ev.On.After(m.due):
		over, err := m.cal.Between(m.due, ev.On)
		if err != nil {
			return nil, err
		}
		m.late = true
		overdue := "已超过答复期限"
		if over > 0 {
			overdue = fmt.Sprintf("逾期%d个工作日", over)
		}
		text = fmt.Sprintf("%s 作出答复，办理结束（答复期限为%s，%s）。", ev.On.Chinese(), m.due.Chinese(), overdue)
		warnings = append(warnings, fmt.Sprintf("已超过答复期限（%s）。", m.due.Chinese()))
	default:
		text = fmt.Sprintf("%s 作出答复，办理结束（答复期限为%s，按期答复）。", ev.On.Chinese(), m.due.Chinese())
	}
	m.line(i, LineKind(ev.Kind), ev.On, old, m.due, 0, text)
	return warnings, nil
}

// daysLeft counts working days from t to due: positive or zero up to the due
// date, negative after it (at least -1, even on a weekend right after it).
func (m *machine) daysLeft(t, due gongkai.Date) (int, error) {
	if due.IsZero() {
		return 0, nil
	}
	if t.After(due) {
		// A weekend right after the due date is zero working days past it,
		// but the period has still run out: keep the sign.
		n, err := m.cal.Between(due, t)
		return -max(n, 1), err
	}
	return m.cal.Between(t, due)
}

func (m *machine) state() (State, error) {
	st := State{PeriodStart: m.start, ExtensionDays: m.extension, Explanation: m.lines}
	if !m.closedOn.IsZero() {
		st.Status, st.ClosedOn, st.Late = StatusClosed, m.closedOn, m.late
		st.DueOn, st.PausedDays = m.due, m.counted
		var err error
		st.DaysLeft, err = m.daysLeft(m.closedOn, m.due)
		return st, err
	}
	if err := m.advance(m.today); err != nil {
		return State{}, err
	}
	st.Explanation = m.lines
	st.OpenConsultations = len(m.consults)
	if m.supp != nil {
		st.Status, st.Paused, st.SupplementDeadline = StatusAwaitingSupplement, true, m.supp.deadline
		if m.supp.lapsed {
			st.CloseAs, st.CloseFrom = gongkai.OutcomeOtherNoSupplement, m.supp.deadline.AddDays(1)
		}
		return st, nil
	}
	due, paused, err := m.projected(m.today)
	if err != nil {
		return State{}, err
	}
	st.DueOn, st.PausedDays, st.Paused = due, paused, m.hasActivePause()
	if st.DaysLeft, err = m.daysLeft(m.today, due); err != nil {
		return State{}, err
	}
	if m.fee != nil {
		st.FeeDeadline = m.fee.limit
		if m.fee.lapsed {
			st.CloseAs, st.CloseFrom = gongkai.OutcomeOtherFeeUnpaid, m.fee.limit.AddDays(1)
		}
	}
	switch {
	case m.today.After(due):
		st.Status = StatusOverdue
	case m.fee != nil:
		st.Status = StatusAwaitingFee
	case m.pausingConsultation():
		st.Status = StatusPaused
	case st.DaysLeft <= m.s.DueSoonDays:
		st.Status = StatusDueSoon
	default:
		st.Status = StatusOnTime
	}
	return st, nil
}

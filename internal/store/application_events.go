package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gongkai"
	"gongkai/internal/clock"
	"gongkai/internal/fee"
	"gongkai/internal/workday"
)

// clockFields maps the field names of internal/clock's refusals to the
// names the API and forms use.
var clockFields = map[string]string{
	"on": "date", "kind": "type", "approved_by": "approvedBy", "notified_on": "notifiedOn", "override_reason": "overrideReason",
}

// clockError turns a refusal of the clock into the field names of the API,
// and a calendar without the year into a message for the administrator.
func clockError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, workday.ErrUnknownYear) {
		return gongkai.FieldError("date", calendarMessage(err))
	}
	e := gongkai.AsError(err)
	if e == nil {
		return err
	}
	if f, ok := clockFields[e.Field]; ok {
		e.Field = f
	}
	for i, p := range e.Problems {
		if f, ok := clockFields[p.Field]; ok {
			e.Problems[i].Field = f
		}
	}
	if len(e.Problems) == 0 && e.Field != "" {
		e.Problems = []gongkai.Problem{{Field: e.Field, Message: e.Message}}
	}
	return e
}

func trimEvent(ev *gongkai.ApplicationEvent) {
	for _, s := range []*string{&ev.Items, &ev.Party, &ev.ApprovedBy, &ev.OverrideReason, &ev.Note} {
		*s = strings.TrimSpace(*s)
	}
}

// AddApplicationEvent appends an event to an application's ledger, after
// internal/clock has checked it against the ledger so far (dates before
// receipt, after today or out of order, a 补正 after the seventh working
// day, a second extension …). An override needs an administrator, whose
// name is recorded. receipt_confirmed fixes the receipt date of an online
// application instead.
func (db *DB) AddApplicationEvent(ctx context.Context, id int64, ev gongkai.ApplicationEvent) (*gongkai.Application, []string, error) {
	var out *gongkai.Application
	var warnings []string
	err := db.inTx(ctx, func(tx *Tx) error {
		a, org, err := tx.writable(ctx, id)
		if err != nil {
			return err
		}
		trimEvent(&ev)
		ev.ID, ev.Seq, ev.OverrideBy = 0, 0, ""
		if ev.Date.IsZero() || !ev.Date.Valid() {
			return gongkai.FieldError("date", "请填写日期（格式 YYYY-MM-DD）。")
		}
		switch {
		case ev.Type == gongkai.EventReceiptConfirmed:
			if err := tx.confirmReceipt(ctx, a, org, ev.Date); err != nil {
				return err
			}
			out = a
			return nil
		case ev.Type == gongkai.EventReplied:
			return gongkai.FieldError("type", "答复办结请使用“答复”功能，以便登记办理结果及其必须载明的事项。")
		case !clock.EventKind(ev.Type).Valid():
			return gongkai.FieldError("type", "办理记录类型无效。")
		case a.State == gongkai.StateUnconfirmed:
			return gongkai.Errorf(gongkai.ECONFLICT, "该申请是网上提交的，请先确认收到申请之日，再登记办理记录。")
		case a.State == gongkai.StateClosed:
			return gongkai.Errorf(gongkai.ECONFLICT, "申请已于%s办结，不能再登记办理记录。", a.ClosedOn.Chinese())
		}
		if ev.OverrideReason != "" {
			if !tx.actor.CanAdminister(org) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "超过法定期限的补正、补正或缴费，须由“%s”或其上级机关的管理员登记理由。", org.Name)
			}
			ev.OverrideBy = actorName(tx.actor)
		}
		// A consultation is a letter (Art. 32: 书面征求意见; Art. 34): the
		// 征求意见书 is addressed to the party, and the explanation names it.
		// A person consulted as third party is entered by a non-identifying
		// label such as 相关自然人, because the applicant sees the name.
		switch ev.Type {
		case gongkai.EventThirdPartyConsulted:
			if ev.Party == "" {
				return gongkai.FieldError("party", "请填写征求意见的第三方（第三方是个人的，请填写“相关自然人”等不指明身份的称谓，申请人可以看到该名称）。")
			}
		case gongkai.EventCoMakerConsulted:
			if ev.Party == "" {
				return gongkai.FieldError("party", "请填写征求意见的共同制作机关名称。")
			}
		}
		if ev.Type == gongkai.EventFeeNotified {
			if ev.Fee == nil {
				return gongkai.FieldError("method", "请选择收费方式并填写件数或页数。")
			}
			payment := strings.TrimSpace(ev.Fee.Payment)
			for _, e := range a.Events {
				if e.Type == gongkai.EventFeeNotified && e.Fee != nil && e.Fee.Method != ev.Fee.Method {
					return gongkai.FieldError("method", "同一申请只能选择一种收费方式（国办函〔2020〕109号），本申请已"+e.Fee.Method.Label()+"。")
				}
			}
			f, err := tx.quoteFee(ctx, a, ev.Fee.Method, ev.Fee.Quantity)
			if err != nil {
				return err
			}
			// A fee is charged only beyond the free band (国办函〔2020〕109号).
			// A notice for 0 元 would still pause the clock and, "unpaid",
			// close the application as other.fee_unpaid — a wrong row of
			// table 三 for an applicant who owed nothing.
			if f.Amount <= 0 {
				return gongkai.FieldError("quantity", fmt.Sprintf("按%s计算，应缴信息处理费为0元（在免费范围内），不能发出收费通知。", feeQuantityText(f)))
			}
			f.Payment = payment
			ev.Fee = f
		} else {
			ev.Fee = nil
		}
		cal, err := tx.db.workdays(ctx)
		if err != nil {
			return err
		}
		w, err := clock.Validate(a.ReceivedOn, clockEvents(a.Events), clockEvent(ev), tx.db.AppConfig.Clock, cal, tx.today())
		if err != nil {
			return clockError(err)
		}
		warnings = w
		switch ev.Type {
		case gongkai.EventFeeNotified:
			// The payment deadline is printed on the notice: keep it.
			if ev.Deadline, err = cal.Add(ev.Date, clock.FeePaymentPeriod); err != nil {
				return clockError(err)
			}
		case gongkai.EventSupplementRequested:
		default:
			ev.Deadline = gongkai.Date{}
		}
		if err := tx.insertEvent(ctx, a, &ev); err != nil {
			return err
		}
		if err := tx.refreshApplication(ctx, a); err != nil {
			return err
		}
		out = a
		return tx.audit(ctx, auditEntry{Action: "application.event", ObjectType: "application", ObjectID: a.TrackingNo, Org: org, After: ev})
	})
	if err != nil {
		return nil, nil, err
	}
	return out, warnings, nil
}

// confirmReceipt records the day the office and the applicant confirmed an
// online application (Art. 31 (三)); the reply period runs from it.
func (tx *Tx) confirmReceipt(ctx context.Context, a *gongkai.Application, org *gongkai.Org, d gongkai.Date) error {
	if a.State != gongkai.StateUnconfirmed {
		return gongkai.Errorf(gongkai.ECONFLICT, "收到申请之日已确认为%s，不能再次确认。", a.ReceivedOn.Chinese())
	}
	submitted := gongkai.DateOf(a.SubmittedAt)
	switch {
	case d.Before(submitted):
		return gongkai.FieldError("date", "确认日期不能早于申请提交之日（"+submitted.Chinese()+"）。")
	case d.After(tx.today()):
		return gongkai.FieldError("date", "确认日期不能晚于今天（"+tx.today().Chinese()+"）。")
	}
	cal, err := tx.db.workdays(ctx)
	if err != nil {
		return err
	}
	if _, err := cal.Add(d, clock.ReplyPeriod); err != nil {
		return clockError(err)
	}
	before := viewOf(a)
	a.ReceivedOn, a.State = d, gongkai.StateOpen
	if err := tx.refreshApplication(ctx, a); err != nil {
		return err
	}
	return tx.audit(ctx, auditEntry{Action: "application.confirm", ObjectType: "application", ObjectID: a.TrackingNo, Org: org, Before: before, After: viewOf(a)})
}

func (tx *Tx) insertEvent(ctx context.Context, a *gongkai.Application, ev *gongkai.ApplicationEvent) error {
	ev.Seq = len(a.Events) + 1
	ev.RecordedAt, ev.RecordedBy = tx.now, actorName(tx.actor)
	var feeMethod, feeQty, feeAmount, feeJSON, outcome any
	if ev.Fee != nil {
		b, err := json.Marshal(ev.Fee)
		if err != nil {
			return err
		}
		feeMethod, feeQty, feeAmount, feeJSON = string(ev.Fee.Method), ev.Fee.Quantity, ev.Fee.Amount, string(b)
	}
	if ev.Outcome != "" {
		outcome = string(ev.Outcome)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO application_events (application_id, seq, kind, on_date, items, deadline, party, days, approved_by,
		notified_on, outcome, override_by, override_reason, fee_method, fee_quantity, fee_amount, fee_json, note, recorded_at, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		a.ID, ev.Seq, string(ev.Type), ev.Date, ev.Items, ev.Deadline, ev.Party, ev.Days, ev.ApprovedBy, ev.NotifiedOn, outcome,
		ev.OverrideBy, ev.OverrideReason, feeMethod, feeQty, feeAmount, feeJSON, ev.Note, ts(tx.now), ev.RecordedBy).Scan(&ev.ID)
	if uniqueOn(err, "seq") {
		// Two people recorded an event at the same moment (PostgreSQL);
		// the ledger's unique sequence keeps one.
		return gongkai.Errorf(gongkai.ECONFLICT, "该申请刚刚由他人登记了办理记录，请刷新页面后重新操作。")
	}
	if err != nil {
		return err
	}
	a.Events = append(a.Events, *ev)
	return nil
}

// QuoteFee computes the fee an application would be charged, with the
// breakdown, without recording anything.
func (db *DB) QuoteFee(ctx context.Context, id int64, method gongkai.FeeMethod, quantity int) (*gongkai.Fee, error) {
	var f *gongkai.Fee
	err := db.inReadTx(ctx, func(tx *Tx) error {
		a, _, err := tx.readable(ctx, id)
		if err != nil {
			return err
		}
		f, err = tx.quoteFee(ctx, a, method, quantity)
		return err
	})
	return f, err
}

// quoteFee applies internal/fee. For 按件 the applicant's earlier
// applications to the same org received in the same natural month count
// first (one 件 each), so the 11th application of a month is the first
// charged; the applicant is recognised by the keyed hash of the identity
// document (or, without one, of name and contacts).
func (tx *Tx) quoteFee(ctx context.Context, a *gongkai.Application, method gongkai.FeeMethod, quantity int) (*gongkai.Fee, error) {
	if quantity < 1 || quantity > fee.MaxCount {
		field := "quantity"
		return nil, gongkai.FieldError(field, fmt.Sprintf("请填写1至%d之间的件数或页数。", fee.MaxCount))
	}
	if a.ReceivedOn.IsZero() {
		return nil, gongkai.Errorf(gongkai.ECONFLICT, "请先确认收到申请之日。")
	}
	s := tx.db.AppConfig.Fee
	var b fee.Breakdown
	var prior int
	var err error
	switch method {
	case gongkai.FeePerItem:
		first := gongkai.NewDate(a.ReceivedOn.Year, a.ReceivedOn.Month, 1)
		last := gongkai.NewDate(a.ReceivedOn.Year, a.ReceivedOn.Month+1, 0)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications x, applications me
			WHERE me.id = $1 AND x.applicant_key = me.applicant_key AND x.org_id = me.org_id AND x.id <> me.id
			AND x.received_on BETWEEN $2 AND $3 AND (x.received_on < $4 OR (x.received_on = $4 AND x.id < me.id))`,
			a.ID, first, last, a.ReceivedOn).Scan(&prior); err != nil {
			return nil, err
		}
		b, err = fee.PerItem(prior, quantity, s)
	case gongkai.FeePerPage:
		b, err = fee.PerPage(quantity, s)
	default:
		return nil, gongkai.FieldError("method", "请选择收费方式：按件计收或按量计收。")
	}
	if err != nil {
		if e := gongkai.AsError(err); e != nil {
			e.Field = "quantity"
		}
		return nil, err
	}
	f := &gongkai.Fee{Method: method, Quantity: quantity, Prior: prior, Amount: b.Total, Lines: []gongkai.FeeLine{}}
	for _, l := range b.Lines {
		f.Lines = append(f.Lines, gongkai.FeeLine{Label: l.Label, Count: l.Count, Rate: l.Rate, Amount: l.Amount})
	}
	return f, nil
}

// ReplyApplication closes an application with its outcome. The reply must
// carry what the outcome requires (Reply.Validate) and pass the clock (a
// date after the last event and not after today; 其他处理 for a missing
// correction or fee only once that deadline has passed). A reply after the
// due date is recorded as late, with a warning.
func (db *DB) ReplyApplication(ctx context.Context, id int64, r gongkai.Reply, files []gongkai.Upload) (*gongkai.Application, []string, error) {
	var out *gongkai.Application
	var warnings []string
	err := db.inTx(ctx, func(tx *Tx) error {
		a, org, err := tx.writable(ctx, id)
		if err != nil {
			return err
		}
		var w []string
		if w, err = tx.reply(ctx, a, org, r, files); err != nil {
			return err
		}
		out, warnings = a, w
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, warnings, nil
}

func (tx *Tx) reply(ctx context.Context, a *gongkai.Application, org *gongkai.Org, r gongkai.Reply, files []gongkai.Upload) ([]string, error) {
	switch a.State {
	case gongkai.StateUnconfirmed:
		return nil, gongkai.Errorf(gongkai.ECONFLICT, "该申请是网上提交的，请先确认收到申请之日，再作出答复。")
	case gongkai.StateClosed:
		return nil, gongkai.Errorf(gongkai.ECONFLICT, "申请已于%s办结，不能再次答复。", a.ClosedOn.Chinese())
	}
	if len(r.Provided) == 0 && (r.Outcome == gongkai.OutcomeGranted || r.Outcome == gongkai.OutcomePartiallyGranted) {
		for _, f := range files {
			r.Provided = append(r.Provided, f.Name)
		}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if r.Outcome != gongkai.OutcomeUnavailableNotHeld {
		r.NotHeld, r.OtherOrgan, r.OtherOrganContact = "", "", ""
	}
	if len(files) > gongkai.MaxApplicationFiles {
		return nil, gongkai.FieldError("files", fmt.Sprintf("答复附件最多%d个。", gongkai.MaxApplicationFiles))
	}
	ev := gongkai.ApplicationEvent{Type: gongkai.EventReplied, Date: r.Date, Outcome: r.Outcome}
	cal, err := tx.db.workdays(ctx)
	if err != nil {
		return nil, err
	}
	warnings, err := clock.Validate(a.ReceivedOn, clockEvents(a.Events), clockEvent(ev), tx.db.AppConfig.Clock, cal, tx.today())
	if err != nil {
		return nil, clockError(err)
	}
	before := viewOf(a)
	if err := tx.insertEvent(ctx, a, &ev); err != nil {
		return nil, err
	}
	if err := tx.insertFiles(ctx, a, "reply", files); err != nil {
		return nil, err
	}
	a.Reply, a.Outcome = &r, r.Outcome
	if err := tx.refreshApplication(ctx, a); err != nil {
		return nil, err
	}
	return warnings, tx.audit(ctx, auditEntry{Action: "application.reply", ObjectType: "application", ObjectID: a.TrackingNo, Org: org,
		Before: before, After: map[string]any{"application": viewOf(a), "reply": r}})
}

// AddAppeal records a 行政复议 or 行政诉讼 about an application.
func (db *DB) AddAppeal(ctx context.Context, id int64, p *gongkai.Appeal) error {
	return db.inTx(ctx, func(tx *Tx) error {
		a, org, err := tx.writable(ctx, id)
		if err != nil {
			return err
		}
		if err := p.Validate(appealFloor(a), tx.today()); err != nil {
			return err
		}
		p.ApplicationID, p.CreatedAt, p.UpdatedAt = a.ID, tx.now, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO application_appeals (application_id, kind, filed_on, body, result, closed_on, note, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, a.ID, string(p.Kind), p.FiledOn, p.Body, string(p.Result), p.ClosedOn, p.Note, ts(tx.now)).Scan(&p.ID); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "application.appeal", ObjectType: "application", ObjectID: a.TrackingNo, Org: org, After: p})
	})
}

func appealFloor(a *gongkai.Application) gongkai.Date {
	if !a.ReceivedOn.IsZero() {
		return a.ReceivedOn
	}
	return gongkai.DateOf(a.SubmittedAt)
}

// UpdateAppeal records the progress or result of an appeal.
func (db *DB) UpdateAppeal(ctx context.Context, id, appealID int64, p *gongkai.Appeal) error {
	return db.inTx(ctx, func(tx *Tx) error {
		a, org, err := tx.writable(ctx, id)
		if err != nil {
			return err
		}
		var before *gongkai.Appeal
		for i := range a.Appeals {
			if a.Appeals[i].ID == appealID {
				before = &a.Appeals[i]
			}
		}
		if before == nil {
			return gongkai.Errorf(gongkai.ENOTFOUND, "复议或诉讼记录不存在。")
		}
		if err := p.Validate(appealFloor(a), tx.today()); err != nil {
			return err
		}
		p.ID, p.ApplicationID, p.CreatedAt, p.UpdatedAt = appealID, a.ID, before.CreatedAt, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE application_appeals SET kind = $1, filed_on = $2, body = $3, result = $4, closed_on = $5, note = $6, updated_at = $7
			WHERE id = $8 AND application_id = $9`, string(p.Kind), p.FiledOn, p.Body, string(p.Result), p.ClosedOn, p.Note, ts(tx.now), appealID, a.ID); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "application.appeal_update", ObjectType: "application", ObjectID: a.TrackingNo, Org: org, Before: before, After: p})
	})
}

// feeQuantityText describes what a fee was computed on, for messages:
// "本月第3件" (按件, counting the applicant's earlier items this month) or
// "25页" (按量).
func feeQuantityText(f *gongkai.Fee) string {
	if f.Method == gongkai.FeePerItem {
		if f.Quantity == 1 {
			return fmt.Sprintf("该申请人本月第%d件", f.Prior+1)
		}
		return fmt.Sprintf("该申请人本月第%d—%d件", f.Prior+1, f.Prior+f.Quantity)
	}
	return fmt.Sprintf("%d页", f.Quantity)
}

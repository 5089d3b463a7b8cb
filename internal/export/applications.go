// Package export writes the spreadsheets staff download. Applications:
// the 依申请公开工作台账 an office keeps, as XLSX (excelize).
package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai"
)

// LedgerColumns are the columns of the 台账 (issue 4 item 8), in order.
var LedgerColumns = []string{"编号", "收到日期", "渠道", "申请人类型", "申请内容", "承办单位", "补正/延期/征求意见", "答复日期", "办理结果", "是否按期"}

// LedgerRow is one application as the 台账 shows it: no personal data.
func LedgerRow(a *gongkai.Application) []string {
	received := a.ReceivedOn.String()
	if received == "" {
		received = "待确认（" + gongkai.DateOf(a.SubmittedAt).String() + "提交）"
	}
	outcome := ""
	if a.Outcome != "" {
		outcome = a.Outcome.Label()
	}
	return []string{a.TrackingNo, received, a.Channel.Label(), a.ApplicantKind.Label(), a.Request.Summary(), a.OrgName,
		Handling(a), a.ClosedOn.String(), outcome, Timeliness(a)}
}

// Handling summarises the 补正, extension and consultations of an
// application in one cell: "补正（2024-10-08通知，2024-10-21收到）；延期10个工作日（至2024-12-16）；征求第三方意见1次".
func Handling(a *gongkai.Application) string {
	var parts []string
	var third, comaker int
	for i, e := range a.Events {
		switch e.Type {
		case gongkai.EventSupplementRequested:
			s := "补正（" + e.Date.String() + "通知"
			for _, f := range a.Events[i+1:] {
				if f.Type == gongkai.EventSupplementReceived {
					s += "，" + f.Date.String() + "收到"
					break
				}
			}
			parts = append(parts, s+"）")
		case gongkai.EventExtended:
			parts = append(parts, fmt.Sprintf("延期%d个工作日", e.Days))
		case gongkai.EventThirdPartyConsulted:
			third++
		case gongkai.EventCoMakerConsulted:
			comaker++
		case gongkai.EventFeeNotified:
			if e.Fee != nil {
				parts = append(parts, fmt.Sprintf("收费%d元", e.Fee.Amount))
			}
		}
	}
	if third > 0 {
		parts = append(parts, fmt.Sprintf("征求第三方意见%d次", third))
	}
	if comaker > 0 {
		parts = append(parts, fmt.Sprintf("征求共同制作机关意见%d次", comaker))
	}
	if len(parts) == 0 {
		return "无"
	}
	return strings.Join(parts, "；")
}

// Timeliness says whether the application was (or is being) answered in
// time.
func Timeliness(a *gongkai.Application) string {
	switch a.Status() {
	case gongkai.StatusUnconfirmed:
		return "待确认"
	case gongkai.StatusClosed:
		if a.Late {
			return "逾期"
		}
		return "按期"
	case gongkai.StatusOverdue:
		return "办理中，已超期"
	case gongkai.StatusAwaitingSupplement:
		return "办理中，等待补正"
	}
	if a.Clock != nil && !a.Clock.DueOn.IsZero() {
		return fmt.Sprintf("办理中，期限%s", a.Clock.DueOn)
	}
	return "办理中"
}

// WriteLedger writes the 台账 of apps as an XLSX workbook: a title row,
// the header (frozen, with filters), one row per application, printed
// landscape on A4 fitted to the page width.
func WriteLedger(w io.Writer, title string, apps []*gongkai.Application) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "依申请公开台账"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "gongkai"}); err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	font := &excelize.Font{Family: "宋体", Size: 10.5}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 14, Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10.5, Bold: true}, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7ECF3"}}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	cellStyle, err := f.NewStyle(&excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(LedgerColumns))
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", titleStyle); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 28); err != nil {
		return err
	}
	head := make([]any, len(LedgerColumns))
	for i, c := range LedgerColumns {
		head[i] = c
	}
	if err := f.SetSheetRow(sheet, "A2", &head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A2", last+"2", headStyle); err != nil {
		return err
	}
	for i, a := range apps {
		row := LedgerRow(a)
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		cell := fmt.Sprintf("A%d", i+3)
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	if len(apps) > 0 {
		if err := f.SetCellStyle(sheet, "A3", fmt.Sprintf("%s%d", last, len(apps)+2), cellStyle); err != nil {
			return err
		}
	}
	for i, width := range []float64{20, 12, 12, 12, 40, 22, 30, 12, 28, 16} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, fmt.Sprintf("A2:%s%d", last, max(len(apps)+2, 2)), nil); err != nil {
		return err
	}
	orientation, size, wide, tall := "landscape", 9, 1, 0
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$2", Scope: sheet}); err != nil {
		return err
	}
	return f.Write(w)
}

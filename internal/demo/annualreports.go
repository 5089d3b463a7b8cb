package demo

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/internal/annualreport"
	"gongkai/internal/store"
)

// seedAnnualReports compiles last year's report for every department of
// the demo: the figures from other systems typed in, the prose written
// over the drafts. The 发展和改革委员会's report goes through its three
// levels of review and is published, so it appears in the 政府信息公开年报
// column; its report of the year before is imported as history, so the
// workspace shows the year-on-year columns and the carry-over check. The
// governments are left to do, so the 政务公开办's overview has every state.
func seedAnnualReports(ctx context.Context, db *store.DB, res *Result) error {
	year := gongkai.DateOf(db.Now()).Year - 1
	for _, code := range []string{"shili-fgw", "shili-jyj", "shili-gaj", "shili-mzj", "shili-czj", "shili-rsj", "shili-zrzyj", "shili-sthjj", "chengdong-mzj"} {
		if err := compileDemoReport(ctx, db, code, year); err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
	}
	if err := importDemoHistory(ctx, db, "shili-fgw", year-1); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	ed, err := as(ctx, db, "fgw-editor")
	if err != nil {
		return err
	}
	d, err := db.SubmitAnnualReport(ed, "shili-fgw", year, "")
	if err != nil {
		return err
	}
	for _, u := range []string{"fgw-chushen", "fgw-fushen", "fgw-zhongshen"} {
		c, err := as(ctx, db, u)
		if err != nil {
			return err
		}
		if d, err = db.ReviewDocument(c, d.ID, gongkai.Approve, "同意"); err != nil {
			return err
		}
	}
	if d.Status != gongkai.DocumentPublished {
		return fmt.Errorf("report document %d is %s after review", d.ID, d.Status)
	}
	return nil
}

// demoFigures are plausible 行政许可, 行政处罚, 行政强制 counts and a 收费
// amount for an org, the same in every demo.
func demoFigures(code string, year int) (licensing, penalty, enforcement int, fees string) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", code, year)
	r := rand.New(rand.NewPCG(h.Sum64(), 5))
	licensing, penalty, enforcement = 20+r.IntN(400), r.IntN(60), r.IntN(4)
	fees = strconv.Itoa(r.IntN(40)) + "." + fmt.Sprintf("%02d", r.IntN(100))
	return
}

// demoPassages replace the drafts' 【待补充：…】 passages, by the heading
// that opens the paragraph. The wording is invented for the demo.
var demoPassages = map[string]string{
	"（三）政府信息管理。":     "严格落实公开属性源头认定，公文在起草时即明确主动公开、依申请公开或不予公开；信息发布前一律经过保密审查和三审把关。按要求开展行政规范性文件清理，及时在网站标注文件有效性。",
	"（四）政府信息公开平台建设。": "以政府门户网站政府信息公开专栏为第一平台，按照政务公开标准目录更新栏目内容，确保栏目常态更新、链接可用；政务新媒体同步发布重要政策信息。",
	"（五）监督保障。":       "明确分管负责同志和专门工作人员，将政务公开工作纳入年度目标考核，组织业务培训，本年度未发生因政府信息公开工作引起的责任追究情形。",
	"（一）存在的主要问题。":    "一是政策解读的形式还不够丰富，图解、视频解读较少；二是部分栏目信息更新不够及时。",
	"（二）改进情况。":       "下一步，将丰富政策解读形式，提高解读质量；完善栏目更新提醒机制，确保信息发布及时、准确、规范。",
}

// writtenOver returns the draft with every passage only people can write
// filled in.
func writtenOver(draft string) string {
	lines := strings.Split(draft, "\n")
	for i, line := range lines {
		start := strings.Index(line, annualreport.Placeholder)
		if start < 0 {
			continue
		}
		end := strings.Index(line[start:], "】")
		text := "（示例内容）"
		for head, passage := range demoPassages {
			if strings.HasPrefix(line, head) {
				text = passage
			}
		}
		lines[i] = line[:start] + text + line[start+end+len("】"):]
	}
	return strings.Join(lines, "\n")
}

func compileDemoReport(ctx context.Context, db *store.DB, code string, year int) error {
	rep, err := db.CompileAnnualReport(ctx, code, year)
	if err != nil {
		return err
	}
	lic, pen, enf, fees := demoFigures(code, year)
	str := func(s string) *string { return &s }
	_, err = db.SaveAnnualReport(ctx, code, year, gongkai.AnnualReportUpdate{
		Licensing: str(strconv.Itoa(lic)), Penalty: str(strconv.Itoa(pen)), Enforcement: str(strconv.Itoa(enf)), Fees: str(fees),
		Overview: str(writtenOver(rep.Drafts.Overview)), Shortcomings: str(writtenOver(rep.Drafts.Shortcomings)), Other: str(rep.Drafts.Other)})
	return err
}

// importDemoHistory imports the org's report of an earlier year as if it
// had been published on the old website: compiled from the demo data, with
// its figures and prose filled in, then read back through the importer.
func importDemoHistory(ctx context.Context, db *store.DB, code string, year int) error {
	rep, err := db.CompileAnnualReport(ctx, code, year)
	if gongkai.ErrorCode(err) == gongkai.EINVALID {
		return nil // no data that far back (e.g. applications were skipped)
	}
	if err != nil {
		return err
	}
	lic, pen, enf, fees := demoFigures(code, year)
	amount, err := annualreport.ParseAmount(fees)
	if err != nil {
		return err
	}
	for ti := range rep.Tables {
		t := &rep.Tables[ti]
		for ri := range t.Rows {
			switch t.Rows[ri].Label {
			case "行政许可":
				t.Rows[ri].Values[0] = annualreport.Num(int64(lic))
			case "行政处罚":
				t.Rows[ri].Values[0] = annualreport.Num(int64(pen))
			case "行政强制":
				t.Rows[ri].Values[0] = annualreport.Num(int64(enf))
			case "行政事业性收费":
				t.Rows[ri].Values[0] = annualreport.Num(int64(amount))
			}
		}
	}
	rep.Texts = annualreport.Texts{Overview: writtenOver(rep.Drafts.Overview), Shortcomings: writtenOver(rep.Drafts.Shortcomings), Other: rep.Drafts.Other}
	var b bytes.Buffer
	if err := annualreport.Encode(&b, rep); err != nil {
		return err
	}
	_, err = db.ImportAnnualReport(ctx, code, &b)
	return err
}

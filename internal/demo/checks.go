package demo

import (
	"context"
	"fmt"

	"gongkai"
	"gongkai/internal/store"
)

// seedChecks shows the content checks of the review (issue 7), when they
// are switched on (gongkai serve does): a report waiting at the 发改委's
// 终审 with problems that must be fixed or overridden; a 惩戒公示 whose
// personal data is published because the law requires it; and a published
// notice that a rule added to the city site's dictionary flags on recheck,
// so its staff have a notice and an open finding to settle. The ID number
// is the example of GB 11643-1999 and the phone number a fictional one.
func seedChecks(ctx context.Context, db *store.DB) error {
	if db.Checks == nil {
		return nil
	}
	users := map[string]context.Context{}
	for _, name := range []string{"admin", "fgw-editor", "fgw-chushen", "fgw-fushen", "fgw-zhongshen"} {
		c, err := as(ctx, db, name)
		if err != nil {
			return err
		}
		users[name] = c
	}
	today := gongkai.DateOf(db.Now())
	str := func(s string) *string { return &s }
	date := func(d gongkai.Date) *gongkai.Date { return &d }
	doc := func(title, body, docNo string) gongkai.DocumentUpdate {
		return gongkai.DocumentUpdate{Title: str(title), Genre: str("通知"), Topic: str("0304"), DocNo: str(docNo), SignedOn: date(today.AddDays(-2)),
			Columns: &[]string{"qtwj"}, Keywords: &[]string{"价格"}, Body: str(body)}
	}
	submit := func(u gongkai.DocumentUpdate, levels ...string) (*gongkai.Document, error) {
		d, err := db.CreateDocument(users["fgw-editor"], "", u)
		if err != nil {
			return nil, err
		}
		if d, err = db.SubmitDocument(users["fgw-editor"], d.ID); err != nil {
			return nil, err
		}
		for _, name := range levels {
			if d, err = db.ReviewDocument(users[name], d.ID, gongkai.Approve, "同意。"); err != nil {
				return nil, fmt.Errorf("approve by %s: %w", name, err)
			}
		}
		return d, nil
	}
	year := today.Year
	if _, err := submit(doc(fmt.Sprintf("关于%d年重要民生商品价格监测情况的通报（待终审，含须修改的问题）", year),
		"<p>各区县发展改革部门：</p><p>现将本季度重要民生商品价格监测情况通报如下。</p><p>【此处插入价格走势图】</p><p>如有疑问，请联系价格监测科张某，电话13800138000。</p>",
		fmt.Sprintf("示发改价〔%d〕12号", year)), "fgw-chushen", "fgw-fushen"); err != nil {
		return err
	}
	punish := doc("示例市价格失信行为联合惩戒对象公示",
		"<p>根据有关规定，现将价格失信行为联合惩戒对象公示如下：</p><p>当事人：张某，身份证号34052419800101001X，经营地址示例市城东区。</p>",
		fmt.Sprintf("示发改价〔%d〕13号", year))
	yes := true
	punish.RequiredDisclosure, punish.RequiredDisclosureReason = &yes, str("失信联合惩戒对象依法公示（《价格违法行为行政处罚规定》及社会信用体系建设有关规定）")
	if _, err := submit(punish, "fgw-chushen", "fgw-fushen", "fgw-zhongshen"); err != nil {
		return err
	}
	open, err := submit(doc("关于市发改委机关开放日的通知", "<p>市发改委机关开放日定于每月第一个星期五上午，欢迎市民参观。</p>",
		fmt.Sprintf("示发改办〔%d〕14号", year)), "fgw-chushen", "fgw-fushen", "fgw-zhongshen")
	if err != nil {
		return err
	}
	if err := db.SetCheckList(users["admin"], open.SiteID, gongkai.CheckDictionary,
		"# 示例：本市机关规范简称（演示数据）\n市发改委 | 市发展改革委 | official | 示例市机构编制部门公布的规范简称\n"); err != nil {
		return err
	}
	_, err = db.RecheckSite(ctx, open.SiteID)
	return err
}

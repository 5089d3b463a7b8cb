package checking_test

import (
	"context"
	"strings"
	"testing"

	"gongkai"
)

// BenchmarkCheckDocument is the work the review gate adds to a step: a
// document of about 6 KB of body text with a 60 KB text attachment whose
// text is cached after the first check (as at every level after the
// submission).
//
//	go test -run=^$ -bench=CheckDocument -benchtime=200x ./internal/checking
func BenchmarkCheckDocument(b *testing.B) {
	f := newFixture(b)
	para := "<p>为进一步做好价格监测工作，根据《中华人民共和国价格法》和有关规定，结合本市实际，现将有关事项通知如下。各区县要高度重视，加强组织领导，截至目前已完成重点商品价格监测点位布设。</p>"
	d := &gongkai.Document{ID: 1, SiteID: f.site.ID, Title: "关于做好2024年价格监测工作的通知", Body: strings.Repeat(para, 25),
		Summary: "部署2024年价格监测工作。", Keywords: []string{"价格监测"}, DocNo: "示发改价〔2024〕3号", SignedOn: gongkai.NewDate(2024, 3, 1),
		Attachments: []gongkai.Attachment{f.attach(b, "监测点位表.txt", strings.Repeat("序号 点位名称 地址 联系人\n1 城东农贸市场 城东区建设路 李某\n", 1200))}}
	ctx := context.Background()
	b.SetBytes(int64(len(d.Body)) + d.Attachments[0].Size)
	for b.Loop() {
		if _, err := f.svc.CheckDocument(ctx, d, gongkai.NewDate(2024, 3, 5)); err != nil {
			b.Fatal(err)
		}
	}
}

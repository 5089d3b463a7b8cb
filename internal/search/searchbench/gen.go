package searchbench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/search"
)

// The generator writes synthetic documents of a city's disclosure
// catalogue from templates: a skewed pick from small vocabularies makes the
// common terms very common (公开 in nearly every document, 政务公开 in most),
// the worst case for ranking, as in the baseline measurements; one document
// in five also carries one of 40 rare topics (~0.5 % each).

var issuers = []string{"市人民政府", "市人民政府办公室", "市发展和改革委员会", "市财政局", "市教育局", "市卫生健康委员会", "市生态环境局",
	"市住房和城乡建设局", "市交通运输局", "市农业农村局", "市人力资源和社会保障局", "市市场监督管理局", "市自然资源和规划局", "市应急管理局",
	"市民政局", "市司法局", "市审计局", "市统计局", "市政务服务和数据管理局", "市医疗保障局", "市文化广电旅游局", "市水利局", "市商务局",
	"市科学技术局", "市退役军人事务局", "市税务局", "市公安局", "市城市管理局", "市林业局", "市体育局"}

var actions = []string{"深入贯彻", "认真落实", "全面推进", "加快推进", "持续深化", "扎实做好", "进一步规范", "切实加强", "统筹推进",
	"稳步实施", "严格执行", "不断完善", "积极开展", "全面推行", "着力提升", "有序推进", "大力推进", "依法做好", "及时公开", "主动公开"}

var matters = []string{"政务公开工作", "政府信息公开工作", "《中华人民共和国政府信息公开条例》", "依申请公开办理", "政务新媒体管理",
	"政府网站集约化建设", "政策解读和回应关切", "重大行政决策预公开", "“放管服”改革", "优化营商环境工作", "乡村振兴战略",
	"财政预决算公开", "基层政务公开标准化规范化建设", "政务服务“一网通办”", "“双随机、一公开”监管", "行政许可和行政处罚公开",
	"权责清单动态调整", "民生实事项目", "安全生产专项整治", "生态环境保护督察整改", "城市更新行动", "老旧小区改造",
	"义务教育“双减”工作", "基本医疗保险参保扩面", "就业创业扶持政策", "减税降费政策落实", "防汛抗旱工作", "森林防火工作",
	"食品安全监管", "农村人居环境整治", "高标准农田建设", "数字政府建设", "政府网站与政务新媒体检查", "信息无障碍建设",
	"政府信息公开年度报告编制", "重点领域信息公开", "政府采购信息公开", "公共资源交易公开", "建议提案办理结果公开", "政府开放日活动",
	"政务公开专区建设", "12345政务服务便民热线", "个人信息保护", "网络安全等级保护", "政务数据共享开放", "社会救助兜底保障",
	"养老服务体系建设", "住房公积金管理", "最低生活保障", "城乡居民医疗保险"}

var aims = []string{"切实保障人民群众知情权、参与权、表达权和监督权", "不断提升政府透明度和公信力", "推动政务公开提质增效",
	"进一步优化营商环境", "服务经济社会高质量发展", "增强政策措施的针对性和实效性", "推进治理体系和治理能力现代化",
	"确保各项任务落地见效", "维护人民群众合法权益", "加快建设法治政府", "营造公平竞争的市场环境", "提升群众满意度和获得感"}

var leads = []string{"根据工作安排", "按照上级部署", "结合本地实际", "经研究决定", "为贯彻落实有关决策部署", "依据有关法律法规",
	"在市委、市政府领导下", "截至目前", "今年以来", "下一步", "与此同时", "在此基础上"}

var figures = []string{"主动公开政府信息{N}条", "受理政府信息公开申请{N}件", "办结率达到{P}%", "发布政策解读{N}篇", "召开新闻发布会{N}场",
	"回应社会关切{N}次", "开展专项检查{N}次", "整改问题{N}个", "涉及资金{N}万元", "惠及群众{N}人次", "调整网站栏目{N}个",
	"管理政务新媒体账号{N}个", "完成{P}%的网站改造任务", "办理行政复议案件{N}件", "组织业务培训{N}场次", "纠正错别字{N}处",
	"关停“僵尸”账号{N}个", "修复失效链接{N}处"}

var endings = []string{"取得明显成效", "形成长效机制", "确保按期完成", "自觉接受社会监督", "定期通报进展", "纳入年度考核",
	"切实抓好落实", "及时向社会公布", "做到应公开尽公开", "不断提升工作水平"}

var places = []string{"东城区", "西湖区", "青山县", "清河镇", "临江市", "南山区", "北塘街道", "高新区", "滨海新区", "长宁县", "白云镇", "望江县"}

// rareTopics each appear in about 0.5 % of documents.
var rareTopics = []string{"殡葬改革", "地名普查", "古树名木保护", "河长制", "林长制", "垃圾分类", "电梯安全", "燃气安全", "消防通道整治",
	"农村公路养护", "校外培训治理", "托育服务", "无障碍设施建设", "人才公寓", "地下管网改造", "海绵城市建设", "文物保护", "非遗传承",
	"兽药监管", "耕地保护", "地质灾害防治", "气象预警", "水土保持", "野生动物保护", "危房改造", "留守儿童关爱", "退役军人优待",
	"双拥工作", "人防工程", "粮食储备", "价格监测", "计量检定", "特种设备", "渔业资源", "草原防火", "边境管理", "宗教事务", "民族团结", "档案管理", "地方志编纂"}

var topics = []string{"综合政务\\政务公开", "综合政务\\应急管理", "国民经济管理、国有资产监管\\发展规划", "财政、金融、审计\\财政",
	"国土资源、能源\\土地", "农业、林业、水利\\农业、畜牧业、渔业", "工业、交通\\交通", "商贸、海关、旅游\\国内贸易（含供销）",
	"市场监管、安全生产监管\\市场监管", "城乡建设、环境保护\\城乡建设（含住房）", "城乡建设、环境保护\\环境监测、保护与治理",
	"科技、教育\\教育", "文化、广电、新闻出版\\文化", "卫生、体育\\卫生", "人口与计划生育、妇女儿童工作\\妇女儿童",
	"劳动、人事、监察\\劳动就业", "公安、安全、司法\\司法", "民政、扶贫、救灾\\社会福利", "民政、扶贫、救灾\\减灾救灾"}

var genres = []string{"通知", "通知", "通知", "意见", "意见", "决定", "公告", "通告", "通报", "报告", "批复", "函", "纪要", "命令（令）", "公报", "其他"}

var columns = []string{"zcwj", "zcjd", "ghjh", "czyjs", "rsxx", "zfcg", "ywdt", "tzgg", "gkzn", "gknb", "jytabl", "zdxm", "shjz", "jyjy", "ylws", "hjbh", "aqsc", "spyp", "zfxxgk", "qt"}

// org is one publishing organisation of the synthetic city.
type org struct {
	code, name, abbr string
	path             []string
	site             int64
}

// orgs builds a tree: the city government with its departments, eight
// counties, each with departments and towns.
func orgs() []org {
	city := org{code: "c00", name: "市人民政府", abbr: "示政", path: []string{"c00"}, site: 1}
	out := []org{city}
	for i, name := range issuers[1:] {
		code := fmt.Sprintf("c00-d%02d", i+1)
		out = append(out, org{code: code, name: name, abbr: "示" + string([]rune(name)[1:2]), path: []string{"c00", code}, site: 1})
	}
	for c := 1; c <= 8; c++ {
		cc := fmt.Sprintf("c%02d", c)
		cname := places[c] + "人民政府"
		out = append(out, org{code: cc, name: cname, abbr: string([]rune(places[c])[:1]) + "政", path: []string{"c00", cc}, site: int64(1 + c)})
		for d := 1; d <= 6; d++ {
			code := fmt.Sprintf("%s-d%02d", cc, d)
			dn := places[c] + strings.TrimPrefix(issuers[d*3], "市")
			out = append(out, org{code: code, name: dn, abbr: string([]rune(places[c])[:1]) + string([]rune(issuers[d*3])[1:2]), path: []string{"c00", cc, code}, site: int64(1 + c)})
		}
		for t := 1; t <= 4; t++ {
			code := fmt.Sprintf("%s-t%02d", cc, t)
			out = append(out, org{code: code, name: places[(c+t)%len(places)] + "人民政府", abbr: string([]rune(places[(c+t)%len(places)])[:1]) + "镇", path: []string{"c00", cc, code}, site: int64(1 + c)})
		}
	}
	return out
}

// Generator produces the same documents for the same seed.
type Generator struct {
	r     *rand.Rand
	orgs  []org
	n     int
	docNo map[string]int // per org and year: next 文号 number
	base  time.Time
}

// NewGenerator returns a generator for seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{
		r:     rand.New(rand.NewPCG(seed, seed^0x5eed)),
		orgs:  orgs(),
		docNo: map[string]int{},
		base:  time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
	}
}

func (g *Generator) pick(xs []string) string {
	// mild Zipf-like skew: earlier entries are more frequent
	i := int(float64(len(xs)) * g.r.Float64() * g.r.Float64())
	if g.r.IntN(3) == 0 {
		i = g.r.IntN(len(xs))
	}
	return xs[i]
}

func (g *Generator) fill(s string) string {
	s = strings.ReplaceAll(s, "{N}", strconv.Itoa(1+g.r.IntN(9999)))
	return strings.ReplaceAll(s, "{P}", strconv.Itoa(80+g.r.IntN(21)))
}

func (g *Generator) sentence(subject string) string {
	switch g.r.IntN(5) {
	case 0:
		return g.pick(leads) + "，" + subject + g.pick(actions) + g.pick(matters) + "，" + g.pick(aims) + "。"
	case 1:
		return g.pick(places) + g.pick(actions) + g.pick(matters) + "，" + g.fill(g.pick(figures)) + "，" + g.fill(g.pick(figures)) + "。"
	case 2:
		return subject + "要" + g.pick(actions) + g.pick(matters) + "和" + g.pick(matters) + "，" + g.pick(endings) + "。"
	case 3:
		return g.pick(leads) + "，" + g.fill(g.pick(figures)) + "，" + g.pick(matters) + g.pick(endings) + "。"
	}
	return strconv.Itoa(2016+g.r.IntN(10)) + "年，" + subject + g.pick(actions) + g.pick(matters) + "，" + g.fill(g.pick(figures)) + "，" + g.pick(aims) + "。"
}

func (g *Generator) text(subject string, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(g.sentence(subject))
	}
	return b.String()
}

// Next returns the next document.
func (g *Generator) Next() search.Doc {
	g.n++
	o := g.orgs[g.r.IntN(len(g.orgs))]
	// recent years are more frequent
	age := time.Duration(g.r.Float64()*g.r.Float64()*float64(15*365*24)) * time.Hour
	pub := g.base.Add(-age).Truncate(time.Minute)
	year := pub.Year()
	kind := search.KindDocument
	switch k := g.r.IntN(100); {
	case k < 10:
		kind = search.KindInterpretation
	case k < 12:
		kind = search.KindAnnualReport
	case k < 13:
		kind = search.KindGuide
	}
	matter := g.pick(matters)
	title := o.name + "关于" + g.pick(actions) + matter + "的通知"
	genre := g.pick(genres)
	if kind == search.KindInterpretation {
		title = "《" + o.name + "关于" + g.pick(actions) + matter + "的意见》政策解读"
		genre = ""
	}
	body := g.text(o.name, 1000)
	if g.r.IntN(5) == 0 {
		body += fmt.Sprintf("%s扎实推进%s工作，接受社会监督。", places[g.r.IntN(4)], rareTopics[g.r.IntN(len(rareTopics))])
	}
	d := search.Doc{
		ID:          fmt.Sprintf("%s/%d-%07d", o.code, year, g.n),
		Kind:        kind,
		SiteIDs:     []int64{o.site},
		OrgCode:     o.code,
		OrgPath:     o.path,
		OrgName:     o.name,
		Columns:     []string{columns[g.r.IntN(len(columns))]},
		Topic:       topics[g.r.IntN(len(topics))],
		Genre:       genre,
		Year:        year,
		Validity:    search.Valid,
		Title:       title,
		Keywords:    strings.Trim(matter, "“”《》") + "，" + strings.Trim(g.pick(matters), "“”《》"),
		Summary:     g.sentence(o.name),
		Body:        body,
		PublishedAt: pub,
		URL:         fmt.Sprintf("/zwgk/%s/%d/art_%d.html", o.code, year, g.n),
	}
	if o.site != 1 {
		d.SiteIDs = append(d.SiteIDs, 1) // county documents also appear on the city portal
	}
	switch v := g.r.IntN(100); {
	case v < 10:
		d.Validity = search.Expired
	case v < 17:
		d.Validity = search.Repealed
	case v < 22:
		d.Validity = search.Revised
	}
	if kind == search.KindDocument && g.r.IntN(10) < 7 {
		k := o.code + strconv.Itoa(year)
		g.docNo[k]++
		suffix := []string{"发", "办发", "函", "办函"}[g.r.IntN(4)]
		d.DocNo = fmt.Sprintf("%s%s〔%d〕%d号", o.abbr, suffix, year, g.docNo[k])
	}
	if g.r.IntN(10) == 0 {
		d.AttachmentText = g.text(o.name, 500)
	}
	return d
}

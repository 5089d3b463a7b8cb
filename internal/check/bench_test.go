package check_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"gongkai/internal/check"
)

// benchSize is the amount of generated text the throughput benchmarks check.
const benchSize = 100 << 20

// sentences are written for the benchmark in the register of government
// documents; {…} are filled in at random.
var sentences = []string{
	"{year}年，{org}深入学习贯彻习近平新时代中国特色社会主义思想，全面贯彻落实党的二十大精神，扎实推进各项工作。",
	"根据《中华人民共和国政府信息公开条例》和{org}工作安排，全年主动公开政府信息{n}条，其中规范性文件{m}件。",
	"{org}印发了《{plan}），明确了{m}项重点任务和责任分工。",
	"全市地区生产总值{n}.{m}亿元，比上年增长{m}.{d}%，其中第三产业增加值占比达到{m}.{d}%。",
	"截至{year}年{month}月{day}日，共受理政府信息公开申请{m}件，办结{m}件，按期办结率100%。",
	"要坚持以人民为中心的发展思想，聚焦群众急难愁盼问题，持续推进“放管服”改革和“一网通办”。",
	"各县（市、区）人民政府、市直各单位要高度重视，加强组织领导，压实工作责任，确保各项任务落到实处。",
	"咨询电话：0591-{tel}，联系地址：示范市行政服务中心{m}号楼，网址：www.shifan.gov.cn。",
	"会议指出，要统筹发展和安全，坚决守住不发生规模性返贫的底线，推动乡村振兴取得新进展。",
	"对群众反映的问题，{org}第一时间核实处理，并通过12345政务服务便民热线及时反馈办理结果。",
	"本通知自{year}年{month}月{day}日起施行，有效期{m}年。原《示范市有关工作的若干意见》（{docno}）同时废止。",
	"一是加强统筹协调；二是强化督促检查；三是注重宣传引导，营造良好氛围。",
}

var orgs = []string{"市人民政府办公室", "市发展和改革委员会", "市财政局", "市人力资源和社会保障局", "市住房和城乡建设局", "区政务服务数据管理局"}

// slips are occasional errors, so that the finding paths are exercised.
var slips = []string{
	"截止目前，", "联系电话13812345678。", "示政办发[2023]012号", "其它事项另行通知。", "详见www.fanwen-demo.com。", "〔2023〕**号",
}

var benchText = sync.OnceValue(func() string {
	r := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	b.Grow(benchSize + 4096)
	fill := func(s string) string {
		y := 2018 + r.IntN(7)
		return strings.NewReplacer(
			"{year}", fmt.Sprint(2018+r.IntN(7)),
			"{month}", fmt.Sprint(1+r.IntN(12)),
			"{day}", fmt.Sprint(1+r.IntN(28)),
			"{n}", fmt.Sprint(1000+r.IntN(90000)),
			"{m}", fmt.Sprint(1+r.IntN(99)),
			"{d}", fmt.Sprint(r.IntN(10)),
			"{tel}", fmt.Sprint(80000000+r.IntN(9999999)),
			"{org}", orgs[r.IntN(len(orgs))],
			"{docno}", fmt.Sprintf("示政办发〔%d〕%d号", 2015+r.IntN(9), 1+r.IntN(120)),
			"{plan}", fmt.Sprintf("示范市%d年政务公开工作要点》（示政办发〔%d〕%d号", y, y, 1+r.IntN(120)),
		).Replace(s)
	}
	for b.Len() < benchSize {
		for range 3 + r.IntN(5) {
			b.WriteString(fill(sentences[r.IntN(len(sentences))]))
			if r.IntN(200) == 0 {
				b.WriteString(slips[r.IntN(len(slips))])
			}
		}
		b.WriteString("\n")
	}
	return b.String()
})

// benchWords is a sensitive-word list of realistic size (5 000 words of
// 2–6 characters drawn from CJK Extension A, so that they do not occur in
// the generated text and the benchmark measures scanning, not reporting).
var benchWords = sync.OnceValue(func() []string {
	r := rand.New(rand.NewPCG(3, 5))
	words := make([]string, 5000)
	for i := range words {
		var b strings.Builder
		for range 2 + r.IntN(5) {
			b.WriteRune(rune(0x3400 + r.IntN(0x19B5)))
		}
		words[i] = b.String()
	}
	return words
})

func benchCheck(b *testing.B, cfg check.Config) {
	text := benchText()
	c := mustChecker(b, cfg)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = len(c.Check(text, check.Options{}))
	}
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkDictionaryRules measures the dictionary rules (wrong official and
// common expressions, with the shipped dictionary) over 100 MB.
func BenchmarkDictionaryRules(b *testing.B) {
	benchCheck(b, check.Config{Rules: []string{check.RuleWordingOfficial, check.RuleWordingCommon}})
}

// BenchmarkSensitive measures the sensitive-word rule with 5 000 words.
func BenchmarkSensitive(b *testing.B) {
	benchCheck(b, check.Config{Rules: []string{check.RuleSensitive}, SensitiveWords: benchWords()})
}

// BenchmarkAllRules measures every rule, with the shipped dictionary and
// 5 000 sensitive words, over 100 MB.
func BenchmarkAllRules(b *testing.B) {
	benchCheck(b, check.Config{SensitiveWords: benchWords()})
}

// BenchmarkBuild measures building a Checker with the shipped dictionary
// and 5 000 sensitive words, and reports the automata's memory.
func BenchmarkBuild(b *testing.B) {
	words := benchWords()
	var c *check.Checker
	for b.Loop() {
		c = mustChecker(b, check.Config{SensitiveWords: words})
	}
	b.ReportMetric(float64(c.AutomatonMemory()), "automaton-bytes")
}

// BenchmarkBuildDefault measures building a Checker with the shipped
// dictionary and the sample sensitive words only.
func BenchmarkBuildDefault(b *testing.B) {
	var c *check.Checker
	for b.Loop() {
		c = mustChecker(b, check.Config{SensitiveWords: check.SampleSensitiveWords()})
	}
	b.ReportMetric(float64(c.AutomatonMemory()), "automaton-bytes")
}

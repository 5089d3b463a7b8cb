package annualreport

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Placeholder opens every passage of a draft that only people can write
// (政府信息管理, 平台建设 …). Check refuses to publish text that still holds
// one, so a draft cannot be published unread.
const Placeholder = "【待补充"

// drafts writes the three prose sections from the compiled tables and the
// extra figures. Paragraphs are separated by "\n".
func drafts(r *Report, st *stats) Texts {
	return Texts{
		Overview:     draftOverview(r, st),
		Shortcomings: draftShortcomings(r, st),
		Other:        draftOther(st),
	}
}

func draftOverview(r *Report, st *stats) string {
	y := r.Year
	var paras []string
	paras = append(paras, fmt.Sprintf("%d年，%s认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），坚持以公开为常态、不公开为例外，扎实做好政府信息公开各项工作。现将本机关%d年政府信息公开工作情况报告如下。本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。",
		y, r.Org.Name, y, y, y))

	// （一）主动公开
	var b strings.Builder
	b.WriteString("（一）主动公开。")
	if len(st.published) == 0 {
		b.WriteString(Placeholder + "：本年在政府网站等平台主动公开政府信息的数量和主要栏目】")
	} else {
		cols := append([]ColumnCount(nil), st.published...)
		sort.SliceStable(cols, func(i, j int) bool { return cols[i].Count > cols[j].Count })
		total := 0
		for _, c := range cols {
			total += c.Count
		}
		const shown = 5
		var parts []string
		for i, c := range cols {
			if i == shown {
				break
			}
			parts = append(parts, fmt.Sprintf("“%s”栏目%d条", c.Column, c.Count))
		}
		fmt.Fprintf(&b, "全年在政府网站主动公开政府信息%d条，其中%s", total, strings.Join(parts, "、"))
		if len(cols) > shown {
			b.WriteString("等")
		}
		b.WriteString("。")
	}
	b.WriteString(documentsSentence(r))
	if st.interpretations > 0 {
		fmt.Fprintf(&b, "发布政策解读%d篇。", st.interpretations)
	}
	paras = append(paras, b.String())

	// （二）依申请公开
	b.Reset()
	b.WriteString("（二）依申请公开。")
	t3 := &r.Tables[tApplications]
	s3 := layouts[Format2021][tApplications]
	total := func(key string) int64 { return t3.Rows[s3.row(key)].Values[6].N }
	received, carried, closed, next := total(keyNew), total(keyCarried), total(keyTotal), total(keyNext)
	if received+carried == 0 {
		b.WriteString("全年未收到政府信息公开申请，无上年结转申请。")
	} else {
		fmt.Fprintf(&b, "全年新收政府信息公开申请%d件，上年结转%d件；本年办结%d件，结转下年度继续办理%d件。", received, carried, closed, next)
		switch {
		case st.closedWithDue == 0:
		case st.onTime == st.closedWithDue:
			b.WriteString("办结的申请均在法定期限内答复。")
		default:
			fmt.Fprintf(&b, "办结的申请中，在法定期限内答复%d件，按期答复率为%s。", st.onTime, percent(st.onTime, st.closedWithDue))
		}
	}
	v4 := r.Tables[tAppeals].Rows[0].Values
	s4 := layouts[Format2021][tAppeals]
	appeals := func(k AppealKind) int64 { return v4[s4.col(string(k)+"."+resultTotal)].N }
	reconsideration := appeals(AppealReconsideration)
	litigation := appeals(AppealLitigationDirect) + appeals(AppealLitigationAfterReconsideration)
	if reconsideration+litigation == 0 {
		b.WriteString("本年未发生因政府信息公开工作引起的行政复议、行政诉讼案件。")
	} else {
		fmt.Fprintf(&b, "本年涉及政府信息公开的行政复议案件%d件、行政诉讼案件%d件。", reconsideration, litigation)
	}
	paras = append(paras, b.String())

	paras = append(paras,
		"（三）政府信息管理。"+Placeholder+"：政府信息公开属性认定、公开前保密审查、政策文件清理和动态更新等情况】",
		"（四）政府信息公开平台建设。"+Placeholder+"：政府网站、政务新媒体、政府公报等平台建设和管理情况】")
	if r.Org.Kind == OrgGovernment {
		paras = append(paras, "（五）监督保障。"+Placeholder+"：组织领导、制度建设、教育培训等情况，以及工作考核、社会评议和责任追究结果】")
	} else {
		paras = append(paras, "（五）监督保障。"+Placeholder+"：组织领导、制度建设、教育培训和监督考核等情况】")
	}
	return strings.Join(paras, "\n")
}

// documentsSentence describes block （一） of table 二, leaving out 规章 for
// organs that have never made one (most departments cannot).
func documentsSentence(r *Report) string {
	t := &r.Tables[tDocuments]
	rules, normative := t.Rows[0].Values, t.Rows[1].Values
	hasRules := rules[0].N+rules[1].N+rules[2].N > 0
	if !hasRules && normative[0].N+normative[1].N+normative[2].N == 0 {
		return "本年未制发规章和行政规范性文件。"
	}
	if !hasRules {
		return fmt.Sprintf("本年制发行政规范性文件%d件、废止%d件，截至%d年底现行有效%d件。",
			normative[0].N, normative[1].N, r.Year, normative[2].N)
	}
	return fmt.Sprintf("本年制发规章%d件、行政规范性文件%d件，废止规章%d件、行政规范性文件%d件；截至%d年底，现行有效规章%d件、行政规范性文件%d件。",
		rules[0].N, normative[0].N, rules[1].N, normative[1].N, r.Year, rules[2].N, normative[2].N)
}

func draftShortcomings(r *Report, st *stats) string {
	var issues []string
	if late := st.closedWithDue - st.onTime; late > 0 {
		issues = append(issues, fmt.Sprintf("依申请公开办理时效有待提高，本年有%d件申请未在法定期限内答复", late))
	}
	v4 := r.Tables[tAppeals].Rows[0].Values
	s4 := layouts[Format2021][tAppeals]
	var corrected int64
	for _, g := range appealGroups {
		corrected += v4[s4.col(string(g.kind)+"."+resultCorrected)].N
	}
	if corrected > 0 {
		issues = append(issues, fmt.Sprintf("依申请公开答复的规范性有待加强，本年有%d件行政复议、行政诉讼案件结果被纠正", corrected))
	}
	first := "（一）存在的主要问题。"
	if len(issues) == 0 {
		first += Placeholder + "：结合本机关实际写明存在的主要问题】"
	} else {
		for i, s := range issues {
			if i > 0 {
				first += "；"
			}
			first += ordinal(i+1) + "是" + s
		}
		first += "。"
	}
	return first + "\n（二）改进情况。" + Placeholder + "：针对上述问题采取的改进措施和取得的成效】"
}

func draftOther(st *stats) string {
	fee := "本年度未发出信息处理费收费通知，未收取信息处理费。"
	if st.notices > 0 || st.paid > 0 {
		fee = fmt.Sprintf("依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度发出信息处理费收费通知%d件，总金额%s，实际收取信息处理费%s。",
			st.notices, st.noticeTotal.Yuan(), st.paid.Yuan())
	}
	return fee + "\n除上述事项外，本机关无其他需要报告的事项。"
}

// percent formats n/d as a percentage with at most one decimal, rounded
// down so that a rate below 100% never prints as 100%.
func percent(n, d int) string {
	permille := int64(n) * 1000 / int64(d)
	s := strconv.FormatInt(permille/10, 10)
	if permille%10 != 0 {
		s += "." + strconv.FormatInt(permille%10, 10)
	}
	return s + "%"
}

// ordinal writes 1–99 in Chinese numerals, for 一是、二是.
func ordinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}

package taxonomy

import (
	"fmt"
	"slices"
	"strings"

	"gongkai"
)

// Topic is a 主题分类: a top-level category of the 国务院公文主题分类
// (Sub is empty) or one of its sub-levels. Code is stable and ASCII: two
// digits for the top level, four for a sub-level (综合政务 is "02",
// 综合政务\政务公开 is "0201").
type Topic struct {
	Code string
	Top  string // 一级, e.g. 综合政务
	Sub  string // 二级, e.g. 政务公开; empty for a top-level Topic
}

// Sep separates the levels when a Topic is displayed: `综合政务\政务公开`,
// as gov.cn shows them.
const Sep = `\`

// String returns the display form `一级\二级`, or `一级` for a top-level
// Topic.
func (t Topic) String() string {
	if t.Sub == "" {
		return t.Top
	}
	return t.Top + Sep + t.Sub
}

// IsTop reports whether t is a top-level category.
func (t Topic) IsTop() bool { return t.Sub == "" }

// TopCode returns the code of t's top-level category (t's own code when it
// is one), for filtering a list by 一级 category.
func (t Topic) TopCode() string {
	if len(t.Code) < 2 {
		return t.Code
	}
	return t.Code[:2]
}

// TopicBranch is a top-level Topic and its sub-levels, for a form's grouped
// select or the portal's topic navigation.
type TopicBranch struct {
	Topic
	Children []Topic
}

var topics = loadTopics()

func loadTopics() []Topic {
	var out []Topic
	top := map[string]string{}
	for _, f := range rows("topics.tsv", 2) {
		code, label := f[0], f[1]
		switch len(code) {
		case 2:
			top[code] = label
			out = append(out, Topic{Code: code, Top: label})
		case 4:
			parent, ok := top[code[:2]]
			if !ok {
				panic("taxonomy: topics.tsv: sub-level " + code + " before its parent")
			}
			out = append(out, Topic{Code: code, Top: parent, Sub: label})
		default:
			panic("taxonomy: topics.tsv: bad code " + code)
		}
	}
	return out
}

// Topics returns every Topic in the gov.cn order, each top-level category
// followed by its sub-levels.
func Topics() []Topic { return slices.Clone(topics) }

// TopicTree returns the top-level categories with their sub-levels.
func TopicTree() []TopicBranch {
	var out []TopicBranch
	for _, t := range topics {
		if t.IsTop() {
			out = append(out, TopicBranch{Topic: t})
			continue
		}
		last := &out[len(out)-1]
		last.Children = append(last.Children, t)
	}
	return out
}

// TopicByCode returns the Topic with the given code.
func TopicByCode(code string) (Topic, bool) {
	for _, t := range topics {
		if t.Code == code {
			return t, true
		}
	}
	return Topic{}, false
}

// ParseTopic accepts a code ("0201") or the display form
// ("综合政务\政务公开"). The levels may also be separated by a full-width
// backslash or a slash, with spaces around them, since that is how people
// type them into spreadsheets for bulk import. A top-level label alone
// ("其他") is accepted too; whether a document may stop at the top level
// when sub-levels exist is the caller's rule. Unknown values are an
// EINVALID error on the field "topic".
func ParseTopic(s string) (Topic, error) {
	s = strings.TrimSpace(s)
	if t, ok := TopicByCode(s); ok {
		return t, nil
	}
	top, sub := s, ""
	for _, sep := range []string{Sep, "＼", "/", "／"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			top, sub = strings.TrimSpace(a), strings.TrimSpace(b)
			break
		}
	}
	for _, t := range topics {
		if t.Top == top && t.Sub == sub {
			return t, nil
		}
	}
	if s == "" {
		return Topic{}, gongkai.FieldError("topic", "请选择主题分类。")
	}
	return Topic{}, gongkai.FieldError("topic", fmt.Sprintf("主题分类“%s”不存在，请从国务院公文主题分类中选择，格式如“综合政务\\政务公开”。", s))
}

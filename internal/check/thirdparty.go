package check

// thirdPartyNames are names of commercial document-sharing and ghost-writing
// sites, and phrases such sites stamp on their copies. In a government
// document they mean that text was copied without being cleaned: the
// motivating case is a published report that still carried
// “笔杆儿网www.bgzjy.cn”. The list is short and certain rather than long;
// sites add their own through Config.ThirdPartyNames.
var thirdPartyNames = []string{
	"笔杆儿网",
	"百度文库",
	"道客巴巴",
	"豆丁网",
	"原创力文档",
	"360文库",
	"人人文库",
	"第一范文网",
	"文档投稿赚钱",
	"下载后可编辑",
	"本文档由用户上传",
	"本文来源于网络",
}

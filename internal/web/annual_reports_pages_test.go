package web

func init() {
	pageTypes["admin/annual_report"] = AnnualReportPage{}
	pageTypes["admin/annual_reports"] = AnnualReportsPage{}
	pageTypes["admin/annual_report_overview"] = ReportOverviewPage{}
	pageTypes["admin/annual_report_rollup"] = ReportRollupPage{}
}

package letter

import "gongkai"

// The built-in wording. It follows the structure of the replies organs
// publish (编号, salutation, the receipt and the request, the decision with
// its basis, the remedies, the organ and the date) and the statutory
// elements: the reasons of a refusal (Art. 36 (三)), the responsible organ
// and its contact (Art. 36 (五)), what is withheld and why (Art. 37), the
// remedies of 行政复议 within 60 days and 行政诉讼 within 6 months
// (行政复议法 Art. 20, 行政诉讼法 Art. 46). The texts are written for gongkai,
// not copied from any organ.

const (
	head = ">编号：{编号}\n|{申请人}：\n本机关于{收到日期}收到您提出的政府信息公开申请，申请获取“{申请内容}”。经审查，现答复如下：\n"
	tail = "?{答复正文}\n" +
		"如对本答复不服，您可以自收到本告知书之日起60日内向{复议机关}申请行政复议，也可以自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。\n" +
		"特此告知。\n>{机关}\n>{答复日期}"
	replyTitle = "政府信息公开申请答复告知书"
)

func reply(middle string) Template {
	return Template{Title: replyTitle, Body: head + middle + "\n" + tail}
}

var defaults = map[string]Template{
	ReplyKey(gongkai.OutcomeGranted): reply(
		"您所申请的政府信息属于公开范围。根据{法律依据}的规定，本机关向您提供以下政府信息：{提供信息}。\n" +
			"本机关按照您要求的{载体形式}形式，以{获取方式}方式提供。"),
	ReplyKey(gongkai.OutcomePartiallyGranted): reply(
		"您所申请的政府信息中，{不予公开内容}不予公开，理由是：{理由}。根据{法律依据}的规定，本机关对可以公开的部分予以提供：{提供信息}。\n" +
			"本机关按照您要求的{载体形式}形式，以{获取方式}方式提供。"),
	ReplyKey(gongkai.OutcomeWithheldStateSecret):   withheld("属于国家秘密"),
	ReplyKey(gongkai.OutcomeWithheldProhibited):    withheld("属于法律、行政法规禁止公开的政府信息"),
	ReplyKey(gongkai.OutcomeWithheldThreeSecurity): withheld("公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
	ReplyKey(gongkai.OutcomeWithheldThirdParty):    withheld("公开会损害第三方合法权益"),
	ReplyKey(gongkai.OutcomeWithheldInternal):      withheld("属于行政机关的内部事务信息"),
	ReplyKey(gongkai.OutcomeWithheldProcess):       withheld("属于行政机关在履行行政管理职能过程中形成的过程性信息"),
	ReplyKey(gongkai.OutcomeWithheldEnforcement):   withheld("属于行政执法案卷信息"),
	ReplyKey(gongkai.OutcomeWithheldAdminQuery):    withheld("属于依照法律、行政法规的规定应当通过专门途径查询的信息"),
	ReplyKey(gongkai.OutcomeUnavailableNotHeld): reply(
		"{不掌握说明}\n?根据{法律依据}的规定，特此告知。"),
	ReplyKey(gongkai.OutcomeUnavailableNeedsCreate): reply(
		"您所申请的信息需要本机关对现有政府信息进行加工、分析才能形成，{理由}。根据{法律依据}的规定，本机关不予提供。"),
	ReplyKey(gongkai.OutcomeUnavailableUnclear): reply(
		"?本机关已于{补正通知日期}告知您补正申请内容。\n" +
			"您补正后的申请内容仍不明确，本机关无法确定您所申请的政府信息，{理由}。根据{法律依据}的规定，本机关无法提供。"),
	ReplyKey(gongkai.OutcomeNotProcessedPetition): reply(
		"您提出的申请实质上属于信访、投诉、举报事项，{理由}。根据{法律依据}的规定，本机关不作为政府信息公开申请处理，您可以通过信访、投诉、举报等相应渠道提出。"),
	ReplyKey(gongkai.OutcomeNotProcessedRepeated): reply(
		"您提出的申请与本机关已经答复的政府信息公开申请内容相同，{理由}。根据{法律依据}的规定，本机关不予重复处理。"),
	ReplyKey(gongkai.OutcomeNotProcessedPublication): reply(
		"您所申请的信息属于公开出版物，{理由}。根据{法律依据}的规定，请您通过公开发行的渠道获取。"),
	ReplyKey(gongkai.OutcomeNotProcessedExcessive): reply(
		"您提出的政府信息公开申请的数量、频次明显超过合理范围，{理由}。根据{法律依据}的规定，本机关不予处理。"),
	ReplyKey(gongkai.OutcomeNotProcessedConfirm): reply(
		"您的申请实质上是要求本机关确认或者重新出具您已经获取的信息，{理由}。本机关不作为政府信息公开申请处理。\n?依据：{法律依据}。"),
	ReplyKey(gongkai.OutcomeOtherNoSupplement): reply(
		"?本机关已于{补正通知日期}告知您补正申请内容，补正期限至{补正期限}。\n" +
			"您无正当理由逾期未补正，根据{法律依据}的规定，视为您放弃申请，本机关不再处理您的该项政府信息公开申请。"),
	ReplyKey(gongkai.OutcomeOtherFeeUnpaid): reply(
		"?本机关已于{收费通知日期}向您发出收费通知，缴费期限至{缴费期限}。\n" +
			"您逾期未按收费通知的要求缴纳信息处理费，根据{法律依据}的规定，视为您放弃申请，本机关不再处理您的该项政府信息公开申请。"),
	ReplyKey(gongkai.OutcomeOtherOther): reply(
		"{理由}。\n?依据：{法律依据}。"),

	string(gongkai.LetterSupplement): {Title: "政府信息公开申请补正告知书", Body: ">编号：{编号}\n|{申请人}：\n" +
		"本机关于{收到日期}收到您提出的政府信息公开申请。经审查，您的申请内容不够明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下事项作出补正：\n" +
		"{补正事项}\n" +
		"请您于{补正期限}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。\n" +
		"特此告知。\n>{机关}\n>{日期}"},
	string(gongkai.LetterExtension): {Title: "政府信息公开申请延期答复告知书", Body: ">编号：{编号}\n|{申请人}：\n" +
		"本机关于{收到日期}收到您提出的政府信息公开申请，申请获取“{申请内容}”。\n" +
		"?因{理由}，本机关不能在规定期限内作出答复。\n" +
		"根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{延期天数}个工作日，由{原答复期限}延长至{延期后答复期限}。\n" +
		"特此告知。\n>{机关}\n>{日期}"},
	string(gongkai.LetterThirdParty): {Title: "政府信息公开征求第三方意见书", Body: ">编号：{编号}\n|{第三方}：\n" +
		"本机关于{收到日期}收到政府信息公开申请，申请获取“{申请内容}”。经审查，公开该政府信息可能损害您（单位）的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求您（单位）的意见。\n" +
		"请您（单位）{意见期限}提出是否同意公开的意见；不同意公开的，请说明理由。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。\n" +
		"第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。\n" +
		">{机关}\n>{日期}"},
	string(gongkai.LetterCoMaker): {Title: "政府信息公开征求意见函", Body: ">编号：{编号}\n|{第三方}：\n" +
		"本机关于{收到日期}收到政府信息公开申请，申请获取“{申请内容}”。该政府信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见。\n" +
		"请贵机关{意见期限}提出意见；逾期未提出意见的，视为同意公开。\n" +
		">{机关}\n>{日期}"},
	string(gongkai.LetterFee): {Title: "政府信息公开信息处理费收费通知", Body: ">编号：{编号}\n|{申请人}：\n" +
		"本机关于{收到日期}收到您提出的政府信息公开申请，申请获取“{申请内容}”。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，您的申请需缴纳信息处理费。\n" +
		"收费方式：{收费方式}；计费数量：{收费数量}。\n" +
		"计费明细：{收费明细}。\n" +
		"应缴金额：人民币{收费金额}元。\n" +
		"?缴费方式：{缴费方式}\n" +
		"请您自收到本通知次日起20个工作日内（{缴费期限}前）缴纳。逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。\n" +
		"特此通知。\n>{机关}\n>{日期}"},
}

func withheld(what string) Template {
	return reply("经审查，您所申请的政府信息" + what + "，{理由}。根据{法律依据}的规定，本机关决定不予公开。")
}

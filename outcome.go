package gongkai

// Outcome is how an application for government information was closed
// (办理结果). The codes are exactly the leaf rows of table 三 of the annual
// report (国办公开办函〔2021〕30号), so every closed application is counted in
// exactly one row. The codes are stable: they are stored and used in the API
// and exports.
type Outcome string

// The 21 outcomes, in the order of table 三.
const (
	OutcomeGranted                 = Outcome("granted")                                 // （一）予以公开
	OutcomePartiallyGranted        = Outcome("partially_granted")                       // （二）部分公开
	OutcomeWithheldStateSecret     = Outcome("withheld.state_secret")                   // （三）1
	OutcomeWithheldProhibited      = Outcome("withheld.prohibited_by_law")              // （三）2
	OutcomeWithheldThreeSecurity   = Outcome("withheld.three_securities_one_stability") // （三）3
	OutcomeWithheldThirdParty      = Outcome("withheld.third_party_rights")             // （三）4
	OutcomeWithheldInternal        = Outcome("withheld.internal_affairs")               // （三）5
	OutcomeWithheldProcess         = Outcome("withheld.process_information")            // （三）6
	OutcomeWithheldEnforcement     = Outcome("withheld.law_enforcement_file")           // （三）7
	OutcomeWithheldAdminQuery      = Outcome("withheld.administrative_query")           // （三）8
	OutcomeUnavailableNotHeld      = Outcome("unavailable.not_held")                    // （四）1
	OutcomeUnavailableNeedsCreate  = Outcome("unavailable.needs_creation")              // （四）2
	OutcomeUnavailableUnclear      = Outcome("unavailable.still_unclear")               // （四）3
	OutcomeNotProcessedPetition    = Outcome("not_processed.petition_complaint")        // （五）1
	OutcomeNotProcessedRepeated    = Outcome("not_processed.repeated")                  // （五）2
	OutcomeNotProcessedPublication = Outcome("not_processed.publication")               // （五）3
	OutcomeNotProcessedExcessive   = Outcome("not_processed.excessive")                 // （五）4
	OutcomeNotProcessedConfirm     = Outcome("not_processed.confirm_or_reissue")        // （五）5
	OutcomeOtherNoSupplement       = Outcome("other.no_supplement")                     // （六）1
	OutcomeOtherFeeUnpaid          = Outcome("other.fee_unpaid")                        // （六）2
	OutcomeOtherOther              = Outcome("other.other")                             // （六）3
)

// Outcomes lists every outcome in table order.
var Outcomes = []Outcome{
	OutcomeGranted, OutcomePartiallyGranted,
	OutcomeWithheldStateSecret, OutcomeWithheldProhibited, OutcomeWithheldThreeSecurity, OutcomeWithheldThirdParty,
	OutcomeWithheldInternal, OutcomeWithheldProcess, OutcomeWithheldEnforcement, OutcomeWithheldAdminQuery,
	OutcomeUnavailableNotHeld, OutcomeUnavailableNeedsCreate, OutcomeUnavailableUnclear,
	OutcomeNotProcessedPetition, OutcomeNotProcessedRepeated, OutcomeNotProcessedPublication, OutcomeNotProcessedExcessive, OutcomeNotProcessedConfirm,
	OutcomeOtherNoSupplement, OutcomeOtherFeeUnpaid, OutcomeOtherOther,
}

// Valid reports whether o is one of the 21 outcomes.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes {
		if x == o {
			return true
		}
	}
	return false
}

// ApplicantKind is the column of table 三 an applicant is counted in.
type ApplicantKind string

// The six applicant kinds, in the order of table 三's columns.
const (
	ApplicantNatural    = ApplicantKind("natural")       // 自然人
	ApplicantCommercial = ApplicantKind("commercial")    // 法人或其他组织：商业企业
	ApplicantResearch   = ApplicantKind("research")      // 科研机构
	ApplicantNonprofit  = ApplicantKind("nonprofit")     // 社会公益组织
	ApplicantLegal      = ApplicantKind("legal_service") // 法律服务机构
	ApplicantOtherOrg   = ApplicantKind("other_org")     // 其他
)

// ApplicantKinds lists the kinds in column order.
var ApplicantKinds = []ApplicantKind{ApplicantNatural, ApplicantCommercial, ApplicantResearch, ApplicantNonprofit, ApplicantLegal, ApplicantOtherOrg}

// Valid reports whether k is one of the six kinds.
func (k ApplicantKind) Valid() bool {
	for _, x := range ApplicantKinds {
		if x == k {
			return true
		}
	}
	return false
}

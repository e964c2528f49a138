package csvin

// MessageID names the locale message for a LineError code of this package or
// of the importers built on it. Its text reads {{.Line}}, {{.Field}} and
// {{.Value}} from the LineError. The ids are written out as literals, never
// built from the code, because the locale test looks for every message id as
// a literal in Go code.
func MessageID(code string) string {
	switch code {
	// Read's own codes.
	case "required":
		return "import.error.required"
	case "missing_column":
		return "import.error.missing_column"
	case "duplicate_column":
		return "import.error.duplicate_column"
	case "empty_file":
		return "import.error.empty_file"
	case "bad_csv":
		return "import.error.bad_csv"
	case "not_utf8":
		return "import.error.not_utf8"
	case "bad_xlsx":
		return "import.error.bad_xlsx"
	case "more":
		return "import.error.more"
	// Shared by the member and savings importers.
	case "date_invalid":
		return "import.error.date_invalid"
	// Member import.
	case "number_duplicate":
		return "import.error.number_duplicate"
	case "name_empty":
		return "import.error.name_empty"
	case "number_lookalike":
		return "import.error.number_lookalike"
	case "name_control":
		return "import.error.name_control"
	case "phone_invalid":
		return "import.error.phone_invalid"
	case "phone_not_mobile":
		return "import.error.phone_not_mobile"
	case "phone_duplicate":
		return "import.error.phone_duplicate"
	case "nik_invalid":
		return "import.error.nik_invalid"
	case "lang_invalid":
		return "import.error.lang_invalid"
	case "optin_invalid":
		return "import.error.optin_invalid"
	case "bank_incomplete":
		return "import.error.bank_incomplete"
	case "bank_invalid":
		return "import.error.bank_invalid"
	// Savings import.
	case "member_unknown":
		return "import.error.member_unknown"
	case "kind_invalid":
		return "import.error.kind_invalid"
	case "amount_invalid":
		return "import.error.amount_invalid"
	case "ref_duplicate":
		return "import.error.ref_duplicate"
	case "overdraw":
		return "import.error.overdraw"
	case "withdraw_not_allowed":
		return "import.error.withdraw_not_allowed"
	case "ref_conflict":
		return "import.error.ref_conflict"
	case "date_future":
		return "import.error.date_future"
	case "date_before_join":
		return "import.error.date_before_join"
	case "duplicate_suspect":
		return "import.error.duplicate_suspect"
	// Journal import.
	case "account_invalid":
		return "import.error.account_invalid"
	case "voucher_unbalanced":
		return "import.error.voucher_unbalanced"
	case "date_closed":
		return "import.error.date_closed"
	default:
		// A code added to an importer but not here: still say which line
		// and field, rather than nothing.
		return "import.error.invalid"
	}
}

package ident

// IsMobile reports whether s is a mainland China mobile number: exactly 11
// ASCII digits starting 13–19. Separators, +86 and full-width digits are not
// accepted; normalise first if input may carry them.
func IsMobile(s string) bool {
	return len(s) == 11 && isDigits(s) && s[0] == '1' && s[1] >= '3'
}

// MaskMobile hides the middle of a phone number for publication as local
// rules ask (statutes §12): 13812341234 is shown as 138****1234. Any string
// keeps its first 3 and last 4 characters with the middle masked; strings
// of 7 characters or fewer are masked whole.
func MaskMobile(s string) string { return maskKeep(s, 3, 4) }

// Luhn reports whether s, a string of at least two ASCII digits, passes the
// Luhn (mod 10) check used by bank card numbers.
func Luhn(s string) bool {
	if len(s) < 2 || !isDigits(s) {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

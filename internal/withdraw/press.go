package withdraw

import (
	"strconv"
	"strings"
)

// Press is an officer's button under a request: Setujui, Tolak, or Sudah
// dibayar for approved cash.
type Press struct {
	ID   int64
	Verb Verb
}

// Verb is what a button does.
type Verb string

// The buttons' verbs.
const (
	VerbApprove Verb = "ap"
	VerbReject  Verb = "rj"
	VerbPaid    Verb = "pd"
)

// pressPrefix marks a withdrawal's button data: "wd:ap:17".
const pressPrefix = "wd:"

// Data is a button's data for verb on request id.
func Data(verb Verb, id int64) string {
	return pressPrefix + string(verb) + ":" + strconv.FormatInt(id, 10)
}

// ParsePress reads a button's data, refusing anything kopbot did not make.
func ParsePress(data string) (Press, bool) {
	rest, ok := strings.CutPrefix(data, pressPrefix)
	if !ok {
		return Press{}, false
	}
	verb, idText, _ := strings.Cut(rest, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	switch v := Verb(verb); {
	case err != nil || id <= 0:
		return Press{}, false
	case v == VerbApprove || v == VerbReject || v == VerbPaid:
		return Press{ID: id, Verb: v}, true
	}
	return Press{}, false
}

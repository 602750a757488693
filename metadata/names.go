package metadata

import (
	"strings"

	"github.com/rapportcrm/rapport"
)

// ValidAPIName reports whether name is a well-formed API name without its
// suffix: a letter, then letters, digits and single underscores, not ending in
// an underscore, at most 40 characters (Salesforce's rules).
func ValidAPIName(name string) bool {
	if name == "" || len(name) > 40 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9', c == '_':
			if i == 0 {
				return false
			}
			if c == '_' && (i == len(name)-1 || name[i+1] == '_') {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// CheckCustomName checks the API name of a custom object or field: it must end
// in __c and the part before must be a valid API name.
func CheckCustomName(kind, name string) error {
	base, ok := strings.CutSuffix(name, "__c")
	if !ok {
		return rapport.FieldErrorf(rapport.InvalidField, []string{name},
			"custom %s API name %q must end in __c", kind, name)
	}
	if !ValidAPIName(base) {
		return rapport.FieldErrorf(rapport.InvalidField, []string{name},
			"custom %s API name %q is not valid: use a letter, then letters, digits and single underscores, at most 40 characters, not ending in an underscore", kind, name)
	}
	return nil
}

// RelationshipSuffix turns a custom relationship name into its SOQL form:
// Parent → Parent__r.
func RelationshipSuffix(name string) string {
	if strings.HasSuffix(name, "__r") {
		return name
	}
	return name + "__r"
}

package rapport

import (
	"errors"
	"fmt"
)

// A Code classifies a domain error. Codes are Rapport's own; each maps to
// exactly one Salesforce errorCode at the API edge (restapi holds that table),
// and they are spelled the same way for ease of reading.
type Code string

// The domain error codes.
const (
	Internal                         Code = "UNKNOWN_EXCEPTION"
	RequiredFieldMissing             Code = "REQUIRED_FIELD_MISSING"
	StringTooLong                    Code = "STRING_TOO_LONG"
	InvalidOrNullForRestrictedPick   Code = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
	DuplicateValue                   Code = "DUPLICATE_VALUE"
	InvalidCrossReferenceKey         Code = "INVALID_CROSS_REFERENCE_KEY"
	InvalidField                     Code = "INVALID_FIELD"
	InvalidType                      Code = "INVALID_TYPE"
	InvalidTypeOnFieldInRecord       Code = "INVALID_TYPE_ON_FIELD_IN_RECORD"
	InvalidFieldForInsertUpdate      Code = "INVALID_FIELD_FOR_INSERT_UPDATE"
	InvalidEmailAddress              Code = "INVALID_EMAIL_ADDRESS"
	NumberOutsideValidRange          Code = "NUMBER_OUTSIDE_VALID_RANGE"
	MalformedID                      Code = "MALFORMED_ID"
	EntityIsDeleted                  Code = "ENTITY_IS_DELETED"
	DeleteFailed                     Code = "DELETE_FAILED"
	UndeleteFailed                   Code = "UNDELETE_FAILED"
	NotFound                         Code = "NOT_FOUND"
	MultipleChoices                  Code = "MULTIPLE_CHOICES"
	FieldIntegrityException          Code = "FIELD_INTEGRITY_EXCEPTION"
	AllOrNoneOperationRolledBack     Code = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
	InvalidArgument                  Code = "INVALID_INPUT"
	DuplicateDeveloperName           Code = "DUPLICATE_DEVELOPER_NAME"
	InvalidFieldTypeChange           Code = "FIELD_INTEGRITY_EXCEPTION_TYPE_CHANGE"
	InsufficientAccess               Code = "INSUFFICIENT_ACCESS_OR_READONLY"
	InsufficientAccessCrossRef       Code = "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY"
	InvalidLogin                     Code = "INVALID_LOGIN"
	OrgUnavailable                   Code = "ORG_UNAVAILABLE"
	MalformedQuery                   Code = "MALFORMED_QUERY"
	MalformedSearch                  Code = "MALFORMED_SEARCH"
	InvalidSearch                    Code = "INVALID_SEARCH"
	InvalidQueryLocator              Code = "INVALID_QUERY_LOCATOR"
	APIDisabled                      Code = "API_CURRENTLY_DISABLED"
	InvalidQueryFilterOperator       Code = "INVALID_QUERY_FILTER_OPERATOR"
	UnableToLockRow                  Code = "UNABLE_TO_LOCK_ROW"
	FieldCustomValidationException   Code = "FIELD_CUSTOM_VALIDATION_EXCEPTION"
	CannotInsertUpdateActivateEntity Code = "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY"
)

// Error is a domain failure: a code, a message for people, and the API names
// of the fields involved.
type Error struct {
	Code    Code
	Message string
	Fields  []string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Message
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error that names the fields involved.
func FieldErrorf(code Code, fields []string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Fields: fields}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and Internal
// otherwise.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

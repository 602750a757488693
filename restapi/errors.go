package restapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
)

// Codes of failures that only the API edge knows.
const (
	codeInvalidSession     rapport.Code = "INVALID_SESSION_ID"
	codeJSONParser         rapport.Code = "JSON_PARSER_ERROR"
	codeUnsupportedMedia   rapport.Code = "UNSUPPORTED_MEDIA_TYPE"
	codeMethodNotAllowed   rapport.Code = "METHOD_NOT_ALLOWED"
	codeRequestLimit       rapport.Code = "REQUEST_LIMIT_EXCEEDED"
	codeTooLarge           rapport.Code = "REQUEST_ENTITY_TOO_LARGE"
	codeInvalidLocator     rapport.Code = "INVALID_QUERY_LOCATOR"
	codeProcessingHalted   rapport.Code = "PROCESSING_HALTED"
	codeBatchHalted        rapport.Code = "BATCH_PROCESSING_HALTED"
	codeLimitExceeded      rapport.Code = "LIMIT_EXCEEDED"
	codeInvalidSearch      rapport.Code = "INVALID_SEARCH"
	codeMalformedSearch    rapport.Code = "MALFORMED_SEARCH"
	codeInvalidBatchReq    rapport.Code = "INVALID_BATCH_REQUEST"
	codeServerUnavailable  rapport.Code = "SERVER_UNAVAILABLE"
	codeInvalidOperation   rapport.Code = "INVALID_OPERATION"
	codeInsufficientAccess rapport.Code = "INSUFFICIENT_ACCESS"
	codeReplicationDate    rapport.Code = "INVALID_REPLICATION_DATE"
)

// wire is how a code goes out: Salesforce's errorCode and the HTTP status
// of a single-resource response.
type wire struct {
	errorCode string
	status    int
}

// codes is the one table from Rapport's codes to Salesforce's errorCode
// strings and HTTP statuses. A code missing here goes out as itself with
// 400.
var codes = map[rapport.Code]wire{
	rapport.Internal:                         {"UNKNOWN_EXCEPTION", http.StatusInternalServerError},
	rapport.RequiredFieldMissing:             {"REQUIRED_FIELD_MISSING", http.StatusBadRequest},
	rapport.StringTooLong:                    {"STRING_TOO_LONG", http.StatusBadRequest},
	rapport.InvalidOrNullForRestrictedPick:   {"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", http.StatusBadRequest},
	rapport.DuplicateValue:                   {"DUPLICATE_VALUE", http.StatusBadRequest},
	rapport.InvalidCrossReferenceKey:         {"INVALID_CROSS_REFERENCE_KEY", http.StatusBadRequest},
	rapport.InvalidField:                     {"INVALID_FIELD", http.StatusBadRequest},
	rapport.InvalidType:                      {"INVALID_TYPE", http.StatusBadRequest},
	rapport.InvalidTypeOnFieldInRecord:       {"INVALID_TYPE_ON_FIELD_IN_RECORD", http.StatusBadRequest},
	rapport.InvalidFieldForInsertUpdate:      {"INVALID_FIELD_FOR_INSERT_UPDATE", http.StatusBadRequest},
	rapport.InvalidEmailAddress:              {"INVALID_EMAIL_ADDRESS", http.StatusBadRequest},
	rapport.NumberOutsideValidRange:          {"NUMBER_OUTSIDE_VALID_RANGE", http.StatusBadRequest},
	rapport.MalformedID:                      {"MALFORMED_ID", http.StatusBadRequest},
	rapport.EntityIsDeleted:                  {"ENTITY_IS_DELETED", http.StatusNotFound},
	rapport.DeleteFailed:                     {"DELETE_FAILED", http.StatusBadRequest},
	rapport.UndeleteFailed:                   {"UNDELETE_FAILED", http.StatusBadRequest},
	rapport.NotFound:                         {"NOT_FOUND", http.StatusNotFound},
	rapport.MultipleChoices:                  {"MULTIPLE_CHOICES", http.StatusMultipleChoices},
	rapport.FieldIntegrityException:          {"FIELD_INTEGRITY_EXCEPTION", http.StatusBadRequest},
	rapport.AllOrNoneOperationRolledBack:     {"ALL_OR_NONE_OPERATION_ROLLED_BACK", http.StatusBadRequest},
	rapport.InvalidArgument:                  {"INVALID_INPUT", http.StatusBadRequest},
	rapport.DuplicateDeveloperName:           {"DUPLICATE_DEVELOPER_NAME", http.StatusBadRequest},
	rapport.InvalidFieldTypeChange:           {"FIELD_INTEGRITY_EXCEPTION", http.StatusBadRequest},
	rapport.InsufficientAccess:               {"INSUFFICIENT_ACCESS_OR_READONLY", http.StatusBadRequest},
	rapport.InvalidLogin:                     {"INVALID_LOGIN", http.StatusUnauthorized},
	rapport.OrgUnavailable:                   {"SERVER_UNAVAILABLE", http.StatusServiceUnavailable},
	rapport.MalformedQuery:                   {"MALFORMED_QUERY", http.StatusBadRequest},
	rapport.InvalidQueryFilterOperator:       {"INVALID_QUERY_FILTER_OPERATOR", http.StatusBadRequest},
	rapport.UnableToLockRow:                  {"UNABLE_TO_LOCK_ROW", http.StatusBadRequest},
	rapport.FieldCustomValidationException:   {"FIELD_CUSTOM_VALIDATION_EXCEPTION", http.StatusBadRequest},
	rapport.CannotInsertUpdateActivateEntity: {"CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", http.StatusBadRequest},
	rapport.InsufficientAccessCrossRef:       {"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", http.StatusBadRequest},
	rapport.APIDisabled:                      {"API_CURRENTLY_DISABLED", http.StatusForbidden},

	codeInvalidSession:     {"INVALID_SESSION_ID", http.StatusUnauthorized},
	codeJSONParser:         {"JSON_PARSER_ERROR", http.StatusBadRequest},
	codeUnsupportedMedia:   {"UNSUPPORTED_MEDIA_TYPE", http.StatusUnsupportedMediaType},
	codeMethodNotAllowed:   {"METHOD_NOT_ALLOWED", http.StatusMethodNotAllowed},
	codeRequestLimit:       {"REQUEST_LIMIT_EXCEEDED", http.StatusForbidden},
	codeTooLarge:           {"REQUEST_ENTITY_TOO_LARGE", http.StatusRequestEntityTooLarge},
	codeInvalidLocator:     {"INVALID_QUERY_LOCATOR", http.StatusBadRequest},
	codeProcessingHalted:   {"PROCESSING_HALTED", http.StatusBadRequest},
	codeBatchHalted:        {"BATCH_PROCESSING_HALTED", http.StatusPreconditionFailed},
	codeLimitExceeded:      {"LIMIT_EXCEEDED", http.StatusBadRequest},
	codeInvalidSearch:      {"INVALID_SEARCH", http.StatusBadRequest},
	codeMalformedSearch:    {"MALFORMED_SEARCH", http.StatusBadRequest},
	codeInvalidBatchReq:    {"INVALID_BATCH_REQUEST", http.StatusBadRequest},
	codeServerUnavailable:  {"SERVER_UNAVAILABLE", http.StatusServiceUnavailable},
	codeInvalidOperation:   {"INVALID_OPERATION", http.StatusBadRequest},
	codeInsufficientAccess: {"INSUFFICIENT_ACCESS", http.StatusForbidden},
	codeReplicationDate:    {"INVALID_REPLICATION_DATE", http.StatusBadRequest},
}

func wireOf(code rapport.Code) wire {
	if w, ok := codes[code]; ok {
		return w
	}
	return wire{string(code), http.StatusBadRequest}
}

// apiError is one element of Salesforce's error array.
type apiError struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields"`
}

// saveError is an error inside a SaveResult or a tree result: the code is
// named statusCode there.
type saveError struct {
	StatusCode string   `json:"statusCode"`
	Message    string   `json:"message"`
	Fields     []string `json:"fields"`
}

// newError returns a domain error with one of the codes above.
func newError(code rapport.Code, format string, args ...any) *rapport.Error {
	return rapport.Errorf(code, format, args...)
}

// notFound is the 404 of an unknown resource, object or record.
func notFound() *rapport.Error {
	return newError(rapport.NotFound, "The requested resource does not exist")
}

// classify turns any error into its wire code, status and body element,
// logging internal errors with an error ID that the message repeats.
func (a *API) classify(ctx context.Context, err error) (wire, apiError) {
	var re *rapport.Error
	switch {
	case errors.As(err, &re):
		w := wireOf(re.Code)
		if re.Code == rapport.Internal {
			break
		}
		fields := re.Fields
		if fields == nil {
			fields = []string{}
		}
		return w, apiError{Message: re.Message, ErrorCode: w.errorCode, Fields: fields}
	case errors.Is(err, auth.ErrInvalidSession):
		w := wireOf(codeInvalidSession)
		return w, apiError{Message: "Session expired or invalid", ErrorCode: w.errorCode, Fields: []string{}}
	case isTooLarge(err):
		w := wireOf(codeTooLarge)
		return w, apiError{Message: "Request body exceeds the maximum size", ErrorCode: w.errorCode, Fields: []string{}}
	case errors.Is(err, context.Canceled):
		w := wireOf(codeServerUnavailable)
		return w, apiError{Message: "The request was canceled", ErrorCode: w.errorCode, Fields: []string{}}
	}
	id := errorID()
	a.logger(ctx).ErrorContext(ctx, "internal error", "error_id", id, "error", err)
	w := wireOf(rapport.Internal)
	return w, apiError{
		Message:   "An unexpected error occurred. Please include this ErrorId if you contact support: " + id,
		ErrorCode: w.errorCode, Fields: []string{},
	}
}

func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func errorID() string {
	b := make([]byte, 8)
	rand.Read(b)
	s := hex.EncodeToString(b)
	return s[:8] + "-" + s[8:] + " (" + strings.ToUpper(s[:4]) + ")"
}

// writeError writes err as Salesforce's error array with its status.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	wi, e := a.classify(r.Context(), err)
	writeJSON(w, wi.status, []apiError{e})
}

// saveErrorOf renders err as an error inside a SaveResult.
func (a *API) saveErrorOf(ctx context.Context, err error) saveError {
	_, e := a.classify(ctx, err)
	return saveError{StatusCode: e.ErrorCode, Message: e.Message, Fields: e.Fields}
}

package bulkapi

import (
	"errors"
	"strings"

	"github.com/rapportcrm/rapport"
)

// Codes of Bulk API failures. restapi's code table has no entry for them,
// so they go out as themselves with status 400.
const (
	codeInvalidJob       rapport.Code = "INVALIDJOB"
	codeInvalidJobState  rapport.Code = "INVALIDJOBSTATE"
	codeFeatureDisabled  rapport.Code = "FEATURENOTENABLED"
	codeClientInputError rapport.Code = "CLIENTINPUTERROR"
)

func notStored(job, name string) error {
	return rapport.Errorf(rapport.NotFound, "The requested resource does not exist")
}

func jobNotFound() error {
	return rapport.Errorf(rapport.NotFound, "The requested resource does not exist")
}

func wrongState(j *Job, what string) error {
	return rapport.Errorf(codeInvalidJobState, "%s is not allowed while the job is in state %s", what, j.State)
}

// An ErrorCoder turns a Rapport code into Salesforce's errorCode string
// (restapi.ErrorCode is one).
type ErrorCoder func(rapport.Code) string

// sfError renders a row's error as failedResults' sf__Error column:
// CODE:message:fields --, as in
// "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --".
func sfError(code func(rapport.Code) string, err error) string {
	c := rapport.ErrorCode(err)
	msg := err.Error()
	var fields []string
	if re := asError(err); re != nil {
		msg, fields = re.Message, re.Fields
	}
	var b strings.Builder
	b.WriteString(code(c))
	b.WriteByte(':')
	b.WriteString(msg)
	b.WriteByte(':')
	for _, f := range fields {
		b.WriteString(f)
		b.WriteByte(' ')
	}
	b.WriteString("--")
	return b.String()
}

func asError(err error) *rapport.Error {
	var e *rapport.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

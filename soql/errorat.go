package soql

// ErrorAt returns an error at pos in the query src, for faults found after
// parsing, such as an unknown field found while binding names to metadata.
// Its SalesforceMessage shows the caret under pos.
func ErrorAt(src string, pos Pos, msg string) *Error {
	return &Error{Pos: pos, Msg: msg, src: src}
}

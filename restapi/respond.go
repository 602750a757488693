package restapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

const jsonType = "application/json;charset=UTF-8"

// writeJSON writes v as the response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only our own values are encoded; failing here is a bug.
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`[{"message":"An unexpected error occurred while encoding the response","errorCode":"UNKNOWN_EXCEPTION","fields":[]}]`)
	}
	h := w.Header()
	h.Set("Content-Type", jsonType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// member is one key of a JSON object whose key order matters.
type member struct {
	Key   string
	Value any
}

// object is a JSON object that keeps its keys in order.
type object []member

// MarshalJSON implements json.Marshaler.
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(m.Key)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// get returns the value of key.
func (o object) get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// checkJSONType refuses bodies that declare a type other than JSON (XML
// above all). A missing Content-Type is taken as JSON, as clients often
// leave it out.
func checkJSONType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return newError(codeUnsupportedMedia, "Content-Type %q is not supported", ct)
	}
	if mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/json" {
		return nil
	}
	return newError(codeUnsupportedMedia, "Content-Type %s is not supported: send application/json", mt)
}

// decodeJSON reads the request body into v (numbers as json.Number), and
// fails with JSON_PARSER_ERROR for anything but one JSON value of the
// right shape.
func decodeJSON(r *http.Request, v any) error {
	if err := checkJSONType(r); err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	return parseJSON(body, v)
}

// parseJSON decodes one JSON value into v.
func parseJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return newError(codeJSONParser, "No content to map due to end-of-input")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if dec.More() {
		return newError(codeJSONParser, "Unexpected content after the JSON value at [line:1, column:%d]", dec.InputOffset()+1)
	}
	if _, err := dec.Token(); err != io.EOF {
		return newError(codeJSONParser, "Unexpected content after the JSON value at [line:1, column:%d]", dec.InputOffset()+1)
	}
	return nil
}

func jsonError(body []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(body, syn.Offset)
		return newError(codeJSONParser, "%s at [line:%d, column:%d]", syn.Error(), line, col)
	case errors.As(err, &typ):
		line, col := position(body, typ.Offset)
		what := typ.Field
		if what == "" {
			what = "the request"
		}
		return newError(codeJSONParser, "Cannot deserialize %s from JSON %s at [line:%d, column:%d]", what, typ.Value, line, col)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		line, col := position(body, int64(len(body)))
		return newError(codeJSONParser, "Unexpected end-of-input at [line:%d, column:%d]", line, col)
	}
	if isTooLarge(err) {
		return err
	}
	return newError(codeJSONParser, "%s", fmt.Sprint(err))
}

func position(body []byte, off int64) (int, int) {
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	line, col := 1, 1
	for _, c := range body[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

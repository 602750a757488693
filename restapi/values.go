package restapi

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// Salesforce's JSON datetime: UTC, milliseconds, +0000 without a colon.
const dateTimeJSON = "2006-01-02T15:04:05.000+0000"

// valueJSON renders a canonical value (see package record) of field f as
// Salesforce's JSON does. f may be nil (aggregates).
func valueJSON(f *metadata.Field, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case rapport.ID:
		return string(x)
	case time.Time:
		return x.UTC().Format(dateTimeJSON)
	case float64:
		return numberJSON(f, x)
	case string:
		if f != nil && f.Type == metadata.TypeTime {
			return timeJSON(x)
		}
		return x
	}
	return v
}

// numberJSON prints integers of scale-0 fields without a fraction and
// other numbers as doubles ("5.0"), as Salesforce does.
func numberJSON(f *metadata.Field, x float64) json.RawMessage {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return json.RawMessage("null")
	}
	if x == math.Trunc(x) && math.Abs(x) < 1e18 {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if f == nil || f.Scale == 0 {
			return json.RawMessage(s)
		}
		return json.RawMessage(s + ".0")
	}
	return json.RawMessage(strconv.FormatFloat(x, 'g', -1, 64))
}

// timeJSON turns "13:30:00.000" into "13:30:00.000Z".
func timeJSON(s string) string {
	if strings.HasSuffix(s, "Z") {
		return s
	}
	return s + "Z"
}

func recordURL(version, object, id string) string {
	return "/services/data/" + version + "/sobjects/" + object + "/" + id
}

// recordJSON renders a record read through the record service: attributes,
// then every field of the object in describe order (null when not read).
func recordJSON(version string, rec *record.Record, only []*metadata.Field) object {
	obj := rec.Object
	fields := only
	if fields == nil {
		fields = obj.LiveFields()
	}
	out := make(object, 0, len(fields)+1)
	out = append(out, member{"attributes", object{{"type", obj.Name}, {"url", recordURL(version, obj.Name, string(rec.ID))}}})
	for _, f := range fields {
		out = append(out, member{f.Name, valueJSON(f, rec.Values[f.Name])})
	}
	return out
}

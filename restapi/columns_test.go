package restapi_test

import (
	"net/url"
	"testing"
)

// TestColumnMetadataGroupBy: in columnMetadata a GROUP BY field is not an
// aggregate (Salesforce answers aggregate:false for it; plugin-data's
// test/test-files/queryFields.exemplars.ts, aggregateQuery). The sf CLI
// renames expr0, expr1, … after the i-th column marked aggregate, so a
// GROUP BY field marked aggregate:true shifts every function column:
// "sf data query -q 'SELECT Name, COUNT(Id) FROM Account GROUP BY Name'"
// printed the counts under NAME and an empty COUNT(ID) column.
func TestColumnMetadataGroupBy(t *testing.T) {
	h := queryHarness(t)
	h.create("Account", `{"Name":"G","NumberOfEmployees":3}`)
	res := h.do("GET", v+"/query?columns=true&q="+url.QueryEscape("SELECT Name, COUNT(Id), MAX(NumberOfEmployees) mx FROM Account GROUP BY Name"), "")
	want(t, "status", res.status, 200)
	cols := res.obj()["columnMetadata"].([]any)
	if len(cols) != 3 {
		t.Fatalf("columnMetadata has %d columns: %s", len(cols), res.body)
	}
	for i, w := range []struct {
		name, display string
		aggregate     bool
	}{
		{"Name", "Name", false},
		{"expr0", "count(Id)", true},
		{"mx", "max(NumberOfEmployees)", true},
	} {
		c := cols[i].(map[string]any)
		want(t, "columnName", c["columnName"].(string), w.name)
		want(t, w.name+" displayName", c["displayName"].(string), w.display)
		want(t, w.name+" aggregate", c["aggregate"].(bool), w.aggregate)
	}
}

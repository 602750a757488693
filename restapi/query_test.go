package restapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

func TestResultJSON(t *testing.T) {
	name := &metadata.Field{Name: "Name", Type: metadata.TypeText}
	emp := &metadata.Field{Name: "NumberOfEmployees", Type: metadata.TypeNumber, Precision: 8}
	amount := &metadata.Field{Name: "Amount", Type: metadata.TypeCurrency, Precision: 18, Scale: 2}
	created := &metadata.Field{Name: "CreatedDate", Type: metadata.TypeDateTime}
	start := &metadata.Field{Name: "Start__c", Type: metadata.TypeTime}
	res := &query.Result{TotalSize: 3000, Done: false, Locator: "01gRO000000loc1AAA-2000", Records: []*query.Record{{
		Type: "Account", ID: rapport.ID("001000000000001AAA"),
		Fields: []query.Value{
			{Name: "Name", Field: name, Value: "Acme"},
			{Name: "NumberOfEmployees", Field: emp, Value: 5.0},
			{Name: "Amount", Field: amount, Value: 12.0},
			{Name: "CreatedDate", Field: created, Value: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Name: "Start__c", Field: start, Value: "13:30:00.000"},
			{Name: "Owner", Value: &query.Record{Type: "User", ID: "005000000000001AAA", Fields: []query.Value{{Name: "Name", Field: name, Value: "Ada"}}}},
			{Name: "Parent", Value: (*query.Record)(nil)},
			{Name: "Contacts", Value: &query.Result{TotalSize: 1, Done: true, Records: []*query.Record{{Type: "Contact", ID: "003000000000001AAA", Fields: []query.Value{{Name: "Name", Field: name, Value: nil}}}}}},
			{Name: "Cases", Value: (*query.Result)(nil)},
		},
	}, {
		Type: "AggregateResult", Fields: []query.Value{{Name: "expr0", Value: int64(42)}},
	}}}
	b, err := json.Marshal(resultJSON("v64.0", res))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"totalSize":3000,"done":false,"nextRecordsUrl":"/services/data/v64.0/query/01gRO000000loc1AAA-2000","records":[` +
		`{"attributes":{"type":"Account","url":"/services/data/v64.0/sobjects/Account/001000000000001AAA"},"Name":"Acme","NumberOfEmployees":5,"Amount":12.0,` +
		`"CreatedDate":"2026-01-01T00:00:00.000+0000","Start__c":"13:30:00.000Z",` +
		`"Owner":{"attributes":{"type":"User","url":"/services/data/v64.0/sobjects/User/005000000000001AAA"},"Name":"Ada"},"Parent":null,` +
		`"Contacts":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact","url":"/services/data/v64.0/sobjects/Contact/003000000000001AAA"},"Name":null}]},"Cases":null},` +
		`{"attributes":{"type":"AggregateResult"},"expr0":42}]}`
	if string(b) != want {
		t.Errorf("resultJSON =\n%s\nwant\n%s", b, want)
	}

	cols, err := json.Marshal(columnsJSON([]query.Column{
		{Name: "Name", Type: "String", Text: true, Insertable: true, Updatable: true},
		{Name: "Owner", ForeignKey: "OwnerId", Join: []query.Column{{Name: "Name", Type: "String", Text: true}}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	wantCols := `{"columnMetadata":[{"aggregate":false,"apexType":"String","booleanType":false,"columnName":"Name","custom":false,"displayName":"Name","foreignKeyName":null,"insertable":true,"joinColumns":[],"numberType":false,"textType":true,"updatable":true},` +
		`{"aggregate":false,"apexType":null,"booleanType":false,"columnName":"Owner","custom":false,"displayName":"Owner","foreignKeyName":"OwnerId","insertable":false,"joinColumns":[{"aggregate":false,"apexType":"String","booleanType":false,"columnName":"Name","custom":false,"displayName":"Name","foreignKeyName":null,"insertable":false,"joinColumns":[],"numberType":false,"textType":true,"updatable":false}],"numberType":false,"textType":false,"updatable":false}]}`
	if string(cols) != wantCols {
		t.Errorf("columnsJSON =\n%s\nwant\n%s", cols, wantCols)
	}
	if n := batchSize("batchSize=500"); n != 500 {
		t.Errorf("batchSize = %d", n)
	}
}

// The query service is the Querier server wires in.
var _ Querier = (*query.Service)(nil)

package restapi

import (
	"testing"
)

func FuzzParseSOAP(f *testing.F) {
	f.Add([]byte(`<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>a@b.c</username><password>p</password></login></se:Body></se:Envelope>`))
	f.Add([]byte(`<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>x</sessionId></SessionHeader></env:Header><env:Body><n1:logout xmlns:n1="urn:partner.soap.sforce.com"/></env:Body></env:Envelope>`))
	f.Add([]byte(`<x/>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseSOAP(body)
		if err == nil && req.Operation == "" {
			t.Fatalf("parseSOAP(%q) has no operation and no error", body)
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"Name":"Acme","NumberOfEmployees":5}`))
	f.Add([]byte(`{"allOrNone":true,"records":[{"attributes":{"type":"Account"},"Name":"x"}]}`))
	f.Add([]byte(`{"Name":`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte(`{"a":12345678901234567890123}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var m map[string]any
		_ = parseJSON(body, &m)
		var c collectionBody
		_ = parseJSON(body, &c)
		if s, err := resolve(string(body), map[string]any{"ref": map[string]any{"id": "001", "records": []any{map[string]any{"Id": "x"}}}}, true); err == nil && len(s) > 10*len(body)+100 {
			t.Fatalf("resolve grew %d bytes to %d", len(body), len(s))
		}
	})
}

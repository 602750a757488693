// Package restapi serves Salesforce's own APIs over Rapport: the SOAP
// partner login, OAuth 2.0, the identity URLs and the REST API under
// /services/data/vNN.0, so that jsforce, the sf CLI and simpleforce work
// unchanged. Wire formats follow salesforce-compat.md; server/routes.go
// mounts every handler.
//
// # Endpoints
//
//	POST /services/Soap/u/{NN.0}[/{orgId}]     SOAP login and logout
//	POST /services/oauth2/token                password, refresh_token, client_credentials
//	POST|GET /services/oauth2/revoke           token=…
//	GET  /services/oauth2/userinfo             Bearer
//	GET  /id/{orgId}/{userId}                  Bearer or ?oauth_token=…
//	GET  /services/data                        versions 31.0 … 64.0
//	GET  /services/data/vNN.0                  resource map
//	GET  …/limits
//	GET  …/sobjects                            describeGlobal
//	GET  …/sobjects/{Obj}                      basic info
//	GET  …/sobjects/{Obj}/describe
//	GET  …/sobjects/{Obj}/updated, …/deleted  ?start=…&end=… (replication.go)
//	POST …/sobjects/{Obj}[/], …/sobjects/{Obj}/Id
//	GET|HEAD|PATCH|DELETE …/sobjects/{Obj}/{id}
//	GET|PATCH …/sobjects/{Obj}/{extField}/{value}
//	POST|PATCH|DELETE …/composite/sobjects
//	GET|POST …/composite/sobjects/{Obj}        retrieve
//	PATCH …/composite/sobjects/{Obj}/{extField} upsert
//	POST …/composite, …/composite/batch, …/composite/tree/{Obj}
//	GET  …/tooling/sobjects[/{type}], POST …/tooling/sobjects/{CustomObject|CustomField}
//	GET  …/tooling/query                       400 INVALID_TYPE for every object
//	GET  …/query, …/queryAll, …/query/{locator}   only when a Querier is given
//	GET  …/recent[?limit=n]                    only when a Querier is given; recently modified by the user
//
// # Errors
//
// Failures are Salesforce's non-empty array [{"message","errorCode",
// "fields"}] with Content-Type application/json;charset=UTF-8. The table
// codes in errors.go maps each rapport.Code (and the few codes only this
// package knows) to its errorCode and HTTP status; collections and trees
// name the code statusCode. Internal errors are 500 UNKNOWN_EXCEPTION with
// an error ID that is logged with the cause. Field values and secrets are
// never logged.
//
// # Tooling
//
// Custom objects and fields are created with the Metadata JSON shapes:
//
//	POST …/tooling/sobjects/CustomObject
//	{"FullName":"Session__c","Metadata":{"label":"Session","pluralLabel":"Sessions",
//	  "description":"…","enableHistory":false,
//	  "nameField":{"type":"Text","label":"Session Name"}}}   (or {"type":"AutoNumber","displayFormat":"S-{0000}","startingNumber":1})
//
//	POST …/tooling/sobjects/CustomField
//	{"FullName":"Session__c.Seats__c","Metadata":{"type":"Number","label":"Seats",
//	  "precision":18,"scale":0,"required":false,"unique":false,"externalId":false,
//	  "length":…,"visibleLines":…,"defaultValue":…,"inlineHelpText":…,"description":…,
//	  "referenceTo":"Account","relationshipName":"Sessions","deleteConstraint":"SetNull",
//	  "valueSet":{"restricted":true,"valueSetDefinition":{"sorted":false,
//	    "value":[{"fullName":"Sales","label":"Sales","default":true}]}},
//	  "displayFormat":…,"startingNumber":…,"trackHistory":false}}
//
// type is a metadata.FieldType name (Text, TextArea, LongTextArea, Html,
// Email, Phone, Url, Number, Currency, Percent, Checkbox, Date, DateTime,
// Time, Picklist, MultiselectPicklist, Lookup, MasterDetail, AutoNumber).
// Both answer 201 {"id","success":true,"errors":[]}; the id (01I…, 00N…)
// is not yet addressable. Any other Tooling type is 400 INVALID_TYPE.
//
// # Composite requests
//
// POST /composite runs its subrequests in order through the server's own
// handlers, as the caller, without counting them against the daily limit.
// References @{ref.field} and @{ref.records[0].Id} are replaced in URLs and
// bodies. The record service has no transaction spanning several calls, so
// allOrNone is kept by compensation: when a subrequest fails, what the
// earlier ones did is undone newest first (created records are
// hard-deleted, deleted records undeleted, updated records get their
// previous writable values back), the failed item keeps its error and every
// other item becomes 400 PROCESSING_HALTED. Another client may see the
// intermediate state, audit fields and history keep the undo, and a record
// created then referenced elsewhere is removed with its cascade. The same
// compensation keeps all-or-none across the object types of one sObject
// Collections create; an all-or-none collection update must name one object
// type. sObject Tree creates level by level and removes what it created
// when any record fails.
//
// # Limits
//
// Each org's requests under /services/data count against a daily limit
// (Options.DailyAPIRequests, 15,000 by default); every REST response
// carries Sforce-Limit-Info: api-usage=USED/MAX, and a request over the
// limit is 403 REQUEST_LIMIT_EXCEEDED. Bodies are bounded by
// Options.MaxBodyBytes (10 MB; 413 beyond).
package restapi

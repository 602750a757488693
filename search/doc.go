// Package search runs SOSL (package sosl) for the principal in the
// context. The org's full-text index (an Index: sqlstore keeps one, current
// with every write) finds the records whose words match the term in the
// fields of the search's scope; then, for each RETURNING object, a SOQL
// query through the query service fetches the requested fields of the
// records found, restricted to their Ids and filtered by the object's
// WHERE, so that object, field and record access apply exactly as they do
// to SOQL.
//
// Records come back by relevance, unless the object has ORDER BY. The
// index hands over the MaxMatches (2,000) most relevant matches of each
// object; WHERE, ORDER BY, LIMIT and OFFSET apply to those, as Salesforce
// applies them to what its search engine returns. The whole search returns
// at most 2,000 records (LIMIT), the objects in RETURNING order, each
// object's records filling what the objects before it left.
//
// Errors: a syntax error is MALFORMED_SEARCH with the caret message; a
// term of fewer than two letters or digits is INVALID_SEARCH ("search term
// must be longer than one character"); an object that does not exist, may
// not be read or is not searchable is INVALID_TYPE; the query service's
// errors (INVALID_FIELD, …) pass through, its MALFORMED_QUERY as
// MALFORMED_SEARCH. A term longer than 10,000 characters finds nothing.
// WITH clauses and UPDATE TRACKING/VIEWSTAT are accepted and ignored.
package search

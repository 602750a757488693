// Package rapport holds the few types every layer of Rapport shares: record IDs
// ([ID]), domain errors with codes ([Error], [Code]) and the principal acting in
// a request ([Principal], carried in a context.Context).
//
// Rapport is an open-source, Salesforce-compatible CRM platform. Each lower layer
// (metadata, soql, record, sqlite, postgres, …) builds on this package and on
// nothing above it; see DESIGN.md and STYLE.md in the shared design folder.
package rapport

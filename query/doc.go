// Package query runs SOQL: it binds a parsed query (package soql) to the
// org's metadata and the principal's access, compiles it to SQL for the
// store's dialect with every literal a bound parameter and every identifier
// taken from metadata, runs it, and shapes the rows as Salesforce returns
// them (see Result). Large results page through locators.
package query

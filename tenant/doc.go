// Package tenant creates and runs orgs: an org's row in the system
// database, its namespace, its standard metadata, its Organization record and
// first user, and the logins and connected apps that name it.
package tenant

module github.com/rapportcrm/rapport

go 1.26

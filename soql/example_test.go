package soql_test

import (
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport/soql"
)

func ExampleParse() {
	q, err := soql.Parse("select id, (select LastName from Contacts) from Account where Name like 'Ac%' and (not Industry = null) order by Name desc nulls last limit 10")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.From.Object.Name, len(q.Fields), q.Limit.Value)
	fmt.Println(q)
	// Output:
	// Account 2 10
	// SELECT id, (SELECT LastName FROM Contacts) FROM Account WHERE Name LIKE 'Ac%' AND (NOT Industry = NULL) ORDER BY Name DESC NULLS LAST LIMIT 10
}

func ExampleError_SalesforceMessage() {
	_, err := soql.Parse("SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Rating = 'Hot'")
	var e *soql.Error
	if errors.As(err, &e) {
		fmt.Println(e.SalesforceMessage())
	}
	// Output:
	// SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Rating = 'Hot'
	//                                                        ^
	// ERROR at Row:1:Column:56
	// unexpected token: OR
}

func ExampleQuote() {
	fmt.Println("SELECT Id FROM Contact WHERE LastName = " + soql.Quote("O'Brien"))
	// Output:
	// SELECT Id FROM Contact WHERE LastName = 'O\'Brien'
}

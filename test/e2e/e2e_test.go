// Package e2e_test drives the web app in a real headless Chromium: each
// test is what a person does in the browser, and asserts both what they
// see and what was saved.
package e2e_test

import (
	"strings"
	"testing"
)

func TestSignIn(t *testing.T) {
	w := sharedWorld(t)
	tb := w.open(t)

	// An unauthenticated page sends the browser to sign in.
	tb.goTo("/home")
	if p := tb.path(); !strings.HasPrefix(p, "/login") {
		t.Fatalf("/home signed out went to %s, want /login", p)
	}
	tb.waitPage("login")
	tb.shot("login")

	// A wrong password keeps the browser on the form with the error, and
	// the username filled in.
	tb.typeInto("#username", w.demo.Username)
	tb.typeInto("#password", "not the password")
	tb.click(`form[action="/login"] button[type=submit]`)
	tb.waitFor(".form-error")
	tb.mustSee("username or password is not right")
	if got := tb.value("#username"); got != w.demo.Username {
		t.Errorf("username after a failed sign-in = %q, want %q", got, w.demo.Username)
	}
	if tb.has("body.page-home") {
		t.Fatal("a wrong password signed in")
	}

	// The right one opens the home page, with the user's name.
	tb.signInAdmin()
	tb.mustSee("Dana")
	if p := tb.path(); p != "/home" {
		t.Errorf("signed in at %s, want /home", p)
	}
	tb.shot("home")

	// Signing out ends the session: home sends to sign in again.
	tb.click("details.user-menu summary")
	tb.click(`form[action="/logout"] button`)
	tb.waitPage("login")
	tb.mustSee("You have signed out.")
	tb.goTo("/home")
	if p := tb.path(); !strings.HasPrefix(p, "/login") {
		t.Errorf("/home after sign-out went to %s", p)
	}
}

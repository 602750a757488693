package restapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
)

const (
	nsEnvelope = "http://schemas.xmlsoap.org/soap/envelope/"
	nsPartner  = "urn:partner.soap.sforce.com"
	// maxSOAPBytes bounds a SOAP request: a login is a few hundred bytes.
	maxSOAPBytes = 64 << 10
)

// soapRequest is what a SOAP partner call carries that we read.
type soapRequest struct {
	Operation string // login, logout
	Username  string
	Password  string
	SessionID string // SessionHeader/sessionId
}

// parseSOAP reads a SOAP 1.1 envelope namespace-aware: any prefixes, a
// default namespace or none on the operation's children.
func parseSOAP(body []byte) (soapRequest, error) {
	var req soapRequest
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	var path []xml.Name
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return req, fmt.Errorf("malformed SOAP request: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) >= 16 {
				return req, errors.New("malformed SOAP request: too deep")
			}
			path = append(path, t.Name)
			text.Reset()
			if len(path) == 1 && (t.Name.Space != nsEnvelope || t.Name.Local != "Envelope") {
				return req, errors.New("malformed SOAP request: not a SOAP 1.1 envelope")
			}
			if len(path) == 3 && path[1].Local == "Body" && path[1].Space == nsEnvelope && req.Operation == "" {
				if t.Name.Space == nsPartner {
					req.Operation = t.Name.Local
				} else {
					req.Operation = "{" + t.Name.Space + "}" + t.Name.Local
				}
			}
		case xml.CharData:
			if text.Len()+len(t) <= 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case len(path) == 4 && path[1].Local == "Body" && path[2].Local == "login":
				switch t.Name.Local {
				case "username":
					req.Username = strings.TrimSpace(text.String())
				case "password":
					req.Password = text.String()
				}
			case len(path) == 4 && path[1].Local == "Header" && path[2].Local == "SessionHeader" && t.Name.Local == "sessionId":
				req.SessionID = strings.TrimSpace(text.String())
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
	if req.Operation == "" {
		return req, errors.New("malformed SOAP request: no operation in the Body")
	}
	return req, nil
}

// SOAP serves POST /services/Soap/u/{version}[/{org}]: the partner API's
// login and logout.
func (a *API) SOAP() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ver := r.PathValue("version")
		if _, ok := parseBareVersion(ver); !ok {
			writeFault(w, http.StatusInternalServerError, "UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL", false)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSOAPBytes))
		if err != nil {
			writeFault(w, http.StatusInternalServerError, "INVALID_REQUEST", "request too large or unreadable", false)
			return
		}
		req, err := parseSOAP(body)
		if err != nil {
			writeFault(w, http.StatusInternalServerError, "soapenv:Client", err.Error(), false)
			return
		}
		switch req.Operation {
		case "login":
			a.soapLogin(w, r, ver, req)
		case "logout":
			if req.SessionID != "" {
				if err := a.auth.Revoke(r.Context(), req.SessionID); err != nil && !errors.Is(err, auth.ErrInvalidGrant) {
					a.logger(r.Context()).ErrorContext(r.Context(), "soap logout", "error", err)
				}
			}
			writeSOAP(w, `<logoutResponse/>`)
		default:
			writeFault(w, http.StatusInternalServerError, "sf:INVALID_OPERATION", "INVALID_OPERATION: the operation is not supported: "+req.Operation, false)
		}
	}
}

func (a *API) soapLogin(w http.ResponseWriter, r *http.Request, ver string, req soapRequest) {
	ctx := r.Context()
	id, err := a.auth.Login(ctx, auth.Attempt{
		Username: req.Username, Password: req.Password, Method: "SOAP", SourceIP: clientIP(r), UserAgent: r.UserAgent(),
	})
	if err == nil {
		err = a.usable(ctx, id)
	}
	if err != nil {
		var re *rapport.Error
		if errors.As(err, &re) {
			code := wireOf(re.Code).errorCode
			writeFault(w, http.StatusInternalServerError, "sf:"+code, code+": "+re.Message, true)
			return
		}
		_, e := a.classify(ctx, err)
		writeFault(w, http.StatusInternalServerError, "sf:UNKNOWN_EXCEPTION", "UNKNOWN_EXCEPTION: "+e.Message, false)
		return
	}
	sess, err := a.auth.NewSession(ctx, id.OrgID, id.UserID, "", "")
	if err != nil {
		_, e := a.classify(ctx, err)
		writeFault(w, http.StatusInternalServerError, "sf:UNKNOWN_EXCEPTION", "UNKNOWN_EXCEPTION: "+e.Message, false)
		return
	}
	u, err := a.loadUser(ctx, id.OrgID, id.UserID)
	if err != nil {
		_, e := a.classify(ctx, err)
		writeFault(w, http.StatusInternalServerError, "sf:UNKNOWN_EXCEPTION", "UNKNOWN_EXCEPTION: "+e.Message, false)
		return
	}
	origin := a.origin(r)
	org15 := id.OrgID.Short()
	var b strings.Builder
	el := func(name, value string) {
		b.WriteString("<" + name + ">")
		xml.EscapeText(&b, []byte(value))
		b.WriteString("</" + name + ">")
	}
	nilEl := func(name, value string) {
		if value == "" {
			b.WriteString("<" + name + ` xsi:nil="true"/>`)
			return
		}
		el(name, value)
	}
	b.WriteString("<loginResponse><result>")
	el("metadataServerUrl", origin+"/services/Soap/m/"+ver+"/"+org15)
	el("passwordExpired", "false")
	el("sandbox", "false")
	el("serverUrl", origin+"/services/Soap/u/"+ver+"/"+org15)
	el("sessionId", sess.Token)
	el("userId", string(id.UserID))
	b.WriteString("<userInfo>")
	el("accessibilityMode", "false")
	el("chatterExternal", "false")
	el("currencySymbol", currencySymbol(u.Currency))
	el("orgAttachmentFileSizeLimit", "5242880")
	el("orgDefaultCurrencyIsoCode", u.OrgCurrency)
	el("orgDefaultCurrencyLocale", u.OrgLocale)
	el("orgDisallowHtmlAttachments", "false")
	el("orgHasPersonAccounts", "false")
	el("organizationId", string(id.OrgID))
	el("organizationMultiCurrency", "false")
	el("organizationName", u.OrgName)
	nilEl("profileId", u.ProfileID)
	nilEl("roleId", u.RoleID)
	el("sessionSecondsValid", fmt.Sprint(int(a.auth.Options().SessionTimeout/time.Second)))
	el("userDefaultCurrencyIsoCode", u.Currency)
	el("userEmail", u.Email)
	el("userFullName", u.FullName)
	el("userId", string(id.UserID))
	el("userLanguage", u.Language)
	el("userLocale", u.Locale)
	el("userName", u.Username)
	el("userTimeZone", u.TimeZone)
	el("userType", u.UserType)
	el("userUiSkin", "Theme3")
	b.WriteString("</userInfo></result></loginResponse>")
	writeSOAP(w, b.String())
}

func currencySymbol(code string) string {
	switch code {
	case "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "JPY", "CNY":
		return "¥"
	case "INR":
		return "₹"
	}
	return code
}

func writeSOAP(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="`+nsEnvelope+
		`" xmlns="`+nsPartner+`" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`+body+`</soapenv:Body></soapenv:Envelope>`)
}

// writeFault writes a SOAP fault; login faults carry a LoginFault detail.
func writeFault(w http.ResponseWriter, status int, code, message string, login bool) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + nsEnvelope +
		`" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>`)
	xml.EscapeText(&b, []byte(code))
	b.WriteString("</faultcode><faultstring>")
	xml.EscapeText(&b, []byte(message))
	b.WriteString("</faultstring>")
	if login {
		exc, msg, _ := strings.Cut(message, ": ")
		b.WriteString(`<detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>`)
		xml.EscapeText(&b, []byte(exc))
		b.WriteString("</sf:exceptionCode><sf:exceptionMessage>")
		xml.EscapeText(&b, []byte(msg))
		b.WriteString("</sf:exceptionMessage></sf:LoginFault></detail>")
	}
	b.WriteString("</soapenv:Fault></soapenv:Body></soapenv:Envelope>")
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

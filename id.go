package rapport

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"time"
)

// An ID is a Salesforce-style record ID in its 18-character form: a 3-character
// key prefix naming the object, 12 base-62 characters, and a 3-character suffix
// that records which of the first 15 characters are upper case, so that the
// 18-character form survives case-insensitive handling.
type ID string

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

const suffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// EmptyID is Salesforce's reserved empty key.
const EmptyID ID = "000000000000000AAA"

// ParseID accepts a 15-character (case-sensitive) or 18-character ID and
// returns its 18-character form. An 18-character ID is accepted in any case:
// its suffix restores the case of the first 15 characters.
func ParseID(s string) (ID, error) {
	switch len(s) {
	case 15:
		if !isBase62(s) {
			return "", malformedID(s)
		}
		return ID(s + suffix(s)), nil
	case 18:
		if !isBase62(s) {
			return "", malformedID(s)
		}
		body, err := restoreCase(s)
		if err != nil {
			return "", err
		}
		return ID(body + suffix(body)), nil
	default:
		return "", malformedID(s)
	}
}

func malformedID(s string) error {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return Errorf(MalformedID, "invalid ID: %q", s)
}

func isBase62(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(base62, s[i]) < 0 {
			return false
		}
	}
	return true
}

// suffix computes the 3-character case suffix of a 15-character ID.
func suffix(body string) string {
	var out [3]byte
	for chunk := 0; chunk < 3; chunk++ {
		v := 0
		for i := 0; i < 5; i++ {
			c := body[chunk*5+i]
			if c >= 'A' && c <= 'Z' {
				v |= 1 << i
			}
		}
		out[chunk] = suffixAlphabet[v]
	}
	return string(out[:])
}

// restoreCase rebuilds the case of the first 15 characters of an 18-character
// ID from its suffix, so that "001abc…" typed in any case names one record.
func restoreCase(s string) (string, error) {
	b := []byte(s[:15])
	for chunk := 0; chunk < 3; chunk++ {
		v := strings.IndexByte(suffixAlphabet, upper(s[15+chunk]))
		if v < 0 {
			return "", malformedID(s)
		}
		for i := 0; i < 5; i++ {
			c := b[chunk*5+i]
			isLetter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			wantUpper := v&(1<<i) != 0
			switch {
			case wantUpper && !isLetter:
				return "", malformedID(s)
			case wantUpper:
				b[chunk*5+i] = upper(c)
			case isLetter:
				b[chunk*5+i] = lower(c)
			}
		}
	}
	return string(b), nil
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// Prefix returns the ID's 3-character key prefix.
func (id ID) Prefix() string {
	if len(id) < 3 {
		return ""
	}
	return string(id[:3])
}

// Short returns the 15-character, case-sensitive form.
func (id ID) Short() string {
	if len(id) < 15 {
		return string(id)
	}
	return string(id[:15])
}

func (id ID) String() string { return string(id) }

// IDGenerator makes new IDs. IDs from one generator are unique and increase
// with time, which keeps B-tree inserts at the right edge of the index; IDs from
// different processes are kept apart by a random start of the counter.
type IDGenerator struct {
	mu      sync.Mutex
	now     func() time.Time
	lastMS  int64
	counter uint64
}

// NewIDGenerator returns a generator reading time from now (time.Now when nil).
func NewIDGenerator(now func() time.Time) *IDGenerator {
	if now == nil {
		now = time.Now
	}
	var seed [8]byte
	_, _ = rand.Read(seed[:])
	return &IDGenerator{now: now, counter: binary.LittleEndian.Uint64(seed[:]) % idCounterSpace}
}

// idEpoch is the start of the generator's clock: 7 base-62 digits of
// milliseconds cover 110 years from here.
var idEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

const idCounterSpace = 62 * 62 * 62 * 62 * 62 // 5 base-62 digits

// New returns a new 18-character ID with the given 3-character key prefix.
func (g *IDGenerator) New(prefix string) ID {
	if len(prefix) != 3 {
		panic(fmt.Sprintf("rapport: key prefix %q is not 3 characters", prefix))
	}
	g.mu.Lock()
	ms := g.now().UnixMilli() - idEpoch
	if ms < g.lastMS {
		ms = g.lastMS // the clock went back: stay monotonic
	}
	if ms != g.lastMS {
		g.lastMS = ms
	}
	g.counter = (g.counter + 1) % idCounterSpace
	if g.counter == 0 {
		// The counter wrapped within one millisecond: borrow the next one.
		g.lastMS++
		ms = g.lastMS
	}
	c := g.counter
	g.mu.Unlock()

	var b [15]byte
	copy(b[:3], prefix)
	putBase62(b[3:10], uint64(ms))
	putBase62(b[10:15], c)
	body := string(b[:])
	return ID(body + suffix(body))
}

func putBase62(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = base62[v%62]
		v /= 62
	}
}

package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// A progress shows how far long work has come: a bar on a terminal,
// plain lines (at most one every few seconds) otherwise.
type progress struct {
	w     io.Writer
	what  string
	bar   *progressbar.ProgressBar
	max   int64
	last  time.Time
	shown int64
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress starts showing progress of what on w; max may be unknown
// (-1) at first.
func newProgress(w io.Writer, what string) *progress {
	p := &progress{w: w, what: what, max: -1, shown: -1}
	if isTerminal(w) {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// set reports n of max done (max -1 while unknown).
func (p *progress) set(n, max int64) {
	if p.bar != nil {
		if max >= 0 && max != p.max {
			p.bar.ChangeMax64(max)
		}
		p.max = max
		p.bar.Set64(n)
		return
	}
	if n == p.shown && max == p.max {
		return
	}
	p.max = max
	if time.Since(p.last) < 2*time.Second && n != max {
		return
	}
	p.last, p.shown = time.Now(), n
	if max > 0 {
		fmt.Fprintf(p.w, "%s: %d of %d rows (%d%%)\n", p.what, n, max, n*100/max)
	} else {
		fmt.Fprintf(p.w, "%s: %d rows\n", p.what, n)
	}
}

// done ends the display.
func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/cairndb/cairn"
)

// The progress of backup, restore and check on stderr: on a terminal a
// bar redrawn in place (at most every barInterval), with the step's rate
// and the time it has left; otherwise a plain line when a step starts and
// when it ends, and at most every lineInterval between, which a log file
// keeps readably.
const (
	barInterval  = 100 * time.Millisecond
	lineInterval = 5 * time.Second
	// barWidth is the width a bar takes when the terminal's is unknown.
	barWidth = 80
)

// progressView renders one command's progress reports.
type progressView struct {
	w        io.Writer
	label    string // the command: "backup", "restore", "check"
	terminal bool
	width    int
	now      func() time.Time

	mu         sync.Mutex
	phase      string
	phaseStart time.Time
	shown      time.Time // when the last line or bar was written
	drawn      bool      // a bar is on the screen, without its newline
	ended      bool      // the phase's end (all done) has been shown
}

// newProgressView renders to w, as a bar when w is a terminal.
func newProgressView(w io.Writer, label string) *progressView {
	v := &progressView{w: w, label: label, width: barWidth, now: time.Now}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		v.terminal = true
		// One column short of the width: a line that fills the last
		// column wraps on some terminals.
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 20 {
			v.width = width - 1
		}
	}
	return v
}

// report takes a progress report (cairn.WithProgress).
func (v *progressView) report(p cairn.Progress) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	newPhase := p.Phase != v.phase
	if newPhase {
		v.phase, v.phaseStart, v.ended = p.Phase, now, false
	}
	finished := p.Total > 0 && p.Done >= p.Total
	if finished && v.ended {
		return // shown once; a server's step may report its end repeatedly
	}
	v.ended = finished
	elapsed := now.Sub(v.phaseStart)
	if v.terminal {
		if !newPhase && !finished && now.Sub(v.shown) < barInterval {
			return
		}
		if newPhase && v.drawn {
			fmt.Fprintln(v.w)
		}
		fmt.Fprint(v.w, "\r"+renderBar(v.label, p, elapsed, v.width))
		v.drawn = true
	} else {
		if !newPhase && !finished && now.Sub(v.shown) < lineInterval {
			return
		}
		fmt.Fprintln(v.w, renderLine(v.label, p, elapsed))
	}
	v.shown = now
}

// finish ends the bar's line.
func (v *progressView) finish() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.drawn {
		fmt.Fprintln(v.w)
		v.drawn = false
	}
}

// rateAndETA are a step's rate, in its unit a second, and the time it has
// left at that rate (ok false when it cannot be told yet).
func rateAndETA(p cairn.Progress, elapsed time.Duration) (rate float64, eta time.Duration, ok bool) {
	if elapsed <= 0 || p.Done <= 0 {
		return 0, 0, false
	}
	rate = float64(p.Done) / elapsed.Seconds()
	if p.Total <= 0 {
		return rate, 0, false
	}
	left := float64(max(p.Total-p.Done, 0)) / rate
	return rate, time.Duration(left * float64(time.Second)).Round(time.Second), true
}

// amount renders n in unit: bytes in kB, MB, GB (of 1024), as
// pg_size_pretty does; anything else as a count.
func amount(n int64, unit string) string {
	if unit != "bytes" {
		return fmt.Sprintf("%d", n)
	}
	v := float64(n)
	for _, u := range []string{"bytes", "kB", "MB", "GB"} {
		if v < 1024 || u == "GB" {
			if u == "bytes" {
				return fmt.Sprintf("%d bytes", n)
			}
			return fmt.Sprintf("%.1f %s", v, u)
		}
		v /= 1024
	}
	return ""
}

// counts renders "done of total unit" (or "done unit" without a total).
func counts(p cairn.Progress, of string) string {
	s := amount(p.Done, p.Unit)
	if p.Total > 0 {
		s += of + amount(p.Total, p.Unit)
	}
	if p.Unit != "bytes" {
		s += " " + p.Unit
	}
	return s
}

// percent is how much of the step is done, or -1 without a total.
func percent(p cairn.Progress) int {
	if p.Total <= 0 {
		return -1
	}
	return int(min(100, p.Done*100/p.Total))
}

// renderRate renders a rate in unit a second.
func renderRate(rate float64, unit string) string {
	if unit == "bytes" {
		return amount(int64(rate), unit) + "/s"
	}
	return fmt.Sprintf("%.1f %s/s", rate, unit)
}

// renderLine is a plain progress line:
// "backup: copying: 1.5 MB of 3.0 MB (50%), 1.0 MB/s, 2s left".
func renderLine(label string, p cairn.Progress, elapsed time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s", label, p.Phase, counts(p, " of "))
	if pc := percent(p); pc >= 0 {
		fmt.Fprintf(&b, " (%d%%)", pc)
	}
	if rate, eta, ok := rateAndETA(p, elapsed); rate > 0 {
		b.WriteString(", " + renderRate(rate, p.Unit))
		if ok {
			fmt.Fprintf(&b, ", %s left", eta)
		}
	}
	return b.String()
}

// renderBar is a terminal's bar line of width columns:
// "backup copying [=====>     ]  50% 1.5 MB/3.0 MB 1.0 MB/s ETA 2s",
// the bar taking what the text leaves (at least 10 columns; the text is
// cut when even that does not fit).
func renderBar(label string, p cairn.Progress, elapsed time.Duration, width int) string {
	head := label + " " + p.Phase + " "
	tail := " " + counts(p, "/")
	pc := percent(p)
	if pc >= 0 {
		tail = fmt.Sprintf(" %3d%%", pc) + tail
	}
	if rate, eta, ok := rateAndETA(p, elapsed); rate > 0 {
		tail += " " + renderRate(rate, p.Unit)
		if ok {
			tail += fmt.Sprintf(" ETA %s", eta)
		}
	}
	inner := max(width-len(head)-len(tail)-2, 10)
	bar := make([]byte, inner)
	filled := 0
	if pc >= 0 {
		filled = inner * pc / 100
	}
	for i := range bar {
		switch {
		case i < filled:
			bar[i] = '='
		case i == filled && pc >= 0 && pc < 100:
			bar[i] = '>'
		default:
			bar[i] = ' '
		}
	}
	line := head + "[" + string(bar) + "]" + tail
	if len(line) > width {
		line = line[:width]
	}
	return line
}

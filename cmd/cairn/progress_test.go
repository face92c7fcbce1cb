package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn"
)

func TestRenderLine(t *testing.T) {
	for _, tc := range []struct {
		p       cairn.Progress
		elapsed time.Duration
		want    string
	}{
		{cairn.Progress{Phase: "copying", Done: 0, Total: 3 << 20, Unit: "bytes"}, 0,
			"backup: copying: 0 bytes of 3.0 MB (0%)"},
		{cairn.Progress{Phase: "copying", Done: 3 << 19, Total: 3 << 20, Unit: "bytes"}, time.Second,
			"backup: copying: 1.5 MB of 3.0 MB (50%), 1.5 MB/s, 1s left"},
		{cairn.Progress{Phase: "copying", Done: 1 << 30, Total: 4 << 30, Unit: "bytes"}, 10 * time.Second,
			"backup: copying: 1.0 GB of 4.0 GB (25%), 102.4 MB/s, 30s left"},
		{cairn.Progress{Phase: "checking data", Done: 3, Total: 12, Unit: "tables"}, 2 * time.Second,
			"backup: checking data: 3 of 12 tables (25%), 1.5 tables/s, 6s left"},
		{cairn.Progress{Phase: "copying", Done: 2048, Unit: "bytes"}, time.Second,
			"backup: copying: 2.0 kB, 2.0 kB/s"},
		{cairn.Progress{Phase: "copying", Done: 900, Total: 900, Unit: "bytes"}, 0,
			"backup: copying: 900 bytes of 900 bytes (100%)"},
	} {
		if got := renderLine("backup", tc.p, tc.elapsed); got != tc.want {
			t.Errorf("renderLine(%+v, %s) = %q, want %q", tc.p, tc.elapsed, got, tc.want)
		}
	}
}

func TestRenderBar(t *testing.T) {
	for _, tc := range []struct {
		p       cairn.Progress
		elapsed time.Duration
		width   int
		want    string
	}{
		{cairn.Progress{Phase: "copying", Done: 1 << 20, Total: 4 << 20, Unit: "bytes"}, time.Second, 72,
			"backup copying [=====>              ]  25% 1.0 MB/4.0 MB 1.0 MB/s ETA 3s"},
		{cairn.Progress{Phase: "copying", Done: 0, Total: 4 << 20, Unit: "bytes"}, 0, 50,
			"backup copying [>            ]   0% 0 bytes/4.0 MB"},
		{cairn.Progress{Phase: "checking storage", Done: 4, Total: 4, Unit: "tables"}, time.Second, 80,
			"restore checking storage [=================] 100% 4/4 tables 4.0 tables/s ETA 0s"},
		{cairn.Progress{Phase: "copying", Done: 10, Unit: "bytes"}, time.Second, 48,
			"backup copying [           ] 10 bytes 10 bytes/s"},
		// Too narrow: the bar keeps 10 columns and the line is cut.
		{cairn.Progress{Phase: "copying", Done: 1, Total: 2, Unit: "tables"}, time.Second, 30,
			"backup copying [=====>    ]  5"},
	} {
		label := "backup"
		if strings.HasPrefix(tc.want, "restore") {
			label = "restore"
		}
		got := renderBar(label, tc.p, tc.elapsed, tc.width)
		if got != tc.want {
			t.Errorf("renderBar(%+v, %d) = %q, want %q", tc.p, tc.width, got, tc.want)
		}
		if len(got) > tc.width {
			t.Errorf("renderBar(%+v, %d) is %d columns wide", tc.p, tc.width, len(got))
		}
	}
}

// TestProgressViewPlainLines: off a terminal, a line when a step starts,
// when it ends, and at most every lineInterval between.
func TestProgressViewPlainLines(t *testing.T) {
	var out strings.Builder
	clock := time.Unix(0, 0)
	v := &progressView{w: &out, label: "check", width: barWidth, now: func() time.Time { return clock }}
	steps := []struct {
		after time.Duration
		p     cairn.Progress
	}{
		{0, cairn.Progress{Phase: "checking storage", Done: 0, Total: 100, Unit: "tables"}},
		{time.Second, cairn.Progress{Phase: "checking storage", Done: 10, Total: 100, Unit: "tables"}}, // too soon
		{4 * time.Second, cairn.Progress{Phase: "checking storage", Done: 50, Total: 100, Unit: "tables"}},
		{time.Second, cairn.Progress{Phase: "checking storage", Done: 60, Total: 100, Unit: "tables"}},  // too soon
		{time.Second, cairn.Progress{Phase: "checking storage", Done: 100, Total: 100, Unit: "tables"}}, // ends
		{0, cairn.Progress{Phase: "checking data", Done: 0, Total: 2, Unit: "tables"}},
	}
	for _, s := range steps {
		clock = clock.Add(s.after)
		v.report(s.p)
	}
	v.finish()
	want := "check: checking storage: 0 of 100 tables (0%)\n" +
		"check: checking storage: 50 of 100 tables (50%), 10.0 tables/s, 5s left\n" +
		"check: checking storage: 100 of 100 tables (100%), 14.3 tables/s, 0s left\n" +
		"check: checking data: 0 of 2 tables (0%)\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestProgressViewBar: on a terminal, the bar is redrawn in place (\r) at
// most every barInterval, a new step starts a new line, and finish ends it.
func TestProgressViewBar(t *testing.T) {
	var out strings.Builder
	clock := time.Unix(0, 0)
	v := &progressView{w: &out, label: "backup", terminal: true, width: 60, now: func() time.Time { return clock }}
	v.report(cairn.Progress{Phase: "copying", Done: 0, Total: 100, Unit: "bytes"})
	clock = clock.Add(10 * time.Millisecond)
	v.report(cairn.Progress{Phase: "copying", Done: 5, Total: 100, Unit: "bytes"}) // too soon
	clock = clock.Add(time.Second)
	v.report(cairn.Progress{Phase: "copying", Done: 100, Total: 100, Unit: "bytes"})
	v.report(cairn.Progress{Phase: "checking data", Done: 0, Total: 1, Unit: "tables"})
	v.finish()
	lines := strings.Split(out.String(), "\n")
	if len(lines) != 3 || lines[2] != "" {
		t.Fatalf("output %q: want two lines", out.String())
	}
	draws := strings.Split(lines[0], "\r")
	if len(draws) != 3 || draws[0] != "" || !strings.Contains(draws[1], "  0%") || !strings.Contains(draws[2], "100%") {
		t.Fatalf("first line's draws %q", draws)
	}
	if !strings.HasPrefix(lines[1], "\rbackup checking data [") {
		t.Fatalf("second line %q", lines[1])
	}
}

// TestProgressViewEndOnce: a step that reports its end again (as a
// server's backup does while it verifies) shows it once.
func TestProgressViewEndOnce(t *testing.T) {
	var out strings.Builder
	clock := time.Unix(0, 0)
	v := &progressView{w: &out, label: "backup", width: barWidth, now: func() time.Time { return clock }}
	for i := 0; i < 5; i++ {
		clock = clock.Add(10 * time.Second)
		v.report(cairn.Progress{Phase: "verifying backup", Done: 10, Total: 10, Unit: "bytes"})
	}
	if got := strings.Count(out.String(), "\n"); got != 1 {
		t.Fatalf("%d lines:\n%s", got, out.String())
	}
}

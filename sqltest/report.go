package sqltest

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
)

// Summary is the outcome of a run over many files.
type Summary struct {
	Files []FileResult
}

// Totals adds up the counts of every file. A file that could not be run
// counts as one failure.
func (s *Summary) Totals() (passed, failed, skipped int) {
	for _, f := range s.Files {
		passed += f.Passed
		failed += f.Failed
		skipped += f.Skipped
		if f.Err != nil {
			failed++
		}
	}
	return
}

// Run runs every file in order against target, writing a line per file to
// progress (if not nil).
func (r *Runner) Run(ctx context.Context, files []string, target Target, progress io.Writer) *Summary {
	s := &Summary{}
	for _, f := range files {
		res := r.RunFile(ctx, f, target)
		s.Files = append(s.Files, res)
		if progress != nil {
			line := fmt.Sprintf("%s: %d passed, %d failed, %d skipped (%.1fs)", f, res.Passed, res.Failed, res.Skipped, res.Duration.Seconds())
			if res.Err != nil {
				line += " error: " + res.Err.Error()
			}
			fmt.Fprintln(progress, line)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return s
}

// WriteTotals writes the closing line: "N passed, N failed, N skipped".
func (s *Summary) WriteTotals(w io.Writer) {
	p, f, k := s.Totals()
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", p, f, k)
}

// WriteFailList writes each failing record's file:line and the difference.
func (s *Summary) WriteFailList(w io.Writer) error {
	for _, f := range s.Files {
		if f.Err != nil {
			if _, err := fmt.Fprintf(w, "%s: %v\n\n", f.File, f.Err); err != nil {
				return err
			}
		}
		for _, fail := range f.Failures {
			if _, err := fmt.Fprintf(w, "%s\n\n", fail); err != nil {
				return err
			}
		}
	}
	return nil
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     float64     `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name    string        `xml:"name,attr"`
	Failure *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes a JUnit XML report: one suite per file, one case per
// failure plus one case standing for the passing records.
func (s *Summary) WriteJUnit(w io.Writer) error {
	var out junitSuites
	for _, f := range s.Files {
		suite := junitSuite{Name: f.File, Tests: f.Passed + f.Failed, Failures: f.Failed, Skipped: f.Skipped, Time: f.Duration.Seconds()}
		suite.Cases = append(suite.Cases, junitCase{Name: fmt.Sprintf("%d passing records", f.Passed)})
		if f.Err != nil {
			suite.Failures++
			suite.Cases = append(suite.Cases, junitCase{Name: "file", Failure: &junitFailure{Message: f.Err.Error()}})
		}
		for _, fail := range f.Failures {
			msg, _, _ := strings.Cut(fail.Message, "\n")
			suite.Cases = append(suite.Cases, junitCase{
				Name:    fmt.Sprintf("%s:%d", fail.File, fail.Line),
				Failure: &junitFailure{Message: msg, Text: fail.String()},
			})
		}
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(out)
}

// writeFile writes a report to path with fn.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteJUnitFile and WriteFailListFile write the reports to files.
func (s *Summary) WriteJUnitFile(path string) error    { return writeFile(path, s.WriteJUnit) }
func (s *Summary) WriteFailListFile(path string) error { return writeFile(path, s.WriteFailList) }

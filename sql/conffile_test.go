package sql

import (
	"reflect"
	"testing"
)

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []ConfigEntry
		err        string
	}{
		{name: "equals and spaces", text: "work_mem = 4MB\n",
			want: []ConfigEntry{{"work_mem", "4MB", "f", 1}}},
		{name: "no equals", text: "statement_timeout 30s\n",
			want: []ConfigEntry{{"statement_timeout", "30s", "f", 1}}},
		{name: "comments and blanks", text: "# a comment\n\n   \n\tlock_timeout=1s # why\n",
			want: []ConfigEntry{{"lock_timeout", "1s", "f", 4}}},
		{name: "quoted with doubled quote and hash", text: "application_name = 'it''s #1'\n",
			want: []ConfigEntry{{"application_name", "it's #1", "f", 1}}},
		{name: "backslash escape", text: `search_path = 'a\'b'` + "\n",
			want: []ConfigEntry{{"search_path", "a'b", "f", 1}}},
		{name: "empty quoted", text: "application_name = ''\n",
			want: []ConfigEntry{{"application_name", "", "f", 1}}},
		{name: "name case folded, CRLF", text: "Work_Mem = 64kB\r\nDateStyle = 'ISO, DMY'\r\n",
			want: []ConfigEntry{{"work_mem", "64kB", "f", 1}, {"datestyle", "ISO, DMY", "f", 2}}},
		{name: "negative and dotted", text: "log_min_duration_statement = -1\nmy.custom = 1.5\n",
			want: []ConfigEntry{{"log_min_duration_statement", "-1", "f", 1}, {"my.custom", "1.5", "f", 2}}},
		{name: "repeated name kept in order", text: "work_mem = 1MB\nwork_mem = 2MB\n",
			want: []ConfigEntry{{"work_mem", "1MB", "f", 1}, {"work_mem", "2MB", "f", 2}}},
		{name: "trailing junk", text: "\nwork_mem = 4MB junk\n",
			err: `syntax error in file "f" line 2, near token "junk"`},
		{name: "missing value", text: "work_mem =\n",
			err: `syntax error in file "f" line 1, near end of line`},
		{name: "unterminated quote", text: "a = 'x\n",
			err: `syntax error in file "f" line 1, near unterminated quoted string`},
		{name: "bad name", text: "9lives = 1\n",
			err: `syntax error in file "f" line 1, near token "9lives"`},
		{name: "include refused", text: "include 'other.conf'\n",
			err: `include directives are not supported, in file "f" line 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConfig("f", []byte(tc.text))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

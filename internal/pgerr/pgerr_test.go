package pgerr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCode(t *testing.T) {
	base := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, SuccessfulCompletion},
		{"plain", base, InternalError},
		{"coded", New(UniqueViolation, "dup"), UniqueViolation},
		{"wrapped by fmt", fmt.Errorf("ctx: %w", New(UndefinedTable, "x")), UndefinedTable},
		{"inner wins", Wrap(New(DivisionByZero, "div"), DataException), DivisionByZero},
		{"inner XX000 loses", Wrap(Wrap(base, InternalError), DiskFull), DiskFull},
		{"Wrap plain", Wrap(base, IOError), IOError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.err); got != tt.want {
				t.Errorf("Code() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestWrapKeepsCause(t *testing.T) {
	base := errors.New("boom")
	err := Wrapf(base, IOError, "reading %s", "f")
	if !errors.Is(err, base) {
		t.Fatal("errors.Is lost the cause")
	}
	if err.Error() != "reading f: boom" {
		t.Fatalf("message = %q", err.Error())
	}
	if Find(err).Code != IOError {
		t.Fatal("Find did not return the coded error")
	}
}

func TestShown(t *testing.T) {
	full := New(DiskFull, `could not extend file "wal/x": No space left on device`).WithHint("Check free disk space.").AsComplete()
	tests := []struct {
		name string
		err  error
		want *Error
	}{
		{"none", fmt.Errorf("ctx: %w", New(UndefinedTable, "x")), nil},
		{"plain", errors.New("boom"), nil},
		{"complete under context", fmt.Errorf("heap: writing tuple: %w", full), full},
		{"outermost complete", fmt.Errorf("a: %w", New(IOError, "outer").WithCause(full).AsComplete()), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Shown(tt.err)
			if tt.name == "outermost complete" {
				if got == nil || got.Message != "outer" {
					t.Fatalf("Shown = %v, want the outer complete error", got)
				}
				return
			}
			if got != tt.want {
				t.Fatalf("Shown = %v, want %v", got, tt.want)
			}
		})
	}
	wrapped := New(IOError, "m").WithCause(errors.ErrUnsupported)
	if !errors.Is(wrapped, errors.ErrUnsupported) || wrapped.Error() != "m" {
		t.Fatalf("WithCause: Is %v, message %q", errors.Is(wrapped, errors.ErrUnsupported), wrapped.Error())
	}
}

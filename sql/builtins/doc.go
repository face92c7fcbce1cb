// Package builtins holds cairn's built-in functions and operators.
package builtins

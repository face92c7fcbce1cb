// Package scram implements the password side of PostgreSQL's
// authentication: SCRAM-SHA-256 (RFC 5802 and RFC 7677, with the
// tls-server-end-point channel binding of RFC 5929 for
// SCRAM-SHA-256-PLUS), the stored forms of passwords, and md5.
//
// # Stored passwords
//
// A role's password is kept as PostgreSQL 15 keeps it, never in clear:
//
//	SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>   (base64)
//	md5<hex md5 of password || user name>
//
// NewVerifier makes the first from a password (after SASLprep, as
// PostgreSQL does: a password that SASLprep refuses is used as given);
// MD5 the second. Verify checks a clear-text password against either.
//
// # The exchange
//
// Exchange is the server's side of one SCRAM authentication, a pure state
// machine: the caller passes in the server nonce and moves the messages.
// ClientFirst takes the client-first-message and returns the
// server-first-message; ClientFinal takes the client-final-message and
// reports whether the proof was right, returning the server-final-message.
// A role that does not exist, has no password or has an md5 one is
// authenticated against a mock verifier (MockVerifier: a salt derived from
// the user name and a server secret, as PostgreSQL's
// scram_mock_salt), so that the exchange looks and takes the same for
// every user name, and fails at the proof.
//
// Malformed messages are 08P01 errors with PostgreSQL's wording; a wrong
// proof is not an error (the caller reports 28P01).
//
// # Imports
//
// scram imports golang.org/x/crypto/pbkdf2, golang.org/x/text (SASLprep's
// normalization) and internal/pgerr; nothing else of cairn. It has no
// state, no clock and no randomness of its own.
package scram

package pgwire

import "time"

// Limits on what a client can make the server hold or wait for.
const (
	// maxMessageBytesDefault bounds the body of large messages (Query,
	// Parse, Bind, CopyData, FunctionCall) when Options leaves it zero:
	// PostgreSQL's 1 GiB - 1. The memory budget, not this, is what keeps
	// many large messages at once from exhausting memory.
	maxMessageBytesDefault = 1<<30 - 1

	// messageReserveBytesMin is the smallest body that reserves memory
	// in the budget; smaller ones are bounded by the connection limit.
	messageReserveBytesMin = 1 << 20

	// smallMessageBytesMax is PostgreSQL's PQ_SMALL_MESSAGE_LIMIT, applied
	// to Sync, Flush, Close, Describe, Execute and Terminate.
	smallMessageBytesMax = 10000

	// startupPacketBytesMin and startupPacketBytesMax bound the length word
	// of a startup packet (MAX_STARTUP_PACKET_LENGTH in PostgreSQL).
	startupPacketBytesMin = 8
	startupPacketBytesMax = 10000

	// maxConnectionsDefault is PostgreSQL's max_connections default.
	maxConnectionsDefault = 100

	// reservedConnectionsDefault is PostgreSQL's
	// superuser_reserved_connections default.
	reservedConnectionsDefault = 3

	// authMessageBytesMax bounds a password or SASL message
	// (PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH).
	authMessageBytesMax = 65535

	// startupTimeout is PostgreSQL's authentication_timeout: a connection
	// must finish its handshake within it.
	startupTimeout = 60 * time.Second

	// fatalWriteTimeout bounds the write of a last FATAL message to a client
	// that may not be reading.
	fatalWriteTimeout = 5 * time.Second

	// flushBytesThreshold is how much output is buffered before it is
	// written to the socket in the middle of a result.
	flushBytesThreshold = 64 << 10

	// clientCheckIntervalDefault is Options.ClientCheckInterval's default:
	// a statement notices a client that went away within this long.
	clientCheckIntervalDefault = 250 * time.Millisecond

	// readBufferBytesKeep is the largest receive buffer kept between
	// messages; a bigger one is dropped after use.
	readBufferBytesKeep = 1 << 20

	// directReadBytesMax is the largest message body read into a buffer
	// sized for it before its bytes arrive; a bigger one is read in
	// pieces.
	directReadBytesMax = 64 << 10
)

// Compile-time checks between related limits.
const (
	_ = uint(maxMessageBytesDefault - smallMessageBytesMax)
	_ = uint(startupPacketBytesMax - startupPacketBytesMin)
	_ = uint(readBufferBytesKeep - flushBytesThreshold)
	_ = uint(readBufferBytesKeep - directReadBytesMax)
	_ = uint(maxConnectionsDefault - reservedConnectionsDefault)
)

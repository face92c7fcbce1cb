package parser

// Limits on what one query string may make the C parser do.
const (
	// depthMax bounds the prescan's nesting bound of a statement. A deeper
	// statement is refused with 54001 before the parser sees it. With cgo
	// it is above bison's own limit of 10,000 stack entries, so that
	// 10,000 nested parentheses get PostgreSQL's answer (42601 "memory
	// exhausted") and 9,000 still parse, and far below what
	// parseStackBytes holds; the WebAssembly parser's is lower (wasm.go).
	depthMax = buildDepthMax

	// inlineDepthMax is the largest bound parsed on the calling thread's
	// own C stack, whose size the operating system chooses (8 MiB
	// usually, but as little as the RLIMIT_STACK a user set). A deeper
	// statement is parsed on a thread of parseStackBytes.
	inlineDepthMax = 128

	// parseStackBytes is the C stack of the parsing thread for deep
	// statements. The C parser and its protobuf writer use about 400 bytes
	// of stack per level of nesting (measured: 20,000 chained additions
	// fit in 8 MiB, 25,000 do not); bison's own stack adds at most 10,000
	// levels of right recursion to depthMax. The memory is reserved, not
	// committed: only the pages a parse touches are used.
	parseStackBytes = 256 << 20

	// chunkBytes is the size of query text handed to the C parser at once
	// when a query string holds many statements; cancellation is checked
	// between chunks. A single longer statement is parsed whole.
	chunkBytesMax = 64 << 10

	// protoRecursionLimit bounds the nesting the Go protobuf decoder
	// accepts; each level of the parse tree takes two (a Node and the node
	// it wraps). The translator's own depth limit answers 54001 before
	// anything this deep is used.
	protoRecursionLimit = 4*depthMax + 1000

	// identifierBytesMax is NAMEDATALEN-1: longer identifiers are
	// truncated, with a notice.
	identifierBytesMax = 63

	// ExprDepthMax bounds the nesting of expressions and subqueries, for
	// the translator, the binder and the evaluator alike (54001 beyond
	// it). It matches the recursion limit of the parse tree decoder, so
	// both give 54001.
	ExprDepthMax = 10000

	// paramsMax is the protocol's limit on parameters of one statement:
	// $n beyond it is 42P02.
	paramsMax = 65535
)

// Compile-time checks between related limits.
const (
	_ = uint(depthMax - inlineDepthMax)
	// Worst case of 1 KiB of C stack per level, for depthMax plus bison's
	// 10,000 levels of right recursion.
	_ = uint(parseStackBytes - (depthMax+10000)<<10)
)

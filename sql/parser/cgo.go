//go:build cgo

package parser

// The C side: pg_query's parser and deparser, called on the current thread
// or on a thread with a stack of a known, large size. pg_query_go links the
// library; its functions are declared here rather than through its header,
// which lives in another module.

/*
#include <pthread.h>
#include <stdlib.h>
#include <stddef.h>

typedef struct {
	char* message;
	char* funcname;
	char* filename;
	int lineno;
	int cursorpos;
	char* context;
} PgQueryError;

typedef struct {
	size_t len;
	char* data;
} PgQueryProtobuf;

typedef struct {
	PgQueryProtobuf parse_tree;
	char* stderr_buffer;
	PgQueryError* error;
} PgQueryProtobufParseResult;

typedef struct {
	char* query;
	PgQueryError* error;
} PgQueryDeparseResult;

PgQueryProtobufParseResult pg_query_parse_protobuf(const char* input);
void pg_query_free_protobuf_parse_result(PgQueryProtobufParseResult result);
PgQueryDeparseResult pg_query_deparse_protobuf(PgQueryProtobuf parse_tree);
void pg_query_free_deparse_result(PgQueryDeparseResult result);

// A job for a parsing thread: parse input, or deparse tree when input is
// NULL.
typedef struct {
	const char* input;
	PgQueryProtobuf tree;
	PgQueryProtobufParseResult parsed;
	PgQueryDeparseResult deparsed;
} cairn_job;

static void cairn_run(cairn_job* job) {
	if (job->input != NULL) {
		job->parsed = pg_query_parse_protobuf(job->input);
	} else {
		job->deparsed = pg_query_deparse_protobuf(job->tree);
	}
}

static void* cairn_thread_main(void* arg) {
	cairn_run((cairn_job*) arg);
	return NULL;
}

// cairn_run_on_stack runs job on a new thread with a stack of stack_bytes
// and waits for it; it returns a pthread error number, 0 on success.
static int cairn_run_on_stack(cairn_job* job, size_t stack_bytes) {
	pthread_attr_t attr;
	pthread_t thread;
	int rc = pthread_attr_init(&attr);
	if (rc != 0) return rc;
	rc = pthread_attr_setstacksize(&attr, stack_bytes);
	if (rc == 0) rc = pthread_create(&thread, &attr, cairn_thread_main, job);
	pthread_attr_destroy(&attr);
	if (rc != 0) return rc;
	return pthread_join(thread, NULL);
}
*/
import "C"

import (
	"fmt"
	"unsafe"

	// Links libpg_query, whose functions are declared above.
	_ "github.com/pganalyze/pg_query_go/v6/parser"
)

// The C parser runs on a stack whose size the parsing thread sets, and
// prefix operators are left to bison's own limit of 10,000 levels.
const (
	buildDepthMax   = 12000
	countPrefixOps  = false
	cgoBuild        = true
	deparseDepthMax = 0 // none: deparsing runs on a parsing thread
)

// Here the prescan refuses less than the translator does, so a statement
// the prescan admits fails in the translator with the same 54001. (The
// WebAssembly build's prescan refuses much earlier.)
const _ = uint(buildDepthMax - ExprDepthMax)

// cError is an error reported by the C parser or deparser.
type cError struct {
	message   string
	cursorPos int // 1-based character position in the input; 0: none
}

func (e *cError) Error() string { return e.message }

// run runs job on the current thread, or on a thread with a stack of
// parseStackBytes when big is set.
func run(job *C.cairn_job, big bool) error {
	if !big {
		C.cairn_run(job)
		return nil
	}
	if rc := C.cairn_run_on_stack(job, C.size_t(parseStackBytes)); rc != 0 {
		return fmt.Errorf("parser: starting a parsing thread: error %d", int(rc))
	}
	return nil
}

func errorOf(e *C.PgQueryError) *cError {
	return &cError{message: C.GoString(e.message), cursorPos: int(e.cursorpos)}
}

// parseC parses text into pg_query's protobuf encoding of its parse tree.
func parseC(text string, big bool) ([]byte, error) {
	in := C.CString(text)
	defer C.free(unsafe.Pointer(in))
	var job C.cairn_job
	job.input = in
	if err := run(&job, big); err != nil {
		return nil, err
	}
	defer C.pg_query_free_protobuf_parse_result(job.parsed)
	if job.parsed.error != nil {
		return nil, errorOf(job.parsed.error)
	}
	return C.GoBytes(unsafe.Pointer(job.parsed.parse_tree.data), C.int(job.parsed.parse_tree.len)), nil
}

// deparseC turns a protobuf-encoded parse tree back into SQL text, always
// on a parsing thread: the tree may be as deep as any statement parsed.
func deparseC(tree []byte) (string, error) {
	data := C.CBytes(tree)
	defer C.free(data)
	var job C.cairn_job
	job.tree.data = (*C.char)(data)
	job.tree.len = C.size_t(len(tree))
	if err := run(&job, true); err != nil {
		return "", err
	}
	defer C.pg_query_free_deparse_result(job.deparsed)
	if job.deparsed.error != nil {
		return "", errorOf(job.deparsed.error)
	}
	return C.GoString(job.deparsed.query), nil
}

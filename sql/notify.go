package sql

import (
	"slices"
	"sync"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// Asynchronous notifications, as PostgreSQL's LISTEN, UNLISTEN, NOTIFY and
// pg_notify(channel, payload):
//
//   - NOTIFY queues a notification in the transaction; it is delivered to
//     every session listening on the channel (the notifier too) when the
//     transaction commits, and dropped when it rolls back (or when the
//     savepoint it follows is rolled back). A transaction's notifications
//     go out in the order they were made, without duplicates (same
//     channel and payload), and the notifying commits are serialized so
//     that every listener sees the transactions in commit order.
//   - LISTEN and UNLISTEN take effect when their transaction commits;
//     pg_listening_channels() lists the channels registered so far.
//   - A listener reads its notifications with Session.Notifications; the
//     waker given to SetNotifyWaker is called, from the notifier's
//     goroutine, when some arrive. A server sends them to its client
//     when the session is idle (outside a transaction), as PostgreSQL
//     does; an embedded program may poll.
//   - A channel name is at most 63 bytes and not empty, a payload less
//     than 8000 bytes (22023 otherwise). A transaction that used any of
//     these cannot be prepared for two-phase commit (0A000).
//   - A listener's unread notifications are bounded (notifyQueueBytesMax):
//     a commit that would exceed the bound of one of its listeners fails
//     with 54000, as PostgreSQL's does when its notification queue is full,
//     so that a client that listens and never reads cannot exhaust memory.

// Notification is an asynchronous notification: what NOTIFY channel,
// 'payload' sent, and the process id of the session that sent it.
type Notification struct {
	PID     int32
	Channel string
	Payload string
}

// notifyPayloadBytesMax is PostgreSQL's NOTIFY_PAYLOAD_MAX_LENGTH: a
// payload must be shorter.
const notifyPayloadBytesMax = 8000

// notifyQueueBytesMax bounds the unread notifications of one session;
// notificationBytes is what one counts.
const notifyQueueBytesMax = 256 << 20

func notificationBytes(n Notification) int64 {
	return int64(len(n.Channel)+len(n.Payload)) + 48
}

// notifyHub is the engine's registry of listening sessions.
type notifyHub struct {
	// commitMu is held across the commit of a transaction that notifies
	// and the delivery of its notifications, so that deliveries happen
	// in commit order (PostgreSQL takes a lock for the same purpose).
	commitMu sync.Mutex

	mu        sync.Mutex
	listeners map[string]map[*notifyQueue]struct{}
	// limit is notifyQueueBytesMax, or a test's smaller bound.
	limit int64
}

// notifyQueue is one session's inbox. Its fields are guarded by mu: the
// notifier's goroutine delivers while the session's own goroutine (or its
// server's) drains.
type notifyQueue struct {
	mu       sync.Mutex
	pending  []Notification
	bytes    int64    // notificationBytes of pending
	channels []string // registered channels, in LISTEN order
	wake     func()
}

func (q *notifyQueue) listening(channel string) bool {
	return slices.Contains(q.channels, channel)
}

// notifyAction is one LISTEN, UNLISTEN or UNLISTEN * of the running
// transaction, or one of its NOTIFYs; depth is the savepoint level it was
// made at (1 for the transaction itself).
type notifyAction struct {
	kind    byte // 'L' LISTEN, 'U' UNLISTEN, '*' UNLISTEN *, 'N' NOTIFY
	channel string
	payload string
	depth   int
}

// notifyTxn is what the running transaction will do at commit.
type notifyTxn struct {
	actions []notifyAction
	// used is set once the transaction ran LISTEN, UNLISTEN or NOTIFY,
	// even if a savepoint's rollback took the action back.
	used bool
}

func (s *Session) notifyDepth() int { return 1 + len(s.savepoints) }

// queueNotify adds NOTIFY channel, payload to the transaction, unless an
// identical notification is already queued: one made at this level or an
// enclosing one, which the rollback of this level would not undo.
func (s *Session) queueNotify(channel, payload string) error {
	if err := checkNotify(channel, payload); err != nil {
		return err
	}
	s.pendingNotify.used = true
	for _, a := range s.pendingNotify.actions {
		if a.kind == 'N' && a.channel == channel && a.payload == payload {
			return nil
		}
	}
	s.pendingNotify.actions = append(s.pendingNotify.actions, notifyAction{kind: 'N', channel: channel, payload: payload, depth: s.notifyDepth()})
	return nil
}

func checkNotify(channel, payload string) error {
	switch {
	case channel == "":
		return pgerr.New(pgerr.InvalidParameterValue, "channel name cannot be empty")
	case len(channel) >= 64:
		return pgerr.New(pgerr.InvalidParameterValue, "channel name too long")
	case len(payload) >= notifyPayloadBytesMax:
		return pgerr.New(pgerr.InvalidParameterValue, "payload string too long")
	}
	return nil
}

// queueListen adds LISTEN ('L'), UNLISTEN ('U') or UNLISTEN * ('*') to the
// transaction.
func (s *Session) queueListen(kind byte, channel string) {
	s.pendingNotify.used = true
	s.pendingNotify.actions = append(s.pendingNotify.actions, notifyAction{kind: kind, channel: channel, depth: s.notifyDepth()})
}

// notifyRelease merges the actions of the savepoint levels above level
// into level (RELEASE).
func (s *Session) notifyRelease(level int) {
	for i := range s.pendingNotify.actions {
		a := &s.pendingNotify.actions[i]
		a.depth = min(a.depth, level)
	}
}

// notifyRollbackTo drops the actions made above level (ROLLBACK TO).
func (s *Session) notifyRollbackTo(level int) {
	s.pendingNotify.actions = slices.DeleteFunc(s.pendingNotify.actions, func(a notifyAction) bool { return a.depth > level })
}

// hasNotifies reports whether the transaction will deliver notifications
// at commit.
func (s *Session) hasNotifies() bool {
	for _, a := range s.pendingNotify.actions {
		if a.kind == 'N' {
			return true
		}
	}
	return false
}

// lockNotifyCommit is called before the transaction commits: when it
// delivers notifications, the engine's notifying commits are serialized
// until the returned function is called, after endNotify. It fails with
// 54000, holding nothing, when a listener's queue has no room for them.
func (s *Session) lockNotifyCommit() (func(), error) {
	if !s.hasNotifies() {
		return func() {}, nil
	}
	h := &s.e.notify
	h.commitMu.Lock()
	limit := h.limit
	if limit == 0 {
		limit = notifyQueueBytesMax
	}
	adding := make(map[*notifyQueue]int64)
	h.mu.Lock()
	for _, a := range s.pendingNotify.actions {
		if a.kind != 'N' {
			continue
		}
		for q := range h.listeners[a.channel] {
			adding[q] += notificationBytes(Notification{Channel: a.channel, Payload: a.payload})
		}
	}
	full := false
	for q, n := range adding {
		q.mu.Lock()
		full = full || q.bytes+n > limit
		q.mu.Unlock()
	}
	h.mu.Unlock()
	if full {
		h.commitMu.Unlock()
		return func() {}, pgerr.New(pgerr.ProgramLimitExceeded, "too many notifications in the NOTIFY queue")
	}
	return h.commitMu.Unlock, nil
}

// endNotify ends the transaction's part in notifications: when it
// committed, its LISTENs and UNLISTENs take effect and then its
// notifications are delivered; otherwise both are forgotten.
func (s *Session) endNotify(committed bool) {
	actions := s.pendingNotify.actions
	s.pendingNotify = notifyTxn{}
	if !committed || len(actions) == 0 {
		return
	}
	h := &s.e.notify
	var notes []Notification
	for _, a := range actions {
		switch a.kind {
		case 'L':
			s.listen(a.channel)
		case 'U':
			s.unlisten(a.channel)
		case '*':
			s.unlistenAll()
		case 'N':
			notes = append(notes, Notification{PID: s.BackendPID(), Channel: a.channel, Payload: a.payload})
		}
	}
	if len(notes) == 0 {
		return
	}
	var woken []func()
	h.mu.Lock()
	for _, n := range notes {
		for q := range h.listeners[n.Channel] {
			q.mu.Lock()
			if len(q.pending) == 0 && q.wake != nil {
				woken = append(woken, q.wake)
			}
			q.pending = append(q.pending, n)
			q.bytes += notificationBytes(n)
			q.mu.Unlock()
		}
	}
	h.mu.Unlock()
	for _, wake := range woken {
		wake()
	}
}

// queue returns the session's inbox, made on first use.
func (s *Session) queue() *notifyQueue {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	if s.inbox == nil {
		s.inbox = &notifyQueue{}
	}
	return s.inbox
}

func (s *Session) listen(channel string) {
	q := s.queue()
	h := &s.e.notify
	h.mu.Lock()
	defer h.mu.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.listening(channel) {
		return
	}
	q.channels = append(q.channels, channel)
	if h.listeners == nil {
		h.listeners = make(map[string]map[*notifyQueue]struct{})
	}
	if h.listeners[channel] == nil {
		h.listeners[channel] = make(map[*notifyQueue]struct{})
	}
	h.listeners[channel][q] = struct{}{}
}

func (s *Session) unlisten(channel string) {
	q := s.queue()
	h := &s.e.notify
	h.mu.Lock()
	defer h.mu.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.channels = slices.DeleteFunc(q.channels, func(c string) bool { return c == channel })
	h.drop(channel, q)
}

func (s *Session) unlistenAll() {
	q := s.queue()
	h := &s.e.notify
	h.mu.Lock()
	defer h.mu.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, c := range q.channels {
		h.drop(c, q)
	}
	q.channels = nil
}

// drop removes q from channel's listeners; h.mu is held.
func (h *notifyHub) drop(channel string, q *notifyQueue) {
	delete(h.listeners[channel], q)
	if len(h.listeners[channel]) == 0 {
		delete(h.listeners, channel)
	}
}

// Notifications returns the notifications delivered to the session since
// the last call, oldest first, and forgets them. Those of channels the
// session has stopped listening on since are left out, as in PostgreSQL.
// It may be called from any goroutine.
func (s *Session) Notifications() []Notification {
	s.notifyMu.Lock()
	q := s.inbox
	s.notifyMu.Unlock()
	if q == nil {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.pending[:0:0]
	for _, n := range q.pending {
		if q.listening(n.Channel) {
			out = append(out, n)
		}
	}
	q.pending, q.bytes = nil, 0
	return out
}

// SetNotifyWaker sets the function called, from the notifying session's
// goroutine and without locks held, when notifications arrive for this
// session while none were waiting. It must not block.
func (s *Session) SetNotifyWaker(wake func()) {
	q := s.queue()
	q.mu.Lock()
	q.wake = wake
	q.mu.Unlock()
}

// ListeningChannels returns the channels the session listens on, in the
// order of their LISTEN (pg_listening_channels).
func (s *Session) ListeningChannels() []string {
	s.notifyMu.Lock()
	q := s.inbox
	s.notifyMu.Unlock()
	if q == nil {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.channels)
}

// closeNotify stops the session's listening (Session.Close).
func (s *Session) closeNotify() {
	s.pendingNotify = notifyTxn{}
	s.notifyMu.Lock()
	q := s.inbox
	s.notifyMu.Unlock()
	if q != nil {
		s.unlistenAll()
	}
}

// notifyPlan runs LISTEN, UNLISTEN and NOTIFY: they only queue their
// action in the transaction.
type notifyPlan struct{ stmt ast.Stmt }

func (p *notifyPlan) columns() []Column { return nil }
func (p *notifyPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := x.s
	switch st := p.stmt.(type) {
	case *ast.ListenStmt:
		s.queueListen('L', st.Channel)
	case *ast.UnlistenStmt:
		if st.All {
			s.queueListen('*', "")
		} else {
			s.queueListen('U', st.Channel)
		}
	case *ast.NotifyStmt:
		if err := s.queueNotify(st.Channel, st.Payload); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: p.stmt.Tag()}, nil
}

// bindNotifyFunc binds pg_notify(text, text); ok is false for any other
// name. Unlike most functions it is not strict: a NULL channel is an empty
// one (an error), a NULL payload an empty payload.
func (b *binder) bindNotifyFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	if name != "pg_notify" {
		return nil, false, nil
	}
	f := &builtins.Func{Name: name, Overloads: []*builtins.Overload{{Args: []types.ID{types.Text, types.Text}, Result: types.Void}}}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	return &notifyFuncExpr{args: args}, true, nil
}

type notifyFuncExpr struct{ args []expr }

func (e *notifyFuncExpr) Type() types.T { return types.New(types.Void) }
func (e *notifyFuncExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	var vals [2]string
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if v != nil {
			vals[i] = v.(string)
		}
	}
	if err := c.exec.s.queueNotify(vals[0], vals[1]); err != nil {
		return nil, err
	}
	return "", nil
}

// listeningChannels is pg_listening_channels()'s rows.
func listeningChannels(x *execCtx, _ []types.Datum) ([]types.Datum, error) {
	var out []types.Datum
	for _, c := range x.s.ListeningChannels() {
		out = append(out, c)
	}
	return out, nil
}

package pgwire

import (
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/sql"
)

// NotifySession is a Session that receives asynchronous notifications
// (LISTEN/NOTIFY); sql.Session is one. pgwire sends them as
// NotificationResponse when the session is outside a transaction: just
// before a ReadyForQuery, and at once while the connection waits for its
// client, as PostgreSQL does.
type NotifySession interface {
	Session
	// Notifications returns and forgets the notifications received so
	// far; it is called from another goroutine than the session's, but
	// never while a message is being handled.
	Notifications() []sql.Notification
	// SetNotifyWaker sets a function called, from any goroutine, when
	// notifications arrive.
	SetNotifyWaker(func())
}

var _ NotifySession = (*sql.Session)(nil)

// setupNotify registers the connection's waker with a NotifySession. The
// goroutine that writes notifications while the connection is idle starts
// with the first notification.
func (c *conn) setupNotify() {
	ns, ok := c.sess.(NotifySession)
	if !ok {
		return
	}
	c.notify.sess = ns
	c.notify.kick = make(chan struct{}, 1)
	c.notify.done = make(chan struct{})
	c.notify.ready = true
	c.call("SetNotifyWaker", func() error {
		ns.SetNotifyWaker(func() {
			c.notify.once.Do(func() { go c.notifyLoop() })
			c.kickNotify()
		})
		return nil
	})
}

func (c *conn) kickNotify() {
	select {
	case c.notify.kick <- struct{}{}:
	default:
	}
}

// stopNotify ends the notification goroutine (the connection is closing).
func (c *conn) stopNotify() {
	if c.notify.done != nil {
		close(c.notify.done)
	}
}

// notifyLoop writes the notifications that arrive while the connection is
// idle, waiting for its client outside a transaction.
func (c *conn) notifyLoop() {
	for {
		select {
		case <-c.notify.kick:
		case <-c.notify.done:
			return
		}
		c.notify.Lock()
		if c.notify.idle && c.notify.err == nil {
			if buf := c.encodeNotifications(nil, c.notify.sess.Notifications()); len(buf) > 0 {
				_, c.notify.err = c.nc.Write(buf)
			}
		}
		c.notify.Unlock()
	}
}

// enterIdle is called before the connection blocks reading its client:
// when the last message ended with ReadyForQuery outside a transaction,
// notifications may be written from now until leaveIdle.
func (c *conn) enterIdle() {
	if c.notify.sess == nil || !c.notify.ready || c.lastStatus != sql.TxIdle || c.br.Buffered() > 0 || len(c.wbuf) > 0 {
		return
	}
	c.notify.Lock()
	c.notify.idle = true
	c.notify.Unlock()
	c.kickNotify()
}

// leaveIdle is called once a message (or an error) has been read: the
// connection's goroutine writes again.
func (c *conn) leaveIdle() {
	if c.notify.sess == nil {
		return
	}
	c.notify.ready = false
	c.notify.Lock()
	c.notify.idle = false
	if c.notify.err != nil && c.writeErr == nil {
		c.writeErr = c.notify.err
	}
	c.notify.Unlock()
}

// sendNotifications queues the session's notifications in the output,
// before a ReadyForQuery outside a transaction.
func (c *conn) sendNotifications() {
	if c.notify.sess == nil {
		return
	}
	var ns []sql.Notification
	c.call("Notifications", func() error { ns = c.notify.sess.Notifications(); return nil })
	c.wbuf = c.encodeNotifications(c.wbuf, ns)
}

// encodeNotifications appends NotificationResponses to buf. NOTIFY bounds
// channel and payload, so encoding does not fail; a notification that did
// would be logged and left out.
func (c *conn) encodeNotifications(buf []byte, ns []sql.Notification) []byte {
	for _, n := range ns {
		out, err := (&pgproto3.NotificationResponse{PID: uint32(n.PID), Channel: n.Channel, Payload: n.Payload}).Encode(buf)
		if err != nil {
			c.log.Error("pgwire: cannot encode a notification", "channel", n.Channel, "err", err)
			continue
		}
		buf = out
	}
	return buf
}

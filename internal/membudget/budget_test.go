package membudget

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAcquireWaitsInOrder(t *testing.T) {
	b := New(100, Options{})
	ctx := context.Background()
	if n, err := b.Acquire(ctx, 80); n != 80 || err != nil {
		t.Fatalf("Acquire(80) = %d, %v", n, err)
	}
	got := make(chan int64, 2)
	go func() { n, _ := b.Acquire(ctx, 50); got <- n }()
	waitFor(t, func() bool { return b.Waiting() == 1 })
	go func() { n, _ := b.Acquire(ctx, 10); got <- n }()
	waitFor(t, func() bool { return b.Waiting() == 2 })
	// 10 would fit, but waits behind 50.
	select {
	case n := <-got:
		t.Fatalf("a waiter got %d before its turn", n)
	default:
	}
	// TryAcquire does not queue: running work still gets what fits.
	if !b.TryAcquire(20) {
		t.Fatal("TryAcquire(20) with 20 free")
	}
	if b.TryAcquire(1) {
		t.Fatal("TryAcquire(1) with nothing free")
	}
	b.Release(100)
	if a, c := <-got, <-got; a+c != 60 {
		t.Fatalf("granted %d and %d", a, c)
	}
	if b.Used() != 60 {
		t.Fatalf("used %d", b.Used())
	}
}

func TestAcquireLargerThanLimit(t *testing.T) {
	b := New(100, Options{})
	n, err := b.Acquire(context.Background(), 1<<40)
	if n != 100 || err != nil {
		t.Fatalf("Acquire(1<<40) = %d, %v; want the whole budget", n, err)
	}
	b.Release(n)
	if b.Used() != 0 {
		t.Fatalf("used %d", b.Used())
	}
}

func TestAcquireCancelled(t *testing.T) {
	b := New(100, Options{})
	b.TryAcquire(100)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { _, err := b.Acquire(ctx, 60); errc <- err }()
	waitFor(t, func() bool { return b.Waiting() == 1 })
	// A small waiter behind the cancelled one is granted once it leaves.
	small := make(chan int64)
	go func() { n, _ := b.Acquire(context.Background(), 10); small <- n }()
	waitFor(t, func() bool { return b.Waiting() == 2 })
	b.Release(30)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Acquire: %v", err)
	}
	if n := <-small; n != 10 {
		t.Fatalf("small waiter got %d", n)
	}
	if b.Used() != 80 {
		t.Fatalf("used %d, want 80", b.Used())
	}
}

func TestOnIdle(t *testing.T) {
	now := time.Unix(1000, 0)
	idle := make(chan struct{}, 10)
	b := New(1000, Options{OnIdle: func() { idle <- struct{}{} }, IdleBytes: 100, IdleInterval: time.Second,
		Now: func() time.Time { return now }})
	b.TryAcquire(50)
	b.Release(50) // idle, but under IdleBytes
	b.TryAcquire(200)
	b.TryAcquire(10)
	b.Release(200) // 10 still held: not idle
	b.Release(10)
	<-idle
	b.TryAcquire(300)
	b.Release(300) // within IdleInterval of the last call
	now = now.Add(2 * time.Second)
	b.TryAcquire(300)
	b.Release(300)
	<-idle
	select {
	case <-idle:
		t.Fatal("OnIdle called three times")
	case <-time.After(50 * time.Millisecond):
	}
}

// TestOnIdleLater: an idle budget whose last OnIdle was too recent calls
// it once the interval has passed, with no further Release.
func TestOnIdleLater(t *testing.T) {
	idle := make(chan struct{}, 10)
	b := New(1000, Options{OnIdle: func() { idle <- struct{}{} }, IdleBytes: 100, IdleInterval: 20 * time.Millisecond})
	b.TryAcquire(200)
	b.Release(200)
	<-idle
	b.TryAcquire(200)
	b.Release(200) // too soon: looked at again later
	select {
	case <-idle:
	case <-time.After(10 * time.Second):
		t.Fatal("OnIdle not called after the interval")
	}
}

func TestNilBudget(t *testing.T) {
	var b *Budget
	if n, err := b.Acquire(context.Background(), 1<<50); n != 0 || err != nil || !b.TryAcquire(1<<50) {
		t.Fatal("a nil budget limits")
	}
	b.Release(5)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10 s")
		}
		time.Sleep(time.Millisecond)
	}
}

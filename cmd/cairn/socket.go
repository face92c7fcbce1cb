package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"
)

// listenUnix listens on dir/.s.PGSQL.PORT, where libpq looks for a server
// on port PORT when no host is given (psql -p PORT), with PostgreSQL's
// default permissions (0777: authentication, not the file mode, decides
// who gets in). A socket file left by a server that died is removed; one
// that a live server answers on is an error. The listener removes the
// file when it is closed.
func listenUnix(dir, port string) (net.Listener, error) {
	path := filepath.Join(dir, ".s.PGSQL."+port)
	if _, err := os.Lstat(path); err == nil {
		c, err := net.DialTimeout("unix", path, time.Second)
		if err == nil {
			c.Close()
			return nil, fmt.Errorf("another server is already listening on Unix socket %s", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("removing stale Unix socket: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("Unix socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listening on Unix socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o777); err != nil {
		ln.Close()
		return nil, fmt.Errorf("setting the permissions of Unix socket %s: %w", path, err)
	}
	return ln, nil
}

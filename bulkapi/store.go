package bulkapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A Store keeps bulk jobs in the system database. sqlstore.DB is one.
type Store interface {
	InsertBulkJob(ctx context.Context, id, org, kind, state string, created int64, hash string, doc []byte) error
	// BulkJob returns a job's org, state and document; rapport.NotFound
	// if there is none.
	BulkJob(ctx context.Context, id string) (org, state string, doc []byte, err error)
	// SwapBulkJob replaces a job's state and document if its state is
	// still from.
	SwapBulkJob(ctx context.Context, id, from, state string, doc []byte) (bool, error)
	BulkJobs(ctx context.Context, org, kind string, afterCreated int64, afterID string, limit int, fn func(doc []byte) error) error
	BulkJobsByHash(ctx context.Context, org, hash string) ([][]byte, error)
	DeleteBulkJob(ctx context.Context, id string) error
}

// A chunkTx is the part of an org transaction (record.Tx) that keeps the
// results of ingest chunks; sqlstore's transactions have it.
type chunkTx interface {
	PutBulkChunk(ctx context.Context, job string, chunk, processed, failed int, results []byte) error
	BulkChunkDone(ctx context.Context, job string, chunk int) (bool, error)
	BulkChunkCounts(ctx context.Context, job string) (chunks, processed, failed int, err error)
	BulkChunks(ctx context.Context, job string, fn func(chunk int, results []byte) error) error
	DeleteBulkChunks(ctx context.Context, job string) error
}

// A Blob is a stored file.
type Blob interface {
	io.ReaderAt
	Size() int64
	Close() error
}

// Blobs keep the files of jobs, durably: the uploaded data and query
// results.
type Blobs interface {
	// Put stores the content of r as the job's file name, replacing any,
	// and returns its size; at most limit bytes (ErrTooLarge beyond).
	// The file is durable when Put returns.
	Put(ctx context.Context, job, name string, r io.Reader, limit int64) (int64, error)
	// Open opens a stored file; rapport.NotFound if there is none.
	Open(ctx context.Context, job, name string) (Blob, error)
	// Remove removes every file of the job.
	Remove(ctx context.Context, job string) error
}

// ErrTooLarge is returned by Blobs.Put for data over its limit.
var ErrTooLarge = errors.New("bulkapi: data over the size limit")

// DirBlobs keeps files under a directory, DIR/<jobId>/<name>: the
// embedded store's choice (DATA/bulk).
type DirBlobs struct{ Dir string }

func (d DirBlobs) path(job, name string) (string, error) {
	if job == "" || strings.ContainsAny(job, `/\.`) || strings.ContainsAny(name, `/\`) || name == "" || name[0] == '.' {
		return "", fmt.Errorf("bulkapi: bad file name %q/%q", job, name)
	}
	return filepath.Join(d.Dir, job, name), nil
}

// Put implements Blobs: it writes a temporary file, syncs it and renames
// it into place.
func (d DirBlobs) Put(ctx context.Context, job, name string, r io.Reader, limit int64) (int64, error) {
	p, err := d.path(job, name)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return 0, err
	}
	if dir, err := os.Open(filepath.Dir(p)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return n, nil
}

type fileBlob struct {
	*os.File
	size int64
}

func (f fileBlob) Size() int64 { return f.size }

// Open implements Blobs.
func (d DirBlobs) Open(ctx context.Context, job, name string) (Blob, error) {
	p, err := d.path(job, name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, notStored(job, name)
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return fileBlob{f, st.Size()}, nil
}

// Remove implements Blobs.
func (d DirBlobs) Remove(ctx context.Context, job string) error {
	if _, err := d.path(job, "x"); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(d.Dir, job))
}

// A PieceStore keeps files as numbered pieces in the system database;
// sqlstore.DB is one.
type PieceStore interface {
	PutBulkPiece(ctx context.Context, job, name string, seq int, data []byte) error
	BulkPieces(ctx context.Context, job, name string, from, to int) ([][]byte, error)
	DeleteBulkPieces(ctx context.Context, job string, names ...string) error
}

// pieceSize is the size of a stored piece; the first piece (seq 0) holds
// the file's size and SHA-256 instead of data, and is written last, so a
// file is there whole or not at all.
const pieceSize = 1 << 20

// SQLBlobs keeps files in the system database, in pieces: the choice for
// PostgreSQL, where several processes share the work.
type SQLBlobs struct{ DB PieceStore }

// Put implements Blobs.
func (s SQLBlobs) Put(ctx context.Context, job, name string, r io.Reader, limit int64) (int64, error) {
	if err := s.DB.DeleteBulkPieces(ctx, job, name); err != nil {
		return 0, err
	}
	buf := make([]byte, pieceSize)
	h := sha256.New()
	var n int64
	for seq := 1; ; seq++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			n += int64(k)
			if n > limit {
				return 0, ErrTooLarge
			}
			h.Write(buf[:k])
			if err := s.DB.PutBulkPiece(ctx, job, name, seq, buf[:k]); err != nil {
				return 0, err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	head := fmt.Sprintf("%d %s", n, hex.EncodeToString(h.Sum(nil)))
	return n, s.DB.PutBulkPiece(ctx, job, name, 0, []byte(head))
}

// Open implements Blobs.
func (s SQLBlobs) Open(ctx context.Context, job, name string) (Blob, error) {
	ps, err := s.DB.BulkPieces(ctx, job, name, 0, 0)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, notStored(job, name)
	}
	var size int64
	if _, err := fmt.Sscan(string(ps[0]), &size); err != nil {
		return nil, fmt.Errorf("bulkapi: file %s/%s: bad head: %w", job, name, err)
	}
	return &pieceBlob{db: s.DB, ctx: context.WithoutCancel(ctx), job: job, name: name, size: size, cache: map[int][]byte{}}, nil
}

// Remove implements Blobs.
func (s SQLBlobs) Remove(ctx context.Context, job string) error {
	return s.DB.DeleteBulkPieces(ctx, job)
}

// pieceBlob reads a file from its pieces, keeping a few recent ones.
type pieceBlob struct {
	db        PieceStore
	ctx       context.Context // reads happen in io.ReaderAt calls, which take none
	job, name string
	size      int64

	mu    sync.Mutex
	cache map[int][]byte
	order []int
}

func (b *pieceBlob) Size() int64  { return b.size }
func (b *pieceBlob) Close() error { return nil }

func (b *pieceBlob) piece(seq int) ([]byte, error) {
	b.mu.Lock()
	if p, ok := b.cache[seq]; ok {
		b.mu.Unlock()
		return p, nil
	}
	b.mu.Unlock()
	// Read ahead: the next few pieces come in the same query.
	ps, err := b.db.BulkPieces(b.ctx, b.job, b.name, seq, seq+3)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("bulkapi: file %s/%s: piece %d missing", b.job, b.name, seq)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, p := range ps {
		if _, ok := b.cache[seq+i]; !ok {
			b.cache[seq+i] = p
			b.order = append(b.order, seq+i)
		}
	}
	for len(b.order) > 8 {
		delete(b.cache, b.order[0])
		b.order = b.order[1:]
	}
	return ps[0], nil
}

// ReadAt implements io.ReaderAt.
func (b *pieceBlob) ReadAt(p []byte, off int64) (int, error) {
	if off >= b.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < b.size {
		seq := int(off/pieceSize) + 1
		data, err := b.piece(seq)
		if err != nil {
			return n, err
		}
		at := int(off % pieceSize)
		if at >= len(data) {
			return n, io.ErrUnexpectedEOF
		}
		k := copy(p[n:], data[at:])
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

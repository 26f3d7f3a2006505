package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingFile is a real temporary file whose Write, Sync or Close can
// be made to fail.
type failingFile struct {
	*os.File
	writeErr, syncErr, closeErr error
}

func (f *failingFile) Write(p []byte) (int, error) {
	if f.writeErr != nil {
		return 0, f.writeErr
	}
	return f.File.Write(p)
}

func (f *failingFile) Sync() error {
	if f.syncErr != nil {
		return f.syncErr
	}
	return f.File.Sync()
}

func (f *failingFile) Close() error {
	err := f.File.Close()
	if f.closeErr != nil {
		return f.closeErr
	}
	return err
}

func TestWriteWith_failures(t *testing.T) {
	t.Parallel()
	errWrite, errSync, errClose := errors.New("disk full"), errors.New("sync failed"), errors.New("close failed")
	tests := []struct {
		name                        string
		reason                      string
		writeErr, syncErr, closeErr error
		want                        []error
	}{
		{"close fails", "a Close error must reach the caller (STYLE §5)", nil, nil, errClose, []error{errClose}},
		{"sync fails", "unsynced data is not saved", nil, errSync, nil, []error{errSync}},
		{"write and close fail", "both errors are joined", errWrite, nil, errClose, []error{errWrite, errClose}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "config.json")
			require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
			create := func(dir, pattern string) (File, error) {
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				return &failingFile{File: f, writeErr: tc.writeErr, syncErr: tc.syncErr, closeErr: tc.closeErr}, nil
			}
			err := WriteWith(path, create, func(w io.Writer) error {
				_, err := w.Write(make([]byte, 8<<10)) // more than bufio's buffer: reaches the file
				return err
			})
			for _, want := range tc.want {
				require.ErrorIs(t, err, want, tc.reason)
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, "old", string(got), "the target is untouched")
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, 1, "the temporary file is removed")
		})
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "vocab.txt")
	require.NoError(t, Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "[PAD]\n")
		return err
	}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "[PAD]\n", string(got))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())

	errFill := errors.New("fill failed")
	require.ErrorIs(t, Write(path, func(io.Writer) error { return errFill }), errFill)
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "[PAD]\n", string(got), "a failed write keeps the old file")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)

	err = Write(filepath.Join(dir, "missing", "x"), func(io.Writer) error { return nil })
	require.ErrorIs(t, err, os.ErrNotExist)
}

// Package seal encrypts applicants' personal data at rest (issue 4 item 9)
// with AES-256-GCM, and makes keyed hashes ("blind indexes") so that staff
// can still find an application by an applicant's exact name, ID number or
// phone number without the database holding them in plain text.
//
// One 32-byte data key is configured (GONGKAI_DATA_KEY) or generated into a
// key file on first start. Separate keys for encryption, indexes and the
// fingerprint are derived from it with HKDF-SHA256, so a leaked index key
// says nothing about the encryption key. Each ciphertext names the key it
// was made with (its fingerprint), so a wrong key is reported as such
// rather than as corrupt data, and keys can be rotated later.
//
// AES-256-GCM rather than SM4-GCM: AES is in Go's standard library
// (constant-time, hardware-accelerated, FIPS-validated); SM4 would need a
// third-party module and gives no better protection here.
package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of the data key in bytes (AES-256).
const KeySize = 32

// textPrefix starts every sealed string; binary blobs start with binMagic.
const (
	textPrefix = "gk1:"
	binMagic   = "GK1\x00"
)

// ErrWrongKey means the ciphertext was made with another data key: the
// configured key is not the one the data was encrypted with.
var ErrWrongKey = errors.New("seal: the data was encrypted with a different data key")

// ErrCorrupt means the ciphertext is damaged, was moved to another record,
// or was not made by this package.
var ErrCorrupt = errors.New("seal: ciphertext damaged or not bound to this record")

// Keys are the keys derived from one data key. Safe for concurrent use.
type Keys struct {
	aead        cipher.AEAD
	indexKey    []byte
	fingerprint string
}

// New derives the keys from a 32-byte data key.
func New(key []byte) (*Keys, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: data key must be %d bytes, got %d", KeySize, len(key))
	}
	derive := func(info string) []byte {
		k, err := hkdf.Key(sha256.New, key, nil, info, 32)
		if err != nil {
			panic(err) // only for lengths HKDF cannot produce
		}
		return k
	}
	block, err := aes.NewCipher(derive("gongkai seal v1: aes-256-gcm"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	fp := derive("gongkai seal v1: fingerprint")
	return &Keys{aead: aead, indexKey: derive("gongkai seal v1: blind index"), fingerprint: hex.EncodeToString(fp[:4])}, nil
}

// Fingerprint identifies the data key (8 hex digits) without revealing it.
func (k *Keys) Fingerprint() string { return k.fingerprint }

// Seal encrypts plaintext bound to aad (say "application:YSQ…:personal"),
// so the ciphertext cannot be moved to another record or field unnoticed.
// The result is printable text: "gk1:<fingerprint>:<base64>".
func (k *Keys) Seal(plaintext []byte, aad string) string {
	return textPrefix + k.fingerprint + ":" + base64.RawStdEncoding.EncodeToString(k.seal(plaintext, aad))
}

// Open decrypts what Seal made with the same aad.
func (k *Keys) Open(sealed, aad string) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, textPrefix)
	if !ok {
		return nil, ErrCorrupt
	}
	fp, b64, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, ErrCorrupt
	}
	if fp != k.fingerprint {
		return nil, ErrWrongKey
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return nil, ErrCorrupt
	}
	return k.open(raw, aad)
}

// SealBytes is Seal for binary content such as attachments.
func (k *Keys) SealBytes(plaintext []byte, aad string) []byte {
	fp, _ := hex.DecodeString(k.fingerprint)
	var b bytes.Buffer
	b.WriteString(binMagic)
	b.Write(fp)
	b.Write(k.seal(plaintext, aad))
	return b.Bytes()
}

// OpenBytes decrypts what SealBytes made.
func (k *Keys) OpenBytes(sealed []byte, aad string) ([]byte, error) {
	if len(sealed) < len(binMagic)+4 || string(sealed[:len(binMagic)]) != binMagic {
		return nil, ErrCorrupt
	}
	if hex.EncodeToString(sealed[len(binMagic):len(binMagic)+4]) != k.fingerprint {
		return nil, ErrWrongKey
	}
	return k.open(sealed[len(binMagic)+4:], aad)
}

func (k *Keys) seal(plaintext []byte, aad string) []byte {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return k.aead.Seal(nonce, nonce, plaintext, []byte(aad))
}

func (k *Keys) open(raw []byte, aad string) ([]byte, error) {
	n := k.aead.NonceSize()
	if len(raw) < n+k.aead.Overhead() {
		return nil, ErrCorrupt
	}
	out, err := k.aead.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return nil, ErrCorrupt
	}
	return out, nil
}

// Index returns a keyed hash of value for exact-match lookups: the same
// purpose and value always give the same index, and without the data key it
// cannot be computed (so a copy of the database cannot be searched by
// guessing names). Callers normalise value first. An empty value gives "".
func (k *Keys) Index(purpose, value string) string {
	if value == "" {
		return ""
	}
	m := hmac.New(sha256.New, k.indexKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// ParseKey reads a data key written as 64 hex digits or as base64 (standard
// or URL alphabet, padded or not) of 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("数据密钥须为32字节，写成64位十六进制数或Base64编码（例如用 openssl rand -base64 32 生成）")
}

// FormatKey writes a key as base64, the form key files use.
func FormatKey(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

// NewKey returns a random data key.
func NewKey() []byte {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// LoadOrCreateKeyFile reads the key file at path, or creates it with a new
// random key (mode 0600, in a directory created 0700 if missing). created
// says which happened, so the caller can tell the operator to back it up.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := ParseKey(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("数据密钥文件 %s 无效：%w", path, err)
		}
		return key, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	key = NewKey()
	// O_EXCL: if another process created the file meanwhile, use theirs.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKeyFile(path)
	}
	if err != nil {
		return nil, false, err
	}
	if _, err := f.WriteString(FormatKey(key) + "\n"); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	return key, true, f.Close()
}

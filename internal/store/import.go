package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/taxonomy"
)

// Bulk import of archives that were already published elsewhere: one JSON
// object per line (gongkai.DocumentInput with publishedAt and optionally
// indexNo). Lines are parsed, validated and sanitised in parallel while
// the previous batch is written in one transaction, so the single SQLite
// writer is kept busy. Re-running a file creates nothing new: each line
// has a key (its 索引号, or a hash of title, 文号 and dates) stored with the
// document.

// ImportOptions configure ImportDocuments.
type ImportOptions struct {
	// OrgCode names the org the documents belong to.
	OrgCode string
	// BatchSize is the number of lines per transaction (default 1000).
	BatchSize int
	// Progress, when set, is called after each batch.
	Progress func(ImportProgress)
	// BadLine, when set, is called for each line that cannot be imported.
	BadLine func(ImportError)
}

// ImportProgress counts what an import has done so far.
type ImportProgress struct {
	Lines   int   // lines read, blank lines included
	Created int   // documents created
	Skipped int   // lines already imported by an earlier run
	Failed  int   // bad lines
	Bytes   int64 // bytes read
}

// ImportError is a line that could not be imported, and why.
type ImportError struct {
	Line    int
	Message string
}

func (e ImportError) Error() string { return fmt.Sprintf("第 %d 行：%s", e.Line, e.Message) }

// maxImportLine bounds one line (a document with its body).
const maxImportLine = 16 << 20

type importItem struct {
	line    int
	doc     *gongkai.Document
	in      *gongkai.DocumentInput
	key     string
	indexNo string // given in the file
	err     string
}

type importBatch struct {
	items []*importItem
	lines int
	bytes int64
	err   error
}

// importEnv is what preparing a line needs, read once.
type importEnv struct {
	org     *gongkai.Org
	siteID  int64
	cols    columnIndex
	columns map[string]int64 // slug → id
	now     time.Time
}

// ImportDocuments imports a JSON Lines stream of published documents into
// the org. It returns the totals; bad lines are reported through
// opt.BadLine and skipped. Only the system actor (the operator's CLI) and
// the org's admins may import.
func (db *DB) ImportDocuments(ctx context.Context, r io.Reader, opt ImportOptions) (ImportProgress, error) {
	var total ImportProgress
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	var env importEnv
	err := db.inReadTx(ctx, func(tx *Tx) error {
		org, err := tx.findOrgByCode(ctx, opt.OrgCode)
		if err != nil {
			return err
		}
		if a := tx.actor; a == nil || !a.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有系统运维人员或“%s”的管理员可以导入文件。", org.Name)
		}
		env.org = org
		if env.siteID, err = tx.homeSite(ctx, org); err != nil {
			return err
		}
		cols, err := tx.findColumns(ctx, env.siteID)
		if err != nil {
			return err
		}
		env.cols = newColumnIndex(cols)
		env.columns = map[string]int64{}
		for _, c := range cols {
			env.columns[c.Slug] = c.ID
		}
		_, err = tx.indexTemplate(ctx, org)
		return err
	})
	if err != nil {
		return total, err
	}
	env.now = db.Now().UTC()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *importBatch, 1)
	go func() {
		defer close(batches)
		br := bufio.NewReaderSize(r, 1<<20)
		line := 0
		for {
			b := &importBatch{}
			var raws [][]byte
			for len(raws) < opt.BatchSize {
				raw, err := br.ReadSlice('\n')
				if errors.Is(err, bufio.ErrBufferFull) {
					var buf bytes.Buffer
					buf.Write(raw)
					for errors.Is(err, bufio.ErrBufferFull) && buf.Len() <= maxImportLine {
						raw, err = br.ReadSlice('\n')
						buf.Write(raw)
					}
					raw = buf.Bytes()
				} else {
					raw = append([]byte(nil), raw...)
				}
				b.bytes += int64(len(raw))
				if len(raw) > 0 {
					line++
					b.lines++
					raws = append(raws, raw)
				}
				if err != nil {
					if err != io.EOF {
						b.err = err
					}
					break
				}
			}
			b.items = prepareBatch(env, raws, line-len(raws)+1)
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil || len(raws) < opt.BatchSize {
				return
			}
		}
	}()
	for b := range batches {
		if b.err != nil {
			return total, fmt.Errorf("读取导入文件失败：%w", b.err)
		}
		created, skipped, bad, err := db.importBatch(ctx, env, b.items)
		if err != nil {
			return total, err
		}
		total.Lines += b.lines
		total.Bytes += b.bytes
		total.Created += created
		total.Skipped += skipped
		total.Failed += len(bad)
		for _, e := range bad {
			if opt.BadLine != nil {
				opt.BadLine(e)
			}
		}
		if opt.Progress != nil {
			opt.Progress(total)
		}
	}
	return total, ctx.Err()
}

// prepareBatch parses and checks lines on every core. Blank lines give no
// item.
func prepareBatch(env importEnv, raws [][]byte, firstLine int) []*importItem {
	items := make([]*importItem, len(raws))
	workers := min(runtime.GOMAXPROCS(0), len(raws))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				items[i] = prepareLine(env, raws[i], firstLine+i)
			}
		}()
	}
	for i := range raws {
		next <- i
	}
	close(next)
	wg.Wait()
	out := items[:0]
	for _, it := range items {
		if it != nil {
			out = append(out, it)
		}
	}
	return out
}

// prepareLine turns one line into a document ready to write, or an error.
func prepareLine(env importEnv, raw []byte, line int) *importItem {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	it := &importItem{line: line}
	if len(raw) > maxImportLine {
		it.err = "这一行超过16 MB。"
		return it
	}
	var in gongkai.DocumentInput
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		it.err = jsonProblem(err)
		return it
	}
	if dec.More() {
		it.err = "一行只能有一个 JSON 对象。"
		return it
	}
	it.in = &in
	if in.Org != nil && *in.Org != "" && *in.Org != env.org.Code {
		it.err = "org 为“" + *in.Org + "”，与 --org " + env.org.Code + " 不一致。"
		return it
	}
	var p gongkai.Problems
	if in.PublishedAt == nil || in.PublishedAt.IsZero() {
		p.Add("publishedAt", "导入已发布的文件须填写发布时间 publishedAt（RFC 3339，如 2023-05-06T09:00:00+08:00）。")
	} else if in.PublishedAt.After(env.now) {
		p.Add("publishedAt", "发布时间不能晚于现在。")
	}
	if in.PublishAt != nil {
		p.Add("publishAt", "导入的文件已经发布，不能设定时发布（publishAt）。")
	}
	if in.IndexNo != nil {
		it.indexNo = strings.TrimSpace(*in.IndexNo)
		if it.indexNo == "" || len(it.indexNo) > 100 {
			p.Add("indexNo", "索引号不能为空，也不能超过100个字符。")
		}
	}
	// References by 索引号 are resolved when the batch is written.
	u, _ := in.Update(func(string) (int64, error) { return 0, nil })
	d := &gongkai.Document{OrgID: env.org.ID, OrgCode: env.org.Code, OrgName: env.org.Name, SiteID: env.siteID, Status: gongkai.DocumentPublished}
	applyUpdate(d, u)
	d.Interprets, d.Repeals, d.Amends = nil, nil, nil
	today := gongkai.DateOf(env.now)
	for _, q := range checkDocument(d, env.cols, today, true) {
		p.Add(q.Field, q.Message)
	}
	if len(p) == 0 {
		d.PublishedAt = in.PublishedAt.UTC().Truncate(time.Microsecond)
		published := gongkai.DateOf(d.PublishedAt)
		if d.SignedOn.After(published) {
			p.Add("signedOn", "成文日期晚于发布日期。")
		}
		if d.FormedOn.IsZero() {
			d.FormedOn = d.SignedOn
			if d.FormedOn.IsZero() {
				d.FormedOn = published
			}
		}
	}
	if len(p) > 0 {
		var parts []string
		for _, q := range p {
			parts = append(parts, q.Field+"："+q.Message)
		}
		it.err = strings.Join(parts, "；")
		return it
	}
	d.Version = 1
	it.doc = d
	// The key: a hash of what identifies a published document. A line
	// giving an 索引号 already used by a different document is then a
	// conflict, not a repeat.
	h := sha256.New()
	for _, s := range []string{it.indexNo, d.Title, d.DocNo, d.SignedOn.String(), d.PublishedAt.Format(time.RFC3339Nano)} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	it.key = hex.EncodeToString(h.Sum(nil))[:40]
	return it
}

func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return "字段“" + typeErr.Field + "”的类型不正确。"
	case errors.As(err, &syntaxErr):
		return "不是有效的 JSON（第 " + strconv.FormatInt(syntaxErr.Offset, 10) + " 个字节附近）。"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "不认识的字段 " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "。"
	}
	return "不是有效的 JSON：" + err.Error()
}

// importBatch writes one batch in one transaction.
func (db *DB) importBatch(ctx context.Context, env importEnv, items []*importItem) (created, skipped int, bad []ImportError, err error) {
	err = db.inTx(ctx, func(tx *Tx) error {
		created, skipped, bad = 0, 0, nil
		var good []*importItem
		for _, it := range items {
			if it.err != "" {
				bad = append(bad, ImportError{it.line, it.err})
			} else {
				good = append(good, it)
			}
		}
		// Lines imported by an earlier run, or twice in this batch.
		existing, err := tx.existingKeys(ctx, env.org.ID, good)
		if err != nil {
			return err
		}
		var fresh []*importItem
		for _, it := range good {
			if existing[it.key] {
				skipped++
				continue
			}
			existing[it.key] = true
			fresh = append(fresh, it)
		}
		// 索引号 given in the file must be free.
		var given []string
		for _, it := range fresh {
			if it.indexNo != "" {
				given = append(given, it.indexNo)
			}
		}
		taken, err := tx.takenIndexNos(ctx, given)
		if err != nil {
			return err
		}
		var todo []*importItem
		for _, it := range fresh {
			if it.indexNo != "" {
				if taken[it.indexNo] {
					bad = append(bad, ImportError{it.line, "索引号“" + it.indexNo + "”已被其他文件使用。"})
					continue
				}
				taken[it.indexNo] = true
				it.doc.IndexNo = it.indexNo
			}
			todo = append(todo, it)
		}
		if err := tx.numberImports(ctx, env.org, todo, taken); err != nil {
			return err
		}
		st, err := prepareImport(ctx, tx)
		if err != nil {
			return err
		}
		defer st.close()
		var ids []int64
		for _, it := range todo {
			msg, err := tx.importOne(ctx, env, st, it)
			if err != nil {
				return fmt.Errorf("line %d: %w", it.line, err)
			}
			if msg != "" {
				bad = append(bad, ImportError{it.line, msg})
				continue
			}
			ids = append(ids, it.doc.ID)
			created++
		}
		if created == 0 {
			return nil
		}
		if err := tx.audit(ctx, auditEntry{Action: "document.import", ObjectType: "org", ObjectID: env.org.Code, Org: env.org,
			After: map[string]any{"count": created, "firstId": ids[0], "lastId": ids[len(ids)-1], "firstLine": items[0].line, "lastLine": items[len(items)-1].line}}); err != nil {
			return err
		}
		return tx.publicChanged(ctx, ids...)
	})
	return created, skipped, bad, err
}

func (tx *Tx) existingKeys(ctx context.Context, orgID int64, items []*importItem) (map[string]bool, error) {
	seen := map[string]bool{}
	for start := 0; start < len(items); start += 500 {
		chunk := items[start:min(start+500, len(items))]
		args := []any{orgID}
		var ph []string
		for _, it := range chunk {
			args = append(args, it.key)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		rows, err := tx.QueryContext(ctx, `SELECT import_key FROM documents WHERE org_id = $1 AND import_key IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			seen[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return seen, nil
}

func (tx *Tx) takenIndexNos(ctx context.Context, nos []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for start := 0; start < len(nos); start += 500 {
		chunk := nos[start:min(start+500, len(nos))]
		var args []any
		var ph []string
		for _, n := range chunk {
			args = append(args, n)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		rows, err := tx.QueryContext(ctx, `SELECT index_no FROM documents WHERE index_no IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return nil, err
			}
			taken[n] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return taken, nil
}

// numberImports gives 索引号 to the items without one, from the org's
// counters for the scope of each publication date, skipping numbers
// already taken; the counters are written back once.
func (tx *Tx) numberImports(ctx context.Context, org *gongkai.Org, items []*importItem, taken map[string]bool) error {
	t, err := tx.indexTemplate(ctx, org)
	if err != nil {
		return err
	}
	counters := map[string]int64{}
	for {
		var pending []*importItem
		for _, it := range items {
			if it.doc.IndexNo == "" {
				pending = append(pending, it)
			}
		}
		if len(pending) == 0 {
			break
		}
		var candidates []string
		for _, it := range pending {
			v := indexValues(org, it.doc.PublishedAt, 0)
			scope := t.SeqScope(v)
			seq, ok := counters[scope]
			if !ok {
				err := tx.QueryRowContext(ctx, `SELECT seq FROM index_counters WHERE org_id = $1 AND scope = $2`, org.ID, scope).Scan(&seq)
				if err != nil && !isNoRows(err) {
					return err
				}
			}
			seq++
			counters[scope] = seq
			v.Seq = seq
			no, err := t.Format(v)
			if err != nil {
				return err
			}
			it.doc.IndexNo = no
			candidates = append(candidates, no)
		}
		dbTaken, err := tx.takenIndexNos(ctx, candidates)
		if err != nil {
			return err
		}
		for _, it := range pending {
			if dbTaken[it.doc.IndexNo] || taken[it.doc.IndexNo] {
				it.doc.IndexNo = ""
				continue
			}
			taken[it.doc.IndexNo] = true
		}
	}
	for scope, seq := range counters {
		if _, err := tx.ExecContext(ctx, `INSERT INTO index_counters (org_id, scope, seq) VALUES ($1, $2, $3)
			ON CONFLICT (org_id, scope) DO UPDATE SET seq = excluded.seq`, org.ID, scope, seq); err != nil {
			return err
		}
	}
	return nil
}

// importOne writes one document: its working copy (without a body, which
// lives in the public version), the public version, columns, relations and
// the first version. It returns a message for a problem with the line.
func (tx *Tx) importOne(ctx context.Context, env importEnv, st *importStatements, it *importItem) (string, error) {
	d := it.doc
	in := it.in
	// References by 索引号 or id, to documents already imported or published.
	resolve := func(no string) (int64, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM document_public WHERE index_no = $1 AND state = 'published'`, no).Scan(&id)
		return id, err
	}
	u, err := in.Update(resolve)
	if err != nil {
		return gongkai.ErrorMessage(err), nil
	}
	for _, rel := range []struct {
		dst *[]int64
		src *[]int64
	}{{&d.Interprets, u.Interprets}, {&d.Repeals, u.Repeals}, {&d.Amends, u.Amends}} {
		if rel.src != nil {
			*rel.dst = *rel.src
		}
	}
	for _, ids := range [][]int64{d.Interprets, d.Repeals, d.Amends} {
		for _, id := range ids {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM document_public WHERE id = $1 AND state = 'published'`, id).Scan(&n); err != nil {
				return "", err
			}
			if n == 0 {
				return "关联的文件（编号 " + strconv.FormatInt(id, 10) + "）不存在或尚未公开。", nil
			}
		}
	}
	err = st.doc.QueryRowContext(ctx, d.OrgID, d.SiteID, d.Title, d.Summary, joinLines(d.Keywords), joinLines(d.Issuers), d.DocNo, d.Genre, d.Topic, d.SignedOn, d.FormedOn,
		d.Disclosure, d.Validity, d.ValidityOn, tx.actor.Username, ts(tx.now), d.IndexNo, ts(d.PublishedAt), it.key).Scan(&d.ID)
	if err != nil {
		return "", err
	}
	published := ts(d.PublishedAt)
	if _, err := st.pub.ExecContext(ctx, d.ID, d.SiteID, d.OrgID, d.IndexNo, d.Title, d.Body, d.Summary, joinLines(d.Keywords), joinLines(d.Issuers), d.DocNo, d.Genre, d.Topic,
		d.SignedOn, d.Validity, d.ValidityOn, published, gongkai.DateOf(d.PublishedAt).Year); err != nil {
		return "", err
	}
	for _, slug := range d.Columns {
		col := env.columns[slug]
		if _, err := st.col.ExecContext(ctx, d.ID, col); err != nil {
			return "", err
		}
		if _, err := st.pubCol.ExecContext(ctx, col, published, d.ID); err != nil {
			return "", err
		}
	}
	for _, rel := range []struct {
		kind string
		ids  []int64
	}{{"interprets", d.Interprets}, {"repeals", d.Repeals}, {"amends", d.Amends}} {
		for _, to := range rel.ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_relations (from_id, kind, to_id) VALUES ($1, $2, $3)`, d.ID, rel.kind, to); err != nil {
				return "", err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_public_relations (from_id, kind, to_id) VALUES ($1, $2, $3)`, d.ID, rel.kind, to); err != nil {
				return "", err
			}
		}
	}
	on := gongkai.DateOf(d.PublishedAt)
	for _, target := range d.Repeals {
		if _, err := tx.setValidity(ctx, target, taxonomy.ValidityRepealed, on, d.ID); err != nil {
			return "", err
		}
	}
	for _, target := range d.Amends {
		if _, err := tx.setValidity(ctx, target, taxonomy.ValidityAmended, on, d.ID); err != nil {
			return "", err
		}
	}
	_, err = st.version.ExecContext(ctx, d.ID, published)
	return "", err
}

// importStatements are the statements written for every document,
// prepared once per batch: parsing SQL is a large share of the cost of a
// small INSERT.
type importStatements struct {
	doc, pub, col, pubCol, version *sql.Stmt
}

func prepareImport(ctx context.Context, tx *Tx) (*importStatements, error) {
	st := &importStatements{}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.doc, `INSERT INTO documents (org_id, site_id, status, title, body, summary, keywords, issuers, doc_no, genre, topic, signed_on, formed_on,
			disclosure, disclosure_reason, validity, validity_on, revision_note, created_by_name, created_at, updated_at, index_no, published_at, version, import_key)
			VALUES ($1, $2, 'published', $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', $13, $14, '', $15, $16, $16, $17, $18, 1, $19) RETURNING id`},
		{&st.pub, `INSERT INTO document_public (id, site_id, org_id, state, index_no, title, body, summary, keywords, issuers, doc_no, genre, topic,
			signed_on, validity, validity_on, published_at, updated_at, year, version, attachments)
			VALUES ($1, $2, $3, 'published', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, 1, '[]')`},
		{&st.col, `INSERT INTO document_columns (document_id, column_id) VALUES ($1, $2)`},
		{&st.pubCol, `INSERT INTO document_public_columns (column_id, published_at, document_id) VALUES ($1, $2, $3)`},
		{&st.version, `INSERT INTO document_versions (document_id, version, published_at, note) VALUES ($1, 1, $2, '首次发布')`},
	} {
		s, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			st.close()
			return nil, err
		}
		*p.dst = s
	}
	return st, nil
}

func (st *importStatements) close() {
	for _, s := range []*sql.Stmt{st.doc, st.pub, st.col, st.pubCol, st.version} {
		if s != nil {
			s.Close()
		}
	}
}

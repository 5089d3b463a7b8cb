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
	"reflect"
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
	pending []pendingRef
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
	if db.dialect == SQLite {
		// A bigger page cache for the writer while the indexes grow: the
		// import otherwise spends a sixth of its time re-reading pages.
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -131072`); err == nil {
			defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
		}
	}

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
	n := 0
	for b := range batches {
		if b.err != nil {
			return total, fmt.Errorf("读取导入文件失败：%w", b.err)
		}
		created, skipped, bad, err := db.importBatch(ctx, env, b.items)
		if err != nil {
			return total, err
		}
		// PostgreSQL plans with table statistics, which autovacuum
		// refreshes only now and then: a table that grew from nothing is
		// still "empty" to the planner, which then scans it whole for
		// every key lookup. Refresh them as the table grows tenfold.
		if n++; db.dialect == Postgres && (n == 1 || n == 10 || n == 100 || n == 1000) {
			if _, err := db.write.ExecContext(ctx, `ANALYZE documents, document_public, document_public_columns`); err != nil {
				return total, err
			}
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
	if in.RequiredDisclosure != nil || in.RequiredDisclosureReason != nil {
		// The mark only tunes the content checks, which imports bypass.
		p.Add("requiredDisclosure", "导入的存档文件不经发布前内容检查，不能标注依法公开个人信息（requiredDisclosure）；修订时可在工作平台标注。")
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
		// One line per bad input line: the problems become clauses of one
		// sentence (each message ends in 。, which would read "。；").
		var parts []string
		for _, q := range p {
			parts = append(parts, q.Field+"："+strings.TrimRight(q.Message, "。"))
		}
		it.err = strings.Join(parts, "；") + "。"
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
	case errors.As(err, &typeErr) && typeErr.Type == reflect.TypeFor[gongkai.Date]():
		return "字段“" + typeErr.Field + "”应为 YYYY-MM-DD 格式的日期，例如 2024-03-01。"
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
		// References by 索引号 or id must name published documents, or
		// documents given an 索引号 earlier in this batch.
		inBatch := map[string]*importItem{}
		var ready []*importItem
		for _, it := range todo {
			msg, err := tx.resolveRelations(ctx, it, inBatch)
			if err != nil {
				return err
			}
			if msg != "" {
				bad = append(bad, ImportError{it.line, msg})
				continue
			}
			if it.indexNo != "" {
				inBatch[it.indexNo] = it
			}
			ready = append(ready, it)
		}
		if err := tx.numberImports(ctx, env.org, ready, taken); err != nil {
			return err
		}
		if err := tx.insertImports(ctx, env, ready); err != nil {
			return err
		}
		var ids []int64
		for _, it := range ready {
			ids = append(ids, it.doc.ID)
			created++
		}
		if err := tx.importRelations(ctx, ready); err != nil {
			return err
		}
		tx.searchChanged(SearchKindDocument, ids...)
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

// resolveRelations turns the line's references into ids. A reference by
// 索引号 to a document earlier in the same batch is kept by pointer and
// resolved once that document has its id.
func (tx *Tx) resolveRelations(ctx context.Context, it *importItem, inBatch map[string]*importItem) (string, error) {
	in, d := it.in, it.doc
	for _, rel := range []struct {
		refs *[]gongkai.DocRef
		dst  *[]int64
	}{{in.Interprets, &d.Interprets}, {in.Repeals, &d.Repeals}, {in.Amends, &d.Amends}} {
		if rel.refs == nil {
			continue
		}
		for _, r := range *rel.refs {
			if r.ID == 0 && r.IndexNo != "" {
				if target := inBatch[r.IndexNo]; target != nil {
					it.pending = append(it.pending, pendingRef{rel.dst, target})
					continue
				}
				err := tx.QueryRowContext(ctx, `SELECT id FROM document_public WHERE index_no = $1 AND state = 'published'`, r.IndexNo).Scan(&r.ID)
				if isNoRows(err) {
					return "关联的文件“" + r.IndexNo + "”不存在或尚未公开。", nil
				}
				if err != nil {
					return "", err
				}
			} else {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM document_public WHERE id = $1 AND state = 'published'`, r.ID).Scan(&n); err != nil {
					return "", err
				}
				if n == 0 {
					return "关联的文件（编号 " + strconv.FormatInt(r.ID, 10) + "）不存在或尚未公开。", nil
				}
			}
			*rel.dst = append(*rel.dst, r.ID)
		}
	}
	return "", nil
}

// pendingRef is a reference to a document of the same batch.
type pendingRef struct {
	dst    *[]int64
	target *importItem
}

// maxParams is how many bound parameters one multi-row statement takes.
// PostgreSQL allows 65,535 and each statement costs a round trip, so
// statements are big. The SQLite driver finds a "$n" parameter by name
// with a linear search, so binding is quadratic in the number of
// parameters: about 200 per statement was fastest (docs/PERFORMANCE.md).
func (tx *Tx) maxParams() int {
	if tx.db.dialect == SQLite {
		return 200
	}
	return 30000
}

// insertRows writes rows of one table in as few statements as the
// parameter limit allows: the per-statement cost (a round trip on
// PostgreSQL, parsing on SQLite) then counts once per few thousand rows.
// head is the INSERT up to VALUES, row the placeholder form of a row with
// %d for each parameter, tail what follows the VALUES.
func (tx *Tx) insertRows(ctx context.Context, head string, width int, row func(i int, arg func(any) string) string, n int, tail string, scan func(*sql.Rows) error) error {
	per := max(1, tx.maxParams()/width)
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-start)*width)
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString(row(i, arg))
		}
		b.WriteString(tail)
		q := b.String()
		// All full chunks have the same text: on SQLite it is parsed once.
		st := tx.prepared(ctx, q)
		if scan == nil {
			var err error
			if st != nil {
				_, err = st.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, q, args...)
			}
			if err != nil {
				return err
			}
			continue
		}
		var rows *sql.Rows
		var err error
		if st != nil {
			rows, err = st.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, q, args...)
		}
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// insertImports writes the batch: working copies (without a body, which
// lives in the public version), public versions, columns and first
// versions.
func (tx *Tx) insertImports(ctx context.Context, env importEnv, items []*importItem) error {
	if len(items) == 0 {
		return nil
	}
	byKey := map[string]*importItem{}
	for _, it := range items {
		byKey[it.key] = it
	}
	now, actor := ts(tx.now), tx.actor.Username
	err := tx.insertRows(ctx, `INSERT INTO documents (org_id, site_id, status, title, summary, keywords, issuers, doc_no, genre, topic, signed_on, formed_on,
		disclosure, validity, validity_on, effective_on, valid_until, created_by_name, created_at, updated_at, index_no, published_at, version, import_key) VALUES `, 21,
		func(i int, arg func(any) string) string {
			d := items[i].doc
			return "(" + arg(d.OrgID) + "," + arg(d.SiteID) + ",'published'," + arg(d.Title) + "," + arg(d.Summary) + "," + arg(joinLines(d.Keywords)) + "," +
				arg(joinLines(d.Issuers)) + "," + arg(d.DocNo) + "," + arg(d.Genre) + "," + arg(d.Topic) + "," + arg(d.SignedOn) + "," + arg(d.FormedOn) + "," +
				arg(d.Disclosure) + "," + arg(d.Validity) + "," + arg(d.ValidityOn) + "," + arg(d.EffectiveOn) + "," + arg(d.ValidUntil) + "," +
				arg(actor) + "," + arg(now) + "," + arg(now) + "," +
				arg(d.IndexNo) + "," + arg(ts(d.PublishedAt)) + ",1," + arg(items[i].key) + ")"
		}, len(items), ` RETURNING id, import_key`, func(rows *sql.Rows) error {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				return err
			}
			if it := byKey[key]; it != nil {
				it.doc.ID = id
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.doc.ID == 0 {
			return fmt.Errorf("import: no id returned for line %d", it.line)
		}
	}
	err = tx.insertRows(ctx, `INSERT INTO document_public (id, site_id, org_id, state, index_no, title, body, summary, keywords, issuers, doc_no, genre, topic,
		signed_on, validity, validity_on, effective_on, valid_until, published_at, updated_at, year, version, attachments) VALUES `, 19,
		func(i int, arg func(any) string) string {
			d := items[i].doc
			p := arg(ts(d.PublishedAt))
			return "(" + arg(d.ID) + "," + arg(d.SiteID) + "," + arg(d.OrgID) + ",'published'," + arg(d.IndexNo) + "," + arg(d.Title) + "," + arg(d.Body) + "," +
				arg(d.Summary) + "," + arg(joinLines(d.Keywords)) + "," + arg(joinLines(d.Issuers)) + "," + arg(d.DocNo) + "," + arg(d.Genre) + "," + arg(d.Topic) + "," +
				arg(d.SignedOn) + "," + arg(d.Validity) + "," + arg(d.ValidityOn) + "," + arg(d.EffectiveOn) + "," + arg(d.ValidUntil) + "," + p + "," + p + "," + arg(gongkai.DateOf(d.PublishedAt).Year) + ",1,'[]')"
		}, len(items), "", nil)
	if err != nil {
		return err
	}
	type colRow struct {
		doc, col  int64
		published string
	}
	var cols []colRow
	for _, it := range items {
		for _, slug := range it.doc.Columns {
			cols = append(cols, colRow{it.doc.ID, env.columns[slug], ts(it.doc.PublishedAt)})
		}
	}
	if err := tx.insertRows(ctx, `INSERT INTO document_columns (document_id, column_id) VALUES `, 2,
		func(i int, arg func(any) string) string { return "(" + arg(cols[i].doc) + "," + arg(cols[i].col) + ")" }, len(cols), "", nil); err != nil {
		return err
	}
	if err := tx.insertRows(ctx, `INSERT INTO document_public_columns (column_id, published_at, document_id) VALUES `, 3,
		func(i int, arg func(any) string) string {
			return "(" + arg(cols[i].col) + "," + arg(cols[i].published) + "," + arg(cols[i].doc) + ")"
		}, len(cols), "", nil); err != nil {
		return err
	}
	return tx.insertRows(ctx, `INSERT INTO document_versions (document_id, version, published_at, note) VALUES `, 2,
		func(i int, arg func(any) string) string {
			return "(" + arg(items[i].doc.ID) + ",1," + arg(ts(items[i].doc.PublishedAt)) + ",'首次发布')"
		}, len(items), "", nil)
}

// importRelations writes the batch's relations and applies repeals and
// amendments to their targets, dated the day the new document was
// published.
func (tx *Tx) importRelations(ctx context.Context, items []*importItem) error {
	for _, it := range items {
		d := it.doc
		for _, p := range it.pending {
			*p.dst = append(*p.dst, p.target.doc.ID)
		}
		for _, rel := range []struct {
			kind string
			ids  []int64
		}{{"interprets", d.Interprets}, {"repeals", d.Repeals}, {"amends", d.Amends}} {
			seen := map[int64]bool{}
			for _, to := range rel.ids {
				if seen[to] || to == d.ID {
					continue
				}
				seen[to] = true
				if _, err := tx.ExecContext(ctx, `INSERT INTO document_relations (from_id, kind, to_id) VALUES ($1, $2, $3)`, d.ID, rel.kind, to); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO document_public_relations (from_id, kind, to_id) VALUES ($1, $2, $3)`, d.ID, rel.kind, to); err != nil {
					return err
				}
			}
		}
		on := gongkai.DateOf(d.PublishedAt)
		for _, target := range d.Repeals {
			if _, err := tx.setValidity(ctx, target, taxonomy.ValidityRepealed, on, d.ID); err != nil {
				return err
			}
		}
		for _, target := range d.Amends {
			if _, err := tx.setValidity(ctx, target, taxonomy.ValidityAmended, on, d.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

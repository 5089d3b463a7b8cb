-- The term of a document (施行日期, 有效期至), and automatic 失效.
--
-- effective_on and valid_until are optional dates on the working copy
-- (documents) and the public version (document_public), written by the
-- same paths as signed_on. valid_until is inclusive: the document is in
-- force through that day (gongkai.ApplyTerm).
--
-- The daily expiry job (store.ExpireDocuments) looks for public versions
-- still 有效 whose valid_until has passed; the partial index holds only
-- those rows, so the lookup stays small however many documents have no
-- term or have already lapsed.

ALTER TABLE documents ADD COLUMN effective_on DATE;
ALTER TABLE documents ADD COLUMN valid_until DATE;
ALTER TABLE document_public ADD COLUMN effective_on DATE;
ALTER TABLE document_public ADD COLUMN valid_until DATE;

CREATE INDEX document_public_expiry ON document_public (valid_until)
	WHERE validity = 'valid' AND state = 'published' AND valid_until IS NOT NULL;

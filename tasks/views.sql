-- jianghua: DuckDB views over a published corpus (the current release that OUT/<table> points to).
--
-- Set the corpus folder, then read this file (the folder defaults to the current directory):
--   duckdb -cmd "SET VARIABLE corpus = 'out/samples'" -cmd ".read tasks/views.sql" -c "select count(*) from speeches"
--   python -c "import duckdb; c = duckdb.connect(); c.execute(\"SET VARIABLE corpus = 'out/samples'\");
--              c.execute(open('tasks/views.sql').read()); print(c.sql('select count(*) from speeches'))"
-- or `jianghua sql OUT "select …"`, which does the same.
--
-- Tables as published: documents, rejects, removed_lines, duplicates, sections, figures, slogans, mentions, keywords,
--   best_texts, repairs, reuse, reuse_formulae.
-- speech_texts: every speech's most faithful text (best_text from its copies, else its canonical text).
-- speeches: one row per duplicate cluster (speech_id = cluster_id). text, title and every other field come from the
--   canonical copy; where the canonical copy has no value, from the first member that has one (canonical first,
--   then by doc_id). delivered_on and published_on are the earliest of the members; year is delivered_on's year,
--   else the merged year. n_copies counts the members, doc_ids lists them (canonical first).
-- speech_<table>: the side table's rows of each speech's canonical copy with the speech's metadata (speech_id,
--   title, doc_type, speaker, jurisdiction, meeting, delivered_on, year, n_copies) in front. Copies' own rows are
--   left out, so counts are per speech, not per copy.

CREATE OR REPLACE VIEW documents AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/documents/*.parquet');
CREATE OR REPLACE VIEW rejects AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/rejects/*.parquet');
CREATE OR REPLACE VIEW removed_lines AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/removed_lines/*.parquet');
CREATE OR REPLACE VIEW duplicates AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/duplicates/*.parquet');
CREATE OR REPLACE VIEW sections AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/sections/*.parquet');
CREATE OR REPLACE VIEW figures AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/figures/*.parquet');
CREATE OR REPLACE VIEW slogans AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/slogans/*.parquet');
CREATE OR REPLACE VIEW mentions AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/mentions/*.parquet');
CREATE OR REPLACE VIEW keywords AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/keywords/*.parquet');
CREATE OR REPLACE VIEW best_texts AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/best_texts/*.parquet');
CREATE OR REPLACE VIEW repairs AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/repairs/*.parquet');
CREATE OR REPLACE VIEW reuse AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/reuse/*.parquet');
CREATE OR REPLACE VIEW reuse_formulae AS
    SELECT * FROM read_parquet(coalesce(getvariable('corpus'), '.') || '/reuse_formulae/*.parquet');

CREATE OR REPLACE VIEW speeches AS
    WITH members AS (
        SELECT
            * EXCLUDE (raw_text, dup_of, dup_jaccard, dup_containment, dup_reason),
            coalesce(cluster_id, doc_id) AS speech_id,
            -- pick order: the canonical copy, then the other members by doc_id
            CASE WHEN is_canonical THEN '0' ELSE '1' END || doc_id AS _pick
        FROM documents
    )
    SELECT
        speech_id,
        -- arg_min skips NULL values: a field the canonical copy lacks comes from the next member that has it
        arg_min(COLUMNS(* EXCLUDE (speech_id, _pick, cluster_id, is_canonical, delivered_on, published_on, year)), _pick),
        min(delivered_on) AS delivered_on,
        min(published_on) AS published_on,
        CAST(coalesce(year(min(delivered_on)), arg_min(year, _pick)) AS SMALLINT) AS year,
        count(*) AS n_copies,
        list(doc_id ORDER BY _pick) AS doc_ids
    FROM members
    GROUP BY speech_id;

-- speeches with the text its copies repaired together (best_texts: clusters of several copies or with
-- repairable spin); a speech with nothing to repair keeps its canonical text
CREATE OR REPLACE VIEW speech_texts AS
    SELECT s.speech_id, coalesce(b.best_text, s.text) AS best_text, coalesce(b.n_repairs, 0) AS n_repairs,
           coalesce(b.n_conflicts, 0) AS n_conflicts
    FROM speeches s LEFT JOIN best_texts b ON b.cluster_id = s.speech_id;

-- the speech columns every speech_<table> view carries (those the release has: jurisdiction columns may be absent
-- in releases built before they existed)
CREATE OR REPLACE MACRO _speech_cols(c) AS c IN (
    'speech_id', 'title', 'doc_type', 'speaker_name', 'speaker_title', 'admin_level', 'region', 'region_code',
    'province', 'province_code', 'prefecture', 'prefecture_code', 'county', 'county_code', 'meeting',
    'delivered_on', 'year', 'n_copies'
);

CREATE OR REPLACE VIEW speech_sections AS
    SELECT s.* EXCLUDE (_doc), x.*
    FROM sections x JOIN (SELECT doc_id AS _doc, COLUMNS(lambda c: _speech_cols(c)) FROM speeches) s ON x.doc_id = s._doc;
CREATE OR REPLACE VIEW speech_figures AS
    SELECT s.* EXCLUDE (_doc), x.*
    FROM figures x JOIN (SELECT doc_id AS _doc, COLUMNS(lambda c: _speech_cols(c)) FROM speeches) s ON x.doc_id = s._doc;
CREATE OR REPLACE VIEW speech_slogans AS
    SELECT s.* EXCLUDE (_doc), x.*
    FROM slogans x JOIN (SELECT doc_id AS _doc, COLUMNS(lambda c: _speech_cols(c)) FROM speeches) s ON x.doc_id = s._doc;
CREATE OR REPLACE VIEW speech_mentions AS
    SELECT s.* EXCLUDE (_doc), x.*
    FROM mentions x JOIN (SELECT doc_id AS _doc, COLUMNS(lambda c: _speech_cols(c)) FROM speeches) s ON x.doc_id = s._doc;
CREATE OR REPLACE VIEW speech_keywords AS
    SELECT s.* EXCLUDE (_doc), x.*
    FROM keywords x JOIN (SELECT doc_id AS _doc, COLUMNS(lambda c: _speech_cols(c)) FROM speeches) s ON x.doc_id = s._doc;

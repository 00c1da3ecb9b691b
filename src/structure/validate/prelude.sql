\set ON_ERROR_STOP on
\set QUIET on
\encoding UTF8
\pset pager off
\pset format unaligned
\pset tuples_only on
\pset footer off
SET client_min_messages = warning;
SET standard_conforming_strings = on;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS pg_temp.parity_check;
CREATE TEMPORARY TABLE parity_check (
    seq integer GENERATED ALWAYS AS IDENTITY,
    what text NOT NULL,
    expected text,
    found text,
    ok boolean
);

-- The table's oid in the current schema (NULL when there is none).
CREATE OR REPLACE FUNCTION pg_temp.parity_rel(tname text) RETURNS oid
LANGUAGE sql STABLE AS $$
    SELECT c.oid FROM pg_catalog.pg_class c
    WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = current_schema())
      AND c.relkind IN ('r', 'p') AND lower(c.relname) = tname
    ORDER BY c.relname = tname DESC LIMIT 1
$$;

-- The table, schema-qualified and quoted for dynamic SQL.
CREATE OR REPLACE FUNCTION pg_temp.parity_qualified(tname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT quote_ident(current_schema()) || '.' || quote_ident(c.relname)
    FROM pg_catalog.pg_class c WHERE c.oid = pg_temp.parity_rel(tname)
$$;

-- The column's number (NULL when there is none).
CREATE OR REPLACE FUNCTION pg_temp.parity_attnum(tname text, cname text) RETURNS smallint
LANGUAGE sql STABLE AS $$
    SELECT a.attnum FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum > 0 AND NOT a.attisdropped
      AND lower(a.attname) = cname
    ORDER BY a.attname = cname DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_type(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum = pg_temp.parity_attnum(tname, cname)
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_nullability(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'nullable' END FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum = pg_temp.parity_attnum(tname, cname)
$$;

-- The column's default expression, 'identity' for an identity column, NULL for none.
CREATE OR REPLACE FUNCTION pg_temp.parity_default(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN a.attidentity <> '' THEN 'identity' ELSE pg_get_expr(d.adbin, d.adrelid) END
    FROM pg_catalog.pg_attribute a
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum = pg_temp.parity_attnum(tname, cname)
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_auto(tname text, cname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN d = 'identity' OR d LIKE 'nextval(%' THEN 'sequence or identity'
                ELSE coalesce('default ' || d, 'no default') END
    FROM (SELECT pg_temp.parity_default(tname, cname) AS d) x
$$;

-- `shown` when the column's default means what SQLite's does, else the
-- default as it is. kind: none | now | random_bytes (lit = n) | value (lit is
-- compared under the column's type; sequences are never evaluated) | text
-- (lit is the expected spelling).
CREATE OR REPLACE FUNCTION pg_temp.parity_default_is(tname text, cname text, kind text, lit text, shown text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    d text := pg_temp.parity_default(tname, cname);
    ty text := pg_temp.parity_type(tname, cname);
    same boolean := false;
BEGIN
    IF d IS NULL THEN
        RETURN CASE WHEN kind = 'none' THEN shown ELSE 'no default' END;
    END IF;
    IF kind = 'now' THEN
        same := d ~* '(now\(\)|current_timestamp|localtimestamp|transaction_timestamp\(\)|statement_timestamp\(\))';
    ELSIF kind = 'random_bytes' THEN
        same := d ~* ('^gen_random_bytes\(' || lit || '\)$');
    ELSIF kind = 'text' THEN
        same := btrim(regexp_replace(d, '\s+', ' ', 'g')) = lit;
    ELSIF kind = 'value' AND d <> 'identity' AND d !~* 'nextval' THEN
        BEGIN
            EXECUTE format('SELECT (%s) IS NOT DISTINCT FROM CAST(%L AS %s)', d, lit, ty) INTO same;
        EXCEPTION WHEN OTHERS THEN
            same := false;
        END;
    END IF;
    RETURN CASE WHEN same THEN shown ELSE d END;
END
$$;

-- Columns of the table other than `allowed`.
CREATE OR REPLACE FUNCTION pg_temp.parity_other_columns(tname text, allowed text[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(a.attname, ', ' ORDER BY a.attnum), 'none') FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_temp.parity_rel(tname) AND a.attnum > 0 AND NOT a.attisdropped
      AND lower(a.attname) <> ALL (allowed)
$$;

-- Tables of the current schema other than `allowed`.
CREATE OR REPLACE FUNCTION pg_temp.parity_other_tables(allowed text[]) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), 'none') FROM pg_catalog.pg_class c
    WHERE c.relnamespace = (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = current_schema())
      AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND lower(c.relname) <> ALL (allowed)
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_pk(tname text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT '(' || string_agg(lower(a.attname), ', ' ORDER BY lower(a.attname) COLLATE "C") || ')'
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = pg_temp.parity_rel(tname) AND i.indisprimary), 'none')
$$;

-- Text compared loosely: no spacing, parentheses, double quotes or casts to
-- built-in types, lower case.
CREATE OR REPLACE FUNCTION pg_temp.parity_loose(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT lower(regexp_replace(regexp_replace(t,
        '::(text|character varying|character|bpchar|varchar|bigint|integer|smallint|numeric|boolean|double precision|real|date|jsonb|json|bytea|uuid|timestamp with time zone|timestamp without time zone)(\[\])?',
        '', 'gi'), '[\s()"]', '', 'g'))
$$;

-- A key's identity: its parts (as a set when `as_set`) and its predicate.
CREATE OR REPLACE FUNCTION pg_temp.parity_sig(parts text[], as_set boolean, pred text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT (SELECT string_agg(pg_temp.parity_loose(p), chr(31)
                ORDER BY CASE WHEN as_set THEN pg_temp.parity_loose(p) END COLLATE "C", o)
            FROM unnest(parts) WITH ORDINALITY u(p, o))
        || chr(30) || coalesce(pg_temp.parity_loose(pred), '')
$$;

-- An index's key parts: a column, lower(column) for lower()/upper() of a
-- column (case-insensitive), or the expression; ' DESC' unless `as_set`.
CREATE OR REPLACE FUNCTION pg_temp.parity_index_parts(ix oid, as_set boolean) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(
        CASE WHEN m.g IS NOT NULL THEN 'lower(' || replace(m.g[2], '"', '') || ')' ELSE def END
        || CASE WHEN NOT as_set AND (i.indoption[k - 1] & 1) = 1 THEN ' DESC' ELSE '' END
        ORDER BY k)
    FROM pg_catalog.pg_index i,
         generate_series(1, i.indnkeyatts) k,
         LATERAL pg_get_indexdef(i.indexrelid, k, true) def,
         LATERAL regexp_match(def, '^(lower|upper)\(\(?("[^"]+"|[a-z_][a-z0-9_$]*)\)?(::[a-z ]+)?\)$', 'i') m(g)
    WHERE i.indexrelid = ix
$$;

-- Unique (not primary) or plain indexes of a table: identity and description.
CREATE OR REPLACE FUNCTION pg_temp.parity_indexes(tname text, is_unique boolean)
RETURNS TABLE (sig text, descr text) LANGUAGE sql STABLE AS $$
    SELECT pg_temp.parity_sig(p.parts, is_unique, pg_get_expr(i.indpred, i.indrelid)),
           CASE WHEN is_unique THEN 'UNIQUE (' ELSE 'INDEX (' END || array_to_string(p.parts, ', ') || ')'
           || coalesce(' WHERE ' || pg_get_expr(i.indpred, i.indrelid), '')
    FROM pg_catalog.pg_index i,
         LATERAL (SELECT pg_temp.parity_index_parts(i.indexrelid, is_unique) AS parts) p
    WHERE i.indrelid = pg_temp.parity_rel(tname) AND NOT i.indisprimary AND i.indisunique = is_unique
$$;

CREATE OR REPLACE FUNCTION pg_temp.parity_action(a "char") RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE a WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                  WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END
$$;

-- Foreign keys of a table: local columns, column pairs (local->target),
-- target table, action codes and description.
CREATE OR REPLACE FUNCTION pg_temp.parity_fks(tname text)
RETURNS TABLE (cols text[], pairs text[], target text, del "char", upd "char", descr text)
LANGUAGE sql STABLE AS $$
    SELECT l.cols, l.pairs, lower(tc.relname), con.confdeltype, con.confupdtype,
           '(' || array_to_string(l.cols, ', ') || ') REFERENCES ' || lower(tc.relname)
           || '(' || array_to_string(l.tcols, ', ') || ') ON DELETE ' || pg_temp.parity_action(con.confdeltype)
           || ' ON UPDATE ' || pg_temp.parity_action(con.confupdtype)
    FROM pg_catalog.pg_constraint con
    JOIN pg_catalog.pg_class tc ON tc.oid = con.confrelid,
    LATERAL (
        SELECT array_agg(lower(a.attname) ORDER BY k.o) AS cols,
               array_agg(lower(ta.attname) ORDER BY k.o) AS tcols,
               array_agg(lower(a.attname) || '->' || lower(ta.attname) ORDER BY k.o) AS pairs
        FROM unnest(con.conkey, con.confkey) WITH ORDINALITY k(n, tn, o)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n
        JOIN pg_catalog.pg_attribute ta ON ta.attrelid = con.confrelid AND ta.attnum = k.tn
    ) l
    WHERE con.conrelid = pg_temp.parity_rel(tname) AND con.contype = 'f'
$$;

-- CHECK constraints of a table as pg_get_expr() spells them, spacing collapsed.
CREATE OR REPLACE FUNCTION pg_temp.parity_checks(tname text) RETURNS TABLE (expr text)
LANGUAGE sql STABLE AS $$
    SELECT btrim(regexp_replace(pg_get_expr(con.conbin, con.conrelid), '\s+', ' ', 'g'))
    FROM pg_catalog.pg_constraint con
    WHERE con.conrelid = pg_temp.parity_rel(tname) AND con.contype = 'c'
$$;

-- User triggers of a table: name and events (pg_trigger.tgtype bits 4
-- INSERT, 8 DELETE, 16 UPDATE).
CREATE OR REPLACE FUNCTION pg_temp.parity_triggers(tname text) RETURNS TABLE (name text, events integer)
LANGUAGE sql STABLE AS $$
    SELECT lower(t.tgname), t.tgtype::integer & 28 FROM pg_catalog.pg_trigger t
    WHERE t.tgrelid = pg_temp.parity_rel(tname) AND NOT t.tgisinternal
$$;

-- The first value `query` returns, or the error it raised.
CREATE OR REPLACE FUNCTION pg_temp.parity_eval(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'error: ' || SQLERRM;
END
$$;

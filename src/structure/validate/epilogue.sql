-- results
UPDATE pg_temp.parity_check SET ok = expected IS NOT DISTINCT FROM found WHERE ok IS NULL;
SELECT CASE WHEN ok THEN '✓ PASS ' || what
            ELSE '✗ FAIL ' || what || ': ' || coalesce(expected, 'NULL') || ' vs ' || coalesce(found, 'NULL') END
FROM pg_temp.parity_check ORDER BY seq;
SELECT count(*) FILTER (WHERE ok) || ' passed, ' || count(*) FILTER (WHERE NOT ok) || ' failed'
FROM pg_temp.parity_check;
DO $$
DECLARE
    failures bigint;
BEGIN
    SELECT count(*) INTO failures FROM pg_temp.parity_check WHERE NOT ok;
    IF failures > 0 THEN
        RAISE EXCEPTION 'schema validation failed: % check(s) failed', failures;
    END IF;
END
$$;

-- What `needlelog lots` answers, asked of the sqlite3 shell: every serum lot used
-- in a done session, with its serum, how many sessions and the first and last.
SELECT lot, coalesce(serum, ''), count(*), min(at_utc), max(at_utc) FROM sessions
WHERE lot IS NOT NULL AND trim(lot) <> '' AND status = 'done' AND voided_at IS NULL
GROUP BY lot COLLATE NOCASE, serum ORDER BY max(at_utc) DESC;

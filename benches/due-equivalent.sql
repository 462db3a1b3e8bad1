-- What `needlelog due` answers, asked of the sqlite3 shell: every running course of
-- a client not archived with its client (#id, date of birth, contact), where it
-- stands (sessions done, the last one) and its next booking; then the finished
-- courses whose maintenance window (1-12 months after the last session, plus the
-- 3 months a missed one is recalled for) holds today, with their client.
SELECT c.id, p.id AS person_id, p.name, p.born_on, p.contact, c.concern, c.areas, c.status,
  c.done_count, c.sessions_target, c.interval_min_days, c.interval_max_days, c.last_done_at,
  (SELECT min(s.at_utc) FROM sessions s INDEXED BY sessions_ahead
     WHERE s.course_id = c.id AND s.status = 'planned') AS booked
FROM courses c INDEXED BY courses_running JOIN people p ON p.id = c.person_id
WHERE c.status IN ('active', 'paused') AND p.archived = 0;
SELECT c.id, p.id AS person_id, p.name, p.born_on, p.contact, c.concern, c.areas,
  c.maintenance_min_months, c.maintenance_max_months, c.last_done_at,
  (SELECT max(n.started_on) FROM courses n WHERE n.person_id = c.person_id AND n.concern = c.concern
     AND n.id > c.id) AS followed_by
FROM courses c INDEXED BY courses_finished JOIN people p ON p.id = c.person_id
WHERE c.status = 'completed' AND c.last_done_at >= '2025-08-24' AND c.last_done_at < '2026-10-24'
  AND p.archived = 0;

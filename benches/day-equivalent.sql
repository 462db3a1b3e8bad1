-- What `needlelog day` answers, asked of the sqlite3 shell: the day's bookings in
-- time order, each with its client (name, date of birth, contact, skin type, and
-- whether someone shares the name as names are compared, `people.folded`), its
-- course and its place in it, the course's last done session (the window), its
-- consent and its open adverse events.
SELECT s.id, s.at_utc, p.id AS person_id, p.name, p.born_on, p.contact, p.skin_type,
  (SELECT count(*) FROM people q WHERE q.folded = p.folded) > 1 AS namesake,
  c.id AS course_id, c.concern, c.areas, c.done_count, c.sessions_target, c.last_done_at,
  (SELECT k.what FROM consents k WHERE k.course_id = c.id) AS consent,
  (SELECT json_group_array(json_array(e.kind, e.severity, e.noticed_on))
     FROM sessions x JOIN adverse_events e ON e.session_id = x.id
     WHERE x.course_id = c.id AND e.resolved_on IS NULL AND e.voided_at IS NULL) AS open_events
FROM sessions s INDEXED BY sessions_by_time
  JOIN courses c ON c.id = s.course_id JOIN people p ON p.id = c.person_id
WHERE s.at_utc >= '2026-11-25T00:00:00Z' AND s.at_utc < '2026-11-26T00:00:00Z' AND s.status = 'planned'
ORDER BY s.at_utc, s.id;

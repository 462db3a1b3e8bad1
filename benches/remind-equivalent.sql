-- What `needlelog remind` reads, asked of the sqlite3 shell: the active courses and
-- those finished in the last 15 months (the longest maintenance spacing and the
-- recall's grace), each with its client, where it stands (sessions done, the last
-- one) and its bookings, and the courses' own checklist items.
SELECT c.id, p.name, p.archived, c.concern, c.areas, c.status, c.done_count, c.sessions_target,
  c.last_done_at, c.last_done_offset,
  (SELECT json_group_array(json_array(s.id, s.at_utc)) FROM sessions s INDEXED BY sessions_ahead
     WHERE s.course_id = c.id AND s.status = 'planned') AS planned
FROM courses c JOIN people p ON p.id = c.person_id
WHERE (c.status = 'active' AND c.voided_at IS NULL)
   OR (c.status = 'completed' AND c.voided_at IS NULL AND c.last_done_at >= '2025-08-24');
SELECT id, course_id, phase, text, from_hours, to_hours FROM custom_items;

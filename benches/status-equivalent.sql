-- What `needlelog status --json` answers, asked of the sqlite3 shell: every active
-- course with its person, progress, last and next session and last depths.
SELECT c.id, p.name AS person, c.concern, c.areas, c.sessions_target,
  (SELECT count(*) FROM sessions s WHERE s.course_id = c.id AND s.status = 'done') AS sessions_done,
  (SELECT max(at_utc) FROM sessions s WHERE s.course_id = c.id AND s.status = 'done') AS last_session,
  (SELECT min(at_utc) FROM sessions s WHERE s.course_id = c.id AND s.status = 'planned' AND s.at_utc > '2026-11-24T09:00:00Z') AS next_planned,
  (SELECT group_concat(d.area || '=' || d.depth_mm) FROM sessions s JOIN session_depths d ON d.session_id = s.id
     WHERE s.course_id = c.id AND s.at_utc = (SELECT max(at_utc) FROM sessions x WHERE x.course_id = c.id AND x.status = 'done')) AS last_depths
FROM courses c JOIN people p ON p.id = c.person_id
WHERE c.status = 'active' ORDER BY c.started_on DESC, c.id DESC;

-- What `needlelog status --json` answers, asked of the sqlite3 shell: every active
-- course with its person, progress, last and next session and last depths. Since
-- schema v21 a course's row keeps its done count and last session, so this reads
-- what status reads: the index of running courses and the planned sessions.
SELECT c.id, p.name AS person, c.concern, c.areas, c.sessions_target,
  c.done_count AS sessions_done,
  c.last_done_at AS last_session,
  (SELECT min(at_utc) FROM sessions s INDEXED BY sessions_ahead
     WHERE s.course_id = c.id AND s.status = 'planned' AND s.at_utc > '2026-11-24T09:00:00Z') AS next_planned,
  (SELECT group_concat(d.area || '=' || d.depth_mm) FROM session_depths d WHERE d.session_id = c.last_done_id) AS last_depths
FROM courses c INDEXED BY courses_running JOIN people p ON p.id = c.person_id
WHERE c.status IN ('active', 'paused') AND c.status = 'active' ORDER BY c.started_on DESC, c.id DESC;

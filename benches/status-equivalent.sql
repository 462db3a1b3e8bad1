-- What `needlelog status --json` answers, asked of the sqlite3 shell: every active
-- course of a person not archived, with its person, progress, last session, the
-- planned sessions (the next one, and those whose time passed: did they happen?) and
-- the ticks of the sessions a checklist can apply to (the last done, the next planned).
SELECT c.id, p.name AS person, c.concern, c.areas, c.sessions_target,
  c.done_count AS sessions_done,
  c.last_done_at AS last_session,
  (SELECT json_group_array(json_array(s.id, s.at_utc)) FROM sessions s INDEXED BY sessions_ahead
     WHERE s.course_id = c.id AND s.status = 'planned') AS planned,
  (SELECT group_concat(t.session_id || ':' || t.item_id) FROM checklist_ticks t
     WHERE t.session_id = c.last_done_id
        OR t.session_id = (SELECT min(s.id) FROM sessions s INDEXED BY sessions_ahead
                           WHERE s.course_id = c.id AND s.status = 'planned' AND s.at_utc > '2026-11-24T09:00:00Z')) AS ticked
FROM courses c INDEXED BY courses_running JOIN people p ON p.id = c.person_id
WHERE c.status IN ('active', 'paused') AND c.status = 'active' AND p.archived = 0
ORDER BY c.started_on DESC, c.id DESC;

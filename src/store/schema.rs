//! The schema, as an append-only list of migrations keyed by `PRAGMA user_version`.
//!
//! Never edit a step that has shipped: add a new one. Step N takes a file from
//! version N-1 to N and runs in one transaction with the version bump.

/// `PRAGMA application_id` of a needlelog file ("NLOG").
pub const APPLICATION_ID: i32 = 0x4E4C_4F47;

pub const MIGRATIONS: &[&str] = &[
    // v1: people, courses, sessions and their depths.
    r#"
    CREATE TABLE people (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        skin_type  TEXT CHECK (skin_type IN ('i','ii','iii','iv','v','vi')),
        notes      TEXT NOT NULL DEFAULT '',
        archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
    );
    CREATE TABLE courses (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        person_id         INTEGER NOT NULL REFERENCES people(id),
        concern           TEXT NOT NULL,
        areas             TEXT NOT NULL,
        sessions_target   INTEGER NOT NULL CHECK (sessions_target > 0),
        interval_min_days INTEGER NOT NULL CHECK (interval_min_days > 0),
        interval_max_days INTEGER NOT NULL CHECK (interval_max_days >= interval_min_days),
        maintenance_min_months INTEGER NOT NULL CHECK (maintenance_min_months > 0),
        maintenance_max_months INTEGER NOT NULL CHECK (maintenance_max_months >= maintenance_min_months),
        device            TEXT NOT NULL CHECK (device IN ('pen','roller','rf','other')),
        status            TEXT NOT NULL CHECK (status IN ('active','paused','completed')),
        started_on        TEXT NOT NULL,
        notes             TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX courses_by_status ON courses(status, person_id);
    CREATE INDEX courses_by_person ON courses(person_id);
    CREATE TABLE sessions (
        -- AUTOINCREMENT: a deleted session's id (and calendar UID) is never reused.
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        course_id   INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        at_utc      TEXT NOT NULL,
        utc_offset  INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('planned','done','cancelled')),
        device      TEXT NOT NULL CHECK (device IN ('pen','roller','rf','other')),
        passes      INTEGER CHECK (passes BETWEEN 1 AND 20),
        serum       TEXT,
        lot         TEXT,
        numbing     TEXT,
        pain        INTEGER CHECK (pain BETWEEN 0 AND 10),
        reaction    TEXT CHECK (reaction IN ('none','mild','moderate','severe')),
        rating      INTEGER CHECK (rating BETWEEN 1 AND 10),
        provider    TEXT,
        photos      TEXT NOT NULL DEFAULT '[]',
        notes       TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX sessions_by_course ON sessions(course_id, at_utc);
    CREATE TABLE session_depths (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        area        TEXT NOT NULL,
        depth_mm    REAL NOT NULL CHECK (depth_mm BETWEEN 0.1 AND 3.0),
        PRIMARY KEY (session_id, area)
    ) WITHOUT ROWID;
    INSERT INTO people (name) VALUES ('Me');
    "#,
    // v2: checklist ticks per session and the user's own checklist items.
    r#"
    CREATE TABLE checklist_ticks (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id     TEXT NOT NULL,
        ticked_at   TEXT NOT NULL,
        PRIMARY KEY (session_id, item_id)
    ) WITHOUT ROWID;
    CREATE TABLE custom_items (
        id          INTEGER PRIMARY KEY,
        course_id   INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        phase       TEXT NOT NULL CHECK (phase IN ('pre','post')),
        text        TEXT NOT NULL CHECK (length(trim(text)) > 0),
        from_hours  INTEGER NOT NULL,
        to_hours    INTEGER NOT NULL CHECK (to_hours > from_hours)
    );
    CREATE INDEX custom_items_by_course ON custom_items(course_id);
    "#,
    // v3: which checklist items a person has already been shown for a session, so
    // a closed checklist does not pop up again for the same window.
    r#"
    CREATE TABLE checklist_seen (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id     TEXT NOT NULL,
        seen_at     TEXT NOT NULL,
        PRIMARY KEY (session_id, item_id)
    ) WITHOUT ROWID;
    "#,
    // v4: a revision per record, so an edit saves only over what it was opened on;
    // instants and days only in the one fixed-width form needlelog writes (a row
    // already holding another stays, and doctor reports it).
    r#"
    ALTER TABLE people ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE courses ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    CREATE TRIGGER sessions_at_insert BEFORE INSERT ON sessions
        WHEN NEW.at_utc NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'
        BEGIN SELECT RAISE(ABORT, 'at_utc: not an instant needlelog writes'); END;
    CREATE TRIGGER sessions_at_update BEFORE UPDATE OF at_utc ON sessions
        WHEN NEW.at_utc NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'
        BEGIN SELECT RAISE(ABORT, 'at_utc: not an instant needlelog writes'); END;
    CREATE TRIGGER ticks_at_insert BEFORE INSERT ON checklist_ticks
        WHEN NEW.ticked_at NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'
        BEGIN SELECT RAISE(ABORT, 'ticked_at: not an instant needlelog writes'); END;
    CREATE TRIGGER courses_start_insert BEFORE INSERT ON courses
        WHEN NEW.started_on NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
        BEGIN SELECT RAISE(ABORT, 'started_on: not a day needlelog writes'); END;
    CREATE TRIGGER courses_start_update BEFORE UPDATE OF started_on ON courses
        WHEN NEW.started_on NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
        BEGIN SELECT RAISE(ABORT, 'started_on: not a day needlelog writes'); END;
    "#,
    // v5: the trash: deleted records whole (as JSON), until restored or emptied.
    r#"
    CREATE TABLE trash (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        record_id   INTEGER NOT NULL,
        course_id   INTEGER NOT NULL,
        at_utc      TEXT NOT NULL,
        deleted_at  TEXT NOT NULL,
        payload     TEXT NOT NULL
    );
    "#,
    // v6: the rating given on the day a course's results are judged.
    r#"
    ALTER TABLE courses ADD COLUMN final_rating INTEGER;
    "#,
    // v7: reminders already told (so `remind` from cron says each once), and the
    // files kept current after every change (a subscribed calendar). The index of
    // sessions by course also holds when and how each happened, so reminders and
    // the status line read it alone, not the rows with their notes.
    r#"
    DROP INDEX sessions_by_course;
    CREATE INDEX sessions_by_course ON sessions(course_id, at_utc, status, utc_offset, device);
    CREATE TABLE reminders_told (
        key         TEXT PRIMARY KEY,
        told_at     TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE kept_files (
        path        TEXT PRIMARY KEY,
        format      TEXT NOT NULL CHECK (format IN ('ics')),
        since       TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // v8: sessions by time (list --since/--until, the courses to watch) and by lot
    // (a product recall), each holding what those reads need.
    r#"
    CREATE INDEX sessions_by_time ON sessions(at_utc, status, course_id);
    CREATE INDEX sessions_by_lot ON sessions(lot COLLATE NOCASE, serum, status, at_utc) WHERE lot IS NOT NULL;
    "#,
    // v9: the contraindication answers given before a session: NULL when none were
    // asked, else the ids of those that applied as a JSON list ('[]': none did).
    r#"
    ALTER TABLE sessions ADD COLUMN screening TEXT;
    "#,
    // v10: the edit trail: each change to a field of a session, course or person,
    // with the values before and after, when and from where. It only grows.
    r#"
    CREATE TABLE edit_trail (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('session', 'course', 'person')),
        record_id   INTEGER NOT NULL,
        field       TEXT NOT NULL,
        old         TEXT NOT NULL,
        new         TEXT NOT NULL,
        at_utc      TEXT NOT NULL,
        source      TEXT NOT NULL
    );
    CREATE INDEX edit_trail_by_record ON edit_trail(kind, record_id);
    CREATE TRIGGER edit_trail_kept BEFORE UPDATE ON edit_trail
        BEGIN SELECT RAISE(ABORT, 'the edit trail only grows'); END;
    CREATE TRIGGER edit_trail_whole BEFORE DELETE ON edit_trail
        BEGIN SELECT RAISE(ABORT, 'the edit trail only grows'); END;
    "#,
    // v11: adverse events recorded against a session.
    r#"
    CREATE TABLE adverse_events (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        noticed_on  TEXT NOT NULL CHECK (noticed_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
        severity    INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 3),
        notes       TEXT NOT NULL DEFAULT '',
        resolved_on TEXT CHECK (resolved_on IS NULL OR resolved_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
    );
    CREATE INDEX adverse_events_by_session ON adverse_events(session_id);
    "#,
    // v12: depth limits belong to the rules, which a user's own files can change
    // (a wider max_mm): the table keeps only what can never change.
    r#"
    CREATE TABLE session_depths_v12 (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        area        TEXT NOT NULL CHECK (length(area) > 0),
        depth_mm    REAL NOT NULL CHECK (depth_mm > 0),
        PRIMARY KEY (session_id, area)
    ) WITHOUT ROWID;
    INSERT INTO session_depths_v12 (session_id, area, depth_mm)
        SELECT session_id, area, depth_mm FROM session_depths;
    DROP TABLE session_depths;
    ALTER TABLE session_depths_v12 RENAME TO session_depths;
    "#,
    // v13: where a course's sessions take place (a clinic), for calendars.
    r#"
    ALTER TABLE courses ADD COLUMN place TEXT NOT NULL DEFAULT '';
    "#,
    // v14: the recovery diary, a row per session and day after it.
    r#"
    CREATE TABLE recovery_diary (
        session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        day         INTEGER NOT NULL CHECK (day BETWEEN 0 AND 366),
        redness     INTEGER CHECK (redness BETWEEN 0 AND 3),
        swelling    INTEGER CHECK (swelling BETWEEN 0 AND 3),
        flaking     INTEGER CHECK (flaking BETWEEN 0 AND 3),
        tightness   INTEGER CHECK (tightness BETWEEN 0 AND 3),
        note        TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (session_id, day)
    ) WITHOUT ROWID;
    "#,
    // v15: settings of the file itself (whose file it is: a patient's or a
    // practitioner's).
    r#"
    CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // v16: recalls ended (`course recall ID --done`) or put off (`--snooze 4w`).
    r#"
    CREATE TABLE recall_state (
        course_id      INTEGER PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
        done_on        TEXT,
        snoozed_until  TEXT
    );
    "#,
    // v17: the consent a course's client gave: when, to what, and to photos.
    r#"
    CREATE TABLE consents (
        course_id   INTEGER PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
        given_on    TEXT NOT NULL,
        what        TEXT NOT NULL CHECK (length(trim(what)) > 0),
        photos      INTEGER NOT NULL DEFAULT 0 CHECK (photos IN (0, 1))
    );
    "#,
    // v18: the device's model beside its category (`pen`: "SkinPen Precision").
    r#"
    ALTER TABLE sessions ADD COLUMN device_model TEXT;
    "#,
    // v19: namesakes (two clients called Ana Ruiz), told apart by a date of birth
    // and a contact. A name is no longer unique: the table is rebuilt without the
    // constraint (migrations run with foreign keys off, then checked).
    r#"
    CREATE TABLE people_v19 (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
        skin_type  TEXT CHECK (skin_type IN ('i','ii','iii','iv','v','vi')),
        notes      TEXT NOT NULL DEFAULT '',
        archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        revision   INTEGER NOT NULL DEFAULT 0,
        born_on    TEXT CHECK (born_on IS NULL OR born_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
        contact    TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO people_v19 (id, name, skin_type, notes, archived, revision)
        SELECT id, name, skin_type, notes, archived, revision FROM people;
    DROP TABLE people;
    ALTER TABLE people_v19 RENAME TO people;
    CREATE INDEX people_by_name ON people(name COLLATE NOCASE);
    "#,
    // v20: photos as records of pictures kept in the photo store beside the file
    // (named by their SHA-256). `sessions.photos` keeps only paths not moved yet.
    r#"
    CREATE TABLE session_photos (
        id             INTEGER PRIMARY KEY,
        session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        hash           TEXT NOT NULL CHECK (length(hash) = 64),
        format         TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
        area           TEXT,
        taken          TEXT NOT NULL,
        original_name  TEXT NOT NULL DEFAULT '',
        UNIQUE (session_id, hash)
    );
    CREATE INDEX session_photos_by_hash ON session_photos(hash);
    CREATE INDEX sessions_with_paths ON sessions(id) WHERE photos <> '[]';
    "#,
    // v21: where a course stands needs only how many sessions were done, the last
    // one and those not done yet. The first two are kept on the course row by
    // triggers (whatever writes the sessions, the shell included), the planned
    // sessions have an index of their own, the unfinished courses an index holding
    // all they list, and the finished ones one by when they ended: lists of
    // thousands of courses read those and the planned sessions, not the courses'
    // rows scattered over the file nor their sessions. While an import holds the
    // `bulk-load` setting (inside its transaction only) the triggers stand aside and
    // the import counts its courses once at the end (`Store::recount_done`).
    // (The recount is written out here as it shipped; `courses::RECOUNT_DONE`
    // says it for imports today.)
    r#"
    ALTER TABLE courses ADD COLUMN done_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE courses ADD COLUMN last_done_id INTEGER;
    ALTER TABLE courses ADD COLUMN last_done_at TEXT;
    ALTER TABLE courses ADD COLUMN last_done_offset INTEGER;
    ALTER TABLE courses ADD COLUMN last_done_device TEXT;
    CREATE INDEX sessions_ahead ON sessions(course_id, at_utc, utc_offset, device) WHERE status = 'planned';
    CREATE INDEX courses_running ON courses(status, started_on, id, person_id, concern, areas, sessions_target,
        interval_min_days, interval_max_days, maintenance_min_months, maintenance_max_months, device, notes,
        final_rating, place, revision, done_count, last_done_id, last_done_at, last_done_offset, last_done_device)
        WHERE status IN ('active', 'paused');
    CREATE INDEX courses_finished ON courses(last_done_at, id, person_id, concern, areas, sessions_target,
        interval_min_days, interval_max_days, maintenance_min_months, maintenance_max_months, device, status,
        started_on, notes, final_rating, place, revision, done_count, last_done_id, last_done_offset, last_done_device)
        WHERE status = 'completed';
    CREATE INDEX courses_spacing ON courses(maintenance_max_months) WHERE status = 'completed';
    CREATE TRIGGER courses_done_insert AFTER INSERT ON sessions
        WHEN NEW.status = 'done' AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done'), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id = NEW.course_id;
    END;
    CREATE TRIGGER courses_done_delete AFTER DELETE ON sessions
        WHEN OLD.status = 'done' AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done'), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id = OLD.course_id;
    END;
    CREATE TRIGGER courses_done_update AFTER UPDATE OF course_id, at_utc, utc_offset, status, device ON sessions
        WHEN (OLD.status = 'done' OR NEW.status = 'done') AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done'), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id IN (OLD.course_id, NEW.course_id);
    END;
    UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done'), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' ORDER BY at_utc DESC, id DESC LIMIT 1);
    "#,
    // v22: nothing clinical is purged. A done session, an adverse event or a
    // course started by mistake is voided — who, when and why kept on its row —
    // and counts nowhere: the done counts leave voided sessions out. The edit trail
    // takes every kind of record and says who made each change. The trash marks
    // the entries that hold clinical records (a done session, an event): those are
    // never emptied by age. A consent says who took it.
    r#"
    ALTER TABLE sessions ADD COLUMN voided_at TEXT;
    ALTER TABLE sessions ADD COLUMN voided_by TEXT;
    ALTER TABLE sessions ADD COLUMN void_reason TEXT;
    ALTER TABLE courses ADD COLUMN voided_at TEXT;
    ALTER TABLE courses ADD COLUMN voided_by TEXT;
    ALTER TABLE courses ADD COLUMN void_reason TEXT;
    ALTER TABLE adverse_events ADD COLUMN voided_at TEXT;
    ALTER TABLE adverse_events ADD COLUMN voided_by TEXT;
    ALTER TABLE adverse_events ADD COLUMN void_reason TEXT;
    DROP INDEX sessions_by_course;
    CREATE INDEX sessions_by_course ON sessions(course_id, at_utc, status, utc_offset, device, voided_at);
    DROP INDEX courses_running;
    DROP INDEX courses_finished;
    CREATE INDEX courses_running ON courses(status, started_on, id, person_id, concern, areas, sessions_target,
        interval_min_days, interval_max_days, maintenance_min_months, maintenance_max_months, device, notes,
        final_rating, place, revision, done_count, last_done_id, last_done_at, last_done_offset, last_done_device,
        voided_at, voided_by, void_reason)
        WHERE status IN ('active', 'paused');
    CREATE INDEX courses_finished ON courses(last_done_at, id, person_id, concern, areas, sessions_target,
        interval_min_days, interval_max_days, maintenance_min_months, maintenance_max_months, device, status,
        started_on, notes, final_rating, place, revision, done_count, last_done_id, last_done_offset, last_done_device,
        voided_at, voided_by, void_reason)
        WHERE status = 'completed';
    DROP TRIGGER courses_done_insert;
    DROP TRIGGER courses_done_delete;
    DROP TRIGGER courses_done_update;
    CREATE TRIGGER courses_done_insert AFTER INSERT ON sessions
        WHEN NEW.status = 'done' AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id = NEW.course_id;
    END;
    CREATE TRIGGER courses_done_delete AFTER DELETE ON sessions
        WHEN OLD.status = 'done' AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id = OLD.course_id;
    END;
    CREATE TRIGGER courses_done_update AFTER UPDATE OF course_id, at_utc, utc_offset, status, device, voided_at ON sessions
        WHEN (OLD.status = 'done' OR NEW.status = 'done') AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id IN (OLD.course_id, NEW.course_id);
    END;
    UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1);
    CREATE TABLE edit_trail_v22 (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (length(kind) > 0),
        record_id   INTEGER NOT NULL,
        field       TEXT NOT NULL,
        old         TEXT NOT NULL,
        new         TEXT NOT NULL,
        at_utc      TEXT NOT NULL,
        source      TEXT NOT NULL,
        by          TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO edit_trail_v22 (id, kind, record_id, field, old, new, at_utc, source)
        SELECT id, kind, record_id, field, old, new, at_utc, source FROM edit_trail;
    DROP TRIGGER edit_trail_kept;
    DROP TRIGGER edit_trail_whole;
    DROP TABLE edit_trail;
    ALTER TABLE edit_trail_v22 RENAME TO edit_trail;
    CREATE INDEX edit_trail_by_record ON edit_trail(kind, record_id);
    CREATE TRIGGER edit_trail_kept BEFORE UPDATE ON edit_trail
        BEGIN SELECT RAISE(ABORT, 'the edit trail only grows'); END;
    CREATE TRIGGER edit_trail_whole BEFORE DELETE ON edit_trail
        BEGIN SELECT RAISE(ABORT, 'the edit trail only grows'); END;
    ALTER TABLE trash ADD COLUMN clinical INTEGER NOT NULL DEFAULT 0 CHECK (clinical IN (0, 1));
    ALTER TABLE consents ADD COLUMN taken_by TEXT NOT NULL DEFAULT '';
    UPDATE trash SET clinical = 1
        WHERE json_array_length(payload, '$.events') > 0
           OR EXISTS (SELECT 1 FROM json_each(payload, '$.columns')
                      WHERE json_extract(value, '$[0]') = 'status' AND json_extract(value, '$[1]') = 'done');
    "#,
    // v23: a photo belongs to a course, and to one of its sessions when taken at
    // one (a photo of results day belongs to the course alone); the index of lots
    // covers what `lots` asks.
    r#"
    CREATE TABLE session_photos_v23 (
        id             INTEGER PRIMARY KEY,
        course_id      INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        session_id     INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
        hash           TEXT NOT NULL CHECK (length(hash) = 64),
        format         TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
        area           TEXT,
        taken          TEXT NOT NULL,
        original_name  TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO session_photos_v23 (id, course_id, session_id, hash, format, area, taken, original_name)
        SELECT p.id, s.course_id, p.session_id, p.hash, p.format, p.area, p.taken, p.original_name
        FROM session_photos p JOIN sessions s ON s.id = p.session_id;
    DROP TABLE session_photos;
    ALTER TABLE session_photos_v23 RENAME TO session_photos;
    CREATE UNIQUE INDEX session_photos_once ON session_photos(course_id, ifnull(session_id, 0), hash);
    CREATE INDEX session_photos_by_session ON session_photos(session_id) WHERE session_id IS NOT NULL;
    CREATE INDEX session_photos_by_hash ON session_photos(hash);
    -- A product recall's lots read from the index alone: it holds the void too.
    DROP INDEX sessions_by_lot;
    CREATE INDEX sessions_by_lot ON sessions(lot COLLATE NOCASE, serum, status, at_utc, voided_at)
        WHERE lot IS NOT NULL;
    "#,
    // v24: a course's row keeps when its last main session was (the target-th
    // done) once maintenance sessions follow it: the results day is judged from
    // it, and lists of thousands of courses need not read such courses whole.
    r#"
    ALTER TABLE courses ADD COLUMN last_main_at TEXT;
    DROP INDEX courses_running;
    DROP INDEX courses_finished;
    CREATE INDEX courses_running ON courses(status, started_on, id, person_id, concern, areas, sessions_target,
        interval_min_days, interval_max_days, maintenance_min_months, maintenance_max_months, device, notes,
        final_rating, place, revision, done_count, last_done_id, last_done_at, last_done_offset, last_done_device,
        voided_at, voided_by, void_reason, last_main_at)
        WHERE status IN ('active', 'paused');
    CREATE INDEX courses_finished ON courses(last_done_at, id, person_id, concern, areas, sessions_target,
        interval_min_days, interval_max_days, maintenance_min_months, maintenance_max_months, device, status,
        started_on, notes, final_rating, place, revision, done_count, last_done_id, last_done_offset, last_done_device,
        voided_at, voided_by, void_reason, last_main_at)
        WHERE status = 'completed';
    DROP TRIGGER courses_done_insert;
    DROP TRIGGER courses_done_delete;
    DROP TRIGGER courses_done_update;
    CREATE TRIGGER courses_done_insert AFTER INSERT ON sessions
        WHEN NEW.status = 'done' AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id = NEW.course_id;
        UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN (SELECT s.at_utc FROM sessions s WHERE s.course_id = courses.id AND s.status = 'done' AND s.voided_at IS NULL AND (SELECT count(*) FROM sessions t WHERE t.course_id = s.course_id AND t.status = 'done' AND t.voided_at IS NULL AND (t.at_utc < s.at_utc OR (t.at_utc = s.at_utc AND t.id < s.id))) = courses.sessions_target - 1) END WHERE id = NEW.course_id;
    END;
    CREATE TRIGGER courses_done_delete AFTER DELETE ON sessions
        WHEN OLD.status = 'done' AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id = OLD.course_id;
        UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN (SELECT s.at_utc FROM sessions s WHERE s.course_id = courses.id AND s.status = 'done' AND s.voided_at IS NULL AND (SELECT count(*) FROM sessions t WHERE t.course_id = s.course_id AND t.status = 'done' AND t.voided_at IS NULL AND (t.at_utc < s.at_utc OR (t.at_utc = s.at_utc AND t.id < s.id))) = courses.sessions_target - 1) END WHERE id = OLD.course_id;
    END;
    CREATE TRIGGER courses_done_update AFTER UPDATE OF course_id, at_utc, utc_offset, status, device, voided_at ON sessions
        WHEN (OLD.status = 'done' OR NEW.status = 'done') AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET done_count = (SELECT count(*) FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), (last_done_id, last_done_at, last_done_offset, last_done_device) = (SELECT id, at_utc, utc_offset, device FROM sessions WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL ORDER BY at_utc DESC, id DESC LIMIT 1) WHERE id IN (OLD.course_id, NEW.course_id);
        UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN (SELECT s.at_utc FROM sessions s WHERE s.course_id = courses.id AND s.status = 'done' AND s.voided_at IS NULL AND (SELECT count(*) FROM sessions t WHERE t.course_id = s.course_id AND t.status = 'done' AND t.voided_at IS NULL AND (t.at_utc < s.at_utc OR (t.at_utc = s.at_utc AND t.id < s.id))) = courses.sessions_target - 1) END WHERE id IN (OLD.course_id, NEW.course_id);
    END;
    CREATE TRIGGER courses_main_target AFTER UPDATE OF sessions_target ON courses
        WHEN OLD.sessions_target IS NOT NEW.sessions_target AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'bulk-load')
    BEGIN
        UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN (SELECT s.at_utc FROM sessions s WHERE s.course_id = courses.id AND s.status = 'done' AND s.voided_at IS NULL AND (SELECT count(*) FROM sessions t WHERE t.course_id = s.course_id AND t.status = 'done' AND t.voided_at IS NULL AND (t.at_utc < s.at_utc OR (t.at_utc = s.at_utc AND t.id < s.id))) = courses.sessions_target - 1) END WHERE id = NEW.id;
    END;
    UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN (SELECT s.at_utc FROM sessions s WHERE s.course_id = courses.id AND s.status = 'done' AND s.voided_at IS NULL AND (SELECT count(*) FROM sessions t WHERE t.course_id = s.course_id AND t.status = 'done' AND t.voided_at IS NULL AND (t.at_utc < s.at_utc OR (t.at_utc = s.at_utc AND t.id < s.id))) = courses.sessions_target - 1) END;
    "#,
    // v25: a person's row keeps the name as it is compared (case, accents and
    // spacing aside; `find::fold_into`), indexed: namesakes and a person named
    // on the command line are found by a lookup, not by folding every name. The
    // store fills it on every write of a person, and for the rows already here
    // once this step has run (`people::fill_folded`).
    r#"
    ALTER TABLE people ADD COLUMN folded TEXT NOT NULL DEFAULT '';
    CREATE INDEX people_by_folded ON people(folded);
    "#,
];

/// The schema version whose step adds `people.folded`, filled after its SQL.
pub(super) const FOLDED_NAMES: usize = 25;

/// The schema version this build writes.
pub fn current_version() -> i32 {
    i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX)
}

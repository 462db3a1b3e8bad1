//! The schema of a server database: the file's tables (same names, same columns,
//! same version), in PostgreSQL's words.
//!
//! What differs from the file, and why:
//! - text is `COLLATE "C"`, so it sorts byte by byte as the file's does, whatever
//!   the database's locale;
//! - ids are identity columns, issued by the server (`BY DEFAULT`, so a copy keeps
//!   the ids it brings, and the sequence is then moved past them);
//! - the shapes the file checks with triggers (an instant, a day) are `CHECK`s;
//! - the edit trail only grows: a trigger refuses an update, a delete or a
//!   truncate, whoever asks (a practitioner's role as much as the app);
//! - a course's count of done sessions is kept by a plpgsql trigger, as the file's
//!   triggers keep it, and stands aside while a copy loads (`needlelog.bulk_load`,
//!   a setting of that transaction alone);
//! - pictures are kept in the database (`photo_files`, by SHA-256), not in a
//!   folder beside it, so every laptop draws the same ones.
//!
//! Like the file's, the list only grows: step N takes a server from version N − 1
//! to N. A server's first step is the file's version 25 whole.

/// The version a server database is at, and the first it can be.
pub(super) const FIRST_VERSION: i32 = 25;

/// Steps after [`FIRST_VERSION`]: (version, SQL). None yet.
pub(super) const STEPS: &[(i32, &str)] = &[];

/// The version this build makes and reads: the file's.
pub(super) fn current_version() -> i32 {
    STEPS.last().map_or(FIRST_VERSION, |(v, _)| *v)
}

/// The tables both kinds of store hold, parents before children: the order a
/// copy writes them in (and clears them in, backwards).
pub(super) const TABLES: &[&str] = &[
    "settings",
    "people",
    "courses",
    "sessions",
    "session_depths",
    "checklist_ticks",
    "checklist_seen",
    "custom_items",
    "adverse_events",
    "recovery_diary",
    "recall_state",
    "consents",
    "session_photos",
    "trash",
    "reminders_told",
    "kept_files",
    "edit_trail",
];

/// The tables whose ids the store issues, each with its sequence of ids.
pub(super) const WITH_IDS: &[&str] =
    &["people", "courses", "sessions", "custom_items", "adverse_events", "session_photos", "trash", "edit_trail"];

/// What keeps the edit trail whole on the server: a trigger refusing any update,
/// delete or truncate. Part of the first schema, and run again by `doctor --fix`
/// when someone took it away.
pub(super) const TRAIL_GUARD: &str = r#"
CREATE OR REPLACE FUNCTION needlelog_trail_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the edit trail only grows' USING ERRCODE = 'integrity_constraint_violation';
END $$;
DROP TRIGGER IF EXISTS edit_trail_kept ON edit_trail;
CREATE TRIGGER edit_trail_kept BEFORE UPDATE OR DELETE ON edit_trail
    FOR EACH ROW EXECUTE FUNCTION needlelog_trail_kept();
DROP TRIGGER IF EXISTS edit_trail_whole ON edit_trail;
CREATE TRIGGER edit_trail_whole BEFORE TRUNCATE ON edit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION needlelog_trail_kept();
"#;

/// What the server runs beside the tables so that the store's statements work
/// there as on a file. Re-runnable (it replaces what it makes), and checked for on
/// connecting, so a database made before a part was added gets it.
/// - `nocase`: SQLite's `COLLATE NOCASE`, case aside (ICU, level 2);
/// - ids: a record written with no id (NULL, as SQLite takes it) gets the next
///   one, and one written with its own id moves the sequence past it, as
///   SQLite's numbering does; both stand aside while `db copy` loads
///   (`needlelog.copying`), which moves the sequences once at the end;
/// - notices: every statement that changes a table tells the listeners on
///   channel `needlelog` (at commit, once per transaction), which is how the
///   other laptops' apps learn to read again.
pub(super) fn workings() -> String {
    let mut sql = String::from(
        r#"
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE OR REPLACE FUNCTION needlelog_fill_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seq regclass;
BEGIN
    IF current_setting('needlelog.copying', true) = 'on' THEN
        RETURN NEW;
    END IF;
    seq := pg_get_serial_sequence(TG_TABLE_NAME, 'id')::regclass;
    IF NEW.id IS NULL THEN
        NEW.id := nextval(seq);
    ELSIF NEW.id > coalesce(pg_sequence_last_value(seq), 0) THEN
        PERFORM setval(seq, NEW.id);
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION needlelog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('needlelog', '');
    RETURN NULL;
END $$;
"#,
    );
    for table in WITH_IDS {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS needlelog_fill_id ON {table};
             CREATE TRIGGER needlelog_fill_id BEFORE INSERT ON {table}              FOR EACH ROW EXECUTE FUNCTION needlelog_fill_id();
"
        ));
    }
    for table in TABLES {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS needlelog_changed ON {table};
             CREATE TRIGGER needlelog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}              FOR EACH STATEMENT EXECUTE FUNCTION needlelog_changed();
"
        ));
    }
    sql
}

/// The whole schema at [`FIRST_VERSION`] but for [`TRAIL_GUARD`], in one
/// transaction with the row saying so.
pub(super) const FIRST: &str = r#"
CREATE TABLE needlelog_schema (
    version     INTEGER NOT NULL,
    one         BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one)
);
CREATE TABLE settings (
    key         TEXT COLLATE "C" PRIMARY KEY,
    value       TEXT COLLATE "C" NOT NULL
);
CREATE TABLE people (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL CHECK (length(trim(name)) > 0),
    skin_type   TEXT COLLATE "C" CHECK (skin_type IN ('i','ii','iii','iv','v','vi')),
    notes       TEXT COLLATE "C" NOT NULL DEFAULT '',
    archived    BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    revision    BIGINT NOT NULL DEFAULT 0,
    born_on     TEXT COLLATE "C" CHECK (born_on ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$'),
    contact     TEXT COLLATE "C" NOT NULL DEFAULT '',
    folded      TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX people_by_name ON people (lower(name));
CREATE INDEX people_by_folded ON people (folded);
CREATE TABLE courses (
    id                BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person_id         BIGINT NOT NULL REFERENCES people(id),
    concern           TEXT COLLATE "C" NOT NULL,
    areas             TEXT COLLATE "C" NOT NULL,
    sessions_target   BIGINT NOT NULL CHECK (sessions_target > 0),
    interval_min_days BIGINT NOT NULL CHECK (interval_min_days > 0),
    interval_max_days BIGINT NOT NULL CHECK (interval_max_days >= interval_min_days),
    maintenance_min_months BIGINT NOT NULL CHECK (maintenance_min_months > 0),
    maintenance_max_months BIGINT NOT NULL CHECK (maintenance_max_months >= maintenance_min_months),
    device            TEXT COLLATE "C" NOT NULL CHECK (device IN ('pen','roller','rf','other')),
    status            TEXT COLLATE "C" NOT NULL CHECK (status IN ('active','paused','completed')),
    started_on        TEXT COLLATE "C" NOT NULL CHECK (started_on ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$'),
    notes             TEXT COLLATE "C" NOT NULL DEFAULT '',
    revision          BIGINT NOT NULL DEFAULT 0,
    final_rating      BIGINT,
    place             TEXT COLLATE "C" NOT NULL DEFAULT '',
    done_count        BIGINT NOT NULL DEFAULT 0,
    last_done_id      BIGINT,
    last_done_at      TEXT COLLATE "C",
    last_done_offset  BIGINT,
    last_done_device  TEXT COLLATE "C",
    voided_at         TEXT COLLATE "C",
    voided_by         TEXT COLLATE "C",
    void_reason       TEXT COLLATE "C",
    last_main_at      TEXT COLLATE "C"
);
CREATE INDEX courses_by_status ON courses (status, person_id);
CREATE INDEX courses_by_person ON courses (person_id);
CREATE INDEX courses_finished ON courses (last_done_at) WHERE status = 'completed';
CREATE TABLE sessions (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    course_id   BIGINT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    at_utc      TEXT COLLATE "C" NOT NULL
                CHECK (at_utc ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$'),
    utc_offset  BIGINT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('planned','done','cancelled')),
    device      TEXT COLLATE "C" NOT NULL CHECK (device IN ('pen','roller','rf','other')),
    passes      BIGINT CHECK (passes BETWEEN 1 AND 20),
    serum       TEXT COLLATE "C",
    lot         TEXT COLLATE "C",
    numbing     TEXT COLLATE "C",
    pain        BIGINT CHECK (pain BETWEEN 0 AND 10),
    reaction    TEXT COLLATE "C" CHECK (reaction IN ('none','mild','moderate','severe')),
    rating      BIGINT CHECK (rating BETWEEN 1 AND 10),
    provider    TEXT COLLATE "C",
    photos      TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    notes       TEXT COLLATE "C" NOT NULL DEFAULT '',
    revision    BIGINT NOT NULL DEFAULT 0,
    screening   TEXT COLLATE "C",
    device_model TEXT COLLATE "C",
    voided_at   TEXT COLLATE "C",
    voided_by   TEXT COLLATE "C",
    void_reason TEXT COLLATE "C"
);
CREATE INDEX sessions_by_course ON sessions (course_id, at_utc, status);
CREATE INDEX sessions_by_time ON sessions (at_utc, status, course_id);
CREATE INDEX sessions_ahead ON sessions (course_id, at_utc) WHERE status = 'planned';
CREATE INDEX sessions_by_lot ON sessions (lower(lot)) WHERE lot IS NOT NULL;
CREATE TABLE session_depths (
    session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    area        TEXT COLLATE "C" NOT NULL CHECK (length(area) > 0),
    depth_mm    DOUBLE PRECISION NOT NULL CHECK (depth_mm > 0),
    PRIMARY KEY (session_id, area)
);
CREATE TABLE checklist_ticks (
    session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    item_id     TEXT COLLATE "C" NOT NULL,
    ticked_at   TEXT COLLATE "C" NOT NULL
                CHECK (ticked_at ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$'),
    PRIMARY KEY (session_id, item_id)
);
CREATE TABLE checklist_seen (
    session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    item_id     TEXT COLLATE "C" NOT NULL,
    seen_at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (session_id, item_id)
);
CREATE TABLE custom_items (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    course_id   BIGINT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    phase       TEXT COLLATE "C" NOT NULL CHECK (phase IN ('pre','post')),
    text        TEXT COLLATE "C" NOT NULL CHECK (length(trim(text)) > 0),
    from_hours  BIGINT NOT NULL,
    to_hours    BIGINT NOT NULL CHECK (to_hours > from_hours)
);
CREATE INDEX custom_items_by_course ON custom_items (course_id);
CREATE TABLE adverse_events (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind        TEXT COLLATE "C" NOT NULL,
    noticed_on  TEXT COLLATE "C" NOT NULL CHECK (noticed_on ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$'),
    severity    BIGINT NOT NULL CHECK (severity BETWEEN 0 AND 3),
    notes       TEXT COLLATE "C" NOT NULL DEFAULT '',
    resolved_on TEXT COLLATE "C" CHECK (resolved_on ~ '^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$'),
    voided_at   TEXT COLLATE "C",
    voided_by   TEXT COLLATE "C",
    void_reason TEXT COLLATE "C"
);
CREATE INDEX adverse_events_by_session ON adverse_events (session_id);
CREATE TABLE recovery_diary (
    session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    day         BIGINT NOT NULL CHECK (day BETWEEN 0 AND 366),
    redness     BIGINT CHECK (redness BETWEEN 0 AND 3),
    swelling    BIGINT CHECK (swelling BETWEEN 0 AND 3),
    flaking     BIGINT CHECK (flaking BETWEEN 0 AND 3),
    tightness   BIGINT CHECK (tightness BETWEEN 0 AND 3),
    note        TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, day)
);
CREATE TABLE recall_state (
    course_id      BIGINT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
    done_on        TEXT COLLATE "C",
    snoozed_until  TEXT COLLATE "C"
);
CREATE TABLE consents (
    course_id   BIGINT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
    given_on    TEXT COLLATE "C" NOT NULL,
    what        TEXT COLLATE "C" NOT NULL CHECK (length(trim(what)) > 0),
    photos      BIGINT NOT NULL DEFAULT 0 CHECK (photos IN (0, 1)),
    taken_by    TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE session_photos (
    id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    course_id      BIGINT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    session_id     BIGINT REFERENCES sessions(id) ON DELETE CASCADE,
    hash           TEXT COLLATE "C" NOT NULL CHECK (length(hash) = 64),
    format         TEXT COLLATE "C" NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    area           TEXT COLLATE "C",
    taken          TEXT COLLATE "C" NOT NULL,
    original_name  TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX session_photos_once ON session_photos (course_id, coalesce(session_id, 0), hash);
CREATE INDEX session_photos_by_session ON session_photos (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX session_photos_by_hash ON session_photos (hash);
CREATE TABLE photo_files (
    hash        TEXT COLLATE "C" PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
    format      TEXT COLLATE "C" NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    bytes       BYTEA NOT NULL
);
CREATE TABLE trash (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    record_id   BIGINT NOT NULL,
    course_id   BIGINT NOT NULL,
    at_utc      TEXT COLLATE "C" NOT NULL,
    deleted_at  TEXT COLLATE "C" NOT NULL,
    payload     TEXT COLLATE "C" NOT NULL,
    clinical    BIGINT NOT NULL DEFAULT 0 CHECK (clinical IN (0, 1))
);
CREATE TABLE reminders_told (
    key         TEXT COLLATE "C" PRIMARY KEY,
    told_at     TEXT COLLATE "C" NOT NULL
);
CREATE TABLE kept_files (
    path        TEXT COLLATE "C" PRIMARY KEY,
    format      TEXT COLLATE "C" NOT NULL CHECK (format IN ('ics')),
    since       TEXT COLLATE "C" NOT NULL
);
CREATE TABLE edit_trail (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL CHECK (length(kind) > 0),
    record_id   BIGINT NOT NULL,
    field       TEXT COLLATE "C" NOT NULL,
    old         TEXT COLLATE "C" NOT NULL,
    new         TEXT COLLATE "C" NOT NULL,
    at_utc      TEXT COLLATE "C" NOT NULL,
    source      TEXT COLLATE "C" NOT NULL,
    by          TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX edit_trail_by_record ON edit_trail (kind, record_id);

-- A course's done sessions, voided ones left out: how many, the last one, and
-- the last main one once maintenance follows (the target-th done).
CREATE FUNCTION needlelog_recount(course BIGINT) RETURNS void LANGUAGE sql AS $$
    UPDATE courses SET
        done_count = (SELECT count(*) FROM sessions
            WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL),
        (last_done_id, last_done_at, last_done_offset, last_done_device) =
            (SELECT id, at_utc, utc_offset, device FROM sessions
             WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL
             ORDER BY at_utc DESC, id DESC LIMIT 1)
    WHERE id = course;
    UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN
        (SELECT at_utc FROM sessions
         WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL
         ORDER BY at_utc, id OFFSET courses.sessions_target - 1 LIMIT 1) END
    WHERE id = course;
$$;
CREATE FUNCTION needlelog_sessions_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('needlelog.bulk_load', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'done' THEN
            PERFORM needlelog_recount(NEW.course_id);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.course_id = NEW.course_id AND OLD.at_utc = NEW.at_utc AND OLD.utc_offset = NEW.utc_offset
            AND OLD.status = NEW.status AND OLD.device = NEW.device
            AND OLD.voided_at IS NOT DISTINCT FROM NEW.voided_at THEN
            RETURN NULL;
        END IF;
        IF NEW.status = 'done' AND (OLD.status <> 'done' OR OLD.course_id <> NEW.course_id) THEN
            PERFORM needlelog_recount(NEW.course_id);
        END IF;
    END IF;
    IF OLD.status = 'done' THEN
        PERFORM needlelog_recount(OLD.course_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER courses_done AFTER INSERT OR DELETE OR UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION needlelog_sessions_counted();
CREATE FUNCTION needlelog_target_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('needlelog.bulk_load', true), '') <> 'on' THEN
        PERFORM needlelog_recount(NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER courses_main_target AFTER UPDATE OF sessions_target ON courses
    FOR EACH ROW WHEN (OLD.sessions_target IS DISTINCT FROM NEW.sessions_target)
    EXECUTE FUNCTION needlelog_target_counted();
"#;

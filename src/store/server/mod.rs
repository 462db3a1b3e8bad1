//! A PostgreSQL server as the place records are kept: where `--db
//! postgresql://…` points. This module speaks to it: connecting (and saying
//! plainly why not), its schema (the file's tables, see [`schema`]), and copying
//! records between a file and a server (`needlelog db copy`, see [`copy`]).
//!
//! A server's address is shown without its password, everywhere: [`Address`].

mod copy;
mod health;
mod pictures;
mod schema;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::Client;
use postgres::config::{Host, SslMode};
use postgres::error::SqlState;

pub use copy::{Copied, Pictures, Progress};
pub use health::ServerHealth;
pub use pictures::{Origin, ServerPictures};
use schema::TABLES;

use super::{Result, StoreError};

/// The key that makes writers to one server database take turns, as SQLite
/// makes writers to one file take turns (`BEGIN IMMEDIATE`): a save reads its
/// revision and writes in one turn, so two laptops saving one record meet the
/// conflict check rather than overwriting each other.
pub(in crate::store) const WRITERS: i64 = 0x6e65_6564_6c65; // "needle"

/// How long connecting may take before the server counts as away.
const CONNECT_WITHIN: Duration = Duration::from_secs(5);

/// How long connecting again may take, once the connection was lost: the app
/// waits for it.
pub(in crate::store) const RECONNECT_WITHIN: Duration = Duration::from_secs(2);

/// True when `--db` names a server rather than a file.
pub fn is_address(text: &str) -> bool {
    ["postgresql://", "postgres://"]
        .iter()
        .any(|scheme| text.get(..scheme.len()).is_some_and(|start| start.eq_ignore_ascii_case(scheme)))
}

/// A server's address as given (`postgresql://user:password@host:port/db?…`),
/// shown without its password.
#[derive(Clone)]
pub struct Address {
    config: postgres::Config,
    shown: String,
    secured: Secured,
    /// `sslrootcert`: the certificates of the authority the server's is checked
    /// against.
    root: Option<PathBuf>,
}

/// How the connection is secured, as the address's `sslmode` asks, in libpq's
/// words: `disable` never TLS; `allow` and `prefer` (the default) TLS when the
/// server offers it; `require` TLS always, its certificate checked only against
/// an `sslrootcert` given; `verify-ca` the certificate checked against the
/// authorities (`sslrootcert`, else `~/.postgresql/root.crt`, else the system's);
/// `verify-full` that and the host's name too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Secured {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({})", self.shown)
    }
}

impl Address {
    /// Reads an address; what is wrong with it is said without repeating it (it
    /// may hold a password).
    pub fn parse(text: &str) -> Result<Address> {
        // The client reads neither `verify-*` nor `sslrootcert`: both are taken
        // out here and applied when connecting.
        let (base, query) = text.split_once('?').map_or((text, ""), |(b, q)| (b, q));
        let (mut secured, mut root, mut rest) = (Secured::Prefer, None, Vec::new());
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => {
                    secured = match value {
                        "disable" => Secured::Disable,
                        "allow" | "prefer" => Secured::Prefer,
                        "require" => Secured::Require,
                        "verify-ca" => Secured::VerifyCa,
                        "verify-full" => Secured::VerifyFull,
                        _ => {
                            return Err(StoreError::Invalid(format!(
                                "sslmode={}: use disable, prefer, require, verify-ca or verify-full",
                                crate::text::printable(value)
                            )));
                        }
                    }
                }
                "sslrootcert" => root = Some(PathBuf::from(decoded(value))),
                "sslcert" | "sslkey" => {
                    return Err(StoreError::Invalid(format!(
                        "{key}: needlelog does not present a certificate of its own to a server; \
                         sign in with a password (in the address or PGPASSWORD)"
                    )));
                }
                _ => rest.push(pair),
            }
        }
        let given = if rest.is_empty() { base.to_string() } else { format!("{base}?{}", rest.join("&")) };
        let mut config = postgres::Config::from_str(&given).map_err(|e| {
            StoreError::Invalid(format!(
                "the server address is not one PostgreSQL reads ({e}); write it as postgresql://USER@HOST/DATABASE"
            ))
        })?;
        if config.get_hosts().is_empty() {
            return Err(StoreError::Invalid(
                "the server address names no host; write it as postgresql://USER@HOST/DATABASE".into(),
            ));
        }
        config.ssl_mode(match secured {
            Secured::Disable => SslMode::Disable,
            Secured::Prefer => SslMode::Prefer,
            Secured::Require | Secured::VerifyCa | Secured::VerifyFull => SslMode::Require,
        });
        let shown = shown(&config);
        Ok(Address { config, shown, secured, root })
    }

    /// What secures the connection, as the address asks.
    fn tls(&self) -> Result<postgres_native_tls::MakeTlsConnector> {
        let mut builder = native_tls::TlsConnector::builder();
        builder.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
        let home_root = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".postgresql").join("root.crt"));
        let root = match self.secured {
            Secured::VerifyCa | Secured::VerifyFull => self.root.clone().or(home_root.filter(|p| p.is_file())),
            _ => self.root.clone(),
        };
        if let Some(path) = &root {
            let pem = std::fs::read(path)
                .map_err(|e| StoreError::Invalid(format!("sslrootcert {}: cannot read it ({e})", path.display())))?;
            let certificates = native_tls::Certificate::stack_from_pem(&pem).map_err(|e| {
                StoreError::Invalid(format!("sslrootcert {}: not PEM certificates ({e})", path.display()))
            })?;
            for certificate in certificates {
                builder.add_root_certificate(certificate);
            }
            // Those authorities alone, as libpq: not the system's too.
            builder.disable_built_in_roots(true);
        }
        let checked = root.is_some() || matches!(self.secured, Secured::VerifyCa | Secured::VerifyFull);
        // As libpq: without an authority to check against, `prefer` and
        // `require` encrypt without asking who the server is.
        builder.danger_accept_invalid_certs(!checked);
        if !checked {
            // Nothing is checked against them: loading the system's authorities
            // would cost every connection half its time (25 ms) for nothing.
            builder.disable_built_in_roots(true);
        }
        builder.danger_accept_invalid_hostnames(self.secured != Secured::VerifyFull);
        let connector = builder.build().map_err(|e| {
            StoreError::Invalid(format!("cannot set up TLS: {}", crate::text::printable(&e.to_string())))
        })?;
        Ok(postgres_native_tls::MakeTlsConnector::new(connector))
    }

    /// Where the server is, for messages: `host:port` (or the socket's folder).
    fn place(&self) -> String {
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) => format!("{host}:{port}"),
            Some(Host::Unix(dir)) => format!("the socket in {} (port {port})", dir.display()),
            None => "localhost".into(),
        }
    }

    fn user(&self) -> String {
        self.config.get_user().map_or_else(|| "(your login name)".into(), crate::text::printable)
    }
}

/// `%XX` in a value of the address's query, decoded (a path may hold them).
fn decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `postgresql://user@host:port/db`, built from what was read: never a password.
fn shown(config: &postgres::Config) -> String {
    let user = config.get_user().map(|u| format!("{}@", crate::text::printable(u))).unwrap_or_default();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = config.get_ports().get(i).or(config.get_ports().first());
            let host = match host {
                Host::Tcp(name) => crate::text::printable(name),
                Host::Unix(dir) => crate::text::printable(&dir.display().to_string()).replace('/', "%2F"),
            };
            match port {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    let db = config.get_dbname().map(|d| format!("/{}", crate::text::printable(d))).unwrap_or_default();
    format!("postgresql://{user}{}{db}", hosts.join(","))
}

/// An open connection to a server database holding (or about to hold) records.
pub struct Server {
    client: Client,
    address: Address,
    /// The server process serving this connection (once listening).
    pid: i32,
    /// The role the connection acts as (once listening): whose practitioner
    /// name the trail gives.
    role: String,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server").field("address", &self.address).finish()
    }
}

impl Server {
    /// Connects (within five seconds unless the address says otherwise).
    pub fn connect(address: &Address) -> Result<Server> {
        let mut config = address.config.clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_WITHIN);
        }
        config.application_name("needlelog");
        // As libpq does: a password not in the address may come from the environment.
        if config.get_password().is_none()
            && let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty())
        {
            config.password(password.as_encoded_bytes());
        }
        // No TLS over a Unix socket (as libpq) or when the address turns it off:
        // setting it up reads the system's authorities, a third of a command's time.
        let local = config.get_hosts().iter().all(|h| matches!(h, Host::Unix(_)));
        let client = if local || address.secured == Secured::Disable {
            config.connect(postgres::NoTls)
        } else {
            config.connect(address.tls()?)
        }
        .map_err(|e| unreachable(address, &e))?;
        Ok(Server { client, address: address.clone(), pid: 0, role: String::new() })
    }

    /// Connects again after the connection was lost (within
    /// [`RECONNECT_WITHIN`] unless the address says otherwise), listening again.
    pub(in crate::store) fn reconnect(address: &Address) -> Result<Server> {
        let mut address = address.clone();
        if address.config.get_connect_timeout().is_none() {
            address.config.connect_timeout(RECONNECT_WITHIN);
        }
        let mut server = Server::connect(&address)?;
        server.open_records()?;
        Ok(server)
    }

    pub fn address(&self) -> &Address {
        &self.address
    }

    /// Makes this database ready to keep records, as opening a file does: the
    /// schema made in an empty database (no other tables of the same names),
    /// brought up to this build's version, the server's workings in place
    /// ([`schema::workings`]); then listens for other writers' notices.
    /// Laptops connecting at once take turns.
    pub(in crate::store) fn open_records(&mut self) -> Result<()> {
        let address = self.address.clone();
        let at = |e: postgres::Error| failure(&address, &e);
        if self.version()?.is_none() {
            self.refuse_foreign("point --db at a database of needlelog's own (createdb)")?;
            let mut tx = self.client.transaction().map_err(at)?;
            tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({})", WRITERS)).map_err(at)?;
            let made = tx.query_one("SELECT to_regclass('needlelog_schema') IS NOT NULL", &[]).map_err(at)?;
            if !made.get::<_, bool>(0) {
                create(&mut tx).map_err(at)?;
                // As a new file starts: with the one person a patient's log is about.
                tx.execute("INSERT INTO people (name, folded) VALUES ('Me', $1)", &[&crate::find::folded("Me")])
                    .map_err(at)?;
            }
            tx.commit().map_err(at)?;
        }
        self.upgrade()?;
        let working = self
            .client
            .query_one("SELECT to_regprocedure('needlelog_changed()') IS NOT NULL", &[])
            .map_err(at)?
            .get::<_, bool>(0);
        if !working {
            let mut tx = self.client.transaction().map_err(at)?;
            tx.batch_execute(&schema::workings()).map_err(at)?;
            tx.commit().map_err(at)?;
        }
        self.client.batch_execute("LISTEN needlelog").map_err(at)?;
        let me = self.client.query_one("SELECT pg_backend_pid(), current_user::text", &[]).map_err(at)?;
        (self.pid, self.role) = (me.get(0), me.get(1));
        Ok(())
    }

    /// The server process serving this connection: its own notices carry it.
    pub(in crate::store) fn pid(&self) -> i32 {
        self.pid
    }

    /// The role the connection acts as.
    pub(in crate::store) fn role(&self) -> &str {
        &self.role
    }

    /// Whether the connection was lost.
    pub(in crate::store) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// The connection, for the store's statements (see [`super::sql`]).
    pub(in crate::store) fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The schema version of the database: `None` when needlelog has never
    /// written to it (no `needlelog_schema` table).
    fn version(&mut self) -> Result<Option<i32>> {
        let found = self
            .client
            .query_opt("SELECT to_regclass('needlelog_schema') IS NOT NULL", &[])
            .map_err(|e| self.failed(&e))?
            .is_some_and(|row| row.get::<_, bool>(0));
        if !found {
            return Ok(None);
        }
        let row = self.client.query_opt("SELECT version FROM needlelog_schema", &[]).map_err(|e| self.failed(&e))?;
        Ok(Some(row.map_or(0, |r| r.get::<_, i32>(0))))
    }

    /// Tables of the database named as needlelog's are, when needlelog did not
    /// make them: another program's, which a copy must not write into.
    fn foreign_tables(&mut self) -> Result<Vec<String>> {
        let rows = self
            .client
            .query(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY 1",
                &[&TABLES],
            )
            .map_err(|e| self.failed(&e))?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    /// Refuses a database holding tables named as needlelog's that needlelog
    /// did not make (another program's), saying `instead`.
    fn refuse_foreign(&mut self, instead: &str) -> Result<()> {
        let tables = self.foreign_tables()?;
        if tables.is_empty() {
            return Ok(());
        }
        Err(StoreError::Server {
            at: self.address.to_string(),
            detail: format!(
                "the database has tables named as needlelog's ({}) that needlelog did not make; {instead}",
                tables.join(", ")
            ),
        })
    }

    /// The schema version of needlelog's records here; an error when there are
    /// none, or when a newer needlelog wrote them.
    fn records_version(&mut self) -> Result<i32> {
        match self.version()? {
            None => Err(StoreError::Server {
                at: self.address.to_string(),
                detail: "the database holds no needlelog records (no needlelog_schema table); check its name".into(),
            }),
            Some(found) if found > schema::current_version() => Err(self.newer(found)),
            Some(found) => Ok(found),
        }
    }

    /// Brings needlelog's records here up to this build's version in one
    /// transaction, as a file is brought up when opened; returns the version.
    fn upgrade(&mut self) -> Result<i32> {
        let found = self.records_version()?;
        if found < schema::current_version() {
            let address = self.address.clone();
            let at = |e: postgres::Error| failure(&address, &e);
            let mut tx = self.client.transaction().map_err(at)?;
            migrate(&mut tx, found).map_err(at)?;
            tx.commit().map_err(at)?;
        }
        Ok(schema::current_version())
    }

    fn newer(&self, found: i32) -> StoreError {
        StoreError::Server {
            at: self.address.to_string(),
            detail: format!(
                "written by a newer needlelog (schema v{found}, this build knows v{}); upgrade needlelog",
                schema::current_version()
            ),
        }
    }

    /// A read-only transaction that sees one state of the database throughout.
    fn snapshot(&mut self) -> Result<postgres::Transaction<'_>> {
        self.client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| failure(&self.address, &e))
    }

    /// Turns a failure while talking to the server into one line naming it.
    fn failed(&self, e: &postgres::Error) -> StoreError {
        failure(&self.address, e)
    }
}

/// Makes needlelog's schema in an empty database, inside `tx`.
fn create(tx: &mut postgres::Transaction<'_>) -> std::result::Result<(), postgres::Error> {
    tx.batch_execute(schema::FIRST)?;
    tx.batch_execute(schema::TRAIL_GUARD)?;
    tx.batch_execute(&schema::workings())?;
    tx.execute("INSERT INTO needlelog_schema (version) VALUES ($1)", &[&schema::FIRST_VERSION])?;
    Ok(())
}

/// Brings a server database from version `from` to this build's, inside `tx`.
fn migrate(tx: &mut postgres::Transaction<'_>, from: i32) -> std::result::Result<(), postgres::Error> {
    for (version, sql) in schema::STEPS.iter().filter(|(v, _)| *v > from) {
        tx.batch_execute(sql)?;
        tx.execute("UPDATE needlelog_schema SET version = $1", &[version])?;
    }
    Ok(())
}

/// Why connecting failed, in one line: which server, and what to check.
fn unreachable(address: &Address, e: &postgres::Error) -> StoreError {
    let at = address.to_string();
    let place = address.place();
    if let Some(db) = e.as_db_error() {
        let check = match *db.code() {
            SqlState::INVALID_PASSWORD | SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
                format!("check the user ({}) and password in the address, and the server's pg_hba.conf", address.user())
            }
            SqlState::INVALID_CATALOG_NAME => {
                "create the database first (createdb), or check its name in the address".to_string()
            }
            SqlState::TOO_MANY_CONNECTIONS => "try again in a moment".to_string(),
            _ => "check the address and the server's log".to_string(),
        };
        let said = crate::text::printable(db.message());
        return StoreError::Server { at, detail: format!("the server refused the connection ({said}); {check}") };
    }
    let said = chain(e);
    if said.contains("password missing") {
        return StoreError::Server {
            at,
            detail: "the server asks for a password and none was given; put it in the address \
                     (postgresql://USER:PASSWORD@HOST/DATABASE) or in PGPASSWORD"
                .into(),
        };
    }
    if said.contains("server does not support TLS") {
        return StoreError::Server {
            at,
            detail: "the address requires TLS (sslmode) and the server does not offer it; turn ssl on in its \
                     postgresql.conf, or use sslmode=prefer on a trusted network"
                .into(),
        };
    }
    if said.contains("certificate") || said.contains("handshake") {
        // OpenSSL's line ends with why, in brackets: that is the part to show.
        let why = said.rsplit_once(" (").map_or(said.as_str(), |(_, why)| why.trim_end_matches(')'));
        let hint = if address.secured == Secured::VerifyFull {
            "check that the address names the host its certificate names, and give its authority with \
             sslrootcert=PATH"
        } else if address.secured == Secured::Require {
            "give the authority that signed it with sslrootcert=PATH, or leave sslrootcert out to encrypt \
             without checking it"
        } else {
            "give the authority that signed it with sslrootcert=PATH, or use sslmode=require to encrypt \
             without checking it"
        };
        return StoreError::Server { at, detail: format!("the server's certificate was not accepted ({why}); {hint}") };
    }
    let why = match io_cause(e).as_ref().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::ConnectionRefused) => "nothing answers there".to_string(),
        Some(std::io::ErrorKind::TimedOut) => "it did not answer in time".to_string(),
        Some(std::io::ErrorKind::NotFound) => "no such host or socket".to_string(),
        _ => said,
    };
    StoreError::Server {
        at,
        detail: format!(
            "cannot reach the server at {place}: {why}; check that PostgreSQL is running there and listening"
        ),
    }
}

/// A client error with what caused it, in one printable line.
fn chain(e: &postgres::Error) -> String {
    let mut said = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !said.contains(&more) {
            said = format!("{said}: {more}");
        }
        source = s.source();
    }
    crate::text::printable(&said)
}

/// The I/O error underneath a client error, if that is what it was.
fn io_cause(e: &postgres::Error) -> Option<std::io::Error> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(std::io::Error::new(io.kind(), io.to_string()));
        }
        source = s.source();
    }
    None
}

/// A failure once connected, in one line.
fn failure(address: &Address, e: &postgres::Error) -> StoreError {
    failure_shown(&address.to_string(), e)
}

/// [`failure`], for the address as shown (`postgresql://user@host:port/db`).
pub(in crate::store) fn failure_shown(shown: &str, e: &postgres::Error) -> StoreError {
    let at = shown.to_string();
    let place = shown.split_once('@').map_or(shown, |(_, rest)| rest.split('/').next().unwrap_or(rest));
    if let Some(db) = e.as_db_error() {
        let said = crate::text::printable(db.message());
        let code = db.code();
        // As a file's constraint is: the record clashes with what is kept.
        if code.code().starts_with("23") || *code == SqlState::RAISE_EXCEPTION {
            return StoreError::Conflict(format!("{at}: refused: {said}"));
        }
        let detail = match *code {
            SqlState::INSUFFICIENT_PRIVILEGE => {
                format!("the server refused: {said}; the role in the address needs rights on needlelog's tables")
            }
            SqlState::READ_ONLY_SQL_TRANSACTION => format!("the server is read-only ({said}); nothing was changed"),
            SqlState::DISK_FULL => format!("the server's disk is full ({said}); nothing was changed"),
            SqlState::LOCK_NOT_AVAILABLE => {
                "another laptop's change held the records for too long; nothing was changed, try again".to_string()
            }
            _ => format!("the server refused: {said}; nothing was changed"),
        };
        return StoreError::Server { at, detail };
    }
    if e.is_closed() || io_cause(e).is_some() {
        return StoreError::Server {
            at,
            detail: format!("the connection to {place} was lost; nothing was changed, try again"),
        };
    }
    StoreError::Server { at, detail: crate::text::printable(&e.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_shown_without_its_password() {
        let address = Address::parse("postgresql://nl:s3cret@db.clinic.lan:5433/records?sslmode=disable").unwrap();
        assert_eq!(address.to_string(), "postgresql://nl@db.clinic.lan:5433/records");
        assert!(!format!("{address:?}").contains("s3cret"));
        let address = Address::parse("postgres://nl@127.0.0.1/nltest?password=s3cret").unwrap();
        assert_eq!(address.to_string(), "postgresql://nl@127.0.0.1:5432/nltest", "the port it will use");
    }

    #[test]
    fn a_bad_address_is_named_without_repeating_it() {
        let e = Address::parse("postgresql://nl:s3cret@h/db?connect_timeout=soon").unwrap_err().to_string();
        assert!(e.contains("postgresql://USER@HOST/DATABASE"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[test]
    fn sslmode_is_read_as_libpq_reads_it() {
        let secured = |query: &str| Address::parse(&format!("postgresql://nl@h/db{query}")).map(|a| a.secured);
        assert_eq!(secured("").unwrap(), Secured::Prefer);
        assert_eq!(secured("?sslmode=disable").unwrap(), Secured::Disable);
        assert_eq!(secured("?connect_timeout=2&sslmode=verify-full").unwrap(), Secured::VerifyFull);
        let a = Address::parse("postgresql://nl@h/db?sslmode=verify-ca&sslrootcert=%2Fetc%2Fclinic%20ca.pem").unwrap();
        assert_eq!(
            (a.secured, a.root.as_deref()),
            (Secured::VerifyCa, Some(std::path::Path::new("/etc/clinic ca.pem")))
        );
        assert_eq!(a.config.get_ssl_mode(), SslMode::Require);
        let e = secured("?sslmode=sometimes").unwrap_err().to_string();
        assert!(e.contains("verify-full"), "{e}");
        let e = secured("?sslcert=me.crt").unwrap_err().to_string();
        assert!(e.contains("password"), "{e}");
    }

    #[test]
    fn only_a_postgresql_scheme_names_a_server() {
        assert!(is_address("postgresql://nl@host/db"));
        assert!(is_address("POSTGRES://nl@host/db"));
        assert!(!is_address("postgresql.db"));
        assert!(!is_address("./postgresql://x"));
    }
}

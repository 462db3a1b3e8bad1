//! A PostgreSQL server as the place records are kept: where `--db
//! postgresql://…` points. This module speaks to it: connecting (and saying
//! plainly why not), its schema (the file's tables, see [`schema`]), and copying
//! records between a file and a server (`needlelog db copy`, see [`copy`]).
//!
//! A server's address is shown without its password, everywhere: [`Address`].

mod copy;
mod health;
mod schema;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::error::SqlState;
use postgres::{Client, NoTls};

pub use copy::{Copied, Pictures, Progress};
pub use health::ServerHealth;
pub(crate) use schema::TABLES;

use super::{Result, StoreError};

/// How long connecting may take before the server counts as away.
const CONNECT_WITHIN: Duration = Duration::from_secs(5);

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
        let config = postgres::Config::from_str(text).map_err(|e| {
            StoreError::Invalid(format!(
                "the server address is not one PostgreSQL reads ({e}); write it as postgresql://USER@HOST/DATABASE"
            ))
        })?;
        if config.get_hosts().is_empty() {
            return Err(StoreError::Invalid(
                "the server address names no host; write it as postgresql://USER@HOST/DATABASE".into(),
            ));
        }
        let shown = shown(&config);
        Ok(Address { config, shown })
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
        let client = config.connect(NoTls).map_err(|e| unreachable(address, &e))?;
        Ok(Server { client, address: address.clone() })
    }

    pub fn address(&self) -> &Address {
        &self.address
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

    /// Turns a failure while talking to the server into one line naming it.
    fn failed(&self, e: &postgres::Error) -> StoreError {
        failure(&self.address, e)
    }
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
    if said.contains("TLS") {
        return StoreError::Server {
            at,
            detail: "the address asks for TLS (sslmode), which this needlelog does not speak; on a trusted \
                     network use sslmode=disable, or reach the server through an SSH tunnel"
                .into(),
        };
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
    let at = address.to_string();
    if let Some(db) = e.as_db_error() {
        let said = crate::text::printable(db.message());
        let detail = match *db.code() {
            SqlState::INSUFFICIENT_PRIVILEGE => {
                format!("the server refused: {said}; the role in the address needs rights on needlelog's tables")
            }
            SqlState::READ_ONLY_SQL_TRANSACTION => format!("the server is read-only ({said}); nothing was changed"),
            SqlState::DISK_FULL => format!("the server's disk is full ({said}); nothing was changed"),
            _ => format!("the server refused: {said}; nothing was changed"),
        };
        return StoreError::Server { at, detail };
    }
    if e.is_closed() || io_cause(e).is_some() {
        return StoreError::Server {
            at,
            detail: format!("the connection to {} was lost; nothing was changed, try again", address.place()),
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
        let e = Address::parse("postgresql://nl:s3cret@/db?sslmode=sometimes").unwrap_err().to_string();
        assert!(e.contains("postgresql://USER@HOST/DATABASE"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[test]
    fn only_a_postgresql_scheme_names_a_server() {
        assert!(is_address("postgresql://nl@host/db"));
        assert!(is_address("POSTGRES://nl@host/db"));
        assert!(!is_address("postgresql.db"));
        assert!(!is_address("./postgresql://x"));
    }
}

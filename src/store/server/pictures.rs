//! A server's pictures as one laptop sees them: kept in the server
//! (`photo_files`, by SHA-256), drawn into a folder of this laptop's cache when
//! first shown, and sent to the server when a new one is kept. The folder is
//! `crate::photos`' business; this side only fetches and sends bytes.

use std::sync::Mutex;

use postgres::Client;

use super::{Address, Server};
use crate::domain::PhotoFormat;

/// Where a store's pictures come from when they are not yet on this laptop.
pub trait Origin: Send + Sync {
    /// A picture's bytes, `None` when the server has none of that name.
    fn fetch(&self, hash: &str) -> std::io::Result<Option<Vec<u8>>>;
    /// Keeps a picture there (once: the same again changes nothing).
    fn send(&self, hash: &str, format: PhotoFormat, bytes: &[u8]) -> std::io::Result<()>;
    /// Lets a picture go from there, unless a record (or the trash) still
    /// names it: another laptop may have kept it again meanwhile.
    fn forget(&self, hash: &str) -> std::io::Result<()>;
    /// A name for the cache of these pictures: the server and database,
    /// in characters any file system takes.
    fn cache_name(&self) -> String;
}

/// A server's pictures, over a connection of their own (made when first
/// needed): they are fetched from the app's loading thread.
pub struct ServerPictures {
    address: Address,
    client: Mutex<Option<Client>>,
}

impl ServerPictures {
    pub fn new(address: Address) -> ServerPictures {
        ServerPictures { address, client: Mutex::new(None) }
    }

    /// Runs `f` on the connection, making it first when there is none (or the
    /// last was lost). Errors are one line, without the password.
    fn with<T>(&self, f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>) -> std::io::Result<T> {
        let mut held = self.client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if held.as_ref().is_none_or(Client::is_closed) {
            let server = Server::connect(&self.address).map_err(std::io::Error::other)?;
            *held = Some(server.client);
        }
        let Some(client) = held.as_mut() else { return Err(std::io::Error::other("no connection")) };
        f(client).map_err(|e| std::io::Error::other(super::failure(&self.address, &e).to_string()))
    }
}

impl Origin for ServerPictures {
    fn fetch(&self, hash: &str) -> std::io::Result<Option<Vec<u8>>> {
        self.with(|c| {
            Ok(c.query_opt("SELECT bytes FROM photo_files WHERE hash = $1", &[&hash])?.map(|r| r.get::<_, Vec<u8>>(0)))
        })
    }

    fn send(&self, hash: &str, format: PhotoFormat, bytes: &[u8]) -> std::io::Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO photo_files (hash, format, bytes) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
                &[&hash, &format.key(), &bytes],
            )
            .map(drop)
        })
    }

    fn forget(&self, hash: &str) -> std::io::Result<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM photo_files WHERE hash = $1 \
                 AND NOT EXISTS (SELECT 1 FROM session_photos WHERE hash = $1) \
                 AND NOT EXISTS (SELECT 1 FROM trash WHERE strpos(payload, $1) > 0)",
                &[&hash],
            )
            .map(drop)
        })
    }

    fn cache_name(&self) -> String {
        let shown = self.address.to_string();
        let place = shown.split_once('@').map_or(shown.as_str(), |(_, rest)| rest);
        place.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect()
    }
}

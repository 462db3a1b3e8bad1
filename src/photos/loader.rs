//! Decoding pictures off the app's thread: the app asks for a picture at a size
//! and goes on taking keys; two workers (one per core on a small laptop) read the
//! cached copy, or decode the original and cache it, and hand the picture back.
//! The app picks finished pictures up between keys.

use std::collections::HashSet;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use image::DynamicImage;

use super::PhotoStore;
use super::thumbs::{self, Size};
use crate::domain::PhotoFormat;

/// A picture asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Wanted {
    pub hash: String,
    pub format: PhotoFormat,
    pub size: Size,
}

/// A picture done: decoded, or why not (one line, for a placeholder).
#[derive(Debug)]
pub struct Loaded {
    pub wanted: Wanted,
    pub image: Result<DynamicImage, String>,
}

/// The workers and what they are busy with.
#[derive(Debug)]
pub struct Loader {
    requests: Option<Sender<Wanted>>,
    done: Receiver<Loaded>,
    pending: HashSet<Wanted>,
}

/// How many pictures are decoded at once.
const WORKERS: usize = 2;

impl Loader {
    /// Starts the workers for the store's pictures; they end when the loader goes.
    pub fn new(store: PhotoStore) -> Loader {
        let (requests, inbox) = channel::<Wanted>();
        let (finished, done) = channel();
        let inbox = Arc::new(Mutex::new(inbox));
        for _ in 0..WORKERS {
            let (inbox, finished, store) = (Arc::clone(&inbox), finished.clone(), store.clone());
            std::thread::spawn(move || {
                loop {
                    let next = match inbox.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(wanted) = next else { return };
                    if let Some(image) = thumbs::cached(&store, &wanted.hash, wanted.size) {
                        if finished.send(Loaded { wanted, image: Ok(image) }).is_err() {
                            return;
                        }
                        continue;
                    }
                    // Not cached: made from the original, handed back, then cached.
                    match thumbs::make(&store, &wanted.hash, wanted.format) {
                        Ok((view, thumb)) => {
                            let image = if wanted.size == Size::View { view.clone() } else { thumb.clone() };
                            let hash = wanted.hash.clone();
                            if finished.send(Loaded { wanted, image: Ok(image) }).is_err() {
                                return;
                            }
                            let _ = thumbs::write_cache(&store, &hash, &view, &thumb);
                        }
                        Err(why) => {
                            if finished.send(Loaded { wanted, image: Err(why) }).is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
        Loader { requests: Some(requests), done, pending: HashSet::new() }
    }

    /// Asks for a picture unless it is already on its way.
    pub fn request(&mut self, wanted: Wanted) {
        if self.pending.contains(&wanted) {
            return;
        }
        if let Some(tx) = &self.requests
            && tx.send(wanted.clone()).is_ok()
        {
            self.pending.insert(wanted);
        }
    }

    /// True while a picture asked for is not back yet.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The pictures finished since last asked, without waiting.
    pub fn finished(&mut self) -> Vec<Loaded> {
        let mut out = Vec::new();
        while let Ok(loaded) = self.done.try_recv() {
            self.pending.remove(&loaded.wanted);
            out.push(loaded);
        }
        out
    }

    /// Waits up to `timeout` for every picture asked for (tests and benchmarks).
    pub fn wait_all(&mut self, timeout: Duration) -> Vec<Loaded> {
        let until = Instant::now() + timeout;
        let mut out = self.finished();
        while self.busy() {
            match self.done.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(loaded) => {
                    self.pending.remove(&loaded.wanted);
                    out.push(loaded);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        out
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // Closing the channel ends the workers once their picture is done.
        self.requests.take();
    }
}

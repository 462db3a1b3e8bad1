//! The pictures a session form's Photos field names are read and checked on a
//! thread of their own, never on the thread that draws: a path on a stalled
//! network folder then holds up nothing but the save that waits for it. The save
//! goes on by itself once they are checked, if the form is still open and says
//! the same.

use std::sync::{Arc, Mutex};

use super::editors::Editor;
use super::{App, Overlay};
use crate::photos::Pending;

/// What became of the pictures named in one value of the Photos field.
pub type Checked = Result<Vec<Pending>, String>;

/// A check under way or done, for one value of the Photos field.
#[derive(Debug)]
pub(super) struct PhotoCheck {
    /// The field's value it reads.
    value: String,
    /// Filled by the checking thread.
    result: Arc<Mutex<Option<Checked>>>,
    /// A save waits for it: submit the form again when it is done.
    resubmit: bool,
}

/// What the form's reading gets for the Photos field.
#[derive(Debug, Clone)]
pub enum Photos {
    /// Read and checked (nothing named: an empty list).
    Checked(Checked),
    /// Still being read.
    Checking,
}

impl App {
    /// The Photos field's pictures for a save of `value`: checked already, or a
    /// check started (or still going) that submits the form again when done.
    pub(super) fn photos_for(&mut self, value: &str) -> Photos {
        let typed: Vec<String> = value.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        if typed.is_empty() {
            return Photos::Checked(Ok(Vec::new()));
        }
        if let Some(check) = self.photo_check.as_mut().filter(|c| c.value == value) {
            let done = check.result.lock().map(|r| r.clone()).unwrap_or_else(|_| Some(Err("the check failed".into())));
            return match done {
                // Used once: the next save reads the files again (and the bytes go).
                Some(checked) => {
                    self.photo_check = None;
                    Photos::Checked(checked)
                }
                None => {
                    check.resubmit = true;
                    Photos::Checking
                }
            };
        }
        let result = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&result);
        let rules = self.rules;
        let started = std::thread::Builder::new().name("photo check".into()).spawn(move || {
            let checked = crate::photos::prepare(&typed, None, rules).map_err(|e| e.to_string());
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(checked);
            }
        });
        if let Err(e) = started {
            return Photos::Checked(Err(format!("the pictures could not be read: {e}")));
        }
        self.photo_check = Some(PhotoCheck { value: value.to_string(), result, resubmit: true });
        Photos::Checking
    }

    /// True while pictures a save waits for are being read.
    pub fn photo_check_pending(&self) -> bool {
        self.photo_check.as_ref().is_some_and(|c| c.resubmit && c.result.lock().is_ok_and(|r| r.is_none()))
    }

    /// When the pictures a save waited for are read, submits the form again (if
    /// it is still open); true when something changed to draw.
    pub fn take_photo_check(&mut self) -> bool {
        let Some(check) = self.photo_check.as_mut() else { return false };
        if !check.resubmit || check.result.lock().is_ok_and(|r| r.is_none()) {
            return false;
        }
        check.resubmit = false;
        let value = check.value.clone();
        match self.overlay.take() {
            Some(Overlay::Form { form, editor: editor @ (Editor::Session { .. } | Editor::CoursePhotos { .. }) })
                if form.value("photos") == value =>
            {
                self.overlay = self.submit(form, editor);
            }
            other => self.overlay = other,
        }
        true
    }

    /// Waits (up to `timeout`) for the pictures a save waits for: tests.
    pub fn wait_for_photo_check(&mut self, timeout: std::time::Duration) {
        let start = std::time::Instant::now();
        while self.photo_check_pending() && start.elapsed() < timeout {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.take_photo_check();
    }
}

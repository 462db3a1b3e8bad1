//! The Photos screen's state: which picture is selected, which one is picked for
//! a comparison, and what is shown (the strips, one picture large, or two side by
//! side); and the pictures themselves, decoded off this thread by the
//! [`Loader`](crate::photos::loader::Loader) and kept ready to draw.

use std::collections::HashMap;

use ratatui_image::picker::Picker;
use ratatui_image::protocol::StatefulProtocol;

use super::App;
use super::keys::Tab;
use crate::domain::Photo;
use crate::photos::loader::{Loader, Wanted};
use crate::photos::thumbs::Size;

/// What the Photos screen shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PhotosMode {
    /// A strip of thumbnails per session.
    #[default]
    Strips,
    /// The selected picture, large.
    One,
    /// Two pictures side by side (photo ids): the earlier on the left.
    Compare(i64, i64),
}

/// The Photos screen: the current course's pictures, in session order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotosView {
    /// Index into the course's photos.
    pub selected: usize,
    /// A photo picked (space) to compare with the selected one.
    pub picked: Option<i64>,
    pub mode: PhotosMode,
}

/// A picture on its way or ready to draw.
pub enum Slot {
    Loading,
    Ready(Box<StatefulProtocol>),
    /// Why it cannot be shown (one line, under its name).
    Failed(String),
}

/// The pictures decoded for drawing, and how to draw them in this terminal.
pub struct Pictures {
    pub picker: Picker,
    pub slots: HashMap<(String, Size), Slot>,
}

impl Default for Pictures {
    fn default() -> Self {
        Pictures { picker: Picker::halfblocks(), slots: HashMap::new() }
    }
}

impl std::fmt::Debug for Pictures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pictures({} slots, {:?})", self.slots.len(), self.picker.protocol_type())
    }
}

/// How many screen-sized pictures are kept decoded (besides those on screen).
const VIEWS_KEPT: usize = 4;

impl App {
    /// The selected photo.
    pub fn selected_photo(&self) -> Option<&Photo> {
        self.photos.get(self.photos_view.selected)
    }

    /// A session's place in the current course ("session 2 of 6").
    pub fn session_label(&self, session_id: i64) -> String {
        self.current_summary().map(|c| c.session_label(session_id)).unwrap_or_else(|| format!("session #{session_id}"))
    }

    /// Draws pictures with `picker` from now on (the terminal's own graphics).
    pub fn use_picker(&mut self, picker: Picker) {
        let mut pictures = self.pictures.borrow_mut();
        pictures.picker = picker;
        pictures.slots.clear();
    }

    /// Moves the Photos selection by `delta` pictures.
    pub(super) fn move_photo(&mut self, delta: i64) {
        self.photos_view.selected = super::views::moved(self.photos_view.selected, delta, self.photos.len());
        if self.photos_view.mode != PhotosMode::Strips {
            self.photos_view.mode = PhotosMode::One;
        }
    }

    /// Moves to the picture at the same place in the previous (or next) strip.
    pub(super) fn move_photo_session(&mut self, delta: i64) {
        let Some(current) = self.selected_photo().map(Strip::of) else { return };
        let strips: Vec<Strip> = self.photos.iter().map(Strip::of).fold(Vec::new(), |mut v, s| {
            if v.last() != Some(&s) {
                v.push(s);
            }
            v
        });
        let at = strips.iter().position(|s| *s == current).unwrap_or(0);
        let column =
            self.photos[..self.photos_view.selected].iter().rev().take_while(|p| Strip::of(p) == current).count();
        let target = strips[super::views::moved(at, delta, strips.len())];
        let first = self.photos.iter().position(|p| Strip::of(p) == target).unwrap_or(0);
        let count = self.photos.iter().filter(|p| Strip::of(p) == target).count();
        self.photos_view.selected = first + column.min(count.saturating_sub(1));
    }

    /// Enter: the selected picture large (again: back to the strips).
    pub(super) fn show_photo(&mut self) {
        if self.photos.is_empty() {
            return self.say("No photos in this course yet: a adds the course's own, a session's form its");
        }
        self.photos_view.mode = match self.photos_view.mode {
            PhotosMode::One => PhotosMode::Strips,
            _ => PhotosMode::One,
        };
    }

    /// Space: picks the selected picture for `v` (again: unpicks it).
    pub(super) fn pick_photo(&mut self) {
        let Some(id) = self.selected_photo().map(|p| p.id) else { return };
        if self.photos_view.picked == Some(id) {
            self.photos_view.picked = None;
            return self.say("Unpicked");
        }
        self.photos_view.picked = Some(id);
        self.say("Picked: select another photo and press v to compare the two");
    }

    /// `v`: the before/after. The picked photo and the selected one; else the
    /// first and the latest of the selected photo's area.
    pub(super) fn compare_photos(&mut self) {
        let Some(selected) = self.selected_photo().cloned() else {
            return self.say("No photos in this course yet: a adds the course's own, a session's form its");
        };
        let pair = match self.photos_view.picked.filter(|id| *id != selected.id) {
            Some(picked) => Some((picked, selected.id)),
            None => {
                let same: Vec<&Photo> = self.photos.iter().filter(|p| p.area == selected.area).collect();
                match (same.first(), same.last()) {
                    (Some(first), Some(last)) if first.id != last.id => Some((first.id, last.id)),
                    _ => None,
                }
            }
        };
        let Some((a, b)) = pair else {
            let area =
                selected.area.as_deref().map_or_else(|| "without an area".to_string(), |a| format!("of the {a}"));
            return self.say(format!("Only one photo {area}: pick another with space, select a second and press v"));
        };
        let order = |id: i64| self.photos.iter().position(|p| p.id == id).unwrap_or(0);
        let (left, right) = if order(a) <= order(b) { (a, b) } else { (b, a) };
        self.photos_view.mode = PhotosMode::Compare(left, right);
        self.photos_view.picked = None;
    }

    /// Esc: back to the strips.
    pub(super) fn photos_back(&mut self) {
        self.photos_view.mode = PhotosMode::Strips;
    }

    /// The copy a picture shown large is drawn from: half blocks show a few
    /// dozen "pixels" a side, so the thumbnail does (decoded and drawn in a
    /// fraction of the time); real graphics get the screen-sized copy.
    pub fn large_size(&self) -> Size {
        match self.pictures.borrow().picker.protocol_type() {
            ratatui_image::picker::ProtocolType::Halfblocks => Size::Thumb,
            _ => Size::View,
        }
    }

    /// The pictures the Photos screen shows now, at the size it shows them.
    fn wanted_pictures(&self) -> Vec<(&Photo, Size)> {
        let large = self.large_size();
        let by_id = |id: i64| self.photos.iter().find(|p| p.id == id);
        match self.photos_view.mode {
            PhotosMode::Strips => self.photos.iter().map(|p| (p, Size::Thumb)).collect(),
            PhotosMode::One => self.selected_photo().map(|p| (p, large)).into_iter().collect(),
            PhotosMode::Compare(a, b) => [by_id(a), by_id(b)].into_iter().flatten().map(|p| (p, large)).collect(),
        }
    }

    /// Asks the loader for the pictures on screen that are not decoded yet.
    /// Called after every key on the Photos screen and after a reload.
    pub fn want_pictures(&mut self) {
        if self.tab != Tab::Photos || self.photos.is_empty() {
            return;
        }
        let wanted: Vec<(String, crate::domain::PhotoFormat, Size)> =
            self.wanted_pictures().into_iter().map(|(p, size)| (p.hash.clone(), p.format, size)).collect();
        let mut pictures = self.pictures.borrow_mut();
        // Screen-sized pictures not on screen go first when too many are kept.
        let views: Vec<(String, Size)> = pictures.slots.keys().filter(|(_, s)| *s == Size::View).cloned().collect();
        if views.len() > VIEWS_KEPT {
            for key in views {
                if !wanted.iter().any(|(h, _, s)| (h, s) == (&key.0, &key.1)) {
                    pictures.slots.remove(&key);
                }
            }
        }
        for (hash, format, size) in wanted {
            let key = (hash.clone(), size);
            if pictures.slots.contains_key(&key) {
                continue;
            }
            if !self.photo_files.contains(&hash) {
                pictures.slots.insert(key, Slot::Failed("not in the photo store".into()));
                continue;
            }
            pictures.slots.insert(key, Slot::Loading);
            self.loader.get_or_insert_with(|| Loader::new(self.photo_store.clone())).request(Wanted {
                hash,
                format,
                size,
            });
        }
    }

    /// Takes the pictures decoded since last asked; true when there were any (the
    /// screen is drawn again).
    pub fn take_pictures(&mut self) -> bool {
        let Some(loader) = self.loader.as_mut() else { return false };
        let finished = loader.finished();
        self.settle_pictures(finished)
    }

    /// True while pictures asked for are being decoded.
    pub fn pictures_pending(&self) -> bool {
        self.loader.as_ref().is_some_and(Loader::busy)
    }

    /// Waits (up to `timeout`) for every picture asked for: tests and benchmarks.
    pub fn wait_for_pictures(&mut self, timeout: std::time::Duration) {
        if let Some(loader) = self.loader.as_mut() {
            let finished = loader.wait_all(timeout);
            self.settle_pictures(finished);
        }
    }

    fn settle_pictures(&mut self, finished: Vec<crate::photos::loader::Loaded>) -> bool {
        let any = !finished.is_empty();
        let mut pictures = self.pictures.borrow_mut();
        for loaded in finished {
            let key = (loaded.wanted.hash, loaded.wanted.size);
            let slot = match loaded.image {
                Ok(image) => Slot::Ready(Box::new(pictures.picker.new_resize_protocol(image))),
                Err(why) => Slot::Failed(why),
            };
            pictures.slots.insert(key, slot);
        }
        any
    }

    /// Reads the current course's photos and which of their files are in the store.
    pub(super) fn load_photos(&mut self) {
        let Some(id) = self.current else {
            self.photos.clear();
            return;
        };
        // A picture that could not be shown is tried again (it may be back).
        self.pictures.borrow_mut().slots.retain(|_, slot| !matches!(slot, Slot::Failed(_)));
        match self.store.photos_of_course(id) {
            Ok(photos) => {
                let kept = self.photos_view.selected;
                let selected = self.photos.get(kept).map(|p| p.id);
                self.photo_files = photos.iter().filter(|p| self.photo_store.has(p)).map(|p| p.hash.clone()).collect();
                self.photos = photos;
                if let Some(i) = selected.and_then(|id| self.photos.iter().position(|p| p.id == id)) {
                    self.photos_view.selected = i;
                }
                self.photos_view.selected = super::views::moved(self.photos_view.selected, 0, self.photos.len());
                if let PhotosMode::Compare(a, b) = self.photos_view.mode
                    && !(self.photos.iter().any(|p| p.id == a) && self.photos.iter().any(|p| p.id == b))
                {
                    self.photos_view.mode = PhotosMode::Strips;
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
        self.want_pictures();
    }
}

/// A row of the Photos screen: a session's pictures, or the course's own of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strip {
    Session(i64),
    Course(chrono::NaiveDate),
}

impl Strip {
    pub fn of(photo: &Photo) -> Strip {
        match photo.session_id {
            Some(id) => Strip::Session(id),
            None => Strip::Course(photo.taken.date()),
        }
    }
}

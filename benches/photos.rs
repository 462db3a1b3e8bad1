//! Photos: attaching a 12-megapixel JPEG, the first compare view of two of them
//! (nothing cached, then with their screen-sized copies cached), and a key to the
//! redraw on the Photos screen. Pictures are generated (4000×3000, with grain so
//! they compress like photos, ≈3–4 MB each).
//!
//! Run: `cargo bench --bench photos`. Reports the median and spread; nothing is
//! asserted.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use needlelog::app::{App, PhotosMode};
use needlelog::domain::Rules;
use needlelog::domain::time::Zone;
use needlelog::photos::PhotoStore;
use needlelog::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn stats(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<52} median {:>8.2} ms   min {:>8.2} ms   p90 {:>8.2} ms   ({} runs)",
        at(0.5).as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3,
        at(0.9).as_secs_f64() * 1e3,
        samples.len()
    );
}

/// A 12-megapixel photo-like JPEG: gradients with grain.
fn twelve_megapixels(path: &std::path::Path, seed: u32) {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 24) as u8;
        image::Rgb([
            ((x / 16) as u8).wrapping_add(grain),
            ((y / 12) as u8).wrapping_add(grain),
            (((x + y) / 28) as u8).wrapping_add(seed as u8),
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&img).expect("encode");
    std::fs::write(path, bytes).expect("write");
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| needlelog::ui::draw(f, app)).expect("draw");
}

fn main() {
    let rules = Rules::embedded();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let zone = Zone::utc();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("photos.db");
    let mut store = Store::open(&path).expect("new file");
    needlelog::demo::fill(&mut store, rules, now, &zone).expect("demo");
    let (a, b) = (dir.path().join("before.jpg"), dir.path().join("after.jpg"));
    twelve_megapixels(&a, 1);
    twelve_megapixels(&b, 2);
    println!(
        "pictures: 4000×3000 JPEG, {:.1} MB each",
        std::fs::metadata(&a).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
    );
    let photo_store = PhotoStore::beside(&path);

    let mut app = App::new(store, rules, now, zone);
    app.overlay = None;
    let mut done: Vec<i64> = app.sessions().iter().filter(|s| s.is_done()).map(|s| s.id).collect();
    done.sort();
    let (first, last) = (done[0], *done.last().expect("a done session"));

    // Attaching: check (decode whole), copy in, make the smaller copies, record.
    let mut attach = Vec::new();
    for i in 0..8 {
        let source = if i % 2 == 0 { &a } else { &b };
        let hash = needlelog::photos::intake::hash_of(&std::fs::read(source).expect("read"));
        let _ = photo_store.remove(&hash, needlelog::domain::PhotoFormat::Jpeg);
        let _ = app.store.all_photos().map(|all| {
            all.iter().filter(|p| p.hash == hash).for_each(|p| drop(app.store.remove_photo(p.id)));
        });
        let arg = [format!("cheeks={}", source.display())];
        let started = Instant::now();
        let pending = needlelog::photos::prepare(&arg, None, rules).expect("a good picture");
        needlelog::photos::attach(&mut *app.store, &photo_store, needlelog::domain::PhotoOf::Session(first), &pending)
            .expect("attach");
        attach.push(started.elapsed());
    }
    stats("attach a 12-megapixel JPEG", attach);
    // Where an attach's time goes.
    let (mut read, mut decode, mut copies) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        let bytes = std::fs::read(&a).expect("read");
        let _ = needlelog::photos::intake::hash_of(&bytes);
        read.push(started.elapsed());
        let started = Instant::now();
        let (image, _) =
            needlelog::photos::intake::decode(&bytes, needlelog::domain::PhotoFormat::Jpeg, "a").expect("decode");
        decode.push(started.elapsed());
        let started = Instant::now();
        needlelog::photos::thumbs::prime(&photo_store, &"0".repeat(64), &image).expect("prime");
        copies.push(started.elapsed());
    }
    needlelog::photos::thumbs::forget(&photo_store, &"0".repeat(64));
    stats("  of which: read and hash", read);
    stats("  of which: decode whole (the check)", decode);
    stats("smaller copies made and written (once, off the UI thread)", copies);
    // The pair to compare: one on the first session, one on the latest.
    for (session, source) in [(first, &a), (last, &b)] {
        let arg = [format!("cheeks={}", source.display())];
        let pending = needlelog::photos::prepare(&arg, None, rules).expect("a good picture");
        needlelog::photos::attach(
            &mut *app.store,
            &photo_store,
            needlelog::domain::PhotoOf::Session(session),
            &pending,
        )
        .expect("attach");
    }
    app.reload();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    app.handle_key(KeyEvent::new(KeyCode::Char('5'), KeyModifiers::NONE));
    app.wait_for_pictures(Duration::from_secs(60));

    let mut compare = |cached: bool| {
        let mut samples = Vec::new();
        for _ in 0..8 {
            // The copies made last time are written after the pictures are handed
            // back: let that finish (a person does not compare eight times a second).
            std::thread::sleep(Duration::from_millis(400));
            if !cached {
                let _ = std::fs::remove_dir_all(photo_store.dir().join(".thumbs"));
            }
            app.pictures.borrow_mut().slots.clear();
            app.photos_view.mode = PhotosMode::Strips;
            let started = Instant::now();
            app.handle_key(KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE));
            app.wait_for_pictures(Duration::from_secs(60));
            draw(&mut terminal, &app);
            samples.push(started.elapsed());
            assert!(matches!(app.photos_view.mode, PhotosMode::Compare(..)));
        }
        samples
    };
    stats("first compare view, two 12 MP JPEGs, nothing cached", compare(false));
    stats("first compare view, smaller copies cached", compare(true));

    // Keys on the strips, thumbnails decoded: ← → and the redraw.
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    app.wait_for_pictures(Duration::from_secs(60));
    draw(&mut terminal, &app);
    let mut keys = Vec::new();
    for i in 0..400 {
        let key = if i % 2 == 0 { KeyCode::Right } else { KeyCode::Left };
        let started = Instant::now();
        app.handle_key(KeyEvent::new(key, KeyModifiers::NONE));
        draw(&mut terminal, &app);
        keys.push(started.elapsed());
    }
    stats("key to redraw, Photos strips (120×40)", keys);
    // And in the compare view, ← → between pictures shown large.
    app.handle_key(KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE));
    app.wait_for_pictures(Duration::from_secs(60));
    draw(&mut terminal, &app);
    let mut keys = Vec::new();
    for i in 0..200 {
        let key = if i % 2 == 0 { KeyCode::Char('j') } else { KeyCode::Char('k') };
        let started = Instant::now();
        app.handle_key(KeyEvent::new(key, KeyModifiers::NONE));
        draw(&mut terminal, &app);
        keys.push(started.elapsed());
    }
    stats("key to redraw, Photos compare (120×40)", keys);
}

//! Desktop notifications (D-Bus on Linux, the notification centre on macOS), for
//! `needlelog remind --notify`. Where none can be shown (no session bus under cron
//! or over ssh), the caller prints instead: a missing service is never a failure.

/// Shows one notification; the error says why none could be shown.
pub fn show(title: &str, body: &str) -> Result<(), String> {
    notify_rust::Notification::new()
        .appname("needlelog")
        .summary(&crate::text::printable(title))
        .body(&markup_safe(&crate::text::printable(body)))
        .show()
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Many notification servers read a little HTML in the body: stored text is shown
/// as text, never as markup.
fn markup_safe(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_stored_text_stays_text() {
        assert_eq!(markup_safe("<b>Ana</b> & co"), "&lt;b&gt;Ana&lt;/b&gt; &amp; co");
    }
}

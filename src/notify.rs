//! Desktop notifications for `needlelog remind --notify`, shown by the platform's
//! own notifier: `notify-send` (libnotify) on Linux and the BSDs, `osascript` on
//! macOS. Where none can be shown (no notifier installed, no session bus under
//! cron or over ssh, a bus that never answers) the caller prints instead: a
//! missing service is never a failure, and nothing waits longer than [`PATIENCE`].
//!
//! Text goes to the notifier as arguments, never through a shell.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one notification may take before it is given up (the notifier is
/// killed and the caller prints).
pub const PATIENCE: Duration = Duration::from_secs(3);

/// Shows one notification; the error says why none could be shown.
pub fn show(title: &str, body: &str) -> Result<(), String> {
    let title = crate::text::printable(title);
    let body = crate::text::printable(body);
    let mut command = notifier(&title, &body);
    let name = command.get_program().to_string_lossy().into_owned();
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(|e| {
        match e.kind() {
            std::io::ErrorKind::NotFound => format!("{name} is not installed"),
            _ => format!("{name} could not start: {e}"),
        }
    })?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("{name} failed ({status})")),
            Ok(None) if started.elapsed() >= PATIENCE => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{name} gave no answer in {} s", PATIENCE.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("{name}: {e}")),
        }
    }
}

/// The platform's notifier, with the notification as its arguments.
fn notifier(title: &str, body: &str) -> Command {
    if cfg!(target_os = "macos") {
        // The texts are the script's arguments, so no quoting can break out of it.
        let mut c = Command::new("osascript");
        c.args(["-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)"])
            .args(["-e", "end run", title, body]);
        c
    } else {
        let mut c = Command::new("notify-send");
        c.args(["--app-name=needlelog", "--", title, &markup_safe(body)]);
        c
    }
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

    #[test]
    fn the_texts_are_arguments_after_the_options() {
        let c = notifier("Title -x", "--body; rm -rf ~");
        let args: Vec<_> = c.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        if cfg!(target_os = "macos") {
            assert_eq!(&args[args.len() - 2..], ["Title -x", "--body; rm -rf ~"]);
        } else {
            assert_eq!(args, ["--app-name=needlelog", "--", "Title -x", "--body; rm -rf ~"]);
        }
    }
}

//! `needlelog remind`: what is coming, told once each (for cron), as lines, JSON
//! or desktop notifications; and `remind --setup`, the snippet that runs it.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::Duration;

use super::{CliError, CliResult, Ctx, Output, RemindArgs, SetupTarget};
use crate::domain::checklist::ChecklistItem;
use crate::domain::reminders::{Reminder, WATCH_GRACE_MONTHS, reminders};
use crate::domain::time::parse_duration;
use crate::domain::windows::course_state_counted;
use crate::domain::{Course, Person};
use crate::store::Standing;
use crate::text;

/// From this many courses (or reminders) on, they are worked out on two threads.
const PARALLEL_FROM: usize = 2_000;

/// One reminder, its key, and whose course it is (shared by the course's
/// reminders); its words are written only when it is told.
struct Told {
    reminder: Reminder,
    key: String,
    whose: Arc<Whose>,
}

/// Whose course a reminder is of: what a line or a JSON object says of it.
struct Whose {
    person: String,
    course_id: i64,
    concern: String,
    title: String,
}

pub(super) fn remind(ctx: &mut Ctx, args: &RemindArgs) -> CliResult<()> {
    let ahead = parse_duration(&args.within).map_err(|e| CliError::Usage(e.to_string()))?;
    let due = due_now(ctx, ahead)?;
    // What was told before is left out (unless told again), and is not noted again.
    let keys: Vec<String> = due.iter().map(|t| t.key.clone()).collect();
    let told: HashSet<String> = ctx.store.told(&keys)?.into_iter().collect();
    drop(keys);
    let fresh: Vec<Told> = due.into_iter().filter(|t| args.again || !told.contains(&t.key)).collect();
    let (now, tz) = (ctx.now, ctx.tz);
    let (fresh, ()) = in_two(
        fresh,
        |_, part| {
            part.into_iter()
                .map(|t| {
                    let text = text::reminder(&t.reminder, now, &tz);
                    (t, text)
                })
                .collect()
        },
        || (),
    );

    if ctx.json {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            kind: &'static str,
            key: String,
            at: String,
            course_id: i64,
            person: &'a str,
            concern: &'a str,
            text: &'a str,
        }
        let list: Vec<Json<'_>> = fresh
            .iter()
            .map(|(t, text)| Json {
                kind: t.reminder.kind.key(),
                key: t.key.clone(),
                at: t.reminder.at.to_rfc3339(),
                course_id: t.whose.course_id,
                person: &t.whose.person,
                concern: &t.whose.concern,
                text,
            })
            .collect();
        let body = serde_json::to_string_pretty(&serde_json::json!({ "reminders": list })).unwrap_or_default();
        ctx.say(body);
    } else {
        let mut printing = !args.notify;
        if printing {
            ctx.room_for(fresh.iter().map(|(t, text)| t.whose.title.len() + 2 + text.len() + 1).sum());
        }
        for (t, text) in &fresh {
            if !printing && let Err(why) = crate::notify::show(&t.whose.title, text) {
                ctx.warn(format!("no desktop notification could be shown ({why}): printed instead"));
                printing = true;
            }
            if printing {
                ctx.say_parts(&[&t.whose.title, ": ", text]);
            }
        }
    }

    let first_told: Vec<String> = fresh.into_iter().map(|(t, _)| t.key).filter(|k| !told.contains(k)).collect();
    if !first_told.is_empty()
        && let Err(e) = ctx.store.mark_told(&first_told, ctx.now)
    {
        ctx.warn(format!("could not note what was told ({e}): these will be told again"));
    }
    Ok(())
}

/// Every reminder due at `ctx.now` looking `ahead`, across running courses and the
/// maintenance of finished ones, oldest first.
fn due_now(ctx: &Ctx, ahead: Duration) -> CliResult<Vec<Told>> {
    let (rules, tz, now) = (ctx.rules, ctx.tz, ctx.now);
    let (courses, people, own) = ctx.store.consistent(|| {
        // Where each watched course stands (its row and bookings), not every
        // session it had.
        let courses = crate::summary::watched(&*ctx.store, now, WATCH_GRACE_MONTHS)?;
        let mut person_ids: Vec<i64> = courses.iter().map(|(c, _)| c.person_id).collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let people = ctx.store.names_of(&person_ids)?;
        let ids: Vec<i64> = courses.iter().map(|(c, _)| c.id).collect();
        let mut own: HashMap<i64, Vec<ChecklistItem>> = HashMap::new();
        for item in ctx.store.custom_items_of(&ids)? {
            own.entry(item.course_id).or_default().push(item.to_item());
        }
        Ok((courses, people, own))
    })?;

    // Each course judged on its own, in time order within each part.
    let order = |a: &Told, b: &Told| (a.reminder.at, &a.whose.title).cmp(&(b.reminder.at, &b.whose.title));
    let judge = |_, part: Vec<(Course, Standing)>| {
        let mut out = Vec::new();
        for (course, standing) in &part {
            let Some((name, _)) = people.get(&course.person_id).filter(|(_, archived)| !archived) else { continue };
            let mine = standing.sessions.as_slice();
            let items = own.get(&course.id).map(Vec::as_slice).unwrap_or_default();
            let state = course_state_counted(course, mine, standing.counted(), &rules.course, now, &tz);
            let mut whose: Option<Arc<Whose>> = None;
            for reminder in reminders(course, mine, items, &state, rules, &tz, now, ahead) {
                let whose = whose.get_or_insert_with(|| {
                    let concern = format!("{} ({})", rules.concern_name(&course.concern), course.areas.join(", "));
                    let title = if name == Person::ME { concern } else { format!("{name} ▸ {concern}") };
                    let (person, concern) = (name.clone(), course.concern.clone());
                    Arc::new(Whose { person, course_id: course.id, concern, title })
                });
                out.push(Told { key: reminder.key(), reminder, whose: Arc::clone(whose) });
            }
        }
        out.sort_by(order);
        out
    };
    // The two parts' runs, each in order, are merged in one pass.
    let (mut out, ()) = in_two(courses, judge, || ());
    out.sort_by(order);
    Ok(out)
}

/// `work` done on `items` (each part with where it starts, and given to it:
/// what it is done with is freed on the thread that did it), its answers in their
/// order, and `beside` done on this thread meanwhile: on two threads when there
/// are thousands of items (a practice's run), on this one when there are a few.
fn in_two<T: Send, R: Send, B>(
    mut items: Vec<T>,
    work: impl Fn(usize, Vec<T>) -> Vec<R> + Sync,
    beside: impl FnOnce() -> B,
) -> (Vec<R>, B) {
    if items.len() < PARALLEL_FROM {
        return (work(0, items), beside());
    }
    // The second part waits here for the thread that takes it; if none can be
    // had, it comes back.
    let second = std::sync::Mutex::new(Some(items.split_off(items.len() / 2)));
    let take = || second.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take().unwrap_or_default();
    let from = items.len();
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || work(from, take()));
        match other {
            Ok(other) => {
                let besides = beside();
                let mut out = work(0, items);
                out.extend(other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
                (out, besides)
            }
            // No second thread to be had (a system out of them): all on this one.
            Err(_) => {
                items.extend(take());
                (work(0, items), beside())
            }
        }
    })
}

/// `remind --setup TARGET`: a snippet to paste, with this binary, this file and
/// the config folder given (`--config`, `NEEDLELOG_CONFIG`), if one was.
pub(super) fn setup(target: SetupTarget, db: &Path, config: Option<&Path>) -> CliResult<Output> {
    let exe =
        std::env::current_exe().map_err(|e| CliError::Failed(format!("cannot find this program's own path: {e}")))?;
    let db = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    let (exe, db) = (exe.display().to_string(), db.display().to_string());
    let config = config.map(|c| std::path::absolute(c).unwrap_or_else(|_| c.to_path_buf()).display().to_string());
    // No quoting keeps a line break on one line of a crontab or a unit file.
    let paths = [
        ("this program's path", Some(&exe)),
        ("the database's path", Some(&db)),
        ("the config folder", config.as_ref()),
    ];
    for (what, path) in paths.iter().filter_map(|(what, p)| Some((what, (*p)?))) {
        if path.chars().any(char::is_control) {
            return Err(CliError::Usage(format!(
                "{what} ({}) holds a line break or another control character, which would break the \
                 snippet: move it to a plain name first",
                text::printable(path)
            )));
        }
    }
    let stdout = snippet(target, &exe, &db, config.as_deref(), uid);
    Ok(Output { stdout, warnings: Vec::new(), exact: true })
}

/// The snippet for `target`, running `exe` on `db` (with its rules from
/// `config`, when given) as user `uid`.
fn snippet(target: SetupTarget, exe: &str, db: &str, config: Option<&str>, uid: u32) -> String {
    match target {
        SetupTarget::Cron => format!(
            "# needlelog reminders every 15 minutes. Add with: crontab -e\n\
             # (the bus address lets cron show desktop notifications; without it they are mailed)\n\
             */15 * * * * DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{uid}/bus {} --db {}{} remind --notify\n",
            cron_word(exe),
            cron_word(db),
            config.map(|c| format!(" --config {}", cron_word(c))).unwrap_or_default()
        ),
        SetupTarget::Systemd => format!(
            "# ~/.config/systemd/user/needlelog-remind.service\n\
             [Unit]\n\
             Description=needlelog reminders\n\
             \n\
             [Service]\n\
             Type=oneshot\n\
             ExecStart={} --db {}{} remind --notify\n\
             \n\
             # ~/.config/systemd/user/needlelog-remind.timer\n\
             [Unit]\n\
             Description=needlelog reminders every 15 minutes\n\
             \n\
             [Timer]\n\
             OnCalendar=*:0/15\n\
             Persistent=true\n\
             \n\
             [Install]\n\
             WantedBy=timers.target\n\
             \n\
             # Then: systemctl --user daemon-reload && systemctl --user enable --now needlelog-remind.timer\n",
            systemd_quote(exe),
            systemd_quote(db),
            config.map(|c| format!(" --config {}", systemd_quote(c))).unwrap_or_default()
        ),
        SetupTarget::Launchd => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <!-- ~/Library/LaunchAgents/org.needlelog.remind.plist\n     \
             Then: launchctl load ~/Library/LaunchAgents/org.needlelog.remind.plist -->\n\
             <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
             <plist version=\"1.0\">\n\
             <dict>\n\
             \x20 <key>Label</key>\n\
             \x20 <string>org.needlelog.remind</string>\n\
             \x20 <key>ProgramArguments</key>\n\
             \x20 <array>\n\
             \x20   <string>{}</string>\n\
             \x20   <string>--db</string>\n\
             \x20   <string>{}</string>\n\
             {}\
             \x20   <string>remind</string>\n\
             \x20   <string>--notify</string>\n\
             \x20 </array>\n\
             \x20 <key>StartInterval</key>\n\
             \x20 <integer>900</integer>\n\
             </dict>\n\
             </plist>\n",
            xml_escape(exe),
            xml_escape(db),
            config
                .map(|c| format!("  <string>--config</string>\n  <string>{}</string>\n", xml_escape(c)))
                .unwrap_or_default()
        ),
    }
}

/// A word for a POSIX shell: quoted when it holds anything but safe characters.
fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+=:@%,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A word on a crontab line: quoted for the shell, and `%` (a line break to
/// cron) escaped.
fn cron_word(word: &str) -> String {
    shell_quote(word).replace('%', "\\%")
}

/// A word on a systemd `ExecStart=` line: double quotes, with `\`, `"`, `%` and `$`
/// kept literal.
fn systemd_quote(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('"', "\\\"").replace('%', "%%").replace('$', "$$");
    format!("\"{escaped}\"")
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_each_target() {
        assert_eq!(shell_quote("/usr/bin/needlelog"), "/usr/bin/needlelog");
        assert_eq!(shell_quote("/home/a b/it's.db"), "'/home/a b/it'\\''s.db'");
        assert_eq!(cron_word("/data/100%.db"), "/data/100\\%.db");
        assert_eq!(systemd_quote("/home/a b/100%.db"), "\"/home/a b/100%%.db\"");
        assert_eq!(xml_escape("/Users/a&b/<x>.db"), "/Users/a&amp;b/&lt;x&gt;.db");
    }

    /// Shared between two threads or not, the answers come in the items' order,
    /// each part told where it starts, and what was done beside is kept.
    #[test]
    fn work_in_two_keeps_the_order_of_one() {
        for n in [0, 3, PARALLEL_FROM - 1, PARALLEL_FROM, PARALLEL_FROM * 2 + 1] {
            let items: Vec<usize> = (0..n).collect();
            let (out, beside) = in_two(
                items.clone(),
                |from, part| part.into_iter().enumerate().map(|(at, item)| (from + at, item * 2)).collect(),
                || "beside",
            );
            let one: Vec<(usize, usize)> = items.iter().map(|item| (*item, item * 2)).collect();
            assert_eq!(out, one, "{n} items");
            assert_eq!(beside, "beside");
        }
    }

    #[test]
    fn setup_snippets() {
        for target in [SetupTarget::Cron, SetupTarget::Systemd, SetupTarget::Launchd] {
            let name = format!("setup_{target:?}").to_lowercase();
            insta::assert_snapshot!(
                name,
                snippet(target, "/opt/needlelog/bin/needlelog", "/home/ana/My Skin/needlelog.db", None, 1000)
            );
        }
    }

    #[test]
    fn setup_snippets_carry_the_config_folder_in_use() {
        let config = Some("/home/ana/my rules");
        let cron = snippet(SetupTarget::Cron, "/bin/needlelog", "/home/ana/n.db", config, 1000);
        assert!(cron.contains("--db /home/ana/n.db --config '/home/ana/my rules' remind --notify"), "{cron}");
        let unit = snippet(SetupTarget::Systemd, "/bin/needlelog", "/home/ana/n.db", config, 1000);
        assert!(unit.contains("--config \"/home/ana/my rules\" remind --notify"), "{unit}");
        let plist = snippet(SetupTarget::Launchd, "/bin/needlelog", "/home/ana/n.db", config, 1000);
        assert!(plist.contains("<string>--config</string>\n  <string>/home/ana/my rules</string>"), "{plist}");
    }
}

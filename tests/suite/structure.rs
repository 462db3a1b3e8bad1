//! The arrows between modules point one way: no two of `src/`'s top-level
//! modules (nor two files of `store/`) reach each other, directly or round a
//! circle. Read from the source: what a `crate::X` (or, inside `store/`, a
//! `super::X`) names, leaving comments and test modules out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            all.push(path);
        }
    }
    all
}

/// The code of a file without its comments and its `#[cfg(test)]` module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// The names that follow `prefix` in `code` (`crate::store::x` gives `store`).
fn named_after(code: &str, prefix: &str) -> BTreeSet<String> {
    code.match_indices(prefix)
        .filter(|(at, _)| !code[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(at, _)| {
            code[at + prefix.len()..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// A circle in `graph`, if there is one: the modules round it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut round = path[at..].to_vec();
            round.push(node.to_string());
            return Some(round);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(round) = visit(next, graph, path, done) {
                return Some(round);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_two_top_level_modules_reach_each_other() {
    let src = src();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources(&src) {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let uses = named_after(&code(&path), "crate::");
        graph.entry(top.clone()).or_default().extend(uses.into_iter().filter(|m| *m != top));
    }
    assert!(graph.len() > 10, "read {graph:?}");
    assert!(graph["ui"].contains("app"), "the reading finds what is there: {:?}", graph["ui"]);
    if let Some(round) = circle(&graph) {
        panic!("a circle between modules: {}", round.join(" → "));
    }
}

#[test]
fn no_two_files_of_the_store_reach_each_other() {
    let dir = src().join("store");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files: Vec<PathBuf> = sources(&dir);
    let names: BTreeSet<String> =
        files.iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).filter(|n| n != "mod").collect();
    // What `mod.rs` brings in from a file (`use error::classify;`, `pub use
    // edit::{Settle, …};`) is that file's, whoever names it as `super::…`.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for line in code(&dir.join("mod.rs")).lines() {
        let line = line.trim().trim_start_matches("pub ").trim_start_matches("use ");
        let Some((file, items)) = line.split_once("::") else { continue };
        if !names.contains(file) {
            continue;
        }
        for item in items.trim_matches(|c| "{};".contains(c)).split(',') {
            let item = item.split(" as ").last().unwrap_or_default().trim();
            if !item.is_empty() {
                owner.insert(item.to_string(), file.to_string());
            }
        }
    }
    for path in &files {
        let me = path.file_stem().unwrap().to_string_lossy().into_owned();
        if me == "mod" {
            continue;
        }
        let text = code(path);
        let mut uses: BTreeSet<String> =
            named_after(&text, "super::").into_iter().filter(|m| names.contains(m)).collect();
        // `super::{Result, Store, classify}` and `super::classify(…)` alike.
        for (item, file) in &owner {
            let named = text.match_indices(item.as_str()).any(|(at, _)| {
                let before = &text[..at];
                let after = text[at + item.len()..].chars().next().unwrap_or(' ');
                (before.ends_with("super::") || before.trim_end().ends_with(',') || before.ends_with("super::{"))
                    && !(after.is_alphanumeric() || after == '_')
                    && text[..at].rfind("super::").is_some_and(|s| !text[s..at].contains(';'))
            });
            if named {
                uses.insert(file.clone());
            }
        }
        uses.remove(&me);
        graph.entry(me.clone()).or_default().extend(uses);
    }
    assert!(graph["backup"].contains("error"), "names brought in by mod.rs are followed: {:?}", graph["backup"]);
    assert!(graph["edit"].contains("courses"), "the reading finds what is there: {:?}", graph["edit"]);
    if let Some(round) = circle(&graph) {
        panic!("a circle between files of store/: {}", round.join(" → "));
    }
}

#[test]
fn a_circle_is_found_when_there_is_one() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    assert_eq!(
        named_after("use crate::text;\nlet x = crate::store::Store;", "crate::"),
        BTreeSet::from(["store".into(), "text".into()])
    );
}

/// The records are reached through the seam (`store::Records`): only the code
/// that opens a file and cares for it (copies, doctor, restore, the demo file,
/// the photo folder beside it) names the SQLite `Store` itself.
#[test]
fn only_the_files_care_names_the_sqlite_store() {
    // (photos/mod.rs moves the pictures an older file names by path.)
    let allowed = ["cli/mod.rs", "cli/context.rs", "cli/care.rs", "cli/demo.rs", "app/mod.rs", "photos/mod.rs"];
    let mut naming = Vec::new();
    for path in sources(&src()) {
        let relative = path.strip_prefix(src()).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("store/") || allowed.contains(&relative.as_str()) {
            continue;
        }
        let text = code(&path);
        let names_store = text.match_indices("Store").any(|(at, _)| {
            let before = text[..at].chars().next_back().unwrap_or(' ');
            let after = text[at + "Store".len()..].chars().next().unwrap_or(' ');
            let word = |c: char| c.is_alphanumeric() || c == '_';
            !word(before) && !word(after)
        });
        if names_store {
            naming.push(relative);
        }
    }
    assert!(naming.is_empty(), "these name store::Store rather than store::Records: {naming:?}");
}

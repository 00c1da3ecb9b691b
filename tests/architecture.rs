//! Architecture rules read off the source text (ARCHITECTURE.md,
//! "Architecture invariants"): no import cycle between the library's
//! modules, at any depth; reporters reach no database code; a database
//! driver is named only under `src/engine/` and `src/provision/`; proptest
//! is configured only in `src/check/quiet.rs`, where it is kept quiet; and
//! the top of `src/` is the code map's (ARCHITECTURE.md, "Code map"): one
//! entry per folder, at most six loose files; no function of `src/` or
//! `strategies/src/` is 150 lines or longer. No
//! database, no build of the crate: each file is parsed with `syn` (so
//! comments and string literals name nothing), its `#[cfg(test)]` items
//! dropped for the import graph, and every `crate::…` / `super::…` path in
//! what is left (in `use` items and in code alike) is one edge to the
//! longest module that path names, and so is every `use` path relative to
//! the file's own module (`pub use layout::Layout;` in a `mod.rs`, `use
//! self::x::Y;`): a re-export is an import like any other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// A module's path below the crate root: `["check", "worker"]`.
type Module = Vec<String>;

/// The library's modules (src/main.rs and src/cli.rs are the binary's)
/// and, for each, the modules its code names.
struct Graph {
    edges: BTreeMap<Module, BTreeSet<Module>>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/check/mod.rs` → `["check"]`, `src/check/worker.rs` → `["check", "worker"]`.
fn module_of(file: &Path) -> Module {
    let rel = file.strip_prefix(src_dir()).expect("under src/");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("test"))
}

/// The file's tokens without its `#[cfg(test)]` items (doc comments are
/// attributes holding string literals, so they name no module).
fn tokens_of(file: &Path) -> TokenStream {
    let text = std::fs::read_to_string(file).expect("read source");
    let mut ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    ast.items.retain(|item| {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            _ => return true,
        };
        !is_cfg_test(attrs)
    });
    ast.into_token_stream()
}

/// Every path a token stream names from `crate` or `super`, as segments
/// relative to the crate root (`use crate::{a, b::c}` gives two).
fn paths_in(stream: TokenStream, here: &Module, out: &mut Vec<Module>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            // `pub(super)`, `pub(crate)`, `pub(in …)` say who may see an
            // item: no import.
            TokenTree::Group(g)
                if g.delimiter() == Delimiter::Parenthesis
                    && matches!(i.checked_sub(1).map(|j| &tokens[j]), Some(TokenTree::Ident(p)) if *p == "pub") =>
                {}
            TokenTree::Group(g) => paths_in(g.stream(), here, out),
            TokenTree::Ident(id) if *id == "crate" || *id == "super" => {
                // A path only when it starts here: not the tail of `a::super`.
                let after_colons = i >= 2 && is_colons(&tokens, i - 2);
                if !after_colons {
                    let mut base: Module = if *id == "crate" {
                        Vec::new()
                    } else {
                        here[..here.len().saturating_sub(1)].to_vec()
                    };
                    i = follow(&tokens, i + 1, &mut base, out);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The paths of a file's `use` items (outside `#[cfg(test)]`) that start
/// at the file's own module: `self::…`, or a first segment naming one of
/// its child modules (`pub use layout::Layout` in `migrations/mod.rs`), as
/// segments relative to the crate root. Other first segments are crates.
fn relative_uses(file: &Path, here: &Module, modules: &BTreeSet<Module>) -> Vec<Module> {
    let text = std::fs::read_to_string(file).expect("read source");
    let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut out = Vec::new();
    for item in &ast.items {
        if let syn::Item::Use(u) = item
            && !is_cfg_test(&u.attrs)
        {
            use_paths(&u.tree, &mut Vec::new(), &mut |path: &[String]| {
                let rest = match path.first().map(String::as_str) {
                    Some("self") => &path[1..],
                    Some(first)
                        if modules.contains(&[here.clone(), vec![first.to_string()]].concat()) =>
                    {
                        path
                    }
                    _ => return,
                };
                out.push([here.clone(), rest.to_vec()].concat());
            });
        }
    }
    out
}

/// Every full path of a `use` tree (`a::{b, c::d}` gives `a::b`, `a::c::d`).
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, f: &mut dyn FnMut(&[String])) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, f);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            prefix.push(n.ident.to_string());
            f(prefix);
            prefix.pop();
        }
        syn::UseTree::Rename(r) => {
            prefix.push(r.ident.to_string());
            f(prefix);
            prefix.pop();
        }
        syn::UseTree::Glob(_) => f(prefix),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(t, prefix, f);
            }
        }
    }
}

fn is_colons(tokens: &[TokenTree], at: usize) -> bool {
    matches!((tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// Reads `::seg::seg…` (and `::{…}` groups) from `at`, pushing the paths
/// found; returns the index after them.
fn follow(
    tokens: &[TokenTree],
    mut at: usize,
    prefix: &mut Module,
    out: &mut Vec<Module>,
) -> usize {
    while is_colons(tokens, at) {
        match tokens.get(at + 2) {
            Some(TokenTree::Ident(seg)) => {
                let s = seg.to_string();
                if s == "super" {
                    prefix.pop();
                } else if s != "self" {
                    prefix.push(s);
                }
                at += 3;
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                for part in inner.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                {
                    let mut p = prefix.clone();
                    if let Some(TokenTree::Ident(first)) = part.first() {
                        let s = first.to_string();
                        if s != "self" {
                            p.push(s);
                        }
                        follow(part, 1, &mut p, out);
                    }
                }
                return at + 3;
            }
            _ => break,
        }
    }
    out.push(prefix.clone());
    at
}

impl Graph {
    fn read() -> Self {
        let mut files = Vec::new();
        rust_files(&src_dir(), &mut files);
        let files: Vec<(Module, PathBuf)> = files
            .into_iter()
            .map(|f| (module_of(&f), f))
            .filter(|(m, _)| !matches!(m.first().map(String::as_str), Some("main" | "cli")))
            .collect();
        let modules: BTreeSet<Module> = files.iter().map(|(m, _)| m.clone()).collect();
        let mut edges = BTreeMap::new();
        for (module, file) in &files {
            // `super` in src/a/b.rs and in src/a/b/mod.rs both mean `a`.
            let mut named = Vec::new();
            paths_in(tokens_of(file), module, &mut named);
            named.extend(relative_uses(file, module, &modules));
            let targets: BTreeSet<Module> = named
                .into_iter()
                .filter_map(|path| {
                    (1..=path.len())
                        .rev()
                        .map(|n| path[..n].to_vec())
                        .find(|m| modules.contains(m))
                })
                .filter(|m| m != module)
                .collect();
            edges.insert(module.clone(), targets);
        }
        Self { edges }
    }

    /// Cycles among modules cut to their first `depth` segments. An edge
    /// between a module and its own ancestor is not counted: a parent
    /// declares and re-exports its children.
    fn cycles(&self, depth: usize) -> Vec<Vec<String>> {
        let cut = |m: &Module| m[..m.len().min(depth)].to_vec();
        let mut g: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (from, tos) in &self.edges {
            let a = cut(from);
            let entry = g.entry(a.clone()).or_default();
            for to in tos {
                let b = cut(to);
                if a.starts_with(&b) || b.starts_with(&a) {
                    continue;
                }
                entry.insert(b);
            }
        }
        strongly_connected(&g)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| c.iter().map(|m| m.join("::")).collect())
            .collect()
    }

    /// One chain of imports from `from`'s modules to `to`, to say how a
    /// forbidden module is reached.
    fn chain(&self, from: &[&str], to: &Module) -> Vec<String> {
        let mut parent: BTreeMap<Module, Module> = BTreeMap::new();
        let mut todo: std::collections::VecDeque<Module> = self
            .edges
            .keys()
            .filter(|m| m.starts_with(&segments(from)))
            .cloned()
            .collect();
        let mut seen: BTreeSet<Module> = todo.iter().cloned().collect();
        while let Some(m) = todo.pop_front() {
            if m == *to {
                let mut out = vec![m.join("::")];
                let mut at = &m;
                while let Some(p) = parent.get(at) {
                    out.push(p.join("::"));
                    at = p;
                }
                out.reverse();
                return out;
            }
            for next in self.edges.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    parent.insert(next.clone(), m.clone());
                    todo.push_back(next.clone());
                }
            }
        }
        Vec::new()
    }

    /// Every module reachable from `from`'s modules through the edges.
    fn reachable(&self, from: &[&str]) -> BTreeSet<Module> {
        let mut seen: BTreeSet<Module> = BTreeSet::new();
        let mut todo: Vec<Module> = self
            .edges
            .keys()
            .filter(|m| m.starts_with(&segments(from)))
            .cloned()
            .collect();
        while let Some(m) = todo.pop() {
            for to in self.edges.get(&m).into_iter().flatten() {
                if seen.insert(to.clone()) {
                    todo.push(to.clone());
                }
            }
        }
        seen
    }
}

fn segments(path: &[&str]) -> Module {
    path.iter().map(ToString::to_string).collect()
}

/// Tarjan's strongly connected components.
fn strongly_connected(g: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        g: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.g.get(v).into_iter().flatten() {
            let Some((w, _)) = s.g.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            comp.sort();
            s.out.push(comp);
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Cycles there are today, each with why it stays; the test fails on any
/// other cycle, and when one of these is gone (so the list stays true).
/// None: `engine <-> migrations` was the last (engines applied a
/// `MigrationSet` while splitting asks `engine::sqlite::is_complete`); the
/// engines now apply `engine::Step`s that `migrations` makes.
const KNOWN_CYCLES: &[&[&str]] = &[];

#[test]
fn no_import_cycle_between_modules_at_any_depth() {
    let graph = Graph::read();
    let deepest = graph.edges.keys().map(Vec::len).max().unwrap_or(1);
    // A cycle of files shows again at every deeper cut: name it once.
    let mut cycles: Vec<(usize, Vec<String>)> = Vec::new();
    for depth in 1..=deepest {
        for c in graph.cycles(depth) {
            if !cycles.iter().any(|(_, seen)| *seen == c) {
                cycles.push((depth, c));
            }
        }
    }
    let known: Vec<Vec<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(ToString::to_string).collect())
        .collect();
    let new: Vec<&(usize, Vec<String>)> =
        cycles.iter().filter(|(_, c)| !known.contains(c)).collect();
    assert!(
        new.is_empty(),
        "modules that import each other (depth, members): {new:#?}"
    );
    let gone: Vec<&Vec<String>> = known
        .iter()
        .filter(|k| !cycles.iter().any(|(_, c)| c == *k))
        .collect();
    assert!(gone.is_empty(), "gone, remove from KNOWN_CYCLES: {gone:?}");
}

#[test]
fn reporters_reach_no_database_code() {
    let graph = Graph::read();
    let forbidden = [
        segments(&["engine"]),
        segments(&["provision"]),
        segments(&["build"]),
        segments(&["check"]),
        segments(&["commands"]),
    ];
    let bad: Vec<Module> = graph
        .reachable(&["report"])
        .into_iter()
        .filter(|m| forbidden.iter().any(|f| m.starts_with(f)))
        .collect();
    assert!(
        bad.is_empty(),
        "report/ reaches database code: {:?}, e.g. {}",
        bad.iter().map(|m| m.join("::")).collect::<Vec<_>>(),
        graph.chain(&["report"], &bad[0]).join(" -> ")
    );
}

/// Loose files `src/` may keep beside its folders: the top level shows the
/// design in folders (issue 27), not in a heap of files.
const MAX_LOOSE_FILES: usize = 6;

/// ARCHITECTURE.md's code map has an entry (`- \`src/<folder>/\``) for
/// every folder of `src/` and for no folder that is gone, and `src/`
/// keeps at most [`MAX_LOOSE_FILES`] loose `.rs` files.
#[test]
fn the_code_map_names_every_folder_of_src() {
    let map_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    let text = std::fs::read_to_string(&map_file).expect("read ARCHITECTURE.md");
    let map = text
        .split("\n## Code map\n")
        .nth(1)
        .and_then(|t| t.split("\n## ").next())
        .expect("ARCHITECTURE.md has a \"## Code map\" section");
    let named: BTreeSet<String> = map
        .lines()
        .filter_map(|l| l.strip_prefix("- `src/"))
        .filter_map(|l| l.split('`').next())
        .filter_map(|p| p.strip_suffix('/'))
        .map(ToString::to_string)
        .collect();
    let mut folders = BTreeSet::new();
    let mut loose = Vec::new();
    for entry in std::fs::read_dir(src_dir()).expect("read src/") {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            folders.insert(name);
        } else if path.extension().is_some_and(|x| x == "rs") {
            loose.push(name);
        }
    }
    let missing: Vec<&String> = folders.difference(&named).collect();
    let gone: Vec<&String> = named.difference(&folders).collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "ARCHITECTURE.md's code map and src/ disagree: folders without an entry {missing:?}, \
         entries without a folder {gone:?}"
    );
    loose.sort();
    assert!(
        loose.len() <= MAX_LOOSE_FILES,
        "{} loose files in src/ (at most {MAX_LOOSE_FILES}; put the others in a folder): {loose:?}",
        loose.len()
    );
}

/// The drivers' crates: code outside `ALLOWED` reaches an engine through
/// `crate::engine` instead.
const DRIVERS: &[&str] = &[
    "rusqlite",
    "sqlx",
    "libsqlite3_sys",
    "sqlx_core",
    "sqlx_postgres",
];
const ALLOWED: &[&str] = &["engine", "provision"];

/// Identifiers in a token stream that name a driver crate.
fn driver_names(stream: TokenStream, out: &mut Vec<String>) {
    for t in stream {
        match t {
            TokenTree::Group(g) => driver_names(g.stream(), out),
            TokenTree::Ident(id) if DRIVERS.contains(&id.to_string().as_str()) => {
                out.push(id.to_string());
            }
            _ => {}
        }
    }
}

fn file_tokens(file: &Path) -> TokenStream {
    let text = std::fs::read_to_string(file).expect("read source");
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e:?}", file.display()))
}

#[test]
fn drivers_are_named_only_in_engine_and_provision() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let mut uses = Vec::new();
    for file in &files {
        if module_of(file)
            .first()
            .is_some_and(|m| ALLOWED.contains(&m.as_str()))
        {
            continue;
        }
        let mut named = Vec::new();
        driver_names(file_tokens(file), &mut named);
        uses.extend(
            named
                .into_iter()
                .map(|n| format!("{}: {n}", file.display())),
        );
    }
    assert!(
        uses.is_empty(),
        "a database driver is used outside src/engine/ and src/provision/ \
         (reach the engine through `crate::engine` instead):\n  {}",
        uses.join("\n  ")
    );
}

/// Where code other than `check/quiet.rs` would make proptest talk: its
/// `Config` imported (`Config::default()` reads and complains about
/// PROPTEST_* variables, and any config of its own may print), its file
/// persistence (which announces every saved seed), or a runner built on the
/// default config.
fn proptest_voices(stream: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Group(g) => proptest_voices(g.stream(), out),
            TokenTree::Ident(id) if id == "FileFailurePersistence" || id == "ProptestConfig" => {
                out.push(id.to_string());
            }
            TokenTree::Ident(id)
                if (id == "test_runner" || id == "TestRunner") && is_colons(&tokens, i + 1) =>
            {
                let named: Vec<String> = match tokens.get(i + 3) {
                    Some(TokenTree::Ident(next)) => vec![next.to_string()],
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => g
                        .stream()
                        .into_iter()
                        .filter_map(|t| match t {
                            TokenTree::Ident(n) => Some(n.to_string()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let voices: &[&str] = if id == "test_runner" {
                    &["Config"]
                } else {
                    &["default", "deterministic"]
                };
                out.extend(
                    named
                        .into_iter()
                        .filter(|n| voices.contains(&n.as_str()))
                        .map(|n| format!("{id}::{n}")),
                );
            }
            _ => {}
        }
    }
}

#[test]
fn proptest_is_configured_only_where_it_is_kept_quiet() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let quiet = src_dir().join("check/quiet.rs");
    assert!(quiet.is_file(), "{} is gone", quiet.display());
    let mut voices = Vec::new();
    for file in files.iter().filter(|f| **f != quiet) {
        let mut named = Vec::new();
        proptest_voices(tokens_of(file), &mut named);
        voices.extend(
            named
                .into_iter()
                .map(|n| format!("{}: {n}", file.display())),
        );
    }
    assert!(
        voices.is_empty(),
        "proptest configured outside src/check/quiet.rs (take its config from \
         `quiet::config`, so nothing proptest prints reaches stderr):\n  {}",
        voices.join("\n  ")
    );
    let named = |code: &str| {
        let mut out = Vec::new();
        proptest_voices(code.parse().expect("tokens"), &mut out);
        out
    };
    assert_eq!(
        named("use proptest::test_runner::{Config as PtConfig, TestRunner};"),
        ["test_runner::Config"]
    );
    assert_eq!(
        named("fn f() { let r = TestRunner::deterministic(); }"),
        ["TestRunner::deterministic"]
    );
    assert_eq!(
        named("use proptest::test_runner::{TestRng, TestRunner};"),
        Vec::<String>::new()
    );
}

/// The reader itself: it sees a planted cycle and a `use super::{…}` group,
/// and ignores paths inside `#[cfg(test)]` items and comments.
#[test]
fn the_reader_finds_what_it_should() {
    let here = segments(&["check", "round_trip"]);
    let code: TokenStream = "use super::{case::specs, runner::{self, Verdict}}; \
         fn f() { crate::mapping::judge(); x::super_thing(); } pub(super) fn g() {}"
        .parse()
        .expect("tokens");
    let mut named = Vec::new();
    paths_in(code, &here, &mut named);
    assert!(
        named.contains(&segments(&["check", "case", "specs"])),
        "{named:?}"
    );
    assert!(
        named.contains(&segments(&["check", "runner", "Verdict"])),
        "{named:?}"
    );
    assert!(named.contains(&segments(&["check", "runner"])), "{named:?}");
    assert!(
        named.contains(&segments(&["mapping", "judge"])),
        "{named:?}"
    );
    assert_eq!(named.len(), 4, "{named:?}");

    let mut edges = BTreeMap::new();
    edges.insert(segments(&["a", "x"]), BTreeSet::from([segments(&["b"])]));
    edges.insert(segments(&["b"]), BTreeSet::from([segments(&["a", "y"])]));
    edges.insert(segments(&["a", "y"]), BTreeSet::new());
    let planted = Graph { edges };
    assert!(
        planted.cycles(2).is_empty(),
        "a::x -> b -> a::y is no cycle of files"
    );
    assert_eq!(
        planted.cycles(1),
        vec![vec!["a".to_string(), "b".to_string()]]
    );
    assert_eq!(planted.reachable(&["a", "x"]).len(), 2);

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("t.rs");
    std::fs::write(
        &file,
        "// crate::engine::x in a comment\n/// crate::provision in a doc\nfn f() {}\n\
         #[cfg(test)]\nmod tests { use crate::engine::sqlite; }\n",
    )
    .expect("write");
    let mut named = Vec::new();
    paths_in(tokens_of(&file), &here, &mut named);
    assert!(named.is_empty(), "{named:?}");

    // A relative re-export in a `mod.rs` is an edge to the child it names;
    // a crate's path is none.
    let file = dir.path().join("mod.rs");
    std::fs::write(
        &file,
        "mod layout;\npub use layout::Layout;\nuse self::set::{load, Body};\n\
         use serde::Serialize;\n#[cfg(test)]\nuse split::x;\n",
    )
    .expect("write");
    let here = segments(&["migrations"]);
    let modules: BTreeSet<Module> = ["layout", "set", "split"]
        .iter()
        .map(|c| segments(&["migrations", c]))
        .collect();
    assert_eq!(
        relative_uses(&file, &here, &modules),
        vec![
            segments(&["migrations", "layout", "Layout"]),
            segments(&["migrations", "set", "load"]),
            segments(&["migrations", "set", "Body"]),
        ]
    );

    // Drivers: code names them, comments and strings do not.
    let drivers = |code: &str| {
        let mut out = Vec::new();
        driver_names(code.parse().expect("tokens"), &mut out);
        out.len()
    };
    assert_eq!(drivers("use rusqlite::Connection;"), 1);
    assert_eq!(drivers("fn f(o: &sqlx::postgres::PgConnectOptions) {}"), 1);
    assert_eq!(
        drivers("fn f() { unsafe { libsqlite3_sys::sqlite3_complete(p) } }"),
        1
    );
    assert_eq!(
        drivers("fn f() -> Layout { match x { Layout::Sqlx => \"sqlx\" } }"),
        0
    );
    assert_eq!(
        drivers("// rusqlite is bundled\n/// with sqlx\nconst T: &str = r#\"rusqlite\"#;"),
        0
    );
    assert_eq!(drivers("let not_sqlx = my_rusqlite_like;"), 0);
}

/// Functions longer than this are split along the steps they comment.
const LONGEST_FUNCTION: usize = 149;

/// `(file:line name, lines)` of every function body in `items`, nested
/// modules, impls and traits included: from `fn` to the closing brace.
fn function_lengths(file: &Path, items: &[syn::Item], out: &mut Vec<(String, usize)>) {
    let add = |out: &mut Vec<(String, usize)>, sig: &syn::Signature, block: &syn::Block| {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().end().line;
        out.push((
            format!("{}:{start} {}", file.display(), sig.ident),
            end + 1 - start,
        ));
    };
    for item in items {
        match item {
            syn::Item::Fn(f) => add(out, &f.sig, &f.block),
            syn::Item::Impl(i) => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        add(out, &f.sig, &f.block);
                    }
                }
            }
            syn::Item::Trait(t) => {
                for it in &t.items {
                    if let syn::TraitItem::Fn(f) = it
                        && let Some(block) = &f.default
                    {
                        add(out, &f.sig, block);
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    function_lengths(file, inner, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn no_function_is_150_lines_or_longer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    rust_files(&root.join("strategies/src"), &mut files);
    let mut lengths = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let shown = file.strip_prefix(root).unwrap_or(file);
        function_lengths(shown, &ast.items, &mut lengths);
    }
    assert!(
        lengths.len() > 1000,
        "only {} functions found: the walk is broken",
        lengths.len()
    );
    // The walk measures: the longest function is not a one-liner.
    assert!(lengths.iter().any(|(_, n)| *n > 100), "{lengths:?}");
    let long: Vec<&(String, usize)> = lengths
        .iter()
        .filter(|(_, n)| *n > LONGEST_FUNCTION)
        .collect();
    assert!(
        long.is_empty(),
        "functions of 150 lines or more (split them along the steps they comment): {long:?}"
    );
}

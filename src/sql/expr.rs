//! Expression semantics shared by both engines: CHECK predicates, defaults and
//! index predicates are parsed (from the engine's stored text, never from the
//! migration files) and reduced to a canonical form so that text differing
//! only by syntax — `x IN ('a','b')` vs `x = ANY (ARRAY['a'::text, 'b'::text])`,
//! `CURRENT_TIMESTAMP` vs `now()` — compares equal.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, CastKind, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    InTarget, ObjectName, UnaryOperator, Value as SqlValue, visit_expressions_mut,
};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use crate::model::Engine;

fn dialect(engine: Engine) -> Box<dyn Dialect> {
    match engine {
        Engine::Sqlite => Box::new(SQLiteDialect {}),
        Engine::Postgres => Box::new(PostgreSqlDialect {}),
    }
}

/// Parses and canonicalises an expression; `None` when it cannot be parsed.
pub fn parse(text: &str, engine: Engine) -> Option<Expr> {
    let d = dialect(engine);
    let text = match engine {
        Engine::Sqlite => rewrite_not_glob(text),
        Engine::Postgres => text.to_string(),
    };
    let mut expr = Parser::new(d.as_ref())
        .try_with_sql(&text)
        .ok()?
        .parse_expr()
        .ok()?;
    canonicalise(&mut expr);
    Some(expr)
}

/// sqlparser does not read SQLite's `x NOT GLOB p`; `NOT x GLOB p` means
/// the same (NOT binds looser than GLOB) and it does.
fn rewrite_not_glob(text: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r#"(?i)(\b[A-Za-z_][A-Za-z0-9_]*|"[^"]+")\s+NOT\s+GLOB\b"#)
            .expect("valid regex")
    });
    re.replace_all(text, "NOT $1 GLOB").into_owned()
}

/// Canonical text of an expression, or the trimmed lower-cased input when the
/// parser does not understand it.
pub fn normalize(text: &str, engine: Engine) -> String {
    match parse(text, engine) {
        Some(e) => e.to_string(),
        None => text.trim().to_lowercase(),
    }
}

fn canonicalise(expr: &mut Expr) {
    let _ = visit_expressions_mut(expr, |e| {
        rewrite(e);
        ControlFlow::<()>::Continue(())
    });
}

fn rewrite(e: &mut Expr) {
    match e {
        Expr::Nested(inner) => *e = std::mem::replace(inner.as_mut(), Expr::value(SqlValue::Null)),
        Expr::Cast {
            kind: CastKind::DoubleColon | CastKind::Cast,
            expr: inner,
            data_type,
            ..
        } => {
            // PostgreSQL prints negative literals as '-1'::integer.
            let numeric = {
                let t = data_type.to_string().to_lowercase();
                ["int", "numeric", "decimal", "double", "real", "float"]
                    .iter()
                    .any(|k| t.contains(k))
            };
            let number = match inner.as_ref() {
                Expr::Value(v) => match &v.value {
                    SqlValue::SingleQuotedString(s)
                        if numeric && s.trim().parse::<f64>().is_ok() =>
                    {
                        Some(canonical_number(s.trim()))
                    }
                    _ => None,
                },
                _ => None,
            };
            *e = match number {
                Some(n) => Expr::value(SqlValue::Number(n, false)),
                None => std::mem::replace(inner.as_mut(), Expr::value(SqlValue::Null)),
            };
        }
        Expr::Identifier(id) => *id = plain_ident(id),
        Expr::CompoundIdentifier(ids) => {
            if let Some(last) = ids.last() {
                *e = Expr::Identifier(plain_ident(last));
            }
        }
        Expr::Function(f) => {
            f.name = ObjectName::from(vec![Ident::new(
                f.name.to_string().to_lowercase().replace('"', ""),
            )]);
            // CURRENT_TIMESTAMP and now() are the same clock.
            if matches!(
                f.name.to_string().as_str(),
                "current_timestamp" | "now" | "localtimestamp" | "transaction_timestamp"
            ) {
                *e = Expr::Identifier(Ident::new("now()"));
            }
        }
        Expr::Value(v) => {
            if let SqlValue::Number(n, _) = &mut v.value {
                *n = canonical_number(n);
            }
            if let SqlValue::DoubleQuotedString(s) = &v.value {
                // SQLite reads an unknown "identifier" as a string literal only
                // when no column matches; columns are the common case.
                *e = Expr::Identifier(Ident::new(s.to_lowercase()));
            }
        }
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            ..
        } => {
            if let Expr::Array(arr) = right.as_ref() {
                *e = Expr::In {
                    expr: left.clone(),
                    target: InTarget::List(arr.elem.clone()),
                    negated: false,
                    global: false,
                };
            }
        }
        Expr::AllOp {
            left,
            compare_op: BinaryOperator::NotEq,
            right,
        } => {
            if let Expr::Array(arr) = right.as_ref() {
                *e = Expr::In {
                    expr: left.clone(),
                    target: InTarget::List(arr.elem.clone()),
                    negated: true,
                    global: false,
                };
            }
        }
        Expr::In {
            target: InTarget::List(list),
            ..
        } => {
            list.sort_by_key(ToString::to_string);
            list.dedup_by_key(|x| x.to_string());
        }
        Expr::Collate { collation, .. } => {
            *collation = ObjectName::from(vec![Ident::new(collation.to_string().to_lowercase())]);
        }
        _ => {}
    }
}

fn plain_ident(id: &Ident) -> Ident {
    Ident::new(id.value.to_lowercase())
}

fn canonical_number(n: &str) -> String {
    if let Ok(i) = n.parse::<i128>() {
        return i.to_string();
    }
    match n.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "checked integral and small"
            )]
            let i = f as i64;
            i.to_string()
        }
        Ok(f) => format!("{f}"),
        Err(_) => n.to_string(),
    }
}

/// One conjunct of a CHECK, in a form both engines' text reduces to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Atom {
    /// `col IN (values)` / `col NOT IN (values)`; values are canonical literals.
    InSet {
        column: String,
        values: BTreeSet<String>,
        negated: bool,
    },
    /// `col <op> literal` with the column on the left.
    Compare {
        column: String,
        op: String,
        value: String,
    },
    /// A whole-string pattern as an anchored regex (GLOB and `~` both land here).
    Pattern {
        column: String,
        regex: String,
        negated: bool,
    },
    /// `length(col) <= max` (SQLite's spelling of a VARCHAR limit).
    MaxLength { column: String, max: u64 },
    /// `length(col) >= min` (and, with a MaxLength, `length(col) = n`).
    MinLength { column: String, min: u64 },
    /// Anything else, canonical text.
    Other(String),
}

impl Atom {
    /// The column the atom constrains, when it is about a single column.
    pub fn column(&self) -> Option<&str> {
        match self {
            Atom::InSet { column, .. }
            | Atom::Compare { column, .. }
            | Atom::Pattern { column, .. }
            | Atom::MaxLength { column, .. }
            | Atom::MinLength { column, .. } => Some(column),
            Atom::Other(_) => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Atom::InSet {
                column,
                values,
                negated,
            } => format!(
                "{column} {}IN ({})",
                if *negated { "NOT " } else { "" },
                values.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Atom::Compare { column, op, value } => format!("{column} {op} {value}"),
            Atom::Pattern {
                column,
                regex,
                negated,
            } => format!(
                "{column} {}matches /{regex}/",
                if *negated { "not " } else { "" }
            ),
            Atom::MaxLength { column, max } => format!("length({column}) <= {max}"),
            Atom::MinLength { column, min } => format!("length({column}) >= {min}"),
            Atom::Other(t) => t.clone(),
        }
    }
}

/// Splits a CHECK expression into canonical conjuncts.
pub fn check_atoms(text: &str, engine: Engine) -> Vec<Atom> {
    let Some(expr) = parse(text, engine) else {
        return vec![Atom::Other(text.trim().to_lowercase())];
    };
    let mut conjuncts = Vec::new();
    split_and(expr, &mut conjuncts);
    let mut out = Vec::new();
    for c in conjuncts {
        atoms_of(c, &mut out);
    }
    // `x = 'v'` and `x IN ('v')` are one rule (PostgreSQL deparses the
    // second as the first): both become a one-value set.
    let mut out: Vec<Atom> = out
        .into_iter()
        .map(|a| match a {
            Atom::Compare { column, op, value } if op == "=" || op == "<>" => Atom::InSet {
                column,
                values: BTreeSet::from([value]),
                negated: op == "<>",
            },
            other => other,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn split_and(e: Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(*left, out);
            split_and(*right, out);
        }
        other => out.push(other),
    }
}

fn column_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(id) => Some(id.value.clone()),
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => Some(match &v.value {
            SqlValue::SingleQuotedString(s) | SqlValue::EscapedStringLiteral(s) => {
                format!("'{s}'")
            }
            SqlValue::Number(n, _) => n.clone(),
            SqlValue::Boolean(b) => b.to_string(),
            other => other.to_string(),
        }),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => literal(expr).map(|v| canonical_number(&format!("-{v}"))),
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => literal(expr),
        _ => None,
    }
}

fn string_literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            SqlValue::SingleQuotedString(s) | SqlValue::EscapedStringLiteral(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn flip(op: &BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Lt => ">",
        BinaryOperator::LtEq => ">=",
        BinaryOperator::Gt => "<",
        BinaryOperator::GtEq => "<=",
        BinaryOperator::Eq => "=",
        BinaryOperator::NotEq => "<>",
        _ => return None,
    })
}

fn op_text(op: &BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Lt => "<",
        BinaryOperator::LtEq => "<=",
        BinaryOperator::Gt => ">",
        BinaryOperator::GtEq => ">=",
        BinaryOperator::Eq => "=",
        BinaryOperator::NotEq => "<>",
        _ => return None,
    })
}

/// `length(col)` / `char_length(col)` / `character_length(col)` → col.
fn length_of(e: &Expr) -> Option<String> {
    let Expr::Function(f) = e else { return None };
    let name = f.name.to_string();
    if !matches!(
        name.as_str(),
        "length" | "char_length" | "character_length" | "octet_length"
    ) {
        return None;
    }
    let args = function_args(&f.args);
    if args.len() == 1 {
        column_name(args[0])
    } else {
        None
    }
}

/// The plain positional arguments of a function call.
pub fn function_args(args: &FunctionArguments) -> Vec<&Expr> {
    match args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn atoms_of(e: Expr, out: &mut Vec<Atom>) {
    match &e {
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated,
            ..
        } => {
            if let Some(column) = column_name(expr) {
                let values: Option<BTreeSet<String>> = list.iter().map(literal).collect();
                if let Some(values) = values {
                    out.push(Atom::InSet {
                        column,
                        values,
                        negated: *negated,
                    });
                    return;
                }
            }
        }
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } => {
            if let (Some(column), Some(lo), Some(hi)) =
                (column_name(expr), literal(low), literal(high))
            {
                out.push(Atom::Compare {
                    column: column.clone(),
                    op: ">=".into(),
                    value: lo,
                });
                out.push(Atom::Compare {
                    column,
                    op: "<=".into(),
                    value: hi,
                });
                return;
            }
        }
        Expr::BinaryOp { left, op, right } => {
            if let Some(atoms) = binary_atoms(left, op, right) {
                out.extend(atoms);
                return;
            }
        }
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => {
            if let Expr::BinaryOp {
                left,
                op: BinaryOperator::Glob,
                right,
            } = expr.as_ref()
                && let (Some(column), Some(p)) = (column_name(left), string_literal(right))
            {
                out.push(Atom::Pattern {
                    column,
                    regex: glob_to_regex(&p),
                    negated: true,
                });
                return;
            }
        }
        _ => {}
    }
    out.push(Atom::Other(e.to_string()));
}

/// The atoms of a comparison (`col GLOB 'p'`, `col ~ 'p'`, `length(col) <= n`,
/// `col op literal` either way round), or `None` when it is none of them.
fn binary_atoms(left: &Expr, op: &BinaryOperator, right: &Expr) -> Option<Vec<Atom>> {
    let mut out = Vec::new();
    if matches!(op, BinaryOperator::Glob)
        && let (Some(column), Some(p)) = (column_name(left), string_literal(right))
    {
        out.push(Atom::Pattern {
            column,
            regex: glob_to_regex(&p),
            negated: false,
        });
        return Some(out);
    }
    if matches!(
        op,
        BinaryOperator::PGRegexMatch | BinaryOperator::PGRegexNotMatch
    ) && let (Some(column), Some(p)) = (column_name(left), string_literal(right))
    {
        out.push(Atom::Pattern {
            column,
            regex: anchor_regex(&p),
            negated: matches!(op, BinaryOperator::PGRegexNotMatch),
        });
        return Some(out);
    }
    if let (Some(col), Some(max)) = (length_of(left), literal(right)) {
        let max: Option<u64> = max.parse().ok();
        match (op, max) {
            (BinaryOperator::LtEq, Some(m)) => {
                out.push(Atom::MaxLength {
                    column: col,
                    max: m,
                });
                return Some(out);
            }
            (BinaryOperator::Lt, Some(m)) if m > 0 => {
                out.push(Atom::MaxLength {
                    column: col,
                    max: m - 1,
                });
                return Some(out);
            }
            (BinaryOperator::GtEq, Some(m)) => {
                out.push(Atom::MinLength {
                    column: col,
                    min: m,
                });
                return Some(out);
            }
            (BinaryOperator::Gt, Some(m)) => {
                out.push(Atom::MinLength {
                    column: col,
                    min: m + 1,
                });
                return Some(out);
            }
            (BinaryOperator::Eq, Some(m)) => {
                out.push(Atom::MinLength {
                    column: col.clone(),
                    min: m,
                });
                out.push(Atom::MaxLength {
                    column: col,
                    max: m,
                });
                return Some(out);
            }
            _ => {}
        }
    }
    if let (Some(column), Some(value), Some(o)) = (column_name(left), literal(right), op_text(op)) {
        out.push(Atom::Compare {
            column,
            op: o.into(),
            value,
        });
        return Some(out);
    }
    if let (Some(value), Some(column), Some(o)) = (literal(left), column_name(right), flip(op)) {
        out.push(Atom::Compare {
            column,
            op: o.into(),
            value,
        });
        return Some(out);
    }
    None
}

/// `(column, pattern)` for every `column GLOB 'pattern'` conjunct (not negated).
pub fn glob_patterns(text: &str) -> Vec<(String, String)> {
    let Some(expr) = parse(text, Engine::Sqlite) else {
        return Vec::new();
    };
    let mut conjuncts = Vec::new();
    split_and(expr, &mut conjuncts);
    conjuncts
        .iter()
        .filter_map(|c| match c {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Glob,
                right,
            } => Some((column_name(left)?, string_literal(right)?)),
            _ => None,
        })
        .collect()
}

/// Translates a SQLite GLOB pattern (anchored, case-sensitive) to a POSIX regex.
pub fn glob_to_regex(glob: &str) -> String {
    let mut re = String::from("^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                re.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    re.push('^');
                }
                // A `]` right after `[` or `[^` is a literal member in GLOB.
                if chars.peek() == Some(&']') {
                    chars.next();
                    re.push_str("\\]");
                }
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    if c == '\\' {
                        re.push('\\');
                    }
                    re.push(c);
                }
                re.push(']');
            }
            c if "\\.+()|{}$^".contains(c) => {
                re.push('\\');
                re.push(c);
            }
            c => re.push(c),
        }
    }
    re.push('$');
    simplify_regex(&re)
}

/// Writes an unanchored regex the way GLOB translations are written, so that
/// `'^[0-9].*$'` and `'^[0-9]'` compare equal.
fn anchor_regex(re: &str) -> String {
    let mut r = re.to_string();
    if !r.starts_with('^') {
        r = format!("^.*{r}");
    }
    if !r.ends_with('$') || r.ends_with("\\$") {
        r.push_str(".*$");
    }
    simplify_regex(&r)
}

fn simplify_regex(re: &str) -> String {
    let mut r = re.replace(".*.*", ".*");
    if r.starts_with("^.*") {
        r = format!("^{}", &r[3..]).replacen('^', "^.*", 1);
    }
    if r.ends_with(".*$") && r.len() > 4 {
        r.truncate(r.len() - 3);
        r.push_str(".*$");
    }
    r
}

/// `text` with every bare occurrence of the word `word` (any letter case,
/// outside quoted strings and quoted identifiers) replaced by `with`: a
/// domain CHECK's `VALUE` read as the column it holds on.
pub fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut prev_word = false;
    while let Some((i, c)) = chars.next() {
        if c == '\'' || c == '"' {
            out.push(c);
            for (_, d) in chars.by_ref() {
                out.push(d);
                if d == c {
                    break;
                }
            }
            prev_word = false;
            continue;
        }
        let rest = &text[i..];
        if !prev_word
            && rest.len() >= word.len()
            && rest.is_char_boundary(word.len())
            && rest[..word.len()].eq_ignore_ascii_case(word)
            && !rest[word.len()..].starts_with(is_word)
        {
            out.push_str(with);
            for _ in 1..word.chars().count() {
                chars.next();
            }
            prev_word = true;
            continue;
        }
        out.push(c);
        prev_word = is_word(c);
    }
    out
}

/// A default value, reduced to what it means.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Null,
    Integer(i128),
    Real(f64),
    Text(String),
    Bool(bool),
    Blob(Vec<u8>),
    /// The current time (CURRENT_TIMESTAMP, now()).
    Now,
    /// The current local wall-clock time: SQLite `datetime('now',
    /// 'localtime')`, PostgreSQL `LOCALTIMESTAMP` (what it stores depends on
    /// the column type: see `diff::same_default`).
    LocalNow,
    /// `randomblob(n)` / `gen_random_bytes(n)`.
    RandomBytes(u64),
    /// A sequence (`nextval(...)`) — the auto-increment key.
    Sequence,
    /// Anything else, canonical text.
    Expr(String),
}

impl DefaultValue {
    /// A value each row draws anew (random bytes, the current time), so
    /// the two engines never store the same one.
    pub fn varies(&self) -> bool {
        matches!(
            self,
            DefaultValue::RandomBytes(_) | DefaultValue::Now | DefaultValue::LocalNow
        )
    }
}

impl std::fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefaultValue::Null => write!(f, "NULL"),
            DefaultValue::Integer(i) => write!(f, "{i}"),
            DefaultValue::Real(x) => write!(f, "{x}"),
            DefaultValue::Text(s) => write!(f, "'{s}'"),
            DefaultValue::Bool(b) => write!(f, "{}", if *b { "TRUE" } else { "FALSE" }),
            DefaultValue::Blob(b) => {
                write!(f, "x'")?;
                for x in b {
                    write!(f, "{x:02x}")?;
                }
                write!(f, "'")
            }
            DefaultValue::Now => write!(f, "the current time"),
            DefaultValue::LocalNow => write!(f, "the current local time"),
            DefaultValue::RandomBytes(n) => write!(f, "{n} random bytes"),
            DefaultValue::Sequence => write!(f, "the next sequence value"),
            DefaultValue::Expr(s) => write!(f, "{s}"),
        }
    }
}

/// Reduces a stored default expression to its meaning.
pub fn default_value(text: &str, engine: Engine) -> DefaultValue {
    let t = text.trim();
    let squeezed: String = t
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bare = squeezed.trim_start_matches('(').trim_end_matches(')');
    match engine {
        // datetime('now') is CURRENT_TIMESTAMP's text; with the
        // 'localtime' modifier it is the local wall clock instead.
        // https://sqlite.org/lang_datefunc.html#modifiers
        Engine::Sqlite if squeezed.contains("'now'") && squeezed.contains("'localtime'") => {
            return DefaultValue::LocalNow;
        }
        Engine::Sqlite if bare == "datetime('now'" || bare == "datetime('now','utc'" => {
            return DefaultValue::Now;
        }
        Engine::Postgres if bare.starts_with("localtimestamp") => return DefaultValue::LocalNow,
        _ => {}
    }
    if engine == Engine::Sqlite {
        let upper = t.to_ascii_uppercase();
        if matches!(
            upper.as_str(),
            "CURRENT_TIMESTAMP" | "(CURRENT_TIMESTAMP)" | "CURRENT_DATE" | "CURRENT_TIME"
        ) {
            return DefaultValue::Now;
        }
        if let Some(hex) = upper
            .strip_prefix("X'")
            .and_then(|r| r.strip_suffix('\''))
            .map(str::to_string)
        {
            let bytes: Option<Vec<u8>> = (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                })
                .collect();
            if let Some(b) = bytes {
                return DefaultValue::Blob(b);
            }
        }
        // A DEFAULT cannot name a column, so SQLite takes `"text"` there as
        // a string literal (https://sqlite.org/quirks.html#dblquote).
        if let Some(inner) = t.strip_prefix('"').and_then(|r| r.strip_suffix('"'))
            && !inner.contains('"')
        {
            return DefaultValue::Text(inner.to_string());
        }
    }
    let Some(e) = parse(t, engine) else {
        return DefaultValue::Expr(t.to_lowercase());
    };
    match &e {
        Expr::Value(v) => match &v.value {
            SqlValue::Null => DefaultValue::Null,
            SqlValue::Boolean(b) => DefaultValue::Bool(*b),
            SqlValue::Number(n, _) => n
                .parse::<i128>()
                .map(DefaultValue::Integer)
                .or_else(|_| n.parse::<f64>().map(DefaultValue::Real))
                .unwrap_or_else(|_| DefaultValue::Expr(n.clone())),
            SqlValue::SingleQuotedString(s) | SqlValue::EscapedStringLiteral(s) => {
                DefaultValue::Text(s.clone())
            }
            _ => DefaultValue::Expr(e.to_string()),
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match default_value(&expr.to_string(), engine) {
            DefaultValue::Integer(i) => DefaultValue::Integer(-i),
            DefaultValue::Real(f) => DefaultValue::Real(-f),
            _ => DefaultValue::Expr(e.to_string()),
        },
        Expr::Identifier(id) if id.value == "now()" || id.value == "current_timestamp" => {
            DefaultValue::Now
        }
        Expr::Identifier(id) if id.value == "true" || id.value == "false" => {
            DefaultValue::Bool(id.value == "true")
        }
        Expr::Function(f) => {
            let name = f.name.to_string();
            let args = function_args(&f.args);
            let n = args
                .first()
                .and_then(|a| literal(a))
                .and_then(|v| v.parse::<u64>().ok());
            match (name.as_str(), n) {
                ("randomblob" | "gen_random_bytes", Some(n)) => DefaultValue::RandomBytes(n),
                ("nextval", _) => DefaultValue::Sequence,
                _ => DefaultValue::Expr(e.to_string()),
            }
        }
        _ => DefaultValue::Expr(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_check_reads_value_as_its_column() {
        assert_eq!(
            replace_word("((VALUE > 0) AND (value_x <> 'VALUE'))", "VALUE", "age"),
            "((age > 0) AND (value_x <> 'VALUE'))"
        );
        assert_eq!(
            check_atoms(
                &replace_word("(length(VALUE) <= 254)", "VALUE", "email"),
                Engine::Postgres
            ),
            check_atoms("length(email) <= 254", Engine::Sqlite)
        );
    }

    #[test]
    fn local_clock_defaults_are_told_from_utc_ones() {
        assert_eq!(
            default_value("datetime('now')", Engine::Sqlite),
            DefaultValue::Now
        );
        assert_eq!(
            default_value("datetime('now', 'localtime')", Engine::Sqlite),
            DefaultValue::LocalNow
        );
        assert_eq!(
            default_value("LOCALTIMESTAMP", Engine::Postgres),
            DefaultValue::LocalNow
        );
        assert_eq!(
            default_value("CURRENT_TIMESTAMP", Engine::Postgres),
            DefaultValue::Now
        );
    }

    #[test]
    fn a_double_quoted_sqlite_default_is_text() {
        assert_eq!(
            default_value("\"\"", Engine::Sqlite),
            default_value("''::text", Engine::Postgres)
        );
        assert_eq!(
            default_value("\"none\"", Engine::Sqlite),
            DefaultValue::Text("none".into())
        );
    }

    #[test]
    fn a_one_value_set_is_an_equality() {
        // PostgreSQL stores `kind IN ('card')` as `kind = 'card'::text`.
        assert_eq!(
            check_atoms("kind IN ('card')", Engine::Sqlite),
            check_atoms("((kind)::text = 'card'::text)", Engine::Postgres)
        );
        assert_eq!(
            check_atoms("n <> 3", Engine::Sqlite),
            check_atoms("(n NOT IN (3))", Engine::Postgres)
        );
    }

    #[test]
    fn enum_checks_compare_across_engines() {
        let s = check_atoms("status IN ('open', 'closed')", Engine::Sqlite);
        let p = check_atoms(
            "((status)::text = ANY ((ARRAY['closed'::character varying, 'open'::character varying])::text[]))",
            Engine::Postgres,
        );
        assert_eq!(s, p);
        let q = check_atoms("(status = ANY (ARRAY['open'::text]))", Engine::Postgres);
        assert_ne!(s, q);
    }

    #[test]
    fn ranges_and_flipped_comparisons_agree() {
        let s = check_atoms("price >= 0 AND 100 >= qty", Engine::Sqlite);
        let p = check_atoms(
            "((price >= (0)::double precision) AND (qty <= 100))",
            Engine::Postgres,
        );
        assert_eq!(s, p);
        let neg = check_atoms("x >= -1", Engine::Sqlite);
        let pneg = check_atoms("(x >= '-1'::integer)", Engine::Postgres);
        assert_eq!(neg, pneg);
        let b = check_atoms("qty BETWEEN 1 AND 5", Engine::Sqlite);
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn glob_translation_matches_regex_check() {
        let s = check_atoms("code GLOB '[A-Z][A-Z]*'", Engine::Sqlite);
        let p = check_atoms("((code)::text ~ '^[A-Z][A-Z].*$'::text)", Engine::Postgres);
        assert_eq!(s, p);
        let unanchored = check_atoms("(code ~ '[A-Z][A-Z]')", Engine::Postgres);
        assert_ne!(s, unanchored);
    }

    #[test]
    fn defaults_reduce_to_meaning() {
        assert_eq!(default_value("0", Engine::Sqlite), DefaultValue::Integer(0));
        assert_eq!(
            default_value("false", Engine::Postgres),
            DefaultValue::Bool(false)
        );
        assert_eq!(
            default_value("CURRENT_TIMESTAMP", Engine::Sqlite),
            DefaultValue::Now
        );
        assert_eq!(default_value("now()", Engine::Postgres), DefaultValue::Now);
        assert_eq!(
            default_value("(randomblob(16))", Engine::Sqlite),
            DefaultValue::RandomBytes(16)
        );
        assert_eq!(
            default_value("gen_random_bytes(16)", Engine::Postgres),
            DefaultValue::RandomBytes(16)
        );
        assert_eq!(
            default_value("'pending'::text", Engine::Postgres),
            DefaultValue::Text("pending".into())
        );
        assert_eq!(
            default_value("nextval('t_id_seq'::regclass)", Engine::Postgres),
            DefaultValue::Sequence
        );
        assert_eq!(
            default_value("-1", Engine::Sqlite),
            DefaultValue::Integer(-1)
        );
        assert_eq!(
            default_value("0.5", Engine::Sqlite),
            DefaultValue::Real(0.5)
        );
    }

    #[test]
    fn not_glob_matches_a_negated_regex() {
        let s = check_atoms(
            "username NOT GLOB '*[^A-Za-z0-9._-]*' AND slug GLOB '[a-z]*'",
            Engine::Sqlite,
        );
        let p = check_atoms(
            "((username)::text !~ '[^A-Za-z0-9._-]'::text) AND (slug ~ '^[a-z]')",
            Engine::Postgres,
        );
        assert_eq!(s, p);
        assert!(matches!(s[1], Atom::Pattern { negated: true, .. }), "{s:?}");
    }

    #[test]
    fn length_checks_become_max_length() {
        assert_eq!(
            check_atoms("length(name) <= 20", Engine::Sqlite),
            vec![Atom::MaxLength {
                column: "name".into(),
                max: 20
            }]
        );
    }
}

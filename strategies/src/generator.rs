//! Realistic value generators: what each makes (from the `fake` crate's
//! locale data, in the shapes that break ports — names with apostrophes and
//! non-ASCII letters, long emails with `+tags`, IPv6 where IPv4 was
//! assumed), the names `parity.toml` selects them by, and the column names
//! that say what a column holds.

use fake::Fake;
use fake::faker::address::raw::{CityName, CountryCode, CountryName, PostCode, ZipCode};
use fake::faker::company::raw::CompanyName;
use fake::faker::currency::raw::CurrencyCode;
use fake::faker::internet::raw::{DomainSuffix, FreeEmail, IPv4, IPv6, SafeEmail, Username};
use fake::faker::lorem::raw::Word;
use fake::faker::name::raw::{FirstName, LastName, Name};
use fake::faker::phone_number::raw::{CellNumber, PhoneNumber};
use fake::locales::{DE_DE, EN, FR_FR, JA_JP, NL_NL, PT_BR, ZH_CN};
use fake::rand::rngs::Xoshiro256PlusPlus;
use fake::rand::seq::IndexedRandom;
use fake::rand::{RngExt, SeedableRng};

/// `$body` with `$l` bound to a locale: English mostly, and now and then
/// one whose names and places are not ASCII (French, German, Dutch,
/// Brazilian Portuguese, Japanese, Chinese).
macro_rules! in_locale {
    ($rng:ident, $l:ident => $body:expr) => {
        match $rng.random_range(0..16u8) {
            0 => {
                let $l = FR_FR;
                $body
            }
            1 => {
                let $l = DE_DE;
                $body
            }
            2 => {
                let $l = PT_BR;
                $body
            }
            3 => {
                let $l = NL_NL;
                $body
            }
            4 => {
                let $l = JA_JP;
                $body
            }
            5 => {
                let $l = ZH_CN;
                $body
            }
            _ => {
                let $l = EN;
                $body
            }
        }
    };
}

/// What a column holds, as far as realistic values go: selected in
/// parity.toml (`generator = "email"`) or recognised from the column's name
/// ([`Generator::for_column`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    Email,
    /// A full name ("Tim O'Reilly", "Zoé Lefèvre", "山田 太郎").
    Name,
    FirstName,
    LastName,
    Username,
    Url,
    Phone,
    /// IPv4 mostly, IPv6 sometimes (what a column sized for IPv4 misses).
    Ip,
    Ipv4,
    Ipv6,
    /// A lowercase hyphenated version-4 UUID.
    Uuid,
    /// ISO 3166 alpha-2 ("FR").
    CountryCode,
    /// A country's name ("Antarctica (the territory South of 60 deg S)").
    Country,
    /// ISO 4217 ("EUR").
    CurrencyCode,
    City,
    PostalCode,
    Company,
    /// Lowercase hex of a digest's length (8, 16, 32, 40 or 64 digits).
    Hex,
}

impl Generator {
    /// Every generator, in the order README lists them.
    pub const ALL: [Generator; 18] = [
        Generator::Email,
        Generator::Name,
        Generator::FirstName,
        Generator::LastName,
        Generator::Username,
        Generator::Url,
        Generator::Phone,
        Generator::Ip,
        Generator::Ipv4,
        Generator::Ipv6,
        Generator::Uuid,
        Generator::CountryCode,
        Generator::Country,
        Generator::CurrencyCode,
        Generator::City,
        Generator::PostalCode,
        Generator::Company,
        Generator::Hex,
    ];

    /// The name parity.toml selects it by.
    pub fn name(self) -> &'static str {
        match self {
            Generator::Email => "email",
            Generator::Name => "name",
            Generator::FirstName => "first_name",
            Generator::LastName => "last_name",
            Generator::Username => "username",
            Generator::Url => "url",
            Generator::Phone => "phone",
            Generator::Ip => "ip",
            Generator::Ipv4 => "ipv4",
            Generator::Ipv6 => "ipv6",
            Generator::Uuid => "uuid",
            Generator::CountryCode => "country_code",
            Generator::Country => "country",
            Generator::CurrencyCode => "currency_code",
            Generator::City => "city",
            Generator::PostalCode => "postal_code",
            Generator::Company => "company",
            Generator::Hex => "hex",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.name() == s)
    }

    /// The generator a column's name says it holds: its words (split at
    /// `_`, `-`, spaces and camelCase humps, lowercased) end with one of
    /// [`RECOGNISED`]'s word lists, or equal one of [`EXACT`]'s. Whole words
    /// only: `description` is not an `ip`, `last_login` not a `login`.
    pub fn for_column(column: &str) -> Option<Self> {
        let owned = words(column);
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        let ends = |pattern: &[&str]| words.ends_with(pattern);
        EXACT
            .iter()
            .find(|(p, _)| words == *p)
            .or_else(|| RECOGNISED.iter().find(|(p, _)| ends(p)))
            .map(|(_, g)| *g)
    }

    /// One value, made from `rng`.
    pub(crate) fn make(self, rng: &mut Rng) -> String {
        match self {
            Generator::Email => email(rng),
            Generator::Name => name(rng),
            Generator::FirstName => in_locale!(rng, l => FirstName(l).fake_with_rng(rng)),
            Generator::LastName => last_name(rng),
            Generator::Username => match rng.random_range(0..6u8) {
                0 => in_locale!(rng, l => Username(l).fake_with_rng(rng)),
                _ => Username(EN).fake_with_rng(rng),
            },
            Generator::Url => url(rng),
            Generator::Phone => phone(rng),
            Generator::Ip => match rng.random_range(0..4u8) {
                0 => IPv6(EN).fake_with_rng(rng),
                _ => IPv4(EN).fake_with_rng(rng),
            },
            Generator::Ipv4 => IPv4(EN).fake_with_rng(rng),
            Generator::Ipv6 => IPv6(EN).fake_with_rng(rng),
            Generator::Uuid => uuid(rng),
            Generator::CountryCode => CountryCode(EN).fake_with_rng(rng),
            Generator::Country => CountryName(EN).fake_with_rng(rng),
            Generator::CurrencyCode => CurrencyCode(EN).fake_with_rng(rng),
            Generator::City => in_locale!(rng, l => CityName(l).fake_with_rng(rng)),
            Generator::PostalCode => match rng.random_range(0..5u8) {
                0 => ZipCode(EN).fake_with_rng(rng),
                1 => PostCode(EN).fake_with_rng(rng),
                _ => in_locale!(rng, l => PostCode(l).fake_with_rng(rng)),
            },
            Generator::Company => CompanyName(EN).fake_with_rng(rng),
            Generator::Hex => hex(rng),
        }
    }

    /// One value, made from `seed` alone (what a proptest-drawn seed
    /// turns into: the same seed, the same value).
    pub fn make_from(self, seed: u64) -> String {
        self.make(&mut Rng::seed_from_u64(seed))
    }
}

/// The RNG realistic values are made with: fake's own rand, so its
/// version is fake's, and a portable algorithm, so a seed gives the same
/// value on every machine.
pub(crate) type Rng = Xoshiro256PlusPlus;

/// Column names (their last words) that say what the column holds.
const RECOGNISED: &[(&[&str], Generator)] = &[
    (&["email"], Generator::Email),
    (&["email", "address"], Generator::Email),
    (&["e", "mail"], Generator::Email),
    (&["url"], Generator::Url),
    (&["website"], Generator::Url),
    (&["web", "site"], Generator::Url),
    (&["homepage"], Generator::Url),
    (&["phone"], Generator::Phone),
    (&["telephone"], Generator::Phone),
    (&["phonenumber"], Generator::Phone),
    (&["phone", "number"], Generator::Phone),
    (&["mobile"], Generator::Phone),
    (&["mobile", "number"], Generator::Phone),
    (&["cellphone"], Generator::Phone),
    (&["cell", "phone"], Generator::Phone),
    (&["first", "name"], Generator::FirstName),
    (&["firstname"], Generator::FirstName),
    (&["given", "name"], Generator::FirstName),
    (&["forename"], Generator::FirstName),
    (&["last", "name"], Generator::LastName),
    (&["lastname"], Generator::LastName),
    (&["family", "name"], Generator::LastName),
    (&["surname"], Generator::LastName),
    (&["full", "name"], Generator::Name),
    (&["fullname"], Generator::Name),
    (&["display", "name"], Generator::Name),
    (&["displayname"], Generator::Name),
    (&["username"], Generator::Username),
    (&["user", "name"], Generator::Username),
    (&["nickname"], Generator::Username),
    (&["screen", "name"], Generator::Username),
    (&["ip"], Generator::Ip),
    (&["ip", "address"], Generator::Ip),
    (&["ip", "addr"], Generator::Ip),
    (&["ipaddress"], Generator::Ip),
    (&["ipv4"], Generator::Ipv4),
    (&["ipv6"], Generator::Ipv6),
    (&["uuid"], Generator::Uuid),
    (&["guid"], Generator::Uuid),
    (&["country", "code"], Generator::CountryCode),
    (&["countrycode"], Generator::CountryCode),
    (&["country", "iso"], Generator::CountryCode),
    (&["country"], Generator::Country),
    (&["country", "name"], Generator::Country),
    (&["currency"], Generator::CurrencyCode),
    (&["currency", "code"], Generator::CurrencyCode),
    (&["currencycode"], Generator::CurrencyCode),
    (&["city"], Generator::City),
    (&["city", "name"], Generator::City),
    (&["zip"], Generator::PostalCode),
    (&["zipcode"], Generator::PostalCode),
    (&["zip", "code"], Generator::PostalCode),
    (&["postcode"], Generator::PostalCode),
    (&["postal", "code"], Generator::PostalCode),
    (&["post", "code"], Generator::PostalCode),
    (&["company"], Generator::Company),
    (&["company", "name"], Generator::Company),
    (&["hex"], Generator::Hex),
    (&["md5"], Generator::Hex),
    (&["sha1"], Generator::Hex),
    (&["sha256"], Generator::Hex),
];

/// Whole column names that say what the column holds only alone
/// (`last_login` is a time).
const EXACT: &[(&[&str], Generator)] = &[(&["login"], Generator::Username)];

/// The words of a column name, lowercased.
fn words(column: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in column.chars() {
        if c == '_' || c == '-' || c == ' ' || c == '.' {
            out.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    out.extend((!word.is_empty()).then_some(word));
    out
}

/// fake's English last names with an apostrophe (O'Connell, D'Amore):
/// drawn more often than their share, since quoting is what they test.
fn apostrophe_last_name(rng: &mut Rng) -> Option<&'static str> {
    use fake::locales::Data;
    let with: Vec<&'static str> = <EN as Data>::NAME_LAST_NAME
        .iter()
        .copied()
        .filter(|n| n.contains('\''))
        .collect();
    with.choose(rng).copied()
}

fn last_name(rng: &mut Rng) -> String {
    if rng.random_range(0..6u8) == 0
        && let Some(n) = apostrophe_last_name(rng)
    {
        return n.to_string();
    }
    in_locale!(rng, l => LastName(l).fake_with_rng(rng))
}

fn name(rng: &mut Rng) -> String {
    if rng.random_range(0..6u8) == 0
        && let Some(last) = apostrophe_last_name(rng)
    {
        let first: String = FirstName(EN).fake_with_rng(rng);
        return format!("{first} {last}");
    }
    in_locale!(rng, l => Name(l).fake_with_rng(rng))
}

/// Lowercase ASCII letters and digits of `s` (a host name label).
fn label(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// A company's host name; `www.` in front sometimes when it is a web site.
fn host(rng: &mut Rng, web: bool) -> String {
    let last: String = LastName(EN).fake_with_rng(rng);
    let suffix: String = DomainSuffix(EN).fake_with_rng(rng);
    match rng.random_range(0..4u8) {
        0 => format!(
            "{}-{}.{suffix}",
            label(&last),
            label(Word(EN).fake_with_rng(rng))
        ),
        1 if web => format!("www.{}.{suffix}", label(&last)),
        _ => format!("{}.{suffix}", label(&last)),
    }
}

fn email(rng: &mut Rng) -> String {
    let first = |rng: &mut Rng| FirstName(EN).fake_with_rng::<&str, _>(rng).to_lowercase();
    match rng.random_range(0..10u8) {
        0..=2 => FreeEmail(EN).fake_with_rng(rng),
        // Lowercased first names, some with accents (zoé@example.org).
        3..=4 => in_locale!(rng, l => SafeEmail(l).fake_with_rng(rng)),
        // first.last@company: an apostrophe is valid in the local part.
        5..=7 => {
            let last = match apostrophe_last_name(rng).filter(|_| rng.random_range(0..4u8) == 0) {
                Some(n) => n.to_string(),
                None => LastName(EN).fake_with_rng(rng),
            };
            format!(
                "{}.{}@{}",
                first(rng),
                last.to_lowercase(),
                host(rng, false)
            )
        }
        // Long: a sub-address tag on a mail host (past VARCHAR(32)).
        _ => {
            let (given, last): (String, String) = (first(rng), LastName(EN).fake_with_rng(rng));
            let tag: &str = Word(EN).fake_with_rng(rng);
            format!(
                "{given}.{}+{tag}{}@mail.{}",
                label(&last),
                rng.random_range(1..100u8),
                host(rng, false)
            )
        }
    }
}

fn url(rng: &mut Rng) -> String {
    let scheme = if rng.random_range(0..5u8) == 0 {
        "http"
    } else {
        "https"
    };
    let host = host(rng, true);
    let mut path = String::new();
    for _ in 0..rng.random_range(0..4u8) {
        path.push('/');
        path.push_str(Word(EN).fake_with_rng(rng));
    }
    match rng.random_range(0..6u8) {
        0 => path.push('/'),
        1 => {
            let w: &str = Word(EN).fake_with_rng(rng);
            path = format!("{path}?q={w}&page={}", rng.random_range(1..50u8));
        }
        2 => {
            let w: &str = Word(EN).fake_with_rng(rng);
            path = format!("{path}#{w}");
        }
        _ => {}
    }
    format!("{scheme}://{host}{path}")
}

fn phone(rng: &mut Rng) -> String {
    match rng.random_range(0..8u8) {
        0..=2 => PhoneNumber(EN).fake_with_rng(rng),
        3 => CellNumber(EN).fake_with_rng(rng),
        // E.164, as an API would store it.
        4 => format!(
            "+{}{}",
            rng.random_range(1..99u8),
            (0..10)
                .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
                .collect::<String>()
        ),
        _ => in_locale!(rng, l => PhoneNumber(l).fake_with_rng(rng)),
    }
}

fn uuid(rng: &mut Rng) -> String {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn hex(rng: &mut Rng) -> String {
    let digits = *[8usize, 16, 32, 40, 64].choose(rng).unwrap_or(&32);
    (0..digits)
        .map(|_| char::from_digit(rng.random_range(0..16u32), 16).unwrap_or('0'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn many(g: Generator, n: u64) -> Vec<String> {
        (0..n).map(|s| g.make_from(s)).collect()
    }

    #[test]
    fn names_round_trip_through_parse() {
        for g in Generator::ALL {
            assert_eq!(Generator::parse(g.name()), Some(g));
        }
        assert_eq!(Generator::parse("e-mail"), None);
    }

    #[test]
    fn column_names_are_recognised_by_whole_words() {
        let cases: &[(&str, Option<Generator>)] = &[
            ("email", Some(Generator::Email)),
            ("user_email", Some(Generator::Email)),
            ("email_address", Some(Generator::Email)),
            ("contactEmail", Some(Generator::Email)),
            ("avatar_url", Some(Generator::Url)),
            ("website", Some(Generator::Url)),
            ("phone", Some(Generator::Phone)),
            ("phone_number", Some(Generator::Phone)),
            ("first_name", Some(Generator::FirstName)),
            ("firstName", Some(Generator::FirstName)),
            ("last_name", Some(Generator::LastName)),
            ("surname", Some(Generator::LastName)),
            ("display_name", Some(Generator::Name)),
            ("username", Some(Generator::Username)),
            ("login", Some(Generator::Username)),
            ("ip", Some(Generator::Ip)),
            ("ip_address", Some(Generator::Ip)),
            ("last_login_ip", Some(Generator::Ip)),
            ("ipv6", Some(Generator::Ipv6)),
            ("uuid", Some(Generator::Uuid)),
            ("external_uuid", Some(Generator::Uuid)),
            ("country_code", Some(Generator::CountryCode)),
            ("country", Some(Generator::Country)),
            ("currency", Some(Generator::CurrencyCode)),
            ("currency_code", Some(Generator::CurrencyCode)),
            ("zip_code", Some(Generator::PostalCode)),
            ("sha256", Some(Generator::Hex)),
            // Substrings and other words are not what the column holds.
            ("description", None),
            ("zipper", None),
            ("ship_to", None),
            ("emails_sent", None),
            ("email_verified", None),
            ("url_count", None),
            ("last_login", None),
            ("name", None),
            ("file_name", None),
            ("country_id", None),
            ("phoned_at", None),
            ("gzip", None),
        ];
        for (column, expected) in cases {
            assert_eq!(Generator::for_column(column), *expected, "{column}");
        }
    }

    #[test]
    fn the_same_seed_makes_the_same_value() {
        for g in Generator::ALL {
            assert_eq!(g.make_from(42), g.make_from(42), "{}", g.name());
        }
    }

    #[test]
    fn each_generator_yields_its_shape() {
        let is_email = |s: &str| {
            let Some((local, domain)) = s.split_once('@') else {
                return false;
            };
            !local.is_empty() && domain.contains('.') && !s.contains(' ')
        };
        let emails = many(Generator::Email, 400);
        assert!(emails.iter().all(|e| is_email(e)), "{emails:?}");
        assert!(emails.iter().any(|e| e.chars().count() > 32), "long emails");
        assert!(emails.iter().any(|e| e.contains('\'')), "an apostrophe");
        assert!(emails.iter().any(|e| !e.is_ascii()), "non-ASCII");
        let names = many(Generator::Name, 400);
        assert!(names.iter().any(|n| n.contains('\'')), "O'Reilly");
        assert!(names.iter().any(|n| !n.is_ascii()), "non-ASCII names");
        let urls = many(Generator::Url, 200);
        assert!(
            urls.iter()
                .all(|u| u.starts_with("http://") || u.starts_with("https://")),
            "{urls:?}"
        );
        let v4 = |s: &str| s.split('.').filter(|p| p.parse::<u8>().is_ok()).count() == 4;
        assert!(many(Generator::Ipv4, 100).iter().all(|s| v4(s)));
        assert!(
            many(Generator::Ipv6, 100)
                .iter()
                .all(|s| s.split(':').count() == 8)
        );
        let ips = many(Generator::Ip, 200);
        assert!(ips.iter().any(|s| v4(s)) && ips.iter().any(|s| s.contains(':')));
        for u in many(Generator::Uuid, 100) {
            let parts: Vec<usize> = u.split('-').map(str::len).collect();
            assert_eq!(parts, [8, 4, 4, 4, 12], "{u}");
            assert!(
                u.chars()
                    .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_uppercase())
            );
            assert_eq!(&u[14..15], "4");
        }
        assert!(
            many(Generator::CountryCode, 100)
                .iter()
                .all(|c| c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()))
        );
        assert!(
            many(Generator::CurrencyCode, 100)
                .iter()
                .all(|c| c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()))
        );
        assert!(
            many(Generator::Phone, 100).iter().all(|p| p
                .chars()
                .filter(char::is_ascii_digit)
                .count()
                >= 7),
        );
        assert!(many(Generator::Hex, 100).iter().all(|h| {
            [8, 16, 32, 40, 64].contains(&h.len())
                && h.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase())
        }));
        for g in [
            Generator::FirstName,
            Generator::LastName,
            Generator::Username,
            Generator::Country,
            Generator::City,
            Generator::PostalCode,
            Generator::Company,
        ] {
            assert!(
                many(g, 50).iter().all(|v| !v.trim().is_empty()),
                "{}",
                g.name()
            );
        }
    }
}

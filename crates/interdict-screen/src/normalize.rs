//! Names to comparable tokens: script folding, case, punctuation, name order, legal forms and
//! stopwords.
//!
//! Nothing is deleted that could carry identity: legal forms and particles stay as tokens of
//! their own class (weighed down when scoring), digits always stay.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::score::within_edits;

/// What a token is, which decides how much it weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenClass {
    /// A name part.
    Word,
    /// A particle such as `de`, `al`, `bin`: kept, but weighs little.
    Stopword,
    /// A legal form in canonical spelling (`sadecv`, `llc`, `jsc`): kept, weighs little.
    LegalForm,
}

/// One normalised name part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub class: TokenClass,
    /// A part a name may drop without becoming another name: the maternal surname of a
    /// Hispanic `PATERNAL MATERNAL, Given` name.
    pub optional: bool,
}

/// What kind of party a name belongs to; it decides name order and legal-form handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Person,
    Organization,
    /// Vessels, aircraft, wallets, and queries of unknown schema.
    Other,
}

/// A name as tokens, in reading order (`First Last` for people written `LAST, First`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalName {
    pub tokens: Vec<Token>,
    /// Whether this form keeps a non-Latin original script rather than a transliteration.
    pub original_script: bool,
}

impl NormalName {
    /// The tokens joined by single spaces.
    pub fn text(&self) -> String {
        let words: Vec<&str> = self.tokens.iter().map(|t| t.text.as_str()).collect();
        words.join(" ")
    }
}

/// Particles common in names; they are kept but weigh little.
const STOPWORDS: &[&str] = &[
    "de", "del", "la", "las", "los", "el", "al", "y", "e", "da", "das", "do", "dos", "di", "du",
    "van", "von", "der", "den", "bin", "ibn", "bint", "ben", "ould", "the", "of", "and", "und",
    "et", "le", "les",
];

/// Legal forms as token sequences and their canonical token. Longer sequences come first so the
/// longest form wins. Every canonical token maps to itself, which keeps normalising idempotent.
const LEGAL_FORMS: &[(&str, &str)] = &[
    (
        "sociedad anonima promotora de inversion de capital variable",
        "sapidecv",
    ),
    ("sociedad anonima de capital variable", "sadecv"),
    (
        "sociedad de responsabilidad limitada de capital variable",
        "srldecv",
    ),
    ("sociedad de responsabilidad limitada", "srl"),
    ("sociedad por acciones simplificada", "sas"),
    ("sapi de cv", "sapidecv"),
    ("s de rl de cv", "srldecv"),
    ("sa de cv", "sadecv"),
    ("s de rl", "srl"),
    ("open joint stock company", "jsc"),
    ("closed joint stock company", "jsc"),
    ("public joint stock company", "jsc"),
    ("joint stock company", "jsc"),
    ("limited liability company", "llc"),
    ("limited liability partnership", "llp"),
    ("public limited company", "plc"),
    ("sociedad anonima", "sa"),
    ("societe anonyme", "sa"),
    ("compania anonima", "ca"),
    ("sdn bhd", "sdnbhd"),
    ("sapidecv", "sapidecv"),
    ("sadecv", "sadecv"),
    ("srldecv", "srldecv"),
    ("sdnbhd", "sdnbhd"),
    ("srl", "srl"),
    ("sas", "sas"),
    ("sa", "sa"),
    ("ca", "ca"),
    ("ltda", "ltda"),
    ("limitada", "ltda"),
    ("ltd", "ltd"),
    ("limited", "ltd"),
    ("llc", "llc"),
    ("ooo", "llc"),
    ("llp", "llp"),
    ("plc", "plc"),
    ("inc", "inc"),
    ("incorporated", "inc"),
    ("corp", "corp"),
    ("corporation", "corp"),
    ("co", "co"),
    ("company", "co"),
    ("compania", "co"),
    ("cia", "co"),
    ("jsc", "jsc"),
    ("ojsc", "jsc"),
    ("cjsc", "jsc"),
    ("pjsc", "jsc"),
    ("ao", "jsc"),
    ("oao", "jsc"),
    ("zao", "jsc"),
    ("pao", "jsc"),
    ("gmbh", "gmbh"),
    ("ag", "ag"),
    ("bv", "bv"),
    ("nv", "nv"),
    ("spa", "spa"),
    ("sarl", "sarl"),
    ("fze", "fze"),
    ("fzco", "fzco"),
    ("fzc", "fzc"),
    ("pte", "pte"),
    ("pvt", "pvt"),
    ("bhd", "bhd"),
    ("sal", "sal"),
    ("wll", "wll"),
];

/// Normalised forms of a raw name: always a Latin form, and the original script too when the
/// name is written in another script (so a query in that script matches it directly).
pub fn name_forms(raw: &str, kind: NameKind) -> Vec<NormalName> {
    let mut forms = Vec::with_capacity(1);
    let latin = normalize_name(raw, kind);
    if !latin.tokens.is_empty() {
        forms.push(latin);
    }
    // Lists romanise Russian mostly after BGN/PCGN (`YEGOROV`) but not always (`EGOROV`).
    if has_cyrillic(raw) {
        let plain = normalize_with(raw, kind, Romanization::Plain);
        if !forms.contains(&plain) {
            forms.push(plain);
        }
    }
    if has_non_latin(raw) {
        let tokens = classify(split_words(&fold_marks(raw)), kind);
        if !tokens.is_empty() {
            forms.push(NormalName {
                tokens,
                original_script: true,
            });
        }
    }
    forms
}

/// How Cyrillic `е` is romanised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Romanization {
    /// BGN/PCGN: `ye` at the start of a word and after a vowel or sign.
    Bgn,
    /// `e` everywhere, as many passports and some list entries write it; also `х` as `h` and
    /// `дж` as `j`, as names from Arabic and other languages come back out of Cyrillic
    /// (`Хамид` is `HAMID`, `Джамал` is `JAMAL`).
    Plain,
}

/// The Latin form of a name.
pub fn normalize_name(raw: &str, kind: NameKind) -> NormalName {
    normalize_with(raw, kind, Romanization::Bgn)
}

fn normalize_with(raw: &str, kind: NameKind, romanization: Romanization) -> NormalName {
    let fold = |text: &str| fold_with(text, romanization);
    let (head, tail) = split_comma(raw, kind);
    let mut tokens = Vec::new();
    if let Some(given) = tail {
        tokens.extend(classify(split_words(&fold(given)), kind));
        let surnames = classify(split_words(&fold(head)), kind);
        let words: Vec<usize> = (0..surnames.len())
            .filter(|&i| surnames[i].class == TokenClass::Word)
            .collect();
        let start = tokens.len();
        tokens.extend(surnames);
        if let [_, maternal] = words[..] {
            tokens[start + maternal].optional = true;
        }
    } else {
        tokens.extend(classify(split_words(&fold(head)), kind));
    }
    NormalName {
        tokens,
        original_script: false,
    }
}

/// `LAST, First` is read as surname and given names for people (and for names of unknown kind
/// whose part after the comma is not a legal form). Any other comma is punctuation.
fn split_comma(raw: &str, kind: NameKind) -> (&str, Option<&str>) {
    if kind == NameKind::Organization || raw.matches(',').count() != 1 {
        return (raw, None);
    }
    let (head, tail) = raw.split_once(',').expect("one comma");
    if tail.trim().is_empty() || head.trim().is_empty() {
        return (raw, None);
    }
    if kind == NameKind::Other {
        let tail_tokens = classify(split_words(&fold(tail)), NameKind::Organization);
        if tail_tokens.iter().any(|t| t.class == TokenClass::LegalForm) {
            return (raw, None);
        }
    }
    (head, Some(tail))
}

fn has_non_latin(raw: &str) -> bool {
    raw.nfkd()
        .any(|c| c.is_alphabetic() && !c.is_ascii() && !is_combining_mark(c) && !is_latin(c))
}

fn is_latin(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF)
}

/// Decomposes, strips marks and lowercases, keeping the script; punctuation becomes spaces.
fn fold_marks(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.nfkd().filter(|c| !is_combining_mark(*c)) {
        if is_elision(c) {
            continue;
        }
        if c.is_alphanumeric() || c == '.' {
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
        }
    }
    out
}

/// Folds to lowercase ASCII letters, digits, spaces and dots (dots are resolved by
/// `split_words`). Cyrillic follows BGN/PCGN, which is how the lists romanise Russian names;
/// other scripts go through `deunicode`.
pub fn fold(raw: &str) -> String {
    fold_with(raw, Romanization::Bgn)
}

fn fold_with(raw: &str, romanization: Romanization) -> String {
    let cyrillic = romanize_cyrillic(raw, romanization);
    let mut out = String::with_capacity(cyrillic.len());
    for c in cyrillic.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if is_elision(c) {
            continue;
        } else if c.is_ascii() || !c.is_alphanumeric() {
            out.push(' ');
        } else {
            push_transliterated(&mut out, c);
        }
    }
    out
}

fn push_transliterated(out: &mut String, c: char) {
    let Some(latin) = deunicode::deunicode_char(c) else {
        out.push(' ');
        return;
    };
    for l in latin.chars() {
        if l.is_ascii_alphanumeric() {
            out.push(l.to_ascii_lowercase());
        } else if !is_elision(l) {
            out.push(' ');
        }
    }
}

/// Apostrophes and soft signs join a word rather than split it (`O'BRIEN`, `VOROB'EV`).
fn is_elision(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ' | 'ʻ' | '´')
}

/// Splits on white space; a dotted abbreviation (`S.A.`, `L.L.C.`) is joined, any other dot
/// splits (`ST.PETERSBURG`).
fn split_words(folded: &str) -> Vec<String> {
    let mut words = Vec::new();
    for raw in folded.split_whitespace() {
        let parts: Vec<&str> = raw.split('.').filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 && parts.iter().all(|p| p.chars().count() == 1) {
            words.push(parts.concat());
        } else {
            words.extend(parts.into_iter().map(str::to_string));
        }
    }
    words
}

fn classify(words: Vec<String>, kind: NameKind) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if kind != NameKind::Person
            && let Some((len, canonical)) = legal_form_at(&words[i..])
        {
            tokens.push(token(canonical.to_string(), TokenClass::LegalForm));
            i += len;
            continue;
        }
        let class = if STOPWORDS.contains(&words[i].as_str()) {
            TokenClass::Stopword
        } else {
            TokenClass::Word
        };
        tokens.push(token(words[i].clone(), class));
        i += 1;
    }
    tokens
}

fn token(text: String, class: TokenClass) -> Token {
    Token {
        text,
        class,
        optional: false,
    }
}

/// `LEGAL_FORMS` with each form split into its words.
static LEGAL_FORM_WORDS: LazyLock<Vec<(Vec<&str>, &str)>> = LazyLock::new(|| {
    LEGAL_FORMS
        .iter()
        .map(|(form, canonical)| (form.split(' ').collect(), *canonical))
        .collect()
});

/// The longest legal form starting at the first word: (words used, canonical token).
fn legal_form_at(words: &[String]) -> Option<(usize, &'static str)> {
    LEGAL_FORM_WORDS
        .iter()
        .find_map(|(parts, canonical)| form_length(parts, words).map(|used| (used, *canonical)))
}

/// How many of `words` spell `form`: word for word, allowing one typo in words of five letters
/// or more, or two form words written as one (`JOINTSTOCK`).
fn form_length(form: &[&str], words: &[String]) -> Option<usize> {
    let Some((first, rest)) = form.split_first() else {
        return Some(0);
    };
    let word = words.first()?;
    if spells(word, first)
        && let Some(used) = form_length(rest, &words[1..])
    {
        return Some(used + 1);
    }
    let (second, rest) = rest.split_first()?;
    if spells_joined(word, first, second) {
        return form_length(rest, &words[1..]).map(|used| used + 1);
    }
    None
}

fn spells(word: &str, form_word: &str) -> bool {
    word == form_word
        || (form_word.len() >= 5
            && word.len() >= 5
            && word.as_bytes()[0] == form_word.as_bytes()[0]
            && within_edits(word, form_word, 1))
}

/// `spells(word, first + second)`, without joining the two unless the spelling is close.
fn spells_joined(word: &str, first: &str, second: &str) -> bool {
    let joined_len = first.len() + second.len();
    if word.len() == joined_len && word.starts_with(first) && word.ends_with(second) {
        return true;
    }
    // Legal forms are ASCII: a word one edit away is at most one byte longer or shorter,
    // unless it is not ASCII itself.
    let near = word.len().abs_diff(joined_len) <= 1 || !word.is_ascii();
    near && word.as_bytes().first() == first.as_bytes().first()
        && spells(word, &[first, second].concat())
}

/// Russian Cyrillic to Latin after BGN/PCGN: `е` is `ye` at the start of a word and after a
/// vowel or a hard or soft sign; the signs themselves vanish.
fn romanize_cyrillic(raw: &str, romanization: Romanization) -> String {
    if !has_cyrillic(raw) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len() * 2);
    let mut previous: Option<char> = None;
    for c in raw.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let after_vowel = romanization == Romanization::Bgn
            && previous.is_none_or(|p| !p.is_alphabetic() || "аеёиоуыэюяйъь".contains(p));
        let plain = romanization == Romanization::Plain;
        let latin = match lower {
            'е' if after_vowel => "ye",
            'ё' if after_vowel => "yo",
            'ё' => "e",
            'х' if plain => "h",
            'ж' if plain && previous == Some('д') => {
                out.pop();
                "j"
            }
            _ => cyrillic_letter(lower),
        };
        if latin.is_empty() && lower != 'ъ' && lower != 'ь' {
            out.push(c);
        } else {
            out.push_str(latin);
        }
        previous = Some(lower);
    }
    out
}

fn has_cyrillic(raw: &str) -> bool {
    raw.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c))
}

fn cyrillic_letter(c: char) -> &'static str {
    match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "yu",
        'я' => "ya",
        'є' => "ye",
        'ї' => "yi",
        'ґ' => "g",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, kind: NameKind, want: &str) {
        assert_eq!(normalize_name(raw, kind).text(), want, "{raw:?}");
    }

    #[test]
    fn names_fold_to_latin_tokens() {
        use NameKind::*;
        check("GUZMAN LOERA, Joaquin", Person, "joaquin guzman loera");
        check(
            "SÁNCHEZ RIVERA, Doris Patricia",
            Person,
            "doris patricia sanchez rivera",
        );
        check(
            "GRUPO IMPERGOZA, S.A. DE C.V.",
            Organization,
            "grupo impergoza sadecv",
        );
        check(
            "INMOBILIARIA EL PRESON SA DE CV",
            Organization,
            "inmobiliaria el preson sadecv",
        );
        check("JOINT STOCK COMPANY ARGUMENT", Organization, "jsc argument");
        check("AL-IRAQI", Person, "al iraqi");
        check("O'BRIEN", Person, "obrien");
        check("11420 Corp.", Organization, "11420 corp");
        check(
            "Воробьев Андрей Викторович",
            Person,
            "vorobyev andrey viktorovich",
        );
        check("Ефимов", Person, "yefimov");
        check("Straße", Other, "strasse");
        check("ST.PETERSBURG", Other, "st petersburg");
        check("ACME, LLC", Other, "acme llc");
        check(
            "JOINT STCOK COMPANY SEA PROJECT",
            Organization,
            "jsc sea project",
        );
        check("OPEN JOINTSTOCK COMPANY", Organization, "jsc");
    }

    #[test]
    fn maternal_surname_is_optional() {
        let name = normalize_name("GUZMAN LOERA, Joaquin", NameKind::Person);
        let optional: Vec<bool> = name.tokens.iter().map(|t| t.optional).collect();
        assert_eq!(optional, [false, false, true]);
    }

    #[test]
    fn original_script_is_kept_as_a_form() {
        let forms = name_forms("سيد أحمد شهيد خيل", NameKind::Person);
        assert_eq!(forms.len(), 2);
        assert!(forms[1].original_script);
        assert_eq!(forms[1].tokens.len(), 4);
        assert!(forms[0].text().is_ascii());
        let forms = name_forms("Егоров Максим", NameKind::Person);
        let texts: Vec<String> = forms.iter().map(NormalName::text).collect();
        assert_eq!(texts, ["yegorov maksim", "egorov maksim", "егоров максим"]);
    }

    proptest::proptest! {
        #[test]
        fn normalising_twice_is_normalising_once(raw in "\\PC{0,30}|[A-Za-z ,.'-]{0,30}|(S\\.A\\. DE C\\.V\\.|LLC|, |al-|Ё|е){0,4}") {
            for kind in [NameKind::Person, NameKind::Organization, NameKind::Other] {
                let once = normalize_name(&raw, kind);
                let twice = normalize_name(&once.text(), kind);
                proptest::prop_assert_eq!(twice.text(), once.text());
            }
        }
    }
}

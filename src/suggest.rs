//! Did-you-mean suggestions.

/// The candidate closest to `word`, when it is close enough to be a likely
/// typo. Ties go to the first candidate, so results are deterministic.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        // Cheap filter first: a very different length is never a typo.
        if candidate.len().abs_diff(word.len()) > word.len().max(4) / 2 + 2 {
            continue;
        }
        let score = strsim::jaro_winkler(word, candidate);
        if score >= 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" help text, when there is a suggestion.
pub fn help<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// `a`, `b` or `c`: a list of accepted values for messages.
pub fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["members", "managed-by", "mode", "name"];
        assert_eq!(did_you_mean("memebers", keys), Some("members"));
        assert_eq!(did_you_mean("manged-by", keys), Some("managed-by"));
        assert_eq!(did_you_mean("zzz", keys), None);
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}

/// Did-you-mean over a large set of ids (thousands of people), bounded in
/// cost per query: sets up to [`Ids::FULL_SCAN`] are scanned whole; larger
/// sets are searched among the ids that sort next to the word, where typos
/// of the end of an id (the common case) land.
#[derive(Debug, Default)]
pub struct Ids<'a> {
    sorted: Vec<&'a str>,
}

impl<'a> Ids<'a> {
    pub const FULL_SCAN: usize = 2_000;
    const WINDOW: usize = 128;

    pub fn new(ids: impl IntoIterator<Item = &'a str>) -> Ids<'a> {
        let mut sorted: Vec<&'a str> = ids.into_iter().collect();
        sorted.sort_unstable();
        Ids { sorted }
    }

    pub fn did_you_mean(&self, word: &str) -> Option<&'a str> {
        if self.sorted.len() <= Self::FULL_SCAN {
            return did_you_mean(word, self.sorted.iter().copied());
        }
        let at = self.sorted.partition_point(|s| *s < word);
        let from = at.saturating_sub(Self::WINDOW);
        let to = (at + Self::WINDOW).min(self.sorted.len());
        did_you_mean(
            word,
            self.sorted.get(from..to).unwrap_or(&[]).iter().copied(),
        )
    }
}

/// The candidate nearest to `word`, however far: for closed sets of values,
/// where naming the nearest accepted value always helps. A candidate that
/// contains the word or is contained in it (`exec`, `private-beta`) counts
/// as near.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    for &c in candidates {
        let mut score = strsim::jaro_winkler(word, c);
        if !word.is_empty() && (c.contains(word) || word.contains(c)) {
            score = score.max(0.9);
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod nearest_tests {
    use super::nearest;

    #[test]
    fn nearest_always_answers() {
        let areas = [
            "executive",
            "mission-it",
            "digital-public-services",
            "infrastructure",
        ];
        assert_eq!(nearest("exec", &areas), Some("executive"));
        assert_eq!(
            nearest("private-beta", &["discovery", "alpha", "beta", "live"]),
            Some("beta")
        );
        assert_eq!(nearest("zzz", &["a"]), Some("a"));
        assert_eq!(nearest("x", &[]), None);
    }
}

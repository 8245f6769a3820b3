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
        let score = jaro_winkler(word, candidate);
        if score >= 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `strsim::jaro_winkler`, with the same result to the bit, without its
/// allocation and its quadratic walk over `char`s for the ASCII ids and keys
/// of org files (up to 64 bytes): did-you-mean over thousands of ids was
/// half of the resolve stage. Anything else goes to strsim.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    const MAX: usize = 64;
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > MAX || y.len() > MAX {
        return strsim::jaro_winkler(a, b);
    }
    let (x_len, y_len) = (x.len(), y.len());
    if x_len == 0 && y_len == 0 {
        return 1.0;
    }
    if x_len == 0 || y_len == 0 {
        return 0.0;
    }
    let range = (x_len.max(y_len) / 2).saturating_sub(1);
    // Bit i of `x_hit` (of `y_hit`): x[i] (y[i]) is matched.
    let (mut x_hit, mut y_hit) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &c) in x.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = y_len.min(i + range + 1);
        let window = y.get(lo..hi).unwrap_or(&[]);
        let free = window
            .iter()
            .enumerate()
            .map(|(k, &d)| (lo + k, d))
            .find(|&(j, d)| d == c && y_hit & (1 << j) == 0);
        if let Some((j, _)) = free {
            x_hit |= 1 << i;
            y_hit |= 1 << j;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let x_matched = x.iter().enumerate().filter(|(i, _)| x_hit & (1 << i) != 0);
    let y_matched = y.iter().enumerate().filter(|(j, _)| y_hit & (1 << j) != 0);
    let half_transpositions = x_matched
        .zip(y_matched)
        .filter(|((_, c), (_, d))| c != d)
        .count();
    let transpositions = half_transpositions / 2;
    let m = matches as f64;
    let sim = (m / x_len as f64 + m / y_len as f64 + (matches - transpositions) as f64 / m) / 3.0;
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(c, d)| c == d).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
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
    fn jaro_winkler_is_strsims_to_the_bit() {
        // Ids, keys, typos, transpositions, repeats, empty strings, and the
        // non-ASCII and long inputs that go to strsim itself.
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "members",
            "memebers",
            "mebmers",
            "manged-by",
            "managed-by",
            "team-0012",
            "team-0021",
            "team-1200",
            "person-00017",
            "person-00071",
            "aaaa",
            "aaab",
            "abab",
            "baba",
            "digital-public-services",
            "digitl-public-service",
            "chief-technology-officer",
            "cheif-technology-officer",
            "zzz",
            "café",
            "cafe",
            "crème-brûlée",
            "x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x-y-z-x",
        ];
        for a in words {
            for b in words {
                let ours = jaro_winkler(a, b);
                let theirs = strsim::jaro_winkler(a, b);
                assert_eq!(
                    ours.to_bits(),
                    theirs.to_bits(),
                    "{a:?} {b:?}: {ours} {theirs}"
                );
            }
        }
        // Every pair of a generated family of ids, as in a large department.
        let ids: Vec<String> = (0..300)
            .map(|i| format!("p-{}-{}", i * 7919 % 1000, i % 13))
            .collect();
        for a in &ids {
            for b in ids.iter().step_by(7) {
                assert_eq!(
                    jaro_winkler(a, b).to_bits(),
                    strsim::jaro_winkler(a, b).to_bits()
                );
            }
        }
    }

    #[test]
    fn a_small_set_is_scanned_whole_in_any_order() {
        // Equal scores: the smallest id wins, whatever order it came in.
        let ids = ["team-b2", "team-a2", "team-c2"];
        let mut sorted = ids;
        sorted.sort_unstable();
        for word in ["team-x2", "team-a", "zzz"] {
            assert_eq!(
                Ids::new(ids).did_you_mean(word),
                did_you_mean(word, sorted),
                "{word}"
            );
        }
        assert_eq!(Ids::new(ids).did_you_mean("team-x2"), Some("team-a2"));
    }

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
    /// Sorted when there are more than [`Ids::FULL_SCAN`].
    sorted: Vec<&'a str>,
}

impl<'a> Ids<'a> {
    pub const FULL_SCAN: usize = 2_000;
    const WINDOW: usize = 128;

    pub fn new(ids: impl IntoIterator<Item = &'a str>) -> Ids<'a> {
        use rayon::slice::ParallelSliceMut;
        let mut sorted: Vec<&'a str> = ids.into_iter().collect();
        // A full scan does not depend on the order (ties go to the smallest
        // id), so only a set searched by window is sorted: in parallel, as
        // sorting 17,000 ids cost as much as the rest of resolve.
        if sorted.len() > Self::FULL_SCAN {
            sorted.par_sort_unstable();
        }
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
        let mut score = jaro_winkler(word, c);
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

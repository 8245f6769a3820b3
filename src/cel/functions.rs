//! The CEL environment: the standard library, with `matches` backed by a
//! cache of compiled regular expressions (the `cel` crate's own `matches`
//! compiles its pattern on every call, which over thousands of entities is
//! most of a run).

use std::cell::RefCell;
use std::collections::HashMap;

use cel::common::types::{CelBool, CelString};
use cel::{Env, ExecutionError};
use regex::{Regex, RegexBuilder};

/// Patterns kept per thread; the cache is emptied when it grows past this
/// (patterns computed from the model could otherwise grow it without end).
const CACHE_SIZE: usize = 256;

/// The largest compiled pattern accepted, in bytes: compiling stays fast.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The environment every rule is compiled and evaluated in.
pub fn env() -> Env {
    let mut env = Env::stdlib();
    // Registering into a fresh environment cannot clash: the standard
    // library has no `matches` without the crate's `regex` feature. Should
    // it ever have one, the standard one stays.
    let _ = cel::add_overload!(env, fn matches: (CelString, CelString) -> Result<CelBool>,
        id = "matches");
    let _ = cel::add_member_overload!(env, fn matches: (CelString, CelString) -> Result<CelBool>);
    env
}

/// `s.matches(pattern)` and `matches(s, pattern)`: RE2 syntax, unanchored.
fn matches(this: &CelString<'_>, pattern: &CelString<'_>) -> Result<CelBool, ExecutionError> {
    is_match(pattern.inner(), this.inner())
        .map(CelBool::from)
        .map_err(|message| ExecutionError::FunctionError {
            function: "matches".to_owned(),
            message,
        })
}

fn is_match(pattern: &str, text: &str) -> Result<bool, String> {
    thread_local! {
        static CACHE: RefCell<HashMap<String, Result<Regex, String>>> =
            RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(compiled) = cache.get(pattern) {
            return compiled
                .as_ref()
                .map(|re| re.is_match(text))
                .map_err(Clone::clone);
        }
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        let compiled = RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| format!("'{pattern}' is not a valid regular expression: {e}"));
        let result = compiled
            .as_ref()
            .map(|re| re.is_match(text))
            .map_err(Clone::clone);
        cache.insert(pattern.to_owned(), compiled);
        result
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cel::{Context, Value};

    use super::*;

    fn eval(text: &str) -> Result<Value, ExecutionError> {
        let env = Arc::new(env());
        let program = env.compile(text).expect("compiles");
        program.execute(&Context::with_env(env))
    }

    #[test]
    fn matches_as_function_and_method() {
        assert_eq!(eval("'abc'.matches('^a')"), Ok(Value::Bool(true)));
        assert_eq!(eval("matches('abc', 'c$')"), Ok(Value::Bool(true)));
        assert_eq!(eval("'abc'.matches('^b')"), Ok(Value::Bool(false)));
        // Cached: the same pattern again, on other text.
        assert_eq!(eval("'bcd'.matches('^b')"), Ok(Value::Bool(true)));
        let Err(e) = eval("'abc'.matches('(')") else {
            panic!("an invalid pattern is an error");
        };
        assert!(
            e.to_string().contains("is not a valid regular expression"),
            "{e}"
        );
        // Twice: the cached error.
        assert!(eval("'abc'.matches('(')").is_err());
        // A pattern too large to compile is an error, not a stall.
        assert!(eval("'a'.matches('((a{100}){100}){100}')").is_err());
    }

    #[test]
    fn the_cache_is_bounded() {
        for i in 0..CACHE_SIZE + 10 {
            assert_eq!(is_match(&format!("^x{i}$"), &format!("x{i}")), Ok(true));
        }
        assert_eq!(is_match("^x1$", "x1"), Ok(true));
    }
}

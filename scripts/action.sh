#!/usr/bin/env bash
# The GitHub Action's one run of orglint (see action.yml):
#
#   - annotations (`--format github`) to standard output, i.e. the log,
#   - the markdown report to "$GITHUB_STEP_SUMMARY" (when it is set),
#   - SARIF to "$SARIF_FILE" (when it is set), for
#     github/codeql-action/upload-sarif,
#
# and exits with orglint's exit code, so the step fails exactly when orglint
# says so: 0 clean, 1 findings at or above --fail-on, 2 orglint could not do
# its job (bad flags or config, a path that does not exist, ...).
#
# Inputs, as environment variables (all optional):
#
#   PATHS       org files or directories to lint, split into words; `.` when
#               unset (when set but empty, orglint's own default, `.`)
#   CONFIG      passed as --config FILE
#   FAIL_ON     passed as --fail-on LEVEL (when empty, the config decides)
#   SARIF_FILE  also write SARIF there (its directory is created)
#   ARGS        more `orglint check` flags, split into words
#   ORGLINT     the orglint binary (default: `orglint` on PATH)
#
# PATHS and ARGS are split into words as a shell splits an unquoted word
# list: on blanks and newlines, honouring '...', "..." and backslash quoting.
# Nothing is expanded (no variables, globs or command substitution), so an
# input is never run as code.

set -euo pipefail

die() {
  # Escaped as the Actions toolkit escapes a workflow command's message.
  local message=${1//'%'/%25}
  message=${message//$'\r'/%0D}
  message=${message//$'\n'/%0A}
  printf '::error title=orglint::%s\n' "$message"
  printf 'orglint action: %s\n' "$1" >&2
  exit 2
}

# split_words TEXT: the words of TEXT in the array WORDS; fails on an
# unmatched quote.
split_words() {
  local text=$1 word="" in_word=0 quote="" c next i=0 n=${#1}
  WORDS=()
  while ((i < n)); do
    c=${text:i:1}
    i=$((i + 1))
    if [[ $quote == "'" ]]; then
      # Single quotes: everything literal up to the closing quote.
      if [[ $c == "'" ]]; then quote=""; else word+=$c; fi
    elif [[ $quote == '"' ]]; then
      # Double quotes: backslash escapes only " \ $ ` and a newline.
      if [[ $c == '"' ]]; then
        quote=""
      elif [[ $c == \\ ]]; then
        next=${text:i:1}
        case $next in
          '"' | \\ | '$' | '`') word+=$next; i=$((i + 1)) ;;
          $'\n') i=$((i + 1)) ;;
          *) word+=$c ;;
        esac
      else
        word+=$c
      fi
    else
      case $c in
        ' ' | $'\t' | $'\n' | $'\r')
          if ((in_word)); then
            WORDS+=("$word")
            word=""
            in_word=0
          fi
          ;;
        "'" | '"')
          quote=$c
          in_word=1
          ;;
        \\)
          # A backslash quotes the next character; before a newline it
          # joins lines.
          next=${text:i:1}
          i=$((i + 1))
          if [[ -n $next && $next != $'\n' ]]; then
            word+=$next
            in_word=1
          fi
          ;;
        *)
          word+=$c
          in_word=1
          ;;
      esac
    fi
  done
  [[ -z $quote ]] || return 1
  if ((in_word)); then WORDS+=("$word"); fi
  return 0
}

orglint=${ORGLINT:-orglint}
cmd=("$orglint" check --format github)

if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  cmd+=(--format "markdown:$GITHUB_STEP_SUMMARY")
fi
if [[ -n ${SARIF_FILE:-} ]]; then
  mkdir -p -- "$(dirname -- "$SARIF_FILE")" || die "cannot create the directory of sarif-file \`$SARIF_FILE\`"
  cmd+=(--format "sarif:$SARIF_FILE")
fi
if [[ -n ${CONFIG:-} ]]; then
  cmd+=(--config "$CONFIG")
fi
if [[ -n ${FAIL_ON:-} ]]; then
  cmd+=(--fail-on "$FAIL_ON")
fi

split_words "${ARGS:-}" || die "unmatched quote in args: ${ARGS:-}"
if ((${#WORDS[@]})); then
  cmd+=("${WORDS[@]}")
fi

split_words "${PATHS-.}" || die "unmatched quote in paths: ${PATHS-}"
if ((${#WORDS[@]})); then
  # `--`: a path that starts with `-` is still a path.
  cmd+=(-- "${WORDS[@]}")
fi

# The command, quoted, for whoever reads the log (stderr: stdout carries the
# annotations).
printf 'orglint action: running' >&2
printf ' %q' "${cmd[@]}" >&2
printf '\n' >&2

status=0
"${cmd[@]}" || status=$?
case $status in
  126 | 127)
    die "cannot run \`$orglint\` (exit $status): was it built? (ORGLINT names the binary)"
    ;;
esac
exit "$status"

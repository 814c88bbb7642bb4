# lib.sh: shared helpers for integration tests (POSIX sh, sourced).
#
# The runner (tests/run-integration) has started a private test cluster and
# built the template database park_template with every migration applied;
# PG* variables point at it. A test calls new_db to get its own throw-away copy.

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T_FAILS=0
T_CASES=0

# new_db NAME: a fresh database NAME copied from park_template; sets PGDATABASE.
new_db() {
	dropdb --if-exists "$1" >/dev/null 2>&1
	createdb -T park_template "$1" || { echo "new_db: createdb $1 failed" >&2; exit 1; }
	PGDATABASE=$1; export PGDATABASE
}

# q SQL: one value (or rows, |-separated) from the current database.
q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }

ok()   { T_CASES=$((T_CASES + 1)); echo "ok   - $*"; }
fail() { T_CASES=$((T_CASES + 1)); T_FAILS=$((T_FAILS + 1)); echo "FAIL - $*"; }

# check_eq WHAT GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}
# check_match WHAT TEXT PATTERN (grep -E)
check_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"
	else fail "$1: '$2' does not match /$3/"; fi
}

# done_testing: print the summary and exit non-zero on any failure.
done_testing() {
	echo "# $T_CASES cases, $T_FAILS failed"
	[ "$T_FAILS" -eq 0 ]
}

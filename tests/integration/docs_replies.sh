#!/bin/sh
# docs_replies.sh: docs/replies.md shows every reply of templates/replies.conf as it is
# rendered now, in every language with its length, and no reply breaks the length budget
# (2 SMS parts; zone information 3). No database needed.
. "$ROOT/tests/lib.sh"

TABLE=${PARK_BUILD:-$ROOT/build}/tests/integration/reply_table
out=$("$TABLE" "$ROOT/templates/replies.conf" 2>&1)
check_eq "every reply within its budget of SMS parts" "$?" 0
check_eq "docs/replies.md is the table of the templates as they are" \
	"$(sed -n '/^| key |/,$p' "$ROOT/docs/replies.md")" "$out"
done_testing

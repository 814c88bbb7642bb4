#!/bin/sh
# service_errors.sh: every error reply of the service number, with no effect on money.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

service_db svc_errors
topup $A 100000

long=$(printf '1001*A111AAA*1%.0s' 1 2 3 4 5 6 7 8 9 10 11 12)   # 168 bytes
bad=$(printf '10\377')
# each case: TEXT|EXPECTED REPLY (after "7757 -> $A: ")
cases='|err_empty
HELLO|err_unknown
10*A111AAA|err_zone_format
1001*A111AAA*1*2|err_too_many_fields
1001*|err_missing_field
1001|err_missing_field
X*|err_missing_field
1001*A111AAA*0|err_hours max_hours=12
1001*A111AAA*13|err_hours max_hours=12
1001*A111AAA*x|err_hours max_hours=12
X*0|err_hours max_hours=12
1001*Ж111ААА*1|err_plate plate_text=Ж111ААА reason=plate may contain only letters and digits
1001*G111AAA*1|err_plate plate_text=G111AAA reason=unknown region code
1001 * 123AAA99 * 1|err_plate plate_text=123AAA99 reason=unknown region code
S*1|err_plate plate_text=1 reason=not a Kazakhstan plate (123ABC02 or A123ABC)'

i=0
while IFS='|' read -r text want; do
	i=$((i + 1))
	out=$(run $T0 "e$i $A 7757 $text")
	check_out "'$text' -> $want" "$out" "7757 -> $A: $want"
done <<EOF
$cases
EOF

out=$(run $T0 "e20 $A 7757 $long")
check_out "over 160 bytes -> err_too_long" "$out" "7757 -> $A: err_too_long"
out=$(run $T0 "e21 $A 7757 $bad")
check_out "invalid UTF-8 -> err_bad_utf8" "$out" "7757 -> $A: err_bad_utf8"
out=$(run $T0 "e22 $A 7757 1001*A1$(printf '\377')1AAA*1")
check_out "invalid UTF-8 inside a plate is not echoed" "$out" \
	"7757 -> $A: err_bad_utf8"
check_eq "error replies are Latin here, so not UCS-2" "$(q "SELECT count(*) FILTER (WHERE ucs2) FROM outbox WHERE kind <> 'err_plate'")" 0
check_eq "the Cyrillic plate echo goes out as UCS-2" "$(q "SELECT ucs2 FROM outbox WHERE text LIKE '%Ж111%'")" t

# S and X with nothing parked; the confirmation number with nothing pending
out=$(run $T0 "e30 $A 7757 S" "e31 $A 7757 X*2" "e32 $A 7701 1" "e33 $A 7701 0")
check_out "S, X, 1 and 0 with nothing to act on" "$out" \
	"7757 -> $A: no_session
7757 -> $A: no_session
7757 -> $A: no_pending
7757 -> $A: no_pending"

check_eq "errors start nothing" "$(q "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM pending_debits)")" 0
check_eq "errors charge nothing" "$(wallet $A) $(account $A)" "100000 0"
check_eq "every error MO recorded and answered once" \
	"$(q "SELECT count(*), count(DISTINCT mo_id) FROM outbox")" "22|22"
check_invariants "after errors"
done_testing

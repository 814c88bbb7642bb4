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
X*|err_extend max_hours=12
S*|err_stop
I*A111AAA|err_single
1001,A111AAA,1|err_separator
1001+A111AAA+1|err_separator
1001 A111AAA 1|err_separator
A111AAA*1001*1|err_order
1001*Д111ААА*1|err_plate plate_text=Д111ААА reason=plate_reason_letter letter=Д
1001×A1×1|err_plate plate_text=A1 reason=plate_reason_unknown_format
1001*A111AAA*0|err_hours max_hours=12
1001*A111AAA*13|err_hours max_hours=12
1001*A111AAA*x|err_hours max_hours=12
X*0|err_extend max_hours=12
1001*Ж111ААА*1|err_plate plate_text=Ж111ААА reason=plate_reason_letter letter=Ж
1001*A1.11AAA*1|err_plate plate_text=A1.11AAA reason=plate_reason_bad_char
1001*G111AAA*1|err_plate plate_text=G111AAA reason=plate_reason_bad_region
1001 * 123AAA99 * 1|err_plate plate_text=123AAA99 reason=plate_reason_bad_region
S*1|err_plate plate_text=1 reason=plate_reason_unknown_format
1001*-*1|err_plate plate_text=- reason=plate_reason_empty
X*2*12345678901234567|err_plate plate_text=12345678901234567 reason=plate_reason_too_long'

i=0
while IFS='|' read -r text want; do
	i=$((i + 1))
	out=$(run $T0 "e$i $A 7757 $text")
	check_out "'$text' -> $want" "$out" "7757 -> $A: $want"
done <<EOF
$cases
EOF

out=$(run $T0 "e40 $A 7757 $long")
check_out "over 160 bytes -> err_too_long" "$out" "7757 -> $A: err_too_long"
out=$(run $T0 "e41 $A 7757 $bad")
check_out "invalid UTF-8 -> err_bad_utf8" "$out" "7757 -> $A: err_bad_utf8"
out=$(run $T0 "e42 $A 7757 1001*A1$(printf '\377')1AAA*1")
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
	"$(q "SELECT count(*), count(DISTINCT mo_id) FROM outbox")" "32|32"
check_invariants "after errors"

# the reason of a bad plate is in the subscriber's language (the shipped templates);
# plate_reason_bad_utf8 cannot come from an SMS (invalid UTF-8 is err_bad_utf8 first):
# tests/unit/test_reply.c renders it
real() { { echo "@time $T0"; for l in "$@"; do printf '%s\n' "$l"; done; } |
	"$DRIVE" -t "$ROOT/templates/replies.conf" $DRIVE_OPTS; }
out=$(real "r1 $B 7757 1001*Ж111ААА*1" "r2 $B 7757 1001*G111AAA" "r3 $B 7757 1001*ABC" \
	"r4 $B 7757 1001*-" "r5 $B 7757 1001*12345678901234567")
check_out "plate reasons in Russian" "$out" \
	"7757 -> $B: Неверный номер «Ж111ААА»: буквы «Ж» на номерах нет, номер пишется латиницей. Пример: 123ABC02.
7757 -> $B: Неверный номер «G111AAA»: неизвестный код региона. Пример: 123ABC02.
7757 -> $B: Неверный номер «ABC»: это не казахстанский номер (123ABC02 или A123ABC). Пример: 123ABC02.
7757 -> $B: Неверный номер «-»: номер пустой. Пример: 123ABC02.
7757 -> $B: Неверный номер «12345678901234567»: номер слишком длинный. Пример: 123ABC02."
out=$(real "r6 $B 7757 KZ" "r7 $B 7757 1001*G111AAA" "r8 $B 7757 EN" "r9 $B 7757 1001*G111AAA" \
	"r10 $B 7757 1001*ABC" "r11 $B 7757 S*Ж")
check_out "plate reasons in Kazakh and English" "$out" \
	"7757 -> $B: Жауаптар қазақ тілінде болады.
7757 -> $B: «G111AAA» нөмірі қате: аймақ коды белгісіз. Мысал: 123ABC02.
7757 -> $B: Replies will be in English.
7757 -> $B: Wrong plate \"G111AAA\": unknown region code. Example: 123ABC02.
7757 -> $B: Wrong plate \"ABC\": not a Kazakhstan plate (123ABC02 or A123ABC). Example: 123ABC02.
7757 -> $B: Wrong plate \"Ж\": plates have no letter \"Ж\", use Latin letters. Example: 123ABC02."
done_testing

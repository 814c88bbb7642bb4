#!/bin/sh
# box_hostile.sh: hostile senders and a flood through a real bearerbox, the fake SMSC and
# parkbox with its default rate limit (10 a minute): senders that are not MSISDNs get no
# reply and leave nothing in the database, 50 start requests in 2 s from one phone get 21
# replies (not 99) while a "1" to 7701 still confirms, control characters and bidi marks
# reach no reply, invalid UCS-2 is answered as such, and every log line masks a number
# the same way (short senders too).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_hostile
A=77010000011 B=77010000012
q "SELECT wallet_topup('$A', 100000)" >/dev/null
q "SELECT wallet_topup('$B', 100000)" >/dev/null
bb_start
box_write_parkbox_conf "rate-limit = 10"        # the default, written out
pb_start
phone_start

# --- senders that are not MSISDNs --------------------------------------------
sms ABC 7757 '1001*A111AAA*1'
sms + 7757 '1001*A111AAA*1'
sms 0 7757 '1001*A111AAA*1'
sms 123456 7757 HELP
sms 123456789012345678901234567890123 7757 '1001*A111AAA*1'
sms 0701234567 7701 1
wait_for 20 sh -c "[ \$(grep -c 'dropped: the sender is not an MSISDN' '$BOX_DIR/parkbox.log') -ge 6 ]"
check_eq "odd senders: each dropped with one line and its reason" \
	"$(grep -o 'from [^ ]* dropped: the sender is not an MSISDN ([^)]*)' "$BOX_DIR/parkbox.log" |
	   LC_ALL=C sort)" \
	"$(LC_ALL=C sort <<EOF
from *** dropped: the sender is not an MSISDN (not digits)
from * dropped: the sender is not an MSISDN (empty)
from * dropped: the sender is not an MSISDN (starts with 0)
from ****56 dropped: the sender is not an MSISDN (fewer than 7 digits)
from 1234***************************23 dropped: the sender is not an MSISDN (more than 15 digits)
from 0701****67 dropped: the sender is not an MSISDN (starts with 0)
EOF
)"
check_eq "odd senders: acked" \
	"$(grep -c 'INFO: MO .* acked, 0 replies' "$BOX_DIR/parkbox.log")" 6
check_eq "odd senders: nothing in the database" \
	"$(q "SELECT (SELECT count(*) FROM processed_mo) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM pending_debits)")|$(q "SELECT string_agg(msisdn, ',' ORDER BY msisdn) FROM subscribers")" \
	"0|$A,$B"

# --- control characters, a bidi override, invalid UCS-2 ----------------------
sms $B 7757 "$(printf '1001*A1\033[31mB\007*1')"
expect_sms "ESC and BEL are not echoed" 7757 $B '^Неверный номер «A1\?\[31mB\?»: в номере могут быть только буквы и цифры\.'
sms $B 7757 "$(printf '\342\200\256\342\200\2171001*A111AAA*1')"
expect_sms "RLO and RLM before a start: a confirmation request" 7701 $B \
	'^Зона 1001 Зелёный базар, A111AAA, 1 ч: 150 тг, кошелёк\.'
printf '!raw %s 7757 ucs2 %%00%%31%%00\n' $B >&3
expect_sms "odd-length UCS-2: not read as a command" 7757 $B '^Неизвестная команда\.'
printf '!raw %s 7757 ucs2 %%D8%%00%%00%%31\n' $B >&3
expect_sms "a lone surrogate: bad characters" 7757 $B '^Не удалось прочитать сообщение\.'
sms $B 7701 "$(printf '\357\274\221')"
expect_sms "a full-width 1 confirms" 7757 $B '^Оплачено '
check_eq "no reply holds a control character or a bidi mark" \
	"$(q "SELECT count(*) FROM outbox WHERE text ~ E'[\\\\x01-\\\\x1f\\\\x7f-\\\\x9f\\\\u200e\\\\u200f\\\\u202a-\\\\u202e]'")" 0

# --- the flood -------------------------------------------------------------
for i in $(seq 1 50); do echo "$A 7757 1001*777AAA02*1"; done >&3   # at once
wait_for 20 sh -c "[ \$(grep -c 'dropped: over the rate limit' '$BOX_DIR/parkbox.log') -ge 39 ]"
sms $A 7701 1
wait_for 20 grep -q "^< 7757 $A Оплачено .*777AAA02" "$BOX_DIR/phone.out"
check_eq "flood: one rate_limited reply" \
	"$(count_sms 7757 $A '^Слишком много сообщений\. Подождите минуту и повторите\.$')" 1
check_eq "flood: a 1 to 7701 still confirms" "$(count_sms 7757 $A '^Оплачено .*777AAA02')" 1
sleep 1
check_eq "flood: 21 replies (10 requests, 9 replaced, 1 rate_limited, the start)" \
	"$(($(count_sms 7757 $A .) + $(count_sms 7701 $A .)))" 21
check_eq "flood: 39 dropped, each logged" \
	"$(grep -c "from 7701\*\*\*\*\*11 dropped: over the rate limit of 10 a minute" "$BOX_DIR/parkbox.log")" 39
check_eq "flood: only the handled MOs recorded" \
	"$(q "SELECT count(*) FROM processed_mo WHERE msisdn = '$A'")" 12
check_eq "flood: one session, charged once" \
	"$(q "SELECT count(*), sum(prepaid_tiyn) FROM sessions WHERE msisdn = '$A'")" "1|15000"

# --- the log masks every number the same way ----------------------------------
check_eq "A appears in the log only as 7701*****11" \
	"$(grep -o '7701[0-9*]*11\b' "$BOX_DIR/parkbox.log" | sort -u)" "7701*****11"
check_eq "the short codes are shown as they are" \
	"$(grep -o 'from 7701\*\*\*\*\*11 to [^:]*' "$BOX_DIR/parkbox.log" | sort -u)" \
	"from 7701*****11 to 7701
from 7701*****11 to 7757"
check_eq "no number appears whole" \
	"$(grep -c -e "$A" -e "$B" -e 123456 -e 0701234567 "$BOX_DIR/parkbox.log")" 0
check_invariants "money invariants hold"

pb_stop "$PB_PID"
PB_PIDS=
phone_stop
bb_stop
check_logs_clean "no ERROR or PANIC in bearerbox and parkbox logs"
done_testing

#!/bin/sh
# service_dialogue.sh: every row of the SMS dialogue against the real database, with the
# money checked in the wallet, the parking account, the sessions and the ledger.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

service_db svc_dialogue
topup $A 100000                       # 1000 tenge in the built-in wallet

# ZONE*PLATE*HOURS with a Cyrillic plate: a confirmation request from 7701
out=$(run $T0 "d1 $A 7757 1001*А111ААА*2")
check_out "start asks for confirmation from 7701" "$out" \
	"7701 -> $A: confirm_start_plain amount=300 to_pay=300 $GM plate=A111AAA hours=2 method=method_wallet until=10:05"
check_eq "pending debit is open" "$(q "SELECT kind, zone, plate, hours, amount_tiyn, account_part, payment_part, state FROM pending_debits")" \
	"start|1001|A111AAA|2|30000|0|30000|open"
check_eq "nothing charged before 1" "$(wallet $A)" 100000

# 1 to 7701: charged, started, reply from 7757 with local times
out=$(run $((T0 + 10)) "d2 $A 7701 1")
check_out "1 starts the parking" "$out" \
	"7757 -> $A: started $GM plate=A111AAA start=10:00 end=12:00 amount=300 payment=paid_receipt receipt=1 car_suffix="
check_eq "wallet charged 300 tenge" "$(wallet $A)" 70000
check_eq "session row" "$(q "SELECT zone, plate, rate_tiyn, hours, prepaid_tiyn, paid_until - started_at FROM sessions")" \
	"1001|A111AAA|15000|2|30000|02:00:00"
check_eq "pending confirmed and linked" "$(q "SELECT p.state FROM pending_debits p JOIN sessions s ON s.id = p.session_id")" confirmed
check_invariants "after start"

# I and ?: status and balance
out=$(run $((T0 + 20)) "d3 $A 7757 I" "d3b $A 7757 ?")
check_out "I and ? show the session and the balance" "$out" \
	"7757 -> $A: status_list cars=status_car $GM plate=A111AAA end=12:00 balance=0
7757 -> $A: status_list cars=status_car $GM plate=A111AAA end=12:00 balance=0"

# S after 30 min 10 s: 31 started minutes at 150/h, the rest to the parking account
out=$(run $((T0 + 1820)) "d4 $A 7757 S")
check_out "S bills by the minute" "$out" \
	"7757 -> $A: stopped $GM plate=A111AAA minutes=31 cost=77.50 to_account=222.50 balance=222.50"
check_eq "parking account credited" "$(account $A)" 22250
check_eq "wallet not refunded" "$(wallet $A)" 70000
check_eq "session ended as stopped" "$(q "SELECT end_reason, cost_tiyn, to_account_tiyn, ended_at = stopped_at FROM sessions")" \
	"stopped|7750|22250|t"
check_invariants "after stop"

# ZONE*PLATE (1 hour) covered entirely by the parking account: no confirmation
out=$(run $((T0 + 3600)) "d5 $A 7757 1002*123ААА02")
check_out "a start the parking account covers needs no confirmation" "$out" \
	"7757 -> $A: started $CA plate=123AAA02 start=11:00 end=12:00 amount=100 payment=paid_from_account balance=122.50 car_suffix="
check_eq "account used, wallet untouched" "$(account $A) $(wallet $A)" "12250 70000"
check_eq "no pending debit for it" "$(q "SELECT count(*) FROM pending_debits")" 1
out=$(run $((T0 + 3660)) "d6 $A 7757 S")
check_out "S after one minute at 100/h" "$out" \
	"7757 -> $A: stopped $CA plate=123AAA02 minutes=1 cost=1.67 to_account=98.33 balance=220.83"
check_invariants "after a start from the account"

# partly from the account: declined with 0, and with any other text
out=$(run $((T0 + 7200)) "d7 $A 7757 1001*A111AAA*3" "d8 $A 7701 0")
check_out "0 declines; the confirmation names the account part" "$out" \
	"7701 -> $A: confirm_start amount=450 account_used=220.83 to_pay=229.17 $GM plate=A111AAA hours=3 method=method_wallet until=12:05
7757 -> $A: declined $GM plate=A111AAA"
out=$(run $((T0 + 7200)) "d9 $A 7757 1001*A111AAA*3" "d10 $A 7701 нет")
check_out "нет declines" "$(echo "$out" | tail -1)" "7757 -> $A: declined $GM plate=A111AAA"
check_eq "declined: nothing charged" "$(account $A) $(wallet $A)" "22083 70000"

# a newer start replaces the open one, which the same reply batch says was replaced
out=$(run $((T0 + 7200)) "d11 $A 7757 1001*A111AAA*3" "d12 $A 7757 1003*A111AAA*5" "d13 $A 7701 1")
check_out "newer start replaces the older pending debit" "$out" \
	"7701 -> $A: confirm_start amount=450 account_used=220.83 to_pay=229.17 $GM plate=A111AAA hours=3 method=method_wallet until=12:05
7757 -> $A: pending_replaced $GM plate=A111AAA
7701 -> $A: confirm_start amount=500 account_used=220.83 to_pay=279.17 $RS plate=A111AAA hours=5 method=method_wallet until=12:05
7757 -> $A: started $RS plate=A111AAA start=12:00 end=17:00 amount=500 payment=paid_receipt receipt=5 car_suffix="
check_eq "account used first, wallet the rest" "$(account $A) $(wallet $A)" "0 42083"
check_eq "pending debit states" "$(q "SELECT state || ':' || count(*) FROM pending_debits GROUP BY state ORDER BY state" | tr '\n' ' ')" \
	"confirmed:2 declined:2 replaced:1 "
check_invariants "after a start partly from the account"

# X*N with confirmation (Latin X), Cyrillic Х: an unclear answer asks again, then declined;
# 1 with nothing pending
out=$(run $((T0 + 7300)) "d14 $A 7757 X*1" "d15 $A 7701 1" "d16 $A 7757 Х*1" "d17 $A 7701 2" \
	"d17b $A 7701 нет" "d18 $A 7701 1")
check_out "extend, decline an extension, nothing pending" "$out" \
	"7701 -> $A: confirm_extend_plain amount=100 to_pay=100 $RS plate=A111AAA hours=1 method=method_wallet until=12:06
7757 -> $A: extended $RS plate=A111AAA end=18:00 amount=100 payment=paid_receipt receipt=6
7701 -> $A: confirm_extend_plain amount=100 to_pay=100 $RS plate=A111AAA hours=1 method=method_wallet until=12:06
7757 -> $A: confirm_how $RS plate=A111AAA amount=100 until=12:06
7757 -> $A: declined $RS plate=A111AAA
7757 -> $A: no_pending"
check_eq "extension charged once" "$(wallet $A)" 32083
check_eq "session extended" "$(q "SELECT hours, prepaid_tiyn, paid_until - started_at FROM sessions WHERE ended_at IS NULL")" \
	"6|60000|06:00:00"

# the wallet cannot pay: payment_failed and nothing changes
out=$(run $((T0 + 7400)) "d19 $A 7757 X*4" "d20 $A 7701 1")
check_out "insufficient wallet: payment_failed" "$(echo "$out" | tail -1)" \
	"7757 -> $A: payment_failed $RS plate=A111AAA amount=400"
check_eq "failed: wallet and session unchanged" "$(wallet $A) $(q "SELECT hours FROM sessions WHERE ended_at IS NULL")" "32083 6"
check_eq "failed pending debit closed" "$(q "SELECT state FROM pending_debits ORDER BY id DESC LIMIT 1")" failed
check_invariants "after a failed payment"

# the plate is parked already (by this or another subscriber); unknown and inactive zones
q "UPDATE zones SET active = false WHERE number = 1002"
out=$(run $((T0 + 7500)) "d21 $A 7757 1001*A111AAA" "d22 $B 7757 1001*а111ааа*1" \
	"d23 $A 7757 9999*A111AAA" "d24 $A 7757 1002*B222BBB")
check_out "already parked, unknown zone, inactive zone" "$out" \
	"7757 -> $A: already_parked $RS plate=A111AAA end=18:00 car_suffix=
7757 -> $B: parked_by_other plate=A111AAA
7757 -> $A: zone_unknown zone=9999
7757 -> $A: zone_inactive $CA"
check_eq "no pending debit from refused starts" "$(q "SELECT count(*) FROM pending_debits WHERE state = 'open'")" 0

# HELP and the language choice, stored per subscriber (missing keys fall back to ru)
out=$(run $((T0 + 7600)) "d25 $A 7757 HELP" "d26 $A 7757 EN" "d27 $A 7757 help" "d28 $A 7757 I" \
	"d29 $B 7757 HELP")
check_out "help and English" "$out" \
	"7757 -> $A: help
7757 -> $A: en:language_set
7757 -> $A: en:help
7757 -> $A: status_list cars=status_car $RS_EN plate=A111AAA end=18:00 balance=0
7757 -> $B: help"
check_eq "language stored" "$(q "SELECT language FROM subscribers WHERE msisdn = '$A'")" en
out=$(run $((T0 + 7600)) "d30 $A 7757 KZ" "d31 $A 7757 RU")
check_out "Kazakh, then Russian" "$out" \
	"7757 -> $A: kk:language_set
7757 -> $A: language_set"

# the ledger: revenue per zone, the held prepayment of the active session
check_eq "ledger balances" "$(q "SELECT account || '=' || sum(amount) FROM ledger_legs GROUP BY account HAVING sum(amount) <> 0 ORDER BY account" | tr '\n' ' ')" \
	"held:3=60000 revenue:1001=7750 revenue:1002=167 topup=-100000 wallet:$A=32083 "
check_eq "every MO recorded once" "$(q "SELECT count(*) FROM processed_mo")" 33
check_eq "every reply in the outbox" "$(q "SELECT count(*) FROM outbox")" 34
check_invariants "at the end"
done_testing

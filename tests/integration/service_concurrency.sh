#!/bin/sh
# service_concurrency.sh: idempotency on the MO id and races between workers and boxes:
# the same MO twice or at once, many confirmations at once (threads of one process and
# two processes), two subscribers confirming the same plate, concurrent stops.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

service_db svc_concurrency
topup $A 1000000
topup $B 100000
topup $C 100000

count() { printf '%s\n' "$1" | grep -c -- "$2"; }

# the same MO id twice, one after the other, and again from a new process: one effect
out=$(run $T0 "k1 $A 7757 1001*A111AAA*1" "k1 $A 7757 1001*A111AAA*1")
check_out "duplicate start MO: the same reply twice" "$out" \
	"7701 -> $A: confirm_start_plain amount=150 to_pay=150 $GM plate=A111AAA hours=1 method=method_wallet until=10:05
7701 -> $A: confirm_start_plain amount=150 to_pay=150 $GM plate=A111AAA hours=1 method=method_wallet until=10:05"
check_eq "one pending debit" "$(q "SELECT count(*) FROM pending_debits")" 1
first=$(run $((T0 + 5)) "k2 $A 7701 1")
again=$(run $((T0 + 50)) "k2 $A 7701 1")
check_out "duplicate confirmation from another process: the stored reply" "$again" "$first"
check_eq "charged once" "$(wallet $A)" 985000
check_eq "one outbox row for the MO" "$(q "SELECT count(*) FROM outbox WHERE mo_id = 'k2'")" 1

# the same confirmation MO in 8 threads at once
run $T0 "s1 $B 7757 1002*B222BBB*2" >/dev/null
out=$(run $((T0 + 5)) "@same 8 s2 $B 7701 1")
check_eq "8 threads, same MO: 8 identical replies" "$(printf '%s\n' "$out" | sort -u)" \
	"7757 -> $B: started $CA plate=B222BBB start=10:00 end=12:00 amount=200 payment=paid_receipt receipt=2 car_suffix="
check_eq "8 threads, same MO: 8 replies" "$(count "$out" started)" 8
check_eq "8 threads, same MO: one session, one charge" "$(q "SELECT count(*) FROM sessions WHERE msisdn = '$B'") $(wallet $B)" "1 80000"

# 8 different confirmation MOs at once: one charge, the rest find nothing pending
run $T0 "m1 $C 7757 1003*C333CCC*3" >/dev/null
out=$(run $((T0 + 5)) "@many 8 m2 $C 7701 1")
check_eq "8 confirmations at once: one started" "$(count "$out" started)" 1
check_eq "8 confirmations at once: 7 no_pending" "$(count "$out" no_pending)" 7
check_eq "8 confirmations at once: one charge" "$(wallet $C)" 70000
check_invariants "after confirmations in threads"

# two processes (two boxes) confirming at once, a few rounds
round=1
while [ $round -le 4 ]; do
	t=$((T0 + 1000 * round))
	run $t "r$round.s $A 7757 S" >/dev/null      # credits the parking account
	run $t "r$round.p $A 7757 1002*777AAA02*5" >/dev/null
	w0=$(($(wallet $A) + $(account $A)))
	run $((t + 5)) "@many 4 r$round.a $A 7701 1" >"$TPL.a" &
	pa=$!
	run $((t + 5)) "@many 4 r$round.b $A 7701 1" >"$TPL.b" &
	pb=$!
	wait $pa $pb
	out=$(cat "$TPL.a" "$TPL.b")
	check_eq "round $round, two processes: one started, 7 no_pending" \
		"$(count "$out" started) $(count "$out" no_pending)" "1 7"
	check_eq "round $round: charged once (wallet + parking account)" \
		"$(($(wallet $A) + $(account $A)))" "$((w0 - 50000))"
	round=$((round + 1))
done
rm -f "$TPL.a" "$TPL.b"
check_invariants "after confirmations from two processes"

# two subscribers confirm the same plate at once: one parks it, the other is told
run $((T0 + 9000)) "u1 $B 7757 1001*555AAA02*1" "u2 $C 7757 1001*555AAA02*1" >/dev/null
wb=$(wallet $B) wc=$(wallet $C)
run $((T0 + 9005)) "u3 $B 7701 1" >"$TPL.a" &
pa=$!
run $((T0 + 9005)) "u4 $C 7701 1" >"$TPL.b" &
pb=$!
wait $pa $pb
out=$(cat "$TPL.a" "$TPL.b")
rm -f "$TPL.a" "$TPL.b"
check_eq "same plate: one started, the other told it is paid from another number" \
	"$(count "$out" started) $(count "$out" parked_by_other)" "1 1"
check_eq "same plate: one active session" "$(q "SELECT count(*) FROM sessions WHERE plate = '555AAA02' AND ended_at IS NULL")" 1
check_eq "same plate: one wallet charged" "$(((wb - $(wallet $B)) + (wc - $(wallet $C))))" 15000
check_eq "the other pending debit is cancelled" "$(q "SELECT state FROM pending_debits WHERE plate = '555AAA02' ORDER BY state")" \
	"cancelled
confirmed"

# concurrent stops of one session: one stop, one credit
# (the late ones: no_session, or not_parked when B also has the car it won above)
a0=$(account $B)
late=no_session
[ "$(q "SELECT count(*) FROM sessions WHERE msisdn = '$B' AND ended_at IS NULL AND plate <> 'B222BBB'")" = 0 ] ||
	late=not_parked
out=$(run $((T0 + 9600)) "@many 6 st $B 7757 S*B222BBB")
check_eq "6 stops at once: one stopped, 5 $late" "$(count "$out" stopped) $(count "$out" "$late")" "1 5"
check_eq "stop credited once" "$(($(account $B) - a0))" \
	"$(q "SELECT to_account_tiyn FROM sessions WHERE plate = 'B222BBB'")"
check_invariants "after concurrent stops"
done_testing

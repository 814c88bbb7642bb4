#!/bin/sh
# service_time.sh: time-driven work on a compressed clock (a script second is a minute
# for the service from T0 on, as parkbox's hour-seconds = 60 makes it): confirmation expiry, reminders once, sessions ending at their time,
# billing by the (scaled) minute, max hours, several cars.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
DRIVE_OPTS="-H 60 -O 1750050000 -T 300 -r 10 -m 3"   # a script second is a minute from T0: confirm in 5 s, reminder 10 s before the end
. "$ROOT/tests/integration/service_helpers"

service_db svc_time
topup $A 100000

# a confirmation after the timeout: pending_expired, nothing charged
out=$(run $T0 "t1 $A 7757 1001*A111AAA*1")
out=$(run $((T0 + 5)) "t2 $A 7701 1")
check_out "1 at the expiry time is too late" "$out" "7757 -> $A: pending_expired $GM plate=A111AAA amount=150"
check_eq "expired: nothing charged" "$(wallet $A) $(q "SELECT state FROM pending_debits")" "100000 expired"
out=$(run $((T0 + 6)) "t1b $A 7757 1001*A111AAA*1" "@time $((T0 + 10))" "t2b $A 7701 1")
check_out "1 just before the expiry time is in time" "$(echo "$out" | tail -1)" \
	"7757 -> $A: started $GM plate=A111AAA start=10:10 end=11:10 amount=150 payment=paid_receipt receipt=2 car_suffix="
run $((T0 + 11)) "t2c $A 7757 S" >/dev/null

# the scheduler expires an open confirmation once, at its time
out=$(run $((T0 + 20)) "t3 $A 7757 1001*A111AAA*1" "@due $((T0 + 24))" "@due $((T0 + 25))" \
	"@due $((T0 + 26))" "@time $((T0 + 26))" "t4 $A 7701 1")
check_out "due work expires the pending debit once" "$out" \
	"7701 -> $A: confirm_start amount=150 account_used=147.50 to_pay=2.50 $GM plate=A111AAA hours=1 method=method_wallet until=10:25
7757 -> $A: pending_expired $GM plate=A111AAA amount=150
7757 -> $A: no_pending"

# a session of one (compressed) hour: reminder 10 "minutes" before, once; then its end
w0=$(($(wallet $A) + $(account $A)))
out=$(run $((T0 + 30)) "t5 $A 7757 1001*A111AAA*1" "@time $((T0 + 31))" "t6 $A 7701 1" \
	"@due $((T0 + 80))" "@due $((T0 + 81))" "@due $((T0 + 82))")
check_out "started, then one reminder at end - 10 min" "$out" \
	"7701 -> $A: confirm_start amount=150 account_used=147.50 to_pay=2.50 $GM plate=A111AAA hours=1 method=method_wallet until=10:35
7757 -> $A: started $GM plate=A111AAA start=10:31 end=11:31 amount=150 payment=paid_receipt receipt=4 car_suffix=
7757 -> $A: reminder $GM plate=A111AAA end=11:31 minutes_left=10 car_suffix="
check_eq "reminder recorded" "$(q "SELECT reminder_sent_at - started_at FROM sessions WHERE ended_at IS NULL")" "00:50:00"

# extending resets the reminder for the new end
out=$(run $((T0 + 85)) "t7 $A 7757 X*1" "t8 $A 7701 1" "@due $((T0 + 140))" "@due $((T0 + 141))" \
	"@due $((T0 + 141))")
check_out "extension: a new reminder for the new end, once" "$(echo "$out" | tail -2)" \
	"7757 -> $A: extended $GM plate=A111AAA end=12:31 amount=150 payment=paid_receipt receipt=5
7757 -> $A: reminder $GM plate=A111AAA end=12:31 minutes_left=10 car_suffix="
out=$(run $((T0 + 150)) "@due $((T0 + 150))" "@due $((T0 + 151))" "@due $((T0 + 152))")
check_out "the session ends at its paid time, once" "$out" \
	"7757 -> $A: ended $GM plate=A111AAA end=12:31"
check_eq "ended: full cost, nothing to the account" \
	"$(q "SELECT end_reason, cost_tiyn, to_account_tiyn, ended_at = paid_until FROM sessions WHERE id = (SELECT max(id) FROM sessions)")" \
	"expired|30000|0|t"
check_eq "two hours paid in all" "$(($(wallet $A) + $(account $A)))" "$((w0 - 30000))"
check_invariants "after reminders and the end"

# billing by compressed minutes: 30 s = 30 minutes of a 100/h zone
run $((T0 + 200)) "t9 $A 7757 1002*123AAA02*2" "t10 $A 7701 1" >/dev/null
a0=$(account $A)
out=$(run $((T0 + 230)) "t11 $A 7757 S")
check_out "S after 30 compressed minutes" "$out" \
	"7757 -> $A: stopped $CA plate=123AAA02 minutes=30 cost=50 to_account=150 balance=$(((a0 + 15000) / 100))"

# at most 3 hours in one session (-m 3)
out=$(run $((T0 + 300)) "t12 $A 7757 1002*123AAA02*3" "t13 $A 7701 1" "t14 $A 7757 X*1")
check_out "X beyond max hours: max_duration" "$(echo "$out" | tail -1)" \
	"7757 -> $A: max_duration $CA plate=123AAA02 max_hours=3"
check_eq "no pending debit for it" "$(q "SELECT count(*) FROM pending_debits WHERE state = 'open'")" 0

# several cars: S and X must name the plate
run $((T0 + 310)) "t15 $A 7757 1003*A111AAA*1" "t16 $A 7701 1" >/dev/null
out=$(run $((T0 + 320)) "t17 $A 7757 S" "t18 $A 7757 X*1" "t19 $A 7757 I")
check_out "S, X and I with two cars" "$out" \
	"7757 -> $A: which_car plates=123AAA02, A111AAA
7757 -> $A: which_car plates=123AAA02, A111AAA
7757 -> $A: status_list cars=status_car $CA plate=123AAA02 end=18:00; status_car $RS plate=A111AAA end=16:10 balance=$(q "SELECT account_tiyn/100 FROM subscribers")"
out=$(run $((T0 + 330)) "t20 $A 7757 S*A111AAA" "t21 $A 7757 S*B222BBB" "t22 $A 7757 S")
check_out "S*PLATE, a plate not parked, then S with one car left" "$(echo "$out" | cut -d' ' -f1-6)" \
	"7757 -> $A: stopped zone=1003 zone_name=Площадь
7757 -> $A: not_parked plate=B222BBB plates=123AAA02
7757 -> $A: stopped zone=1002 zone_name=Акимат"

# an extension confirmed after the car was stopped: nothing charged
run $((T0 + 400)) "t23 $A 7757 1001*A111AAA*1" "t24 $A 7701 1" >/dev/null
w0=$(($(wallet $A) + $(account $A)))
out=$(run $((T0 + 405)) "t25 $A 7757 X*2" "t26 $A 7757 S" "t27 $A 7701 1" "t28 $A 7757 S")
check_out "confirming an extension of a stopped session" "$(echo "$out" | sed -n '3p;4p')" \
	"7757 -> $A: no_session
7757 -> $A: no_session"
check_eq "cancelled extension charged nothing" "$(q "SELECT state FROM pending_debits ORDER BY id DESC LIMIT 1")" cancelled

# X after the paid time, before due work ended the session: nothing to extend; due
# work, late, sends the reminder (the session had not ended), then the end
run $((T0 + 500)) "t29 $A 7757 1002*B222BBB*1" "t30 $A 7701 1" >/dev/null
out=$(run $((T0 + 570)) "t31 $A 7757 X*1" "@due")
check_out "X after the end: no_session, then the late reminder and the end" "$out" \
	"7757 -> $A: no_session
7757 -> $A: reminder $CA plate=B222BBB end=19:20 minutes_left=0 car_suffix=
7757 -> $A: ended $CA plate=B222BBB end=19:20"
check_invariants "at the end"
done_testing

#!/bin/sh
# service_paid_hours.sh: the sample's paid hours (Monday to Saturday 08:00-20:00, free on
# public holidays) in the dialogue, on the service's own clock:
#  - 3 hours bought at 19:00 on a Saturday run until 10:00 on Monday, at the price of 3
#    paid hours; no reminder before Saturday 20:00 (the reminder comes before Monday 10:00);
#  - a start on a Sunday or a holiday takes no money and says until when parking is free;
#  - S on Monday bills only the paid minutes (Saturday 19:00-20:00 and Monday from 08:00);
#  - zone information states the paid hours.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

SAT19=1750514400                 # Saturday 21.06.2025 19:00 in Asia/Almaty (UTC+5)
SUN12=$((SAT19 + 17 * 3600))     # Sunday 12:00
MON0750=$((SAT19 + 36 * 3600 + 50 * 60))
MON0810=$((SAT19 + 37 * 3600 + 10 * 60))
TUE24=$((SAT19 + 3 * 86400 - 9 * 3600))   # Tuesday 24.06 10:00, made a holiday below
service_db svc_paid real
topup $A 100000
topup $B 100000
q "INSERT INTO holidays (day, name) VALUES ('2025-06-24', 'a test holiday')" >/dev/null

out=$(run $SAT19 "p1 $A 7757 1001*A111AAA*3" "p2 $A 7701 1")
check_out "Saturday 19:00, 3 paid hours: until Monday 10:00, the price of 3 hours" "$out" \
	"7701 -> $A: confirm_start_plain amount=450 to_pay=450 $GM plate=A111AAA hours=3 method=method_wallet until=19:05
7757 -> $A: started $GM plate=A111AAA start=19:00 end=23.06 10:00 amount=450 payment=paid_receipt receipt=1 car_suffix="
check_eq "the session ends on Monday at 10:00 local" \
	"$(q "SELECT to_char(paid_until AT TIME ZONE 'Asia/Almaty', 'Dy DD.MM HH24:MI') FROM sessions")" "Mon 23.06 10:00"

out=$(run $((SAT19 + 50 * 60)) "@due")
check_eq "no reminder at 19:50 on Saturday: the paid time goes on on Monday" "$out" ""

out=$(run $SUN12 "p3 $B 7757 1002*B222BBB*2")
check_out "a start on Sunday: free until Monday 08:00, nothing taken" "$out" \
	"7757 -> $B: free_now $CA plate=B222BBB until=23.06 08:00 paid_hours=пн–сб 08:00–20:00"
check_eq "nothing pending, nothing charged" \
	"$(q "SELECT count(*) FROM pending_debits WHERE msisdn = '$B'") $(wallet $B)" "0 100000"

out=$(run $MON0750 "@due")
check_eq "no reminder on Monday 07:50 either: it comes at 09:50, before the paid end" "$out" ""
out=$(run $MON0810 "p4 $A 7757 S")
check_out "S on Monday 08:10: 70 paid minutes (Saturday 19-20, Monday 08:00-08:10)" "$out" \
	"7757 -> $A: stopped $GM plate=A111AAA minutes=70 cost=175 to_account=275 balance=275"

out=$(run $TUE24 "p5 $B 7757 1002*B222BBB")
check_out "a start on a holiday: free until the next paid morning" "$out" \
	"7757 -> $B: free_now $CA plate=B222BBB until=25.06 08:00 paid_hours=пн–сб 08:00–20:00"

out=$(run $SUN12 "p6 $B 7757 1002")
check_out "zone information states the paid hours" "$out" \
	"7757 -> $B: zone_info $CA tariff=100 blocks=— paid_hours=пн–сб 08:00–20:00"
check_invariants "after paid hours"
done_testing

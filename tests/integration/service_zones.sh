#!/bin/sh
# service_zones.sh: zones as planners edit them. Zone information (ZONE alone) from the
# street blocks of the GIS sample (loaded with parkzones import); zone and street names in
# the driver's language (Russian, the default, Kazakh, English), the plain name where a
# language has none, in replies to commands and in due work; edits to a zone seen by a
# running service without a restart; a deactivated zone takes no new parking and no
# extension, while its running sessions can be stopped and end normally.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

PARKZONES=${PARKZONES:-$ROOT/build/parkzones}
new_db svc_zones                      # zones and blocks come from the GIS sample only
if "$PARKZONES" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null; then
	ok "parkzones import of the GIS sample"
else
	fail "parkzones import of the GIS sample"
fi
check_eq "sample zones and blocks" "$(q "SELECT (SELECT count(*) FROM zones) || ' ' || (SELECT count(*) FROM street_blocks)")" "3 10"
topup $A 100000
topup $B 100000
topup $C 100000

GM_BLOCKS='Dostyk: Zhibek Zholy-Gogol; Makataev: Pushkin-Kaldayakov; Pushkin: Makataev-Zhibek Zholy, Zhibek Zholy-Gogol; Zenkov: Makataev-Zhibek Zholy, Zhibek Zholy-Gogol; Zhibek Zholy: Pushkin-Kaldayakov, Pushkin-Konaev'

# --- zone information ---------------------------------------------------------------
# (in English, GSM: every block fits the 2 parts)
q "UPDATE subscribers SET language = 'en' WHERE msisdn = '$A'"
out=$(run $T0 "i1 $A 7757 1001" "i2 $A 7757 1002?" "i3 $A 7757 １００３." "i4 $A 7757 9999" \
	"i5 $A 7757 10 01")
check_out "ZONE alone: name, tariff and blocks sorted and grouped by street" "$out" \
	"7757 -> $A: zone_info $GM_EN tariff=150 blocks=$GM_BLOCKS paid_hours=Mon-Sat 08:00-20:00
7757 -> $A: zone_info $CA_EN tariff=100 blocks=Satpaev: Zheltoksan-Nazarbayev paid_hours=Mon-Sat 08:00-20:00
7757 -> $A: zone_info $RS_EN tariff=100 blocks=Republic Square: Zheltoksan-Nazarbayev paid_hours=Mon-Sat 08:00-20:00
7757 -> $A: zone_unknown zone=9999
7757 -> $A: err_zone_format"
check_eq "zone information starts nothing" "$(q "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM pending_debits)")" 0

# the shipped texts: Russian is UCS-2 (the list is shortened to fit 3 SMS parts, with the
# proper dash); English stays GSM (hyphens) and fits every block
real() { { echo "@time $T0"; for l in "$@"; do printf '%s\n' "$l"; done; } |
	"$DRIVE" -t "$ROOT/templates/replies.conf" $DRIVE_OPTS; }
out=$(real "i6 $B 7757 1001" "i7 $B 7757 1002")
check_out "zone information in Russian" "$out" \
	"7757 -> $B: Зона 1001 Зелёный базар: 150 тг/ч, платно пн–сб 08:00–20:00. Улицы: Достык: Жибек Жолы–Гоголя; ещё 7: 1001*ВСЕ.
7757 -> $B: Зона 1002 Акимат: 100 тг/ч, платно пн–сб 08:00–20:00. Улицы: Сатпаева: Желтоксан–Назарбаева."
check_eq "Russian zone information: UCS-2, within 2 parts (134 characters)" \
	"$(q "SELECT ucs2, length(text) <= 134 FROM outbox WHERE mo_id = 'i6'")" "t|t"
out=$(real "i8 $C 7757 EN" "i9 $C 7757 1001")
check_out "zone information in English" "$(echo "$out" | tail -1)" \
	"7757 -> $C: Zone 1001 Green Market: 150 KZT/h, paid Mon-Sat 08:00-20:00. Streets: Dostyk: Zhibek Zholy-Gogol; Makataev: Pushkin-Kaldayakov; Pushkin: Makataev-Zhibek Zholy, Zhibek Zholy-Gogol; Zenkov: Makataev-Zhibek Zholy, Zhibek Zholy-Gogol; +2 more: 1001*ALL. To park: 1001*PLATE*HOURS."
check_eq "English zone information: GSM" "$(q "SELECT ucs2 FROM outbox WHERE mo_id = 'i9'")" f
out=$(real "i10 $C 7757 KZ" "i11 $C 7757 1002")
check_out "zone information in Kazakh" "$(echo "$out" | tail -1)" \
	"7757 -> $C: Аймақ 1002 Әкімдік: 100 тг/сағ, ақылы дс–сб 08:00–20:00. Көшелер: Сәтбаев: Желтоқсан–Назарбаев."
q "UPDATE subscribers SET language = NULL"

# --- edits while the service runs -----------------------------------------------------
fifo=$TPL.fifo
mkfifo "$fifo"
trap 'rm -f "$TPL" "$fifo" "$TPL.out"' EXIT
drive <"$fifo" >"$TPL.out" 2>/dev/null &
dpid=$!
exec 3>"$fifo"
# send N LINE...: the lines to the running driver; prints the N replies they produce
# (waits at most 10 s for them).
send() {
	n=$1
	shift
	seen=$(($(wc -l <"$TPL.out") + n))
	for l in "$@"; do printf '%s\n' "$l" >&3; done
	i=0
	while [ "$(wc -l <"$TPL.out")" -lt $seen ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	tail -n "$n" "$TPL.out"
}
CH='zone=1002 zone_name=Мэрия'

out=$(send 2 "@time $T0" "w1 $A 7757 1002*123AAA02*1" "w2 $A 7701 1")
check_out "A parks in 1002 at 100 tenge/h" "$out" \
	"7701 -> $A: confirm_start_plain amount=100 to_pay=100 $CA plate=123AAA02 hours=1 method=method_wallet until=10:05
7757 -> $A: started $CA plate=123AAA02 start=10:00 end=11:00 amount=100 payment=paid_receipt receipt=1 car_suffix="

q "UPDATE zones SET name = 'City Hall', name_ru = 'Мэрия', tariff_tiyn = 20000 WHERE number = 1002"
out=$(send 5 "@time $((T0 + 60))" "w3 $B 7757 1002*555BBB02*2" "w4 $B 7701 1" "w5 $B 7757 1002" \
	"w6 $A 7757 I" "w7 $A 7757 X*1")
check_out "renamed, new tariff: seen by the next command without a restart" "$out" \
	"7701 -> $B: confirm_start_plain amount=400 to_pay=400 $CH plate=555BBB02 hours=2 method=method_wallet until=10:06
7757 -> $B: started $CH plate=555BBB02 start=10:01 end=12:01 amount=400 payment=paid_receipt receipt=2 car_suffix=
7757 -> $B: zone_info $CH tariff=200 blocks=Сатпаева: Желтоксан–Назарбаева paid_hours=пн–сб 08:00–20:00
7757 -> $A: status_list cars=status_car $CH plate=123AAA02 end=11:00 balance=0
7701 -> $A: confirm_extend_plain amount=100 to_pay=100 $CH plate=123AAA02 hours=1 method=method_wallet until=10:06"
check_eq "a running session keeps the rate it started with" \
	"$(q "SELECT plate || ':' || rate_tiyn FROM sessions ORDER BY id" | tr '\n' ' ')" "123AAA02:10000 555BBB02:20000 "

out=$(send 1 "w8 $C 7757 1003*777CCC02*1")
check_out "C asks to park in 1003" "$out" \
	"7701 -> $C: confirm_start_plain amount=100 to_pay=100 $RS plate=777CCC02 hours=1 method=method_wallet until=10:06"
q "UPDATE zones SET active = false WHERE number IN (1002, 1003)"
out=$(send 6 "@time $((T0 + 120))" "w9 $A 7701 1" "w10 $C 7701 1" "w11 $C 7757 1002*777CCC02*1" \
	"w12 $A 7757 X*1" "w13 $C 7757 1002" "w14 $B 7757 I")
check_out "deactivated: no new parking, no extension, not even a pending one" "$out" \
	"7757 -> $A: zone_inactive $CH
7757 -> $C: zone_inactive $RS
7757 -> $C: zone_inactive $CH
7757 -> $A: zone_inactive $CH
7757 -> $C: zone_info_inactive $CH tariff=200 blocks=Сатпаева: Желтоксан–Назарбаева paid_hours=пн–сб 08:00–20:00
7757 -> $B: status_list cars=status_car $CH plate=555BBB02 end=12:01 balance=0"
check_eq "refused confirmations are cancelled, nothing charged" \
	"$(q "SELECT msisdn || ':' || kind || ':' || state FROM pending_debits WHERE state <> 'confirmed' ORDER BY id" | tr '\n' ' ')" \
	"$A:extend:cancelled $C:start:cancelled "
check_eq "C's wallet untouched" "$(wallet $C)" 100000

out=$(send 1 "@time $((T0 + 1800))" "w15 $A 7757 S")
check_out "stop works in a deactivated zone, billed at the session's rate" "$out" \
	"7757 -> $A: stopped $CH plate=123AAA02 minutes=30 cost=50 to_account=50 balance=50"
out=$(send 2 "@due $((T0 + 60 + 7200 - 600))" "@due $((T0 + 60 + 7200))")
check_out "a running session in a deactivated zone is reminded and ends normally" "$out" \
	"7757 -> $B: reminder $CH plate=555BBB02 end=12:01 minutes_left=10 car_suffix=
7757 -> $B: ended $CH plate=555BBB02 end=12:01"

q "UPDATE zones SET active = true WHERE number = 1002"
out=$(send 2 "@time $((T0 + 7300))" "w16 $C 7757 1002*777CCC02*1" "w17 $C 7701 0")
check_out "reactivated: new parking again, at the new tariff" "$out" \
	"7701 -> $C: confirm_start_plain amount=200 to_pay=200 $CH plate=777CCC02 hours=1 method=method_wallet until=12:06
7757 -> $C: declined $CH plate=777CCC02"
exec 3>&-
wait $dpid

check_eq "money" "$(wallet $A) $(account $A) $(wallet $B) $(wallet $C)" "90000 5000 60000 100000"
check_eq "revenue of 1002" "$(q "SELECT sum(amount) FROM ledger_legs WHERE account = 'revenue:1002'")" 45000
check_invariants "after zone edits"

# --- a zone with many blocks: as many as fit 2 parts, then "+N more: ZONE*ALL" -------
q "INSERT INTO street_blocks (zone, street, from_street, to_street, geom)
   SELECT 1003, 'Street ' || lpad(i::text, 2, '0'), 'Cross ' || i, 'Cross ' || (i + 1), geom
   FROM street_blocks, generate_series(1, 30) i WHERE zone = 1003"
q "UPDATE zones SET active = true WHERE number = 1003"
q "UPDATE subscribers SET language = 'en' WHERE msisdn = '$A'"   # paid hours in GSM
out=$(run $((T0 + 7400)) "m1 $A 7757 1003")
check_match "31 blocks: the first ones, then the count of the rest" "$out" \
	"^7757 -> \\$A: zone_info $RS_EN tariff=100 blocks=Republic Square: Zheltoksan-Nazarbayev; Street 01: Cross 1-Cross 2; Street 02: Cross 2-Cross 3; .*; zone_info_more count=[0-9]+ zone=1003 paid_hours=Mon-Sat 08:00-20:00\$"
listed=$(echo "$out" | sed 's/.*blocks=//; s/; zone_info_more.*//' | tr ';' '\n' | grep -c -- '-')
more=$(echo "$out" | sed 's/.*count=\([0-9]*\).*/\1/')
check_eq "listed + more = every block" "$((listed + more))" 31
check_eq "GSM, filled up to 2 parts (306 characters)" \
	"$(q "SELECT ucs2, length(text) BETWEEN 270 AND 306 FROM outbox WHERE mo_id = 'm1'")" "f|t"

# ZONE*ALL (ВСЕ, БӘРІ): every block, in messages of at most 2 parts, numbered
q "UPDATE subscribers SET language = NULL WHERE msisdn = '$A'"
out=$(real "m2 $A 7757 1003*все")
n=$(echo "$out" | grep -c "^7757 -> $A: Зона 1003 Площадь Республики, улицы [0-9]*/[0-9]*: ")
check_eq "ZONE*ВСЕ: numbered messages, one line each" "$n" "$(echo "$out" | wc -l)"
check_eq "ZONE*ВСЕ: every message within 2 UCS-2 parts (134 characters)" \
	"$(q "SELECT bool_and(ucs2 AND length(text) <= 134), count(*) > 1 FROM outbox WHERE mo_id = 'm2'")" "t|t"
check_eq "ZONE*ВСЕ: the last is n/n" "$(echo "$out" | tail -1 | sed 's/.*улицы \([0-9]*\/[0-9]*\):.*/\1/')" "$n/$n"
listed=$(echo "$out" | sed 's/^[^:]*: [^:]*: //' | tr ';,' '\n\n' | grep -c -- '–')
check_eq "ZONE*ВСЕ: every one of the 31 blocks, none twice" "$listed" 31
check_eq "ZONE*ВСЕ: each block once" "$(echo "$out" | grep -o 'Cross [0-9]*–Cross [0-9]*' | sort | uniq -d | wc -l)" 0
out=$(real "m3 $A 7757 1003*ALL" "m4 $A 7757 1003*БӘРІ")
check_eq "ZONE*ALL and ZONE*БӘРІ are the same command" "$(q "SELECT count(*) FROM outbox WHERE mo_id IN ('m3', 'm4')")" "$((2 * n))"
check_eq "zone information starts nothing, even with ВСЕ" "$(q "SELECT count(*) FROM pending_debits WHERE msisdn = '$A' AND created_at > now() - interval '1 hour'")" 0

# --- names in the driver's language ---------------------------------------------------
# Russian is the default language; each language gets its zone and street names, and the
# plain name where a language has none (a NULL column); zone 1002 as the sample has it
q "UPDATE zones SET name = 'City Administration', name_ru = 'Акимат', tariff_tiyn = 10000 WHERE number = 1002"
RU=+77010000011 KK=+77010000012 EN=+77010000013
topup $RU 100000
topup $KK 100000
topup $EN 100000
run $T0 "n0 $KK 7757 KZ" "n00 $EN 7757 EN" >/dev/null
out=$(run $T0 "n1 $RU 7757 1001" "n2 $KK 7757 1001" "n3 $EN 7757 1001")
# (UCS-2 in Russian and Kazakh: in this test format no block fits the 2 parts)
check_out "zone information: Зелёный базар, Көк базар, Green Market, with their streets" "$out" \
	"7757 -> $RU: zone_info $GM tariff=150 blocks=zone_info_more count=8 zone=1001 paid_hours=пн–сб 08:00–20:00
7757 -> $KK: zone_info $GM_KK tariff=150 blocks=zone_info_more count=8 zone=1001 paid_hours=дс–сб 08:00–20:00
7757 -> $EN: zone_info $GM_EN tariff=150 blocks=$GM_BLOCKS paid_hours=Mon-Sat 08:00-20:00"
q "UPDATE zones SET name_kk = NULL WHERE number = 1002"
q "UPDATE street_blocks SET street_kk = NULL, to_street_ru = NULL WHERE zone = 1002"
out=$(run $T0 "n4 $RU 7757 1002" "n5 $KK 7757 1002" "n6 $EN 7757 1002")
check_out "a name a language lacks falls back to the plain name" "$out" \
	"7757 -> $RU: zone_info $CA tariff=100 blocks=Сатпаева: Желтоксан–Nazarbayev paid_hours=пн–сб 08:00–20:00
7757 -> $KK: zone_info $CA_EN tariff=100 blocks=Satpaev: Желтоқсан–Назарбаев paid_hours=дс–сб 08:00–20:00
7757 -> $EN: zone_info $CA_EN tariff=100 blocks=Satpaev: Zheltoksan-Nazarbayev paid_hours=Mon-Sat 08:00-20:00"

# a session's zone in the language of its driver: started, status, the pending debit the
# next request replaces, and due work (reminder, end, an expired confirmation)
# (one second apart, so that due work meets them in this order)
out=$({ run $T0 "n7 $RU 7757 1001*100AAA02*1" "n8 $RU 7701 1"
	run $((T0 + 1)) "n9 $KK 7757 1002*200AAA02*1" "n10 $KK 7701 1"
	run $((T0 + 2)) "n11 $EN 7757 1001*300AAA02*1" "n12 $EN 7701 1" \
		"n13 $RU 7757 I" "n14 $KK 7757 I" "n15 $EN 7757 I"; })
check_out "started and status in the driver's language" "$(echo "$out" | grep -v '^7701')" \
	"7757 -> $RU: started $GM plate=100AAA02 start=10:00 end=11:00 amount=150 payment=paid_receipt receipt=6 car_suffix=
7757 -> $KK: started $CA_EN plate=200AAA02 start=10:00 end=11:00 amount=100 payment=paid_receipt receipt=7 car_suffix=
7757 -> $EN: started $GM_EN plate=300AAA02 start=10:00 end=11:00 amount=150 payment=paid_receipt receipt=8 car_suffix=
7757 -> $RU: status_list cars=status_car $GM plate=100AAA02 end=11:00 balance=0
7757 -> $KK: status_list cars=status_car $CA_EN plate=200AAA02 end=11:00 balance=0
7757 -> $EN: status_list cars=status_car $GM_EN plate=300AAA02 end=11:00 balance=0"
out=$(run $((T0 + 60)) "n16 $KK 7757 1001*400AAA02*1" "n17 $KK 7757 1003*400AAA02*1")
check_out "a replaced request names its zone in Kazakh" "$out" \
	"7701 -> $KK: confirm_start_plain amount=150 to_pay=150 $GM_KK plate=400AAA02 hours=1 method=method_wallet until=10:06
7757 -> $KK: pending_replaced $GM_KK plate=400AAA02
7701 -> $KK: confirm_start_plain amount=100 to_pay=100 $RS_KK plate=400AAA02 hours=1 method=method_wallet until=10:06"
out=$(printf '@due %s\n@due %s\n' $((T0 + 3600 - 600 + 2)) $((T0 + 3600 + 2)) | drive)
check_out "due work in the driver's language: expiry, reminder, end" "$out" \
	"7757 -> $KK: pending_expired $RS_KK plate=400AAA02 amount=100
7757 -> $RU: reminder $GM plate=100AAA02 end=11:00 minutes_left=10 car_suffix=
7757 -> $KK: reminder $CA_EN plate=200AAA02 end=11:00 minutes_left=10 car_suffix=
7757 -> $EN: reminder $GM_EN plate=300AAA02 end=11:00 minutes_left=10 car_suffix=
7757 -> $RU: ended $GM plate=100AAA02 end=11:00
7757 -> $KK: ended $CA_EN plate=200AAA02 end=11:00
7757 -> $EN: ended $GM_EN plate=300AAA02 end=11:00"
q "UPDATE zones SET name_kk = 'Әкімдік' WHERE number = 1002"
q "UPDATE street_blocks SET street_kk = 'Сәтбаев', to_street_ru = 'Назарбаева' WHERE zone = 1002"
check_invariants "after the languages"

done_testing

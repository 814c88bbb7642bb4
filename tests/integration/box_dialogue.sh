#!/bin/sh
# box_dialogue.sh: the SMS dialogue end to end through a real bearerbox, the fake
# SMSC and parkbox: replies (with their sender numbers) and database rows after
# every step, every error reply, UCS-2 input, S with no car and with several
# cars, extension past max-hours, a failed payment, a clean SIGTERM exit and
# logs free of ERROR/PANIC lines.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_dialogue
A=77010000001 B=77010000002
q "SELECT wallet_topup('$A', 100000)" >/dev/null      # 1000 tenge
bb_start
box_write_parkbox_conf "max-hours = 6"
pb_start
phone_start

# --- start with a Cyrillic plate, confirm -----------------------------------
sms $A 7757 '1001*А111ААА*2'
expect_sms "start: confirmation request from 7701" 7701 $A \
	'^Зона 1001 Зелёный базар, A111AAA, 2 ч: 300 тг, кошелёк\. Оплатить: ответьте 1 до [0-9:]+, отменить: 0\.$'
check_eq "start: one open pending debit of 300 tenge" \
	"$(q "SELECT kind, zone, plate, hours, amount_tiyn, account_part, payment_part, state FROM pending_debits WHERE msisdn = '$A'")" \
	"start|1001|A111AAA|2|30000|0|30000|open"
check_eq "start: nothing charged before confirmation" "$(q "SELECT wallet_tiyn FROM subscribers WHERE msisdn = '$A'")" 100000

sms $A 7701 1
expect_sms "confirm: started, from 7757" 7757 $A \
	'^Оплачено [0-9]{2}:[0-9]{2}–[0-9]{2}:[0-9]{2}: зона 1001, A111AAA, 300 тг, чек №[0-9]+\.$'
check_eq "confirm: session row" \
	"$(q "SELECT zone, plate, hours, rate_tiyn, prepaid_tiyn, ended_at IS NULL FROM sessions WHERE msisdn = '$A'")" \
	"1001|A111AAA|2|15000|30000|t"
check_eq "confirm: paid for 2 hours (of the box's fast clock)" \
	"$(q "SELECT extract(epoch FROM paid_until - started_at)::int FROM sessions WHERE msisdn = '$A'")" \
	7200
check_eq "confirm: pending debit confirmed" "$(q "SELECT state FROM pending_debits WHERE msisdn = '$A'")" confirmed
check_eq "confirm: wallet charged 300" "$(q "SELECT wallet_tiyn FROM subscribers WHERE msisdn = '$A'")" 70000

# --- status, extend ---------------------------------------------------------
sms $A 7757 I
expect_sms "status: the car and the balance in one message" 7757 $A \
	'^A111AAA: зона 1001 Зелёный базар до [0-9:]+\. На счёте парковки 0 тг\.$'

sms $A 7757 'X*1'
expect_sms "extend: confirmation request from 7701" 7701 $A \
	'^Продлить: зона 1001 Зелёный базар, A111AAA, \+1 ч: 150 тг, кошелёк\. Ответьте 1 до [0-9:]+, отменить: 0\.$'
sms $A 7701 1
expect_sms "extend: confirmed" 7757 $A '^Продлено до [0-9:]+: 1001 Зелёный базар, A111AAA, 150 тг, чек №[0-9]+\.$'
check_eq "extend: session has 3 hours, 450 prepaid" \
	"$(q "SELECT hours, prepaid_tiyn FROM sessions WHERE msisdn = '$A'")" "3|45000"

# --- stop early: the rest goes to the parking account ------------------------
sleep 2      # two compressed minutes
sms $A 7757 S
expect_sms "stop: minutes, cost and account" 7757 $A \
	'^Парковка завершена: зона 1001 Зелёный базар, A111AAA, [0-9]+ мин, [0-9.]+ тг\. На счёт парковки [0-9.]+ тг, остаток [0-9.]+ тг\.$'
check_eq "stop: session stopped, cost + to_account = prepaid" \
	"$(q "SELECT end_reason, cost_tiyn + to_account_tiyn, cost_tiyn > 0 FROM sessions WHERE msisdn = '$A'")" "stopped|45000|t"
acct=$(q "SELECT account_tiyn FROM subscribers WHERE msisdn = '$A'")
check_eq "stop: parking account holds the unused part" "$acct" \
	"$(q "SELECT to_account_tiyn FROM sessions WHERE msisdn = '$A'")"

# --- start again, paid partly from the parking account -----------------------
sms $A 7757 '1002*123ABC02*6'
expect_sms "restart: confirmation uses the parking account" 7701 $A \
	"^Зона 1002 Акимат, 123ABC02, 6 ч: 600 тг: [0-9.]+ со счёта парковки, [0-9.]+ — кошелёк\."
check_eq "restart: account part + payment part = 600 tenge" \
	"$(q "SELECT account_part, account_part + payment_part FROM pending_debits WHERE msisdn = '$A' AND state = 'open'")" "$acct|60000"
sms $A 7701 1
expect_sms "restart: started" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1002|1002 Акимат), 123ABC02, .*600 тг, чек №[0-9]+\.'
check_eq "restart: parking account used up" "$(q "SELECT account_tiyn FROM subscribers WHERE msisdn = '$A'")" 0

# --- a second car; S and X then need the plate ------------------------------
sms $A 7757 '1003*777AAA02*1'
expect_sms "second car: confirmation" 7701 $A '^Зона 1003 Площадь Республики, 777AAA02, 1 ч: 100 тг[,:]'
sms $A 7701 1
expect_sms "second car: started" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1003|1003 Площадь Республики), 777AAA02,'
sms $A 7757 S
expect_sms "S with two cars asks which" 7757 $A '^У вас на парковке: .*(123ABC02.*777AAA02|777AAA02.*123ABC02).*S\*НОМЕР'
sms $A 7757 'S*777AAA02'
expect_sms "S*PLATE stops that car" 7757 $A '^Парковка завершена: зона 1003 Площадь Республики, 777AAA02,'
check_eq "one car still parked" "$(q "SELECT string_agg(plate, ',') FROM sessions WHERE msisdn = '$A' AND ended_at IS NULL")" 123ABC02

# --- UCS-2 input (Cyrillic Х*1), extension past max-hours, decline -----------
printf '!raw %s 7757 ucs2 %%04%%25%%00*%%001\n' $A >&3
expect_sms "UCS-2 Х*1 past max-hours (6) is refused" 7757 $A \
	'^Нельзя: не больше 6 ч подряд\. Зона 1002 Акимат, 123ABC02\.$'
check_eq "refused: still 6 hours" "$(q "SELECT hours FROM sessions WHERE msisdn = '$A' AND ended_at IS NULL")" 6
sms $A 7757 '1001*B222BBB'
expect_sms "hours omitted: 1 hour" 7701 $A '^Зона 1001 Зелёный базар, B222BBB, 1 ч: 150 тг[,:]'
sms $A 7701 0
expect_sms "0 declines" 7757 $A '^Оплата отменена, деньги не списаны: зона 1001 Зелёный базар, B222BBB\.$'
check_eq "declined: nothing charged, no session" \
	"$(q "SELECT (SELECT state FROM pending_debits WHERE plate = 'B222BBB'), (SELECT count(*) FROM sessions WHERE plate = 'B222BBB')")" "declined|0"

# --- mistakes ---------------------------------------------------------------
sms $A 7757 hello
expect_sms "unknown command" 7757 $A '^Неизвестная команда\.'
sms $A 7757 '10*A111AAA'
expect_sms "zone with 2 digits" 7757 $A '^Номер зоны — 4 цифры'
sms $A 7757 '1001*A1*1'
expect_sms "bad plate says what is wrong" 7757 $A '^Неверный номер «A1»: .+\. Пример: 123ABC02\.$'
sms $A 7757 '1001*B222BBB*99'
expect_sms "too many hours" 7757 $A '^Часы — число от 1 до 6'
sms $A 7757 '9999*B222BBB*1'
expect_sms "unknown zone" 7757 $A '^Зоны 9999 нет\.'
sms $A 7757 '1001*123ABC02*1'
expect_sms "plate already parked" 7757 $A '^123ABC02 уже на парковке до'
sms $A 7701 1
expect_sms "1 with nothing pending" 7757 $A '^Нет платежа, ожидающего подтверждения\.'
printf '!raw %s 7757 data %%FF%%FE1001\n' $A >&3
expect_sms "invalid UTF-8" 7757 $A '^Не удалось прочитать сообщение\.'

printf '!raw %s 7757 text \n' $A >&3
expect_sms "empty message" 7757 $A '^Пустое сообщение\.'
sms $A 7757 "$(printf '1001*A111AAA*1%0170d' 0)"
expect_sms "message too long" 7757 $A '^Слишком длинное сообщение\.'
sms $A 7757 '1001*A111AAA*1*2'
expect_sms "too many fields" 7757 $A '^Лишние поля\.'
sms $A 7757 '1001*'
expect_sms "missing field" 7757 $A '^Не хватает поля\.'
sms $B 7757 S
expect_sms "S with no car parked" 7757 $B '^Активной парковки нет\. Начать: ЗОНА\*НОМЕР\*ЧАСЫ'

# --- language ---------------------------------------------------------------
sms $A 7757 EN
expect_sms "EN switches to English" 7757 $A '[A-Za-z]'
check_eq "language stored" "$(q "SELECT language FROM subscribers WHERE msisdn = '$A'")" en
sms $A 7757 HELP
expect_sms "help in English" 7757 $A '^[ -~]+$'

# --- a driver whose wallet is empty -------------------------------------------
sms $B 7757 '1001*555BBB02*1'
expect_sms "B: confirmation request" 7701 $B '^Зона 1001 Зелёный базар, 555BBB02, 1 ч: 150 тг[,:]'
sms $B 7701 1
expect_sms "B: payment failed" 7757 $B '^Оплата не прошла, проверьте баланс: зона 1001 Зелёный базар, 555BBB02, 150 тг\.$'
check_eq "B: no session" "$(q "SELECT count(*) FROM sessions WHERE msisdn = '$B'")" 0

# --- the books and the audit -------------------------------------------------
check_invariants "money invariants hold"
check_eq "every MO recorded once (3 sent raw)" "$(q "SELECT count(*) FROM processed_mo")" \
	"$(($(grep -c '^> ' "$BOX_DIR/phone.out") + 3))"
check_eq "every reply marked sent" "$(q "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" 0
check_eq "every reply reached the phone" "$(q "SELECT count(*) FROM outbox")" \
	"$(grep -c '^< ' "$BOX_DIR/phone.out")"
check_eq "one info line per MO" "$(grep -c 'INFO: MO .* acked' "$BOX_DIR/parkbox.log")" \
	"$(q "SELECT count(*) FROM processed_mo")"
check_eq "phone numbers masked in the log" "$(grep -c "$A\|$B" "$BOX_DIR/parkbox.log")" 0

# --- SIGTERM: clean exit ------------------------------------------------------
pb_stop "$PB_PID"
check_eq "SIGTERM: exit status 0" $? 0
check_match "SIGTERM: stopped in order" "$(tail -3 "$BOX_DIR/parkbox.log")" 'parkbox stopped'
PB_PIDS=
phone_stop
bb_stop
check_logs_clean "no ERROR or PANIC in bearerbox and parkbox logs"
done_testing

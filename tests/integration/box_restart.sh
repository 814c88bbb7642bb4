#!/bin/sh
# box_restart.sh: parkbox and bearerbox going away and coming back.
#  - parkbox stopped between a start and its confirmation: the pending debit
#    survives and the "1" sent meanwhile (queued by bearerbox) confirms it;
#  - parkbox killed after committing an MO's answer but before sending and
#    acking it: bearerbox redelivers the same MO id, which is answered from the
#    outbox with no new effect;
#  - SIGTERM during a burst: exit 0, and every MO is handled exactly once;
#  - bearerbox killed and restarted: parkbox reconnects by itself;
#  - bearerbox's admin restart: parkbox disconnects, waits, reconnects.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_restart
A=77010000011
q "SELECT wallet_topup('$A', 100000)" >/dev/null
bb_start
box_write_parkbox_conf
pb_start
phone_start

# --- parkbox restart mid-conversation ------------------------------------------
sms $A 7757 '1001*A111AAA*1'
expect_sms "start: confirmation request" 7701 $A '^Зона 1001 Зелёный базар, A111AAA, 1 ч: 150 тг'
pb_stop "$PB_PID"
check_eq "parkbox stopped with status 0" $? 0
sms $A 7701 1
sleep 1
check_eq "the pending debit survives the restart" \
	"$(q "SELECT state FROM pending_debits WHERE msisdn = '$A'")" open
pb_start
expect_sms "the 1 queued while parkbox was down confirms" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1001|1001 Зелёный базар), A111AAA,'
check_eq "one session, charged once" \
	"$(q "SELECT count(*), sum(prepaid_tiyn) FROM sessions WHERE msisdn = '$A'")" "1|15000"

# --- answered but not acked: redelivered, answered again, no new effect -------
# The MO's transaction commits (a deferred trigger holds the commit for 3 s, and
# parkbox is killed meanwhile): its reply is in the outbox, never sent, and the
# MO never acked. (Marking sent no longer holds up the ack, so the window between
# a reply sent and its ack is too short to hit.)
q "CREATE FUNCTION test_slow() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END \$\$;
   CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON processed_mo
   DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_slow()" >/dev/null
sms $A 7757 '1002*123ABC02*2'
wait_for 10 sh -c "[ \$(psql -X -qAt -c \"SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'\") -eq 1 ]"
kill -9 "$PB_PID"; wait "$PB_PID" 2>/dev/null
wait_for 10 sh -c "[ \$(psql -X -qAt -c \"SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'\") -eq 0 ]"
q "DROP TRIGGER test_slow_commit ON processed_mo" >/dev/null
check_eq "the MO committed, its reply unsent" \
	"$(q "SELECT count(*) FROM outbox WHERE kind LIKE 'confirm_start%' AND text LIKE '%123ABC02%' AND sent_at IS NULL")" 1
pb_start
expect_sms "the redelivered MO gets the stored reply" 7701 $A \
	'^Зона 1002 Акимат, 123ABC02, 2 ч: 200 тг, кошелёк. Оплатить: ответьте 1 до [0-9:]+, отменить: 0.$'
check_eq "one pending debit for it" "$(q "SELECT count(*) FROM pending_debits WHERE plate = '123ABC02'")" 1
check_eq "one outbox row for it" "$(q "SELECT count(*) FROM outbox WHERE kind LIKE 'confirm_start%' AND text LIKE '%123ABC02%'")" 1
sms $A 7701 1
expect_sms "and it can be confirmed once" 7757 $A '^Оплачено [0-9.: ]+–[0-9.: ]+: (зона 1002|1002 Акимат), 123ABC02,'

# --- SIGTERM in the middle of a burst -------------------------------------------
n=0
while [ $n -lt 60 ]; do
	sms 7702$(printf '%07d' $n) 7757 I
	n=$((n + 1))
done
sleep 0.2
pb_stop "$PB_PID"
check_eq "SIGTERM during a burst: exit status 0" $? 0
pb_start
wait_for 20 sh -c "[ \$(grep -c '^< 7757 7702' '$BOX_DIR/phone.out') -ge 60 ]"
check_eq "burst: every MO handled once" "$(q "SELECT count(*) FROM processed_mo WHERE msisdn LIKE '7702%'")" 60
check_eq "burst: every subscriber answered once" \
	"$(grep '^< 7757 7702' "$BOX_DIR/phone.out" | awk '{print $3}' | sort -u | wc -l) $(grep -c '^< 7757 7702' "$BOX_DIR/phone.out")" "60 60"

# --- bearerbox killed and restarted ----------------------------------------------
before=$(connected_count)
bb_kill9
phone_stop
bb_start
wait_for 20 sh -c "[ \$(grep -c 'connected to bearerbox at' '$BOX_DIR/parkbox.log') -gt $before ]"
check_eq "parkbox reconnects after bearerbox is killed" "$(connected_count)" $((before + 1))
phone_start
sms $A 7757 S
expect_sms "works after the reconnect" 7757 $A '^У вас на парковке: '

# --- bearerbox admin restart ---------------------------------------------------
before=$(connected_count)
curl -s "http://127.0.0.1:$BOX_ADMIN_PORT/restart?password=test" >/dev/null
wait_for 40 sh -c "[ \$(grep -c 'connected to bearerbox at' '$BOX_DIR/parkbox.log') -gt $before ]"
check_eq "parkbox reconnects after an admin restart" "$(connected_count)" $((before + 1))
check_match "it waited for the restart" "$(grep 'bearerbox restarts' "$BOX_DIR/parkbox.log")" 'reconnecting in 10 s'
phone_stop
phone_start
sms $A 7757 'S*A111AAA'
expect_sms "works after the admin restart" 7757 $A '^Парковка завершена: зона 1001 Зелёный базар, A111AAA,' 20

check_invariants "money invariants hold"
pb_stop "$PB_PID"
check_eq "final SIGTERM: exit status 0" $? 0
PB_PIDS=
phone_stop
bb_stop
done_testing

#!/bin/sh
# pay_diameter.sh: the Diameter phone-account driver (plugin/pay/diameter.c) against the
# test OCS (tests/ocs/ocs.c), both on freeDiameter over 127.0.0.1:
#  - each Result-Code and what it maps to, from a table (no debit unless charged);
#  - an answer later than the timeout: unknown, then a resend with the T flag in a new
#    process: charged, one debit; the same within one process (retry);
#  - a dropped answer: unknown, the resend gets the same result, one debit; a resent
#    decline is declined again;
#  - 8 threads charging at once: every charge answered, the money adds up;
#  - the OCS down: unavailable (3002 made by freeDiameter itself), nothing charged.
# Ports (derived from the test cluster's): Diameter DPORT, the OCS's control DPORT + 1.
. "$ROOT/tests/lib.sh"

BUILD=${PARK_BUILD:-$ROOT/build}
OCS=$BUILD/tests/ocs/ocs
DRIVE=$BUILD/tests/integration/pay_drive
DPORT=$((38400 + 2 * (${PGPORT:-55433} % 100))) CPORT=$((DPORT + 1))
dir=$(mktemp -d "${TMPDIR:-/tmp}/pay_diameter.XXXXXX") || exit 1
ocs_pid=

fd_conf() {   # IDENTITY PORT [CONNECTPEER-LINE]
	cat <<EOF
Identity = "$1";
Realm = "test.local";
Port = $2;
SecPort = 0;
No_SCTP;
No_IPv6;
TcTimer = 2;
LoadExtension = "dict_nasreq.fdx";
LoadExtension = "dict_dcca.fdx";
${3:-}
EOF
}
fd_conf ocs.test.local $DPORT > "$dir/ocs.conf"
fd_conf box.test.local 0 "ConnectPeer = \"ocs.test.local\" { ConnectTo = \"127.0.0.1\"; Port = $DPORT; No_TLS; No_SCTP; };" > "$dir/box.conf"

ctl() { "$OCS" ctl $CPORT "$@"; }
ocs_start() {
	"$OCS" serve "$dir/ocs.conf" $CPORT "$dir/journal" 2>>"$dir/ocs.log" &
	ocs_pid=$!
	i=0
	until [ "$(ctl ping 2>/dev/null)" = pong ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "the OCS did not start (see $dir/ocs.log)"; exit 1; }
		sleep 0.05
	done
}
ocs_stop() {
	[ -n "$ocs_pid" ] || return 0
	kill "$ocs_pid" && wait "$ocs_pid"
	st=$?
	ocs_pid=
	return $st
}
cleanup() {
	ocs_stop
	if [ "$T_FAILS" -eq 0 ]; then rm -rf "$dir"; else echo "# logs kept in $dir"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# drive KEY MSISDN AMOUNT [resend|retry]: the outcome line(s) of pay_drive.
drive() { "$DRIVE" diameter "$dir/box.conf" test.local "$@" 2>>"$dir/drive.log"; }
debits_of() { grep -c "^$1 " "$dir/journal"; }

ocs_start
A=77011110001 POOR=77011110002 NOBODY=77019999999
ctl balance $A 100000 >/dev/null
ctl balance $POOR 100 >/dev/null

# --- every answer, one fresh charge each ------------------------------------------
# KNOB;KEY;MSISDN;AMOUNT;WANT ("-": no knob)
cases="-;c1;+$A;500;charged c1 | 2001 DIAMETER_SUCCESS
-;c2;$POOR;500;no_funds - | 4012 CREDIT_LIMIT_REACHED
decline 1 4012;c3;$A;500;no_funds - | 4012 CREDIT_LIMIT_REACHED
decline 1 4010;c4;$A;500;denied - | 4010 END_USER_SERVICE_DENIED
-;c5;$NOBODY;500;unknown_user - | 5030 USER_UNKNOWN
decline 1 5030;c6;$A;500;unknown_user - | 5030 USER_UNKNOWN
decline 1 5012;c7;$A;500;unknown - | Result-Code 5012 from the peer
decline 1 4011;c8;$A;500;unknown - | Result-Code 4011 from the peer
decline 1 3004;c9;$A;500;unknown - | Result-Code 3004 from the peer
decline 1 3002;c10;$A;500;unknown - | Result-Code 3002 from the peer
-;c11;$A;99500;charged c11 | 2001 DIAMETER_SUCCESS
-;c12;$A;1;no_funds - | 4012 CREDIT_LIMIT_REACHED
-;bad key;$A;500;unavailable - | bad request (key, msisdn or amount): not sent
-;c13;7701-111;500;unavailable - | bad request (key, msisdn or amount): not sent
-;c14;$A;0;unavailable - | bad request (key, msisdn or amount): not sent"
while IFS=';' read -r knob key msisdn amount want; do
	[ "$knob" = - ] || ctl $knob >/dev/null
	check_eq "$key, knob '$knob' -> ${want%% *}" "$(drive "$key" "$msisdn" "$amount")" "$want"
done <<EOF
$cases
EOF
check_eq "only c1 and c11 were debited" "$(ctl journal)" "100000 2"
check_eq "the journal has their lines" "$(cat "$dir/journal")" "c1 $A 500
c11 $A 99500"
check_eq "the balance is what is left" "$(ctl balance $A)" 0
check_eq "a 3002 from the peer is not a local one, and bad requests are not sent" \
	"$(ctl stats)" "requests 12 retransmits 0 duplicates 0 debits 2"

# --- an answer later than the timeout ---------------------------------------------
ctl balance $A 10000 >/dev/null
ctl delay 1500 1 >/dev/null
check_eq "late answer -> unknown" "$(PAY_TIMEOUT_MS=300 drive d1 $A 700)" \
	"unknown - | no answer from ocs.test.local in 300 ms"
check_eq "resent with the T flag by a new process -> charged" "$(drive d1 $A 700 resend)" \
	"charged d1 | 2001 DIAMETER_SUCCESS"
check_eq "d1 debited once" "$(debits_of d1)" 1
ctl delay 1500 1 >/dev/null
check_eq "late answer, resent by the same process -> unknown, then charged" \
	"$(PAY_TIMEOUT_MS=300 drive d2 $A 300 retry)" "unknown - | no answer from ocs.test.local in 300 ms
charged d2 | 2001 DIAMETER_SUCCESS"
check_eq "d2 debited once" "$(debits_of d2)" 1

# --- an answer dropped --------------------------------------------------------------
ctl drop 1 >/dev/null
check_eq "dropped answer -> unknown" "$(PAY_TIMEOUT_MS=300 drive p1 $A 400)" \
	"unknown - | no answer from ocs.test.local in 300 ms"
check_eq "resend -> the same result: charged" "$(drive p1 $A 400 resend)" \
	"charged p1 | 2001 DIAMETER_SUCCESS"
check_eq "resend again -> charged again, not debited again" "$(drive p1 $A 400 resend)" \
	"charged p1 | 2001 DIAMETER_SUCCESS"
check_eq "p1 debited once" "$(debits_of p1)" 1
ctl decline 1 4010 >/dev/null
ctl drop 1 >/dev/null
check_eq "dropped decline -> unknown" "$(PAY_TIMEOUT_MS=300 drive n1 $A 100)" \
	"unknown - | no answer from ocs.test.local in 300 ms"
check_eq "its resend -> the same decline" "$(drive n1 $A 100 resend)" \
	"denied - | 4010 END_USER_SERVICE_DENIED"
check_eq "the balance lost d1, d2 and p1 once each" "$(ctl balance $A)" $((10000 - 700 - 300 - 400))
check_eq "the OCS saw 5 resends with the T flag, all duplicates" "$(ctl stats)" \
	"requests 21 retransmits 5 duplicates 5 debits 5"

# --- 8 threads at once --------------------------------------------------------------
ctl balance $A 1000000 >/dev/null
check_eq "800 charges from 8 threads: all answered, all charged" \
	"$("$DRIVE" diameter-load "$dir/box.conf" test.local 8 800 $A 10 load 2>>"$dir/drive.log")" \
	"charged 800"
check_eq "each debited once" "$(grep -c '^load-' "$dir/journal") $(ctl balance $A)" "800 992000"
check_eq "the journal file and the OCS's sum agree" \
	"$(awk '{ s += $3; n++ } END { print s, n }' "$dir/journal")" "$(ctl journal)"

# --- the OCS down -------------------------------------------------------------------
ocs_stop
check_eq "the OCS stopped cleanly" $? 0
before=$(cat "$dir/journal")
check_eq "OCS down -> unavailable, made locally" "$(drive u1 $A 100)" \
	"unavailable - | 3002 UNABLE_TO_DELIVER made locally: no peer open"
check_eq "nothing journaled while down" "$(cat "$dir/journal")" "$before"
ocs_start
ctl balance $A 1000 >/dev/null
check_eq "the OCS back: the same key charges" "$(drive u1 $A 100 resend)" \
	"charged u1 | 2001 DIAMETER_SUCCESS"

check_eq "no error or fatal line from freeDiameter in the driver's log" \
	"$(grep -c '^ERROR' "$dir/drive.log")" 0
done_testing

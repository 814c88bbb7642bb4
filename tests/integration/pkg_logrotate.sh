#!/bin/sh
# pkg_logrotate.sh: the shipped logrotate entry (debian/parkbox.logrotate), its paths
# moved into this test's folder. After `logrotate -f` a running parkbox writes its log
# and its access log to the new files (the entry's SIGHUP through the pid file) and the
# rotated files keep what came before. The names the entry and conf/parkbox.conf use
# escape Debian kannel's own entry (/var/log/kannel/*.log, which signals only bearerbox,
# smsbox and wapbox). The log's timestamps are in the process's zone from the first line
# to the last, whatever the `timezone` key says.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

command -v logrotate >/dev/null || { echo "FAIL - logrotate is not installed (scripts/setup)"; exit 1; }
box_setup park_pkg_logrotate
entry=$ROOT/debian/parkbox.logrotate

# --- the names: none matches kannel's glob
kannel_glob=/var/log/kannel/*.log
[ -f /etc/logrotate.d/kannel ] && kannel_glob=$(sed -n 's/^\(\/[^ ]*\) *{$/\1/p' /etc/logrotate.d/kannel | head -n 1)
files=$(sed -n 's/^\(\/.*[^ ]\) *{$/\1/p' "$entry")
conf_files=$(sed -n 's/^\(log-file\|access-log\) *= *\([^ #]*\).*/\2/p' "$ROOT/conf/parkbox.conf")
check_eq "the entry rotates the two files of conf/parkbox.conf" "$files" "$(echo $conf_files)"
for f in $files; do
	# shellcheck disable=SC2254
	case $f in
	$kannel_glob) fail "$f matches kannel's logrotate glob $kannel_glob" ;;
	*) ok "$f escapes kannel's logrotate glob $kannel_glob" ;;
	esac
done

# --- the entry, moved into this folder
mkdir -p "$BOX_DIR/log" "$BOX_DIR/run"
sed -e "s|/var/log/kannel/|$BOX_DIR/log/|g" -e "s|/run/parkbox/|$BOX_DIR/run/|g" "$entry" \
	> "$BOX_DIR/logrotate.conf"
[ "$(id -u)" -eq 0 ] || sed -i 's/^\([[:space:]]*create 640\) kannel adm$/\1/' "$BOX_DIR/logrotate.conf"
check_eq "every path of the entry moved" \
	"$(grep -v '^#' "$BOX_DIR/logrotate.conf" | grep -c -E '(^|[[:space:]"(])/(var/log|run)/')" 0

LOG=$BOX_DIR/log/parkbox ACCESS=$BOX_DIR/log/parkbox-access
box_write_parkbox_conf "access-log = $ACCESS"
sed -i "s|^log-file = .*|log-file = $LOG|" "$BOX_DIR/parkbox.conf"
PB_LOG=$LOG
PB_ARGS="-p $BOX_DIR/run/parkbox.pid"
PB_LAUNCH="env TZ=Etc/GMT+3"        # the process's zone; the timezone key stays Asia/Almaty
t0=$(date +%s)
bb_start
pb_start
phone_start
check_eq "the pid file names parkbox" "$(cat "$BOX_DIR/run/parkbox.pid")" "$PB_PID"

A=77011234567 B=77021234567
sms $A 7757 '1001*A111AAA*1'
expect_sms "before the rotation: answered" 7701 $A '1001'
wait_for 5 grep -q "Sent SMS .*\[to:$A\]" "$ACCESS"

logrotate -f -s "$BOX_DIR/logrotate.state" "$BOX_DIR/logrotate.conf" 2>"$BOX_DIR/logrotate.err"
check_eq "logrotate -f: exit status 0, nothing on stderr" "$?:$(cat "$BOX_DIR/logrotate.err")" "0:"
check_eq "rotated: the log and the access log" \
	"$(cd "$BOX_DIR/log" && ls parkbox.1 parkbox-access.1 2>&1 | sort | tr '\n' ' ')" \
	"parkbox-access.1 parkbox.1 "
# parkbox polls its SIGHUP flag every 0.5 s; the access log marks the reopen
wait_for 5 grep -q 'Log begins' "$ACCESS"

sms $B 7757 '1002*B222BBB*1'
expect_sms "after the rotation: answered" 7701 $B '1002'
wait_for 5 grep -q "Sent SMS .*\[to:$B\]" "$ACCESS"
wait_for 5 grep -q 'from 7702\*\*\*\*\*67' "$LOG"

count() { _c=$(grep -c -e "$1" "$2" 2>/dev/null) || true; echo "${_c:-0}"; }
check_eq "new log: the MO after the rotation, once" "$(count 'MO .* from 7702\*\*\*\*\*67 to 7757: acked' "$LOG")" 1
check_eq "new log: not the MO before" "$(count 'from 7701\*\*\*\*\*67' "$LOG")" 0
check_eq "rotated log: the MO before, once" \
	"$(count 'MO .* from 7701\*\*\*\*\*67 to 7757: acked' "$LOG.1")" 1
check_eq "rotated log: not the MO after" "$(count 'from 7702' "$LOG.1")" 0
check_eq "new access log: the MO after, text and full number" \
	"$(count "Receive SMS \[SMSC:fake\] \[id:[0-9a-f-]*\] \[from:$B\] \[to:7757\] \[msg:14:1002\*B222BBB\*1\]" "$ACCESS")" 1
check_eq "new access log: its reply" "$(count "Sent SMS \[SMSC:fake\] \[id:[0-9a-f-]*\] \[outbox:[0-9]*\] \[from:7701\] \[to:$B\] \[msg:[0-9]*:.*1002" "$ACCESS")" 1
check_eq "new access log: nothing of the MO before" "$(count "$A" "$ACCESS")" 0
check_eq "rotated access log: the MO before and its reply" \
	"$(count "\[from:$A\] \[to:7757\] \[msg:14:1001\*A111AAA\*1\]" "$ACCESS.1"):$(count "\[to:$A\]" "$ACCESS.1")" "1:1"
check_eq "the reply's line names the MO it answers" \
	"$(sed -n "s/.*Receive SMS .*\[id:\([^]]*\)\] \[from:$B\].*/\1/p" "$ACCESS")" \
	"$(sed -n "s/.*Sent SMS .*\[id:\([^]]*\)\] .*\[to:$B\].*/\1/p" "$ACCESS")"
check_eq "no message text in the log at level 1" "$(count '1002\*B222BBB' "$LOG")" 0

# --- one zone from the first line to the last: every timestamp of both logs is now in
# the zone of the process (Etc/GMT+3), which is neither UTC nor Asia/Almaty
t1=$(date +%s)
bad=$(cat "$LOG.1" "$LOG" "$ACCESS.1" "$ACCESS" |
	sed -n 's/^\([0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\) .*/\1/p' | sort -u |
	while read -r stamp; do
		s=$(TZ=Etc/GMT+3 date -d "$stamp" +%s)
		[ "$s" -ge $((t0 - 1)) ] && [ "$s" -le $((t1 + 1)) ] || echo "$stamp"
	done)
check_eq "every timestamp in the process's zone" "$bad" ""
check_eq "the log starts with the version line" \
	"$(grep -c "INFO: parkbox $(cat "$ROOT/VERSION") starting (gwlib" "$LOG.1")" 1

check_logs_clean "no ERROR or PANIC"
pb_stop "$PB_PID"; check_eq "clean stop: exit status 0" "$?" 0
PB_PIDS=
check_eq "the pid file is removed at exit" "$(ls "$BOX_DIR/run")" ""
done_testing

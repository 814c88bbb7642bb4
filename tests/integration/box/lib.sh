# box/lib.sh: helpers for the parkbox integration tests (POSIX sh, sourced after
# tests/lib.sh). A test gets a real bearerbox with the fake SMSC, one or more
# parkbox processes, and a fakephone (build/tests/integration/fakephone) that
# stays connected to the fake SMSC: it sends what the test writes to fd 3 and
# prints what arrives to $BOX_DIR/phone.out as "< FROM TO TEXT".
#
# Ports: PARK_BOX_PORT_BASE: admin +0, smsbox +1, fake SMSC +2.
# Every wait is bounded; box_cleanup (installed as the EXIT trap by box_setup)
# stops every process this test started, by pid.

# default: one of 14000..14987 derived from the test cluster port, so that runs
# against different clusters do not collide
BOX_BASE=${PARK_BOX_PORT_BASE:-$((14000 + (${PGPORT:-55433} % 330) * 3))}
BOX_ADMIN_PORT=$BOX_BASE
BOX_SMSBOX_PORT=$((BOX_BASE + 1))
BOX_FAKE_PORT=$((BOX_BASE + 2))
BOX_PARKBOX=${PARK_BOX_BIN:-$ROOT/build/parkbox}
# pb_start runs $PB_LAUNCH $BOX_PARKBOX $PB_ARGS CONFIG and watches $PB_LOG (the
# log-file of the config); a test may set the three (e.g. PB_LAUNCH="runuser -u kannel --").
PB_LAUNCH=
PB_ARGS=
PB_LOG=
BOX_PHONE=$ROOT/build/tests/integration/fakephone
BOX_HOUR_SECONDS=${BOX_HOUR_SECONDS:-60}
BOX_CLOCK_ORIGIN=${BOX_CLOCK_ORIGIN:-$(date +%s)}   # the fast clock of every parkbox in this test starts here
BB_PID=
PHONE_PID=
PB_PIDS=

# box_setup NAME: a fresh database NAME and a work folder var/test-box/NAME.
box_setup() {
	BOX_NAME=$1
	BOX_DIR=$ROOT/var/test-box/$1
	rm -rf "$BOX_DIR"
	mkdir -p "$BOX_DIR"
	new_db "$1"
	# (BOX_PAID_HOURS=real keeps the sample's paid hours; else every zone is paid at all hours)
	psql -X -q -v ON_ERROR_STOP=1 -f "$ROOT/sql/sample/zones.sql" >/dev/null &&
		{ [ "${BOX_PAID_HOURS:-}" = real ] ||
		  psql -X -q -v ON_ERROR_STOP=1 -f "$ROOT/sql/sample/always_paid.sql" >/dev/null; } ||
		{ echo "box_setup: cannot load sample zones" >&2; exit 1; }
	[ -x "$BOX_PARKBOX" ] && [ -x "$BOX_PHONE" ] ||
		{ echo "box_setup: build first (make)" >&2; exit 1; }
	trap box_cleanup EXIT
	trap 'exit 1' INT TERM
}

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds.
wait_for() {
	_n=$(($1 * 10)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

alive() { kill -0 "$1" 2>/dev/null; }

# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 10).
stop_pid() {
	[ -n "$1" ] || return 0
	alive "$1" || return 0
	kill "$1" 2>/dev/null
	wait_for "${2:-10}" sh -c "! kill -0 $1" || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

box_write_kannel_conf() {
	cat > "$BOX_DIR/kannel.conf" <<CONF
group = core
admin-port = $BOX_ADMIN_PORT
admin-interface = 127.0.0.1
admin-password = test
status-password = test
admin-allow-ip = 127.0.0.1
smsbox-port = $BOX_SMSBOX_PORT
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
box-deny-ip = "*.*.*.*"
log-file = $BOX_DIR/bearerbox.log
log-level = 1
access-log = $BOX_DIR/access.log
store-type = file
store-location = $BOX_DIR/kannel.store

group = smsbox
bearerbox-host = 127.0.0.1
smsbox-id = parkbox

group = smsc
smsc = fake
smsc-id = fake
port = $BOX_FAKE_PORT
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox-route
smsbox-id = parkbox
shortcode = "7757;7701"
CONF
}

# bb_start: bearerbox, waited for until it accepts boxes.
bb_start() {
	[ -f "$BOX_DIR/kannel.conf" ] || box_write_kannel_conf
	touch "$BOX_DIR/kannel.store"       # a missing store file is logged as an error
	_lines=$(cat "$BOX_DIR/bearerbox.log" 2>/dev/null | wc -l)
	rm -f "$BOX_DIR/bearerbox.pid"
	/usr/sbin/bearerbox -p "$BOX_DIR/bearerbox.pid" "$BOX_DIR/kannel.conf" >"$BOX_DIR/bearerbox.out" 2>&1 &
	BB_PID=$!
	wait_for 15 sh -c "tail -n +$((_lines + 1)) '$BOX_DIR/bearerbox.log' | grep -q 'entering mainloop'" ||
		{ echo "bb_start: bearerbox did not start" >&2; tail "$BOX_DIR/bearerbox.out" >&2; exit 1; }
}

# The bearerbox running now: an admin restart makes bearerbox fork and exec a
# new process, which writes its pid to the pid file.
bb_pid() { cat "$BOX_DIR/bearerbox.pid" 2>/dev/null || echo "$BB_PID"; }
bb_stop() { _p=$(bb_pid); stop_pid "$_p" 20; [ "$_p" = "$BB_PID" ] || stop_pid "$BB_PID" 5; BB_PID=; }
bb_kill9() { kill -9 "$(bb_pid)" 2>/dev/null; wait "$BB_PID" 2>/dev/null; BB_PID=; }

# box_write_parkbox_conf [KEY = VALUE lines...]: parkbox.conf for this test; without a
# rate-limit line, none (the tests send many messages from one phone in a few seconds).
box_write_parkbox_conf() {
	{
		echo "group = parkbox"
		echo "bearerbox-port = $BOX_SMSBOX_PORT"
		echo "smsbox-id = parkbox"
		echo "pg-conninfo = \"host=$PGHOST port=$PGPORT user=${PGUSER:-postgres} dbname=$PGDATABASE\""
		echo "templates = $ROOT/templates/replies.conf"
		echo "log-file = $BOX_DIR/parkbox.log"
		echo "log-level = 1"
		echo "workers = 4"
		echo "hour-seconds = $BOX_HOUR_SECONDS"
		echo "clock-origin = $BOX_CLOCK_ORIGIN"     # one clock for every parkbox of the test
		echo "confirm-timeout = 900"
		case "$*" in *rate-limit*) ;; *) echo "rate-limit = 0" ;; esac
		for l in "$@"; do echo "$l"; done
	} > "$BOX_DIR/parkbox.conf"
}

pb_log() { echo "${PB_LOG:-$BOX_DIR/parkbox.log}"; }
connected_count() { _c=$(grep -c 'connected to bearerbox at' "$(pb_log)" 2>/dev/null) || true; echo "${_c:-0}"; }

# pb_start: one more parkbox; waits until it has connected and bearerbox has
# accepted it (bearerbox logs the accept; the identify follows at once).
pb_start() {
	[ -f "$BOX_DIR/parkbox.conf" ] || box_write_parkbox_conf
	_before=$(connected_count)
	_bb_before=$(grep -c 'INFO: Client connected from' "$BOX_DIR/bearerbox.log")
	# shellcheck disable=SC2086
	$PB_LAUNCH "$BOX_PARKBOX" $PB_ARGS "$BOX_DIR/parkbox.conf" >>"$BOX_DIR/parkbox.out" 2>&1 &
	PB_PID=$!
	PB_PIDS="$PB_PIDS $PB_PID"
	wait_for 15 sh -c "[ \$(grep -c 'connected to bearerbox at' '$(pb_log)') -gt $_before ]" ||
		{ echo "pb_start: parkbox did not connect" >&2; tail "$BOX_DIR/parkbox.out" >&2; exit 1; }
	wait_for 10 sh -c "[ \$(grep -c 'INFO: Client connected from' '$BOX_DIR/bearerbox.log') -gt $_bb_before ]"
	sleep 0.3
}

# pb_stop PID: SIGTERM; returns parkbox's exit status (124 if it had to be killed).
pb_stop() {
	kill "$1" 2>/dev/null
	if wait_for 15 sh -c "! kill -0 $1"; then wait "$1"; return $?; fi
	kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null
	return 124
}

# phone_start: connect the fakephone; fd 3 is its input.
phone_start() {
	rm -f "$BOX_DIR/phone.in"
	mkfifo "$BOX_DIR/phone.in"
	"$BOX_PHONE" -p "$BOX_FAKE_PORT" -w 10 -t 1 $PHONE_OPTS <"$BOX_DIR/phone.in" >>"$BOX_DIR/phone.out" 2>>"$BOX_DIR/phone.err" &
	PHONE_PID=$!
	exec 3>"$BOX_DIR/phone.in"
	wait_for 10 grep -q 'Fakesmsc client connected' "$BOX_DIR/bearerbox.log"
}

phone_stop() {
	exec 3>&-
	stop_pid "$PHONE_PID" 5
	PHONE_PID=
}

# sms FROM TO TEXT: the phone sends one MO.
sms() { printf '%s %s %s\n' "$1" "$2" "$3" >&3; }

# expect_sms WHAT FROM TO REGEX [SECONDS]: the next message from FROM to TO
# (after the last one expected for that pair) must match REGEX, within SECONDS
# (default 10). Each FROM/TO pair is read in order on its own.
expect_sms() {
	_what=$1 _from=$2 _to=$3 _re=$4 _secs=${5:-10}
	eval "_mark=\${MARK_$2_$3:-0}"
	_n=$((_secs * 10))
	while [ "$_n" -gt 0 ]; do
		_hit=$(tail -n +$((_mark + 1)) "$BOX_DIR/phone.out" 2>/dev/null |
			grep -n -m1 "^< $_from $_to ")
		if [ -n "$_hit" ]; then
			eval "MARK_$2_$3=$((_mark + ${_hit%%:*}))"
			LAST_SMS=${_hit#*:< $_from $_to }
			check_match "$_what" "$LAST_SMS" "$_re"
			return
		fi
		sleep 0.1
		_n=$((_n - 1))
	done
	LAST_SMS=
	fail "$_what: no message from $_from to $_to within ${_secs}s"
}

# no_sms WHAT FROM TO SECONDS: nothing new arrives from FROM to TO for SECONDS.
no_sms() {
	sleep "$4"
	eval "_mark=\${MARK_$2_$3:-0}"
	_hit=$(tail -n +$((_mark + 1)) "$BOX_DIR/phone.out" | grep -m1 "^< $2 $3 ")
	if [ -z "$_hit" ]; then ok "$1"; else fail "$1: unexpected '$_hit'"; fi
}

# count_sms FROM TO REGEX: how many messages so far from FROM to TO match.
# (TO may be a prefix of the receiving numbers.)
count_sms() { grep "^< $1 $2" "$BOX_DIR/phone.out" | sed 's/^< [^ ]* [^ ]* //' | grep -c -E -- "$3"; }

# check_logs_clean WHAT: neither log of this test has an ERROR or PANIC line.
check_logs_clean() {
	_bad=$(grep -h -E 'ERROR:|PANIC:' "$BOX_DIR/bearerbox.log" "$(pb_log)" 2>/dev/null | head -3)
	if [ -z "$_bad" ]; then ok "$1"; else fail "$1: $_bad"; fi
}

check_invariants() {
	check_eq "$1" "$(q 'SELECT count(*) FROM money_invariants()')" 0
}

box_cleanup() {
	exec 3>&- 2>/dev/null
	for p in $PB_PIDS; do stop_pid "$p" 15; done
	stop_pid "$PHONE_PID" 5
	[ -n "$BB_PID" ] && bb_stop
	return 0
}

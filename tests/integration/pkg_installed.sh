#!/bin/sh
# pkg_installed.sh: the installed Debian package. scripts/check-package installs it and
# runs this test with PARK_PKG_INSTALLED=1 (without it the test says so and passes).
# The installed parkbox --version and --help; parkbox-migrate on a new database, by name
# and through a configuration's pg-conninfo, and again with nothing left to do; then the
# installed box, started with the unit's own command line and the installed configuration
# (its default templates), as the kannel user, answering an MO through a real bearerbox
# with one info line per MO in its log, the texts in its access log and nothing of the
# message on stderr (the journal).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

if [ -z "${PARK_PKG_INSTALLED:-}" ]; then
	echo "skipped: scripts/check-package runs it after installing the package"
	exit 0
fi
version=$(cat "$ROOT/VERSION")
unit=/lib/systemd/system/parkbox.service

# --- the programs
check_eq "package version is VERSION" "$(dpkg-query -W -f='${Version}' parkbox)" "$version"
check_eq "on the PATH" "$(for c in parkbox parkzones parkctl parkbox-migrate; do command -v $c; done | tr '\n' ' ')" \
	"/usr/sbin/parkbox /usr/bin/parkzones /usr/bin/parkctl /usr/bin/parkbox-migrate "
check_eq "the manual pages" "$(dpkg -L parkbox | grep -c '^/usr/share/man/man[158]/park.*\.gz$')" 5
out=$(/usr/sbin/parkbox --version); st=$?
check_eq "parkbox --version: exit status 0" "$st" 0
check_eq "parkbox --version: its own version" "$(echo "$out" | head -n 1)" "parkbox $version"
check_match "parkbox --version: gwlib, libpq, GEOS" "$(echo "$out" | sed 1d | cut -d' ' -f1 | tr '\n' ' ')" \
	'^gwlib libpq GEOS $'
out=$(/usr/sbin/parkbox --help); st=$?
check_eq "parkbox --help: exit status 0" "$st" 0
check_match "parkbox --help: the package's templates" "$out" '^/etc/parkbox/replies\.conf\.$'
check_eq "conffiles" "$(dpkg-query -W -f='${Conffiles}\n' parkbox | awk 'NF { print $1 }' | sort | tr '\n' ' ')" \
	"/etc/kannel/parkbox.conf /etc/logrotate.d/parkbox /etc/parkbox/replies.conf "
check_eq "the kannel user owns /var/log/kannel" "$(stat -c %U /var/log/kannel)" kannel

# --- parkbox-migrate
applied() { grep -c ': applied [0-9]' "$1" || true; }
want=$(ls /usr/share/parkbox/sql/[0-9]*.sql | wc -l)
template_versions=$(PGDATABASE=park_template q 'SELECT string_agg(version || $$:$$ || name, $$,$$ ORDER BY version) FROM schema_version')

dropdb --if-exists park_pkg_by_name >/dev/null 2>&1
parkbox-migrate park_pkg_by_name >"$ROOT/var/pkg-migrate.out" 2>&1; st=$?
check_eq "parkbox-migrate DBNAME: exit status 0" "$st" 0
check_eq "parkbox-migrate DBNAME: every migration applied" "$(applied "$ROOT/var/pkg-migrate.out")" "$want"
check_eq "parkbox-migrate DBNAME: the schema of scripts/migrate" \
	"$(PGDATABASE=park_pkg_by_name q 'SELECT string_agg(version || $$:$$ || name, $$,$$ ORDER BY version) FROM schema_version')" \
	"$template_versions"

dropdb --if-exists park_pkg_by_conf >/dev/null 2>&1
createdb park_pkg_by_conf
conf=$ROOT/var/pkg-migrate.conf
sed "s|^pg-conninfo = .*|pg-conninfo = \"host=$PGHOST port=$PGPORT user=${PGUSER:-postgres} dbname=park_pkg_by_conf\"   # the test cluster|" \
	/etc/kannel/parkbox.conf > "$conf"
env -u PGDATABASE parkbox-migrate -c "$conf" >"$ROOT/var/pkg-migrate.out" 2>&1; st=$?
check_eq "parkbox-migrate -c CONFIG: exit status 0" "$st" 0
check_eq "parkbox-migrate -c CONFIG: every migration in pg-conninfo's database" \
	"$(applied "$ROOT/var/pkg-migrate.out"):$(PGDATABASE=park_pkg_by_conf q 'SELECT count(*) FROM schema_version')" "$want:$want"
check_eq "parkbox-migrate -c CONFIG: names the database, not the connection string" \
	"$(head -n 1 "$ROOT/var/pkg-migrate.out")" "migrate: park_pkg_by_conf: applied 0001_core"
env -u PGDATABASE parkbox-migrate -c "$conf" >"$ROOT/var/pkg-migrate.out" 2>&1; st=$?
check_eq "parkbox-migrate again: nothing to do" "$st:$(applied "$ROOT/var/pkg-migrate.out")" "0:0"
parkbox-migrate -c /nonexistent.conf >/dev/null 2>&1; st=$?
check_eq "parkbox-migrate -c MISSING: exit status 1" "$st" 1

# --- the installed box, as systemd would start it, on the database parkbox-migrate made
box_setup park_pkg_installed
PGDATABASE=park_pkg_by_name; export PGDATABASE
psql -X -q -v ON_ERROR_STOP=1 -f /usr/share/parkbox/sql/sample/zones.sql \
	-f /usr/share/parkbox/sql/sample/always_paid.sql >/dev/null
mkdir -p "$BOX_DIR/log" "$BOX_DIR/run"
LOG=$BOX_DIR/log/parkbox ACCESS=$BOX_DIR/log/parkbox-access
sed -e "s|^bearerbox-port = .*|bearerbox-port = $BOX_SMSBOX_PORT|" \
    -e "s|^pg-conninfo = .*|pg-conninfo = \"host=$PGHOST port=$PGPORT user=${PGUSER:-postgres} dbname=$PGDATABASE\"|" \
    -e "s|/var/log/kannel/|$BOX_DIR/log/|" /etc/kannel/parkbox.conf > "$BOX_DIR/parkbox.conf"
check_eq "installed configuration: no templates key (the default)" \
	"$(grep -c '^templates' "$BOX_DIR/parkbox.conf")" 0
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
check_eq "the unit runs the box at level 2" "$exec_start" \
	"/usr/sbin/parkbox -v 2 -p /run/parkbox/parkbox.pid /etc/kannel/parkbox.conf"
BOX_PARKBOX=${exec_start%% *}
PB_ARGS=$(echo "$exec_start" | sed -e 's/^[^ ]* //' -e "s| /etc/kannel/parkbox.conf$||" \
	-e "s|/run/parkbox/|$BOX_DIR/run/|")
PB_LOG=$LOG
user=$(sed -n 's/^User=//p' "$unit")
check_eq "the unit's user" "$user" kannel
if [ "$(id -u)" -eq 0 ]; then
	chown "$user" "$BOX_DIR/log" "$BOX_DIR/run"
	PB_LAUNCH="setpriv --reuid=$user --regid=nogroup --clear-groups --"
fi
bb_start
pb_start
phone_start
[ -n "$PB_LAUNCH" ] && check_eq "runs as $user" "$(ps -o user= -p "$PB_PID")" "$user"

A=77011234567
sms $A 7757 '1001*A111AAA*2'
expect_sms "answered with the installed templates" 7701 $A \
	'^Зона 1001 Зелёный базар, A111AAA, 2 ч: 300 тг, кошелёк\. Оплатить: ответьте 1 до [0-9:]+, отменить: 0\.$'
wait_for 5 grep -q "Sent SMS .*\[to:$A\]" "$ACCESS"
check_eq "log: one info line per MO, masked" \
	"$(grep -c "INFO: MO [0-9a-f-]* from 7701\*\*\*\*\*67 to 7757: acked, 1 reply" "$LOG")" 1
check_eq "log: no other line names the MO" "$(grep -c 'INFO: MO ' "$LOG")" 1
check_eq "access log: the MO with its text" \
	"$(grep -c "Receive SMS .*\[from:$A\] \[to:7757\] \[msg:14:1001\*A111AAA\*2\]" "$ACCESS")" 1
check_eq "stderr (the journal): nothing of the message" \
	"$(grep -c -e "$A" -e '7701\*' -e 'A111AAA' -e 'INFO:' "$BOX_DIR/parkbox.out")" 0
check_logs_clean "no ERROR or PANIC"
done_testing

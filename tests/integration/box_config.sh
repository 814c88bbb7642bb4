#!/bin/sh
# box_config.sh: parkbox refuses a bad configuration at start, naming the group
# and the key, and exits 1 without connecting anywhere; bad usage exits 2 without a
# backtrace; --help and --version print to stdout and exit 0.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/integration/box/lib.sh"

box_setup park_box_config

# try NAME EXPECTED-REGEX CONFIG-LINES...: parkbox must exit 1 and say REGEX.
try() {
	_name=$1 _re=$2; shift 2
	box_write_parkbox_conf "$@"
	out=$(timeout 10 "$BOX_PARKBOX" "$BOX_DIR/parkbox.conf" 2>&1)
	st=$?
	check_eq "$_name: exit status 1" "$st" 1
	check_match "$_name: says why" "$out" "$_re"
}

try "unknown key" "Group 'parkbox' may not contain field 'colour'" "colour = blue"
try "bad number" "group 'parkbox': key 'workers': 'many' is not a whole number from 1 to 100" "workers = many"
try "number out of range" "group 'parkbox': key 'bearerbox-port': '70000' is not a whole number from 1 to 65535" "bearerbox-port = 70000"
try "trailing garbage" "key 'max-hours': '12h' is not a whole number" "max-hours = 12h"
try "bad language" "key 'default-language': 'de' is not one of: ru kk en" "default-language = de"
try "bad plate policy" "key 'plate-policy': 'any' is not one of" "plate-policy = any"
try "service number not digits" "key 'service-number': 'PARK' is not a number" "service-number = PARK"
try "same numbers" "'service-number' and 'confirm-number' must differ" "confirm-number = 7757"
try "hour-seconds above an hour" "key 'hour-seconds': '7200' is not a whole number from 1 to 3600" "hour-seconds = 7200"
try "unknown time zone" "key 'timezone': no zone 'Mars/Olympus'" "timezone = Mars/Olympus"
try "unreadable templates" "key 'templates': cannot read '/nonexistent/replies.conf'" "templates = /nonexistent/replies.conf"
printf '[ru]\nhelp = only this\n' > "$BOX_DIR/bad-templates.conf"
try "incomplete templates" "key 'templates': .*bad-templates.conf: " "templates = $BOX_DIR/bad-templates.conf"
try "access log cannot be opened" "group 'parkbox': key 'access-log': cannot open '/nonexistent/parkbox-access': No such file" "access-log = /nonexistent/parkbox-access"
try "database unreachable" "cannot start the parking service: " "pg-conninfo = \"host=127.0.0.1 port=1 dbname=none connect_timeout=2\""

printf 'group = core\nadmin-port = 1\n' > "$BOX_DIR/no-group.conf"
out=$(timeout 10 "$BOX_PARKBOX" "$BOX_DIR/no-group.conf" 2>&1); st=$?
check_eq "no parkbox group: exit status 1" "$st" 1
check_match "no parkbox group: says so" "$out" "has no 'group = parkbox'"

out=$(timeout 10 "$BOX_PARKBOX" 2>&1); st=$?
check_eq "no config file: exit status 2" "$st" 2
check_match "no config file: usage" "$out" '^usage: parkbox'

out=$(timeout 10 "$BOX_PARKBOX" -Z "$BOX_DIR/parkbox.conf" 2>&1); st=$?
check_eq "unknown option: exit status 2" "$st" 2
check_eq "unknown option: one line, no backtrace" "$out" \
	"parkbox: unknown option '-Z' (try parkbox --help)"

for h in --help -h; do
	out=$(timeout 10 "$BOX_PARKBOX" $h 2>"$BOX_DIR/help.err"); st=$?
	check_eq "$h: exit status 0" "$st" 0
	check_match "$h: usage on stdout" "$out" '^usage: parkbox \[OPTIONS\] CONFIG'
	check_match "$h: names the default templates" "$out" '/parkbox/replies\.conf\.$'
	check_eq "$h: nothing on stderr" "$(cat "$BOX_DIR/help.err")" ""
done

out=$(timeout 10 "$BOX_PARKBOX" --version 2>"$BOX_DIR/version.err"); st=$?
check_eq "--version: exit status 0" "$st" 0
check_eq "--version: parkbox's own version first" "$(echo "$out" | head -n 1)" \
	"parkbox $(cat "$ROOT/VERSION")"
check_match "--version: gwlib, libpq, GEOS" "$(echo "$out" | sed 1d | tr '\n' '|')" \
	'^gwlib [0-9.]+ \(Kannel, linked statically\)\|libpq [0-9]+\.[0-9]+\|GEOS [0-9.]+[^|]*\|$'
check_eq "--version: nothing on stderr" "$(cat "$BOX_DIR/version.err")" ""

# every key of the schema is documented in the guide's table and in parkbox.conf(5)
undocumented=$(sed -n 's/^PB_[A-Z]*(\([a-z-]*\),.*/\1/p' "$ROOT/plugin/box/parkbox-cfg.def" | while read -r k; do
	grep -q "^| \`$k\` |" "$ROOT/docs/parkbox.md" || echo "docs/parkbox.md:$k"
	grep -q "^\.BR $(echo "$k" | sed 's/-/\\\\-/g') " "$ROOT/man/parkbox.conf.5" || echo "man/parkbox.conf.5:$k"
done)
check_eq "every key documented in docs/parkbox.md and man/parkbox.conf.5" "$undocumented" ""

done_testing

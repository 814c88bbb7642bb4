#!/bin/sh
# docs_security.sh: what a carrier copies is safe as written: every kannel.conf snippet
# that admits boxes by address (box-allow-ip) also denies every other address (in
# Kannel an allow list without a deny list admits everyone); the configuration files
# the demo writes and `make install` installs are not world-readable. No database needed.
. "$ROOT/tests/lib.sh"

# allow_without_deny FILE...: "FILE:LINE" of each box-allow-ip whose snippet (a fenced
# block in Markdown, the whole file otherwise) has no box-deny-ip = "*.*.*.*"
allow_without_deny() {
	for f in "$@"; do
		awk -v f="$f" '
			function flush() { if (allow && !deny) print f ":" allow; allow = deny = 0 }
			/^[[:space:]]*```/ { flush(); next }
			/box-allow-ip/ && !allow { allow = FNR }
			/box-deny-ip[[:space:]]*=[[:space:]]*"\*\.\*\.\*\.\*"/ { deny = 1 }
			END { flush() }' "$f"
	done
}

snippets=$(grep -l 'box-allow-ip' "$ROOT/README.md" "$ROOT"/docs/*.md "$ROOT"/conf/* \
	"$ROOT"/scripts/* 2>/dev/null)
check_eq "kannel.conf snippets with box-allow-ip exist (docs, the sample, the demo)" \
	"$([ "$(printf '%s\n' "$snippets" | grep -c '')" -ge 3 ] && echo yes)" yes
# shellcheck disable=SC2086
check_eq "every box-allow-ip comes with box-deny-ip = \"*.*.*.*\"" \
	"$(allow_without_deny $snippets)" ""
# the check itself: an allow list alone is found
tmp=$(mktemp -d /tmp/docs-security.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
printf '```\ngroup = core\nbox-allow-ip = 127.0.0.1\n```\n' >"$tmp/bad.md"
check_eq "an allow list without a deny list is caught" "$(allow_without_deny "$tmp/bad.md")" \
	"$tmp/bad.md:3"

# the demo's write_configs, run on its own: kannel.conf (admin password), parkbox.conf
# (pg-conninfo) and the Diameter files are the owner's only, whatever the umask
sed -n '/^write_configs() (/,/^)$/p' "$ROOT/scripts/demo" >"$tmp/write_configs.sh"
check_eq "scripts/demo has write_configs" "$(grep -c '^write_configs() ($' "$tmp/write_configs.sh")" 1
(
	umask 022
	DEMO=$tmp PHONE_NUMBER=77010000001 FAKE_PORT=1 ADMIN_PORT=2 SMSBOX_PORT=3 DIAMETER_PORT=4
	PGHOST=/tmp PGPORT=5432
	. "$tmp/write_configs.sh"
	write_configs
)
modes=$(cd "$tmp" && stat -c '%n %a' kannel.conf parkbox.conf ocs.conf parkbox-diameter.conf 2>&1)
check_eq "the demo's configuration files are mode 0600" "$modes" \
	"kannel.conf 600
parkbox.conf 600
ocs.conf 600
parkbox-diameter.conf 600"
check_eq "the demo's kannel.conf holds a password (so the mode matters)" \
	"$(grep -c '^admin-password' "$tmp/kannel.conf")" 1

# make install: parkbox.conf 0640, replies.conf 0644
if [ -x "${PARK_BUILD:-$ROOT/build}/parkbox" ] || [ -x "$ROOT/build/parkbox" ]; then
	(cd "$ROOT" && make -s install DESTDIR="$tmp/inst" >/dev/null 2>&1)
	check_eq "make install: parkbox.conf 0640, replies.conf 0644" \
		"$(cd "$tmp/inst" && find . -name parkbox.conf -path '*kannel*' -exec stat -c %a {} \;) $(cd "$tmp/inst" && find . -name replies.conf -exec stat -c %a {} \;)" \
		"640 644"
fi
done_testing

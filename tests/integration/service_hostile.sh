#!/bin/sh
# service_hostile.sh: the hostile catalogue (tests/integration/hostile_inputs): for each
# input the reply (its outbox kind, a part of its text), its SMS parts, and what it may
# change in the database; then the flood from one phone against the rate limit.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/integration/service_helpers"

CAT="$ROOT/tests/integration/hostile_inputs"
service_db svc_hostile
topup $A 100000

# real: the driver on the shipped (Russian) templates, each reply followed by " [PARTS]"
real() { "$DRIVE" -t "$ROOT/templates/replies.conf" -P $DRIVE_OPTS "$@"; }

# the database as the catalogue sees it: sessions, ledger transactions, subscribers, their
# money, MOs recorded, pending debits (all, open)
fingerprint() {
	q "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM ledger_tx),
	          (SELECT count(*) FROM subscribers),
	          (SELECT coalesce(sum(wallet_tiyn + account_tiyn), 0) FROM subscribers),
	          (SELECT count(*) FROM processed_mo), (SELECT count(*) FROM pending_debits),
	          (SELECT count(*) FROM pending_debits WHERE state = 'open')"
}

# want_after BEFORE EFFECT: the fingerprint EFFECT leaves (none: nothing written; mo: the
# MO recorded with its reply; pending: a debit requested, then declined by "0" to 7701)
want_after() {
	echo "$1" | awk -F'|' -v e="$2" 'BEGIN { OFS = "|" }
		{ if (e == "mo") $5++; if (e == "pending") { $5 += 2; $6++ } print }'
}

i=0 n=0
while IFS='|' read -r key parts effect from to contains text; do
	case $key in ''|'#'*) continue ;; esac
	i=$((i + 1))
	[ "$from" = A ] && from=$A
	before=$(fingerprint)
	out=$(printf '@time %s\nh%d %s %s %s\n' "$T0" "$i" "$from" "$to" "$text" | real)
	got_key=$(q "SELECT coalesce(string_agg(kind, ',' ORDER BY id), '-') FROM outbox WHERE mo_id = 'h$i'")
	got_parts=$(printf '%s\n' "$out" | sed -n '1s/.* \[\([0-9]*\)\]$/\1/p')
	[ -n "$out" ] || got_parts=0
	lines=$(printf '%s' "$out" | grep -c '')
	if [ "$effect" = pending ]; then
		dec=$(printf '@time %s\nh%d.no %s 7701 0\n' "$T0" "$i" "$from" | real | sed 's/ \[[0-9]*\]$//')
		case $dec in *"Оплата отменена"*) ;; *) fail "#$i: the decline after it: $dec" ;; esac
	fi
	after=$(fingerprint)
	what="#$i $from -> $to '$text'"
	ok=1
	[ "$got_key" = "$key" ] || { ok=0; echo "#   $what: reply $got_key, want $key"; }
	[ "$got_parts" = "$parts" ] || { ok=0; echo "#   $what: $got_parts parts, want $parts"; }
	[ "$lines" -le 1 ] || { ok=0; echo "#   $what: $lines replies"; }
	case $out in *"$contains"*) ;; *) ok=0; echo "#   $what: reply lacks '$contains'" ;; esac
	case $out in *'\x'*) ok=0; echo "#   $what: a control byte in the reply" ;; esac
	want=$(want_after "$before" "$effect")
	[ "$after" = "$want" ] || { ok=0; echo "#   $what: database $before -> $after, want $want ($effect)"; }
	[ $ok = 1 ] && ok "$what: $key, $parts parts, $effect" || { fail "$what"; echo "#   got: $out"; }
	n=$((n + 1))
done <"$CAT"
check_eq "the catalogue holds at least 100 inputs" "$([ $n -ge 100 ] && echo yes)" yes
check_eq "no reply holds a control character or a bidi mark" \
	"$(q "SELECT count(*) FROM outbox WHERE text ~ E'[\\\\x01-\\\\x1f\\\\x7f-\\\\x9f\\\\u200e\\\\u200f\\\\u202a-\\\\u202e\\\\u2066-\\\\u2069]'")" 0
check_eq "dropped senders left no subscriber" \
	"$(q "SELECT string_agg(msisdn, ',' ORDER BY msisdn) FROM subscribers")" "$A"
check_eq "nothing was charged" "$(wallet $A) $(account $A)" "100000 0"
check_invariants "after the catalogue"

# a dropped sender is one log line with the reason and a masked number
log=$(printf '@time %s\nx1 ABC 7757 1001*A111AAA*1\nx2 +7701123456789012 7757 S\n' "$T0" |
	real -v 2>&1 >/dev/null | grep dropped)
check_out "dropped senders are logged, masked, with the reason" "$log" \
"service: 1 MO x1 from *** dropped: the sender is not an MSISDN (not digits)
service: 1 MO x2 from +770***********12 dropped: the sender is not an MSISDN (more than 15 digits)"

# the confirmation number while a debit waits: what confirms, declines, or leaves it
# waiting (each case its own phone and car: a stopped session's rest on the parking account
# would pay the next one without a confirmation)
j=0
while IFS='|' read -r key text; do
	j=$((j + 1))
	p=$(printf '+770200000%02d' $j) car=$(printf '%03dABC02' $j)
	topup "$p" 100000
	printf '@time %s\nc%d.s %s 7757 1001*%s*1\nc%d %s 7701 %s\n' "$T0" $j "$p" "$car" $j "$p" \
		"$text" | real >/dev/null
	got=$(q "SELECT coalesce(string_agg(kind, ',' ORDER BY id), '-') FROM outbox WHERE mo_id = 'c$j'")
	check_eq "7701 '$text' with a debit waiting -> $key" "$got" "$key"
	[ "$key" = confirm_how ] &&
		printf '@time %s\nc%d.e %s 7701 0\n' "$T0" $j "$p" | real >/dev/null
	check_eq "nothing waits after 7701 '$text'" \
		"$(q "SELECT count(*) FROM pending_debits WHERE state = 'open'")" 0
done <<EOF
started|1
started|１
started|\xe2\x80\x8f1
started|\xe2\x80\xae1
started|\xe2\x80\x8b1\xef\xbb\xbf
started| 1 
started|1.
started|01
started|да
declined|0
declined|０
declined|нет
confirm_how|١
confirm_how|①
confirm_how|1\x1b
confirm_how|\x071
confirm_how|11
confirm_how|l
confirm_how|\xff
confirm_how|1; DROP TABLE pending_debits
confirm_how|%n
EOF
check_eq "every confirmation charged once" \
	"$(q "SELECT count(*) || ' ' || count(DISTINCT msisdn) FROM sessions WHERE msisdn LIKE '+7702%'")" "9 9"
check_invariants "after the confirmation number's edge cases"

# the flood: 50 start requests in 2 s from one phone with rate-limit 10 (parkbox's
# default): 10 handled (the first asks, the next 9 each replace it: 19 replies), one
# rate_limited, 39 dropped unrecorded; a "1" to 7701 in the middle of it still confirms
topup $C 100000
flood=$({
	echo "@time $T0"
	for k in $(seq 1 50); do
		[ "$k" = 26 ] && { echo "@time $((T0 + 1))"; echo "f.yes $C 7701 1"; }
		echo "f$k $C 7757 1001*777AAA02*1"
	done
} | real -L 10 -v 2>"$TPL.log")
check_eq "the flood gets 19 replies, one rate_limited and the confirmation's" \
	"$(printf '%s\n' "$flood" | grep -c '')" 21
check_eq "the flood's replies by kind" \
	"$(q "SELECT string_agg(kind || ':' || n, ' ' ORDER BY kind) FROM (SELECT kind, count(*) AS n
	      FROM outbox WHERE receiver = '$C' GROUP BY kind) k")" \
	"confirm_start_plain:10 pending_replaced:9 rate_limited:1 started:1"
check_eq "the one over the limit is answered, in one part" \
	"$(printf '%s\n' "$flood" | grep -c 'Слишком много сообщений. Подождите минуту и повторите. \[1\]$')" 1
check_eq "the 39 others are not recorded" \
	"$(q "SELECT count(*) FROM processed_mo WHERE msisdn = '$C'")" 12
check_eq "each dropped one is logged" \
	"$(grep -c "from +770\*\*\*\*\*\*03 dropped: over the rate limit of 10 a minute" "$TPL.log")" 39
check_eq "the confirmation in the flood started the session" \
	"$(q "SELECT count(*) FROM sessions WHERE msisdn = '$C'")" 1
printf '@time %s\ng1 %s 7757 S\n' $((T0 + 8)) $C | real -L 10 >/dev/null
check_eq "a minute's share later the phone is answered again" \
	"$(q "SELECT kind FROM outbox WHERE mo_id = 'g1'")" stopped
rm -f "$TPL.log"
check_invariants "after the flood"
done_testing

#!/bin/sh
# inspect_input.sh: operators' input checks with exit statuses: `plate` (no database) and
# `zone`. (Enforcement's input checks are parkctl's: enforce_rule.sh.)
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/lib.sh"
PZ=${PARKZONES:-$ROOT/build/parkzones}

# st CMD...: stdout, stderr and the exit status on one string
st() { out=$("$PZ" "$@" 2>&1); rc=$?; printf '%s\nrc=%s' "$out" "$rc"; }

# plate: no database needed
out=$(PGHOST=/nonexistent "$PZ" plate 'а111 ааа' '123-aaa-02' '123 ЕК 15' 'A 111 AA')
check_eq "plate: valid plates, no database" "$?" 0
check_out() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; printf '%s\n---\n%s\n' "$3" "$2" | sed 's/^/#   /'; fi; }
check_out "plate: canonical, format, region" "$out" \
"а111 ааа	A111AAA	KZ 1993 private	region A
123-aaa-02	123AAA02	KZ 2012 private	region 02 Almaty
123 ЕК 15	123EK15	KZ 2012 organisation	region 15 North Kazakhstan Region
A 111 AA	A111AA	KZ 1993 organisation	region A"
check_out "plate: every reason, exit 1" "$(st plate '123AAA21' 'Д111ААА' '' '---' 'ABCD' 'G111AAA' '1234567890ABCDEFGH' 123AAA02)" \
"123AAA21	INVALID	unknown region code (at character 7)
Д111ААА	INVALID	plate may contain only letters and digits (at character 1)
	INVALID	plate is empty
---	INVALID	plate is empty
ABCD	INVALID	not a Kazakhstan plate (123ABC02 or A123ABC)
G111AAA	INVALID	unknown region code (at character 1)
1234567890ABCDEFGH	INVALID	plate is too long (at character 16)
123AAA02	123AAA02	KZ 2012 private	region 02 Almaty
rc=1"
check_eq "plate --json" "$("$PZ" plate --json 'в 222 вв' 'Ж1' | jq -c '.plates[] | [.valid, .plate, .format, .region, .reason]')" \
'[true,"B222BB","KZ 1993 organisation","B",null]
[false,null,null,null,"plate may contain only letters and digits (at character 1)"]'
check_eq "plate --allow-other accepts a foreign plate" "$("$PZ" plate --allow-other AB1234CD | cut -f2,3)" "AB1234CD	other"
check_eq "plate without arguments: usage" "$(st plate | tail -1)" "rc=2"

new_db insp_input
"$PZ" import "$ROOT/gis/data/almaty-sample.geojson" >/dev/null || fail "import of the sample"
q "UPDATE zones SET active = false WHERE number = 1003" >/dev/null

# zone: number, name, tariff, active, blocks
check_eq "zone 1001: name, tariff, active, blocks" "$(st zone 1001 | sed -n '1,2p;$p')" \
	"1001  Green Market  150 tenge/h  active  8 blocks
      #1 Zenkov: Makataev - Zhibek Zholy, both sides, 256 m (approximate)
rc=0"
check_match "zone 1003 shows it is inactive" "$(st zone 1003 | head -1)" "INACTIVE"
check_eq "zone --json" "$("$PZ" zone --json 1002 | jq -c '.zones[] | [.number, .name, .tariff_tiyn, .active, (.blocks | length)]')" \
	'[1002,"City Administration",10000,true,1]'
check_eq "unknown zone: exit 1" "$(st zone 1077)" "parkzones list: zone 1077 does not exist
rc=1"
check_eq "zone with trailing junk: exit 1" "$(st zone 1001x)" \
	"parkzones zone: bad zone '1001x': a zone is a number of up to 4 digits (e.g. 1001)
rc=1"
check_eq "zone: 5 digits" "$(st zone 10011 | tail -1)" "rc=1"
check_eq "zone without a number: usage" "$(st zone | tail -1)" "rc=2"

# paid / sight / violations moved to parkctl: tests/integration/enforce_rule.sh
done_testing

/* policy_rows.h: the paid hours as the store reads them, for anyone who needs a zone's
 * policy set (the dialogue's snapshot, enforcement): the columns of policy_spans_core
 * (sql/0008_policies.sql) in the order the reader takes them, ordered by zone, priority,
 * policy; the holiday calendar; the readers that fill a struct dlg_tariffs from such
 * results (snapshot.c). dlg_zone_policies (dialogue.h) makes a zone's policy set of it.
 */
#ifndef PARK_POLICY_ROWS_H
#define PARK_POLICY_ROWS_H

#include <libpq-fe.h>

#include "dialogue.h"

#define POLICY_ROWS_COLS \
    "zone, policy, priority, rate_tiyn, holidays_free, start_min IS NOT NULL, " \
    "coalesce(days, 0), coalesce(start_min, 0), coalesce(end_min, 0), date_from, date_to, " \
    "is_default"
#define POLICY_ROWS_HOLIDAYS_SQL \
    "SELECT to_char(day, 'YYYYMMDD')::int FROM holidays ORDER BY day DESC LIMIT 64"

/* What does not fit the arrays is left out (a zone of more policies than DLG_MAX_POLICIES
   is not sold). */
void policy_rows_read(const PGresult *r, struct dlg_tariffs *ts);
void policy_rows_read_holidays(const PGresult *r, struct dlg_tariffs *ts);

#endif

/* dialogue.h: the SMS parking dialogue as one pure function.
 *
 * dialogue_step() takes what the store read for one subscriber (a snapshot), the parsed
 * command or a due event, `now` and the configuration, and returns what follows from
 * them: rows to insert or change, ledger transactions with their legs, the change of
 * the stored balances, and the replies, rendered from the templates. Every rule of the
 * dialogue is here (docs/parkbox.md has the table of states); plugin/store reads the
 * snapshot, calls dialogue_step and applies its output in the same transaction.
 *
 * Pure: no I/O, no clock, no allocation, no global state, no libpq. The same input
 * always gives the same output. All pointers in the input are borrowed; the output is
 * written into the caller's struct and points to nothing outside it.
 */
#ifndef PARK_DIALOGUE_H
#define PARK_DIALOGUE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "command.h"
#include "localtime.h"
#include "plate.h"
#include "policy.h"
#include "reply.h"

#define PENDING_STATE(s) PENDING_##s,
enum pending_state {
#include "dialogue.def"
    PENDING_STATE_COUNT
};
#undef PENDING_STATE
#define DEBIT_KIND(k) DEBIT_##k,
enum debit_kind {
#include "dialogue.def"
    DEBIT_KIND_COUNT
};
#undef DEBIT_KIND
#define END_REASON(r) END_##r,
enum end_reason {
#include "dialogue.def"
    END_REASON_COUNT
};
#undef END_REASON
#define RELEASE_KIND(k) RELEASE_##k,
enum release_kind {
#include "dialogue.def"
    RELEASE_KIND_COUNT
};
#undef RELEASE_KIND
#define PAY_METHOD(m) METHOD_##m,
enum pay_method {
#include "dialogue.def"
    PAY_METHOD_COUNT
};
#undef PAY_METHOD
#define CHARGE_STATE(s) CHARGE_##s,
enum charge_state {
#include "dialogue.def"
    CHARGE_STATE_COUNT
};
#undef CHARGE_STATE
#define CHARGE_OUTCOME(o) OUTCOME_##o,
enum charge_outcome {
#include "dialogue.def"
    CHARGE_OUTCOME_COUNT
};
#undef CHARGE_OUTCOME
/* The ledger kind of money charged for a debit that could no longer be made. */
#define DLG_LEDGER_CREDIT "credit"

/* The stored words ("open", "extend", "stopped", "end"): static, NULL outside the enum. */
const char *pending_state_name(enum pending_state s);
const char *debit_kind_name(enum debit_kind k);
const char *end_reason_name(enum end_reason r);
const char *release_kind_name(enum release_kind k);
const char *pay_method_name(enum pay_method m);
const char *charge_state_name(enum charge_state s);
const char *charge_outcome_name(enum charge_outcome o);
/* The enum value of a stored word, or -1. */
int debit_kind_parse(const char *word);
int pending_state_parse(const char *word);
int pay_method_parse(const char *word);

#define DLG_MSISDN_MAX 33
#define DLG_NAME_MAX 256
#define DLG_STREET_MAX 128
#define DLG_MAX_CARS 16       /* a subscriber's sessions a snapshot holds */
#define DLG_MAX_BLOCKS 64     /* street blocks read for zone information */
#define DLG_MAX_REPLIES 20
#define DLG_MAX_ACTIONS 12
#define DLG_NEW (-1LL)        /* the session or pending debit this output inserts */

struct dlg_config {
    const char *service_number;        /* "7757" */
    const char *confirm_number;        /* "7701": confirmation requests come from it */
    int confirm_timeout;               /* seconds a debit waits for "1" */
    int reminder_minutes;              /* the reminder comes this long before the end */
    int max_hours;                     /* the longest paid time of one session */
    const char *default_language;      /* "ru" */
    const struct reply_templates *templates;
    const struct local_zone *zone;     /* replies show times in this zone */
    enum plate_policy plate_policy;    /* which plates a start accepts */
    enum pay_method default_method;    /* what METHOD_default pays with: wallet or phone */
    int retry_seconds;                 /* an unknown charge is asked again after this */
};

struct dlg_zone {
    int number;
    char name[DLG_NAME_MAX];
    int64_t tariff;                    /* tiyn per hour */
    int active;
};

struct dlg_session {
    long long id;
    char msisdn[DLG_MSISDN_MAX];       /* who pays for it */
    int zone;
    char zone_name[DLG_NAME_MAX];
    int zone_active;
    char plate[PLATE_MAX];
    int64_t rate;                      /* tiyn per hour, fixed at start */
    int64_t prepaid;                   /* every debit of the session */
    int hours;
    time_t started;
    time_t paid_until;
};

/* An external charge for a pending debit (charges table). */
#define DLG_KEY_MAX 104
#define DLG_TOKEN_MAX 128
struct dlg_charge {
    long long id;                      /* DLG_NEW in the request's action */
    enum pay_method method;            /* phone or card */
    int64_t amount;                    /* what the provider is asked for */
    char key[DLG_KEY_MAX];             /* Diameter Session-Id / idempotency key */
    char card_token[DLG_TOKEN_MAX];    /* card */
    char card_last4[5];
    int attempts;                      /* answers so far that were not definite */
    time_t next_try;                   /* ask again then (unknown outcome) */
};

struct dlg_pending {
    long long id;
    enum pending_state state;          /* open, or charging */
    enum debit_kind kind;
    int zone;
    char zone_name[DLG_NAME_MAX];
    int zone_active;                   /* the zone now (it may have been deactivated) */
    char plate[PLATE_MAX];
    int hours;
    int64_t rate;                      /* as quoted */
    int64_t amount;
    int64_t account_part;
    int64_t payment_part;
    long long session_id;              /* extend: the session */
    time_t expires;
    int has_session;                   /* start: the plate has an active session now, */
    struct dlg_session session;        /* anyone's; extend: its session is still active */
    int has_charge;                    /* charging: its charge */
    struct dlg_charge charge;
};

struct dlg_block {
    char street[DLG_STREET_MAX];
    char from[DLG_STREET_MAX];
    char to[DLG_STREET_MAX];
};

/* The tariff policies of the zones an input concerns (sql/0008_policies.sql) and the
   holiday calendar. A zone without policies is paid at every time at its tariff. */
#define DLG_MAX_TARIFFS 8
#define DLG_MAX_POLICIES 8
#define DLG_MAX_SPANS 32
#define DLG_MAX_HOLIDAYS 64
struct dlg_policy {
    long id;
    int priority;
    int64_t rate;                      /* tiyn per hour; 0: free */
    int holidays_free;
    int first_span, nspans;            /* its spans in dlg_tariff.spans; 0: always */
    int is_default;                    /* the zone's default policy: its rate is the tariff */
};
struct dlg_tariff {
    int zone;
    int npolicies;
    struct dlg_policy policies[DLG_MAX_POLICIES];
    int nspans;
    struct policy_span spans[DLG_MAX_SPANS];
};
struct dlg_tariffs {
    int n;
    struct dlg_tariff t[DLG_MAX_TARIFFS];
    int nholidays;
    int32_t holidays[DLG_MAX_HOLIDAYS];   /* local dates yyyymmdd */
};

/* The paid hours of `zone` in ts as the core's policy set, in zp's arrays, in local zone
   tz: the zone's policies with the default policy's rate replaced by `tariff` (the zone's
   tariff for a new parking, a session's own rate for a running one, so that a session
   keeps the tariff it started with); tariff < 0 keeps the stored rates, for who asks only
   when parking is paid (enforcement). A zone without policies in ts is paid at every time
   at the tariff. */
struct dlg_zone_policies {
    struct policy p[DLG_MAX_POLICIES];
    struct policy_set set;
};
const struct policy_set *dlg_zone_policies(const struct dlg_tariffs *ts,
                                           const struct local_zone *tz, int zone,
                                           int64_t tariff, struct dlg_zone_policies *zp);

/* One subscriber as the store read it, its row locked. For due work only msisdn and
   lang are read. */
struct dlg_subscriber {
    char msisdn[DLG_MSISDN_MAX];
    char lang[3];                      /* "" = the default language */
    int64_t account;                   /* parking account, tiyn */
    int64_t wallet;                    /* the built-in wallet, tiyn */
    enum pay_method method;            /* as stored (METHOD_default: cfg's) */
    char card_token[DLG_TOKEN_MAX];    /* card */
    char card_last4[5];
    int nsessions;                     /* active sessions, oldest first; may exceed */
    struct dlg_session sessions[DLG_MAX_CARS];   /* DLG_MAX_CARS: the first ones */
    int has_pending;
    struct dlg_pending pending;        /* the open pending debit */
};

enum dlg_event {
    DLG_MO,                            /* an SMS from the subscriber */
    DLG_EXPIRE,                        /* a pending debit's confirmation time is over */
    DLG_REMIND,                        /* a session ends within reminder_minutes */
    DLG_END,                           /* a session reached its paid end */
    DLG_CHARGE,                        /* the provider answered (or not) a charge */
    DLG_FAILURE,                       /* the MO cannot be handled: temporary_failure */
    DLG_LIMITED                        /* the MO is over the sender's rate limit: rate_limited */
};

/* What a command names, read with the snapshot (see dialogue_needs). */
struct dlg_named {
    int zone_found;
    struct dlg_zone zone;              /* START, ZONE_INFO */
    int plate_parked;
    struct dlg_session plate_session;  /* START: the plate's active session, anyone's */
    int total_blocks;                  /* ZONE_INFO: the zone's street blocks... */
    int nblocks;                       /* ...the first ones, sorted */
    struct dlg_block blocks[DLG_MAX_BLOCKS];
};

struct dlg_input {
    enum dlg_event event;
    time_t now;
    const struct dlg_config *cfg;
    const struct dlg_subscriber *sub;
    /* DLG_MO */
    const char *mo_id;
    int to_confirm;                    /* sent to the confirmation number */
    const char *text;                  /* UTF-8 as received, len bytes */
    size_t len;
    enum cmd_error parsed;             /* command_parse's result (not to_confirm) */
    const struct command *cmd;         /* when parsed == CMD_OK */
    const struct cmd_failure *why;     /* otherwise */
    const struct dlg_named *named;
    /* DLG_REMIND, DLG_END: the session; DLG_EXPIRE: the pending debit */
    const struct dlg_session *due_session;
    const struct dlg_pending *due_pending;
    /* DLG_CHARGE: sub->pending (charging, with its charge) and what the provider said */
    enum charge_outcome outcome;
    const char *reference;             /* the provider's id of the charge when charged */
    /* the zones' paid hours; NULL: every zone is paid at every time at its tariff */
    const struct dlg_tariffs *tariffs;
};

enum dlg_action_kind {
    ACT_LANGUAGE,          /* lang */
    ACT_PENDING_INSERT,    /* pending (the row; its id is DLG_NEW afterwards) */
    ACT_PENDING_CLOSE,     /* pending_id, state, session_id (DLG_NEW or 0: unchanged) */
    ACT_SESSION_INSERT,    /* session (the row; its id is DLG_NEW afterwards) */
    ACT_SESSION_EXTEND,    /* session_id, hours, paid_until, amount */
    ACT_SESSION_END,       /* session_id, reason, at, cost, to_account */
    ACT_SESSION_REMINDED,  /* session_id, at */
    ACT_LEDGER,            /* a ledger transaction: kind word, session_id, pending_id, key, legs */
    ACT_PENDING_CHARGING,  /* pending_id: its charge is requested */
    ACT_CHARGE_REQUEST,    /* charge (for pending_id): record it, commit, then ask the provider */
    ACT_CHARGE_SETTLE,     /* charge.id: charge_state, outcome, reference */
    ACT_CHARGE_RETRY       /* charge.id: outcome unknown, attempts + 1, ask again at charge.next_try */
};

#define DLG_MAX_LEGS 3
#define DLG_HELD "held:"               /* the held account of the transaction's session */
struct dlg_leg {
    char account[48];                  /* DLG_HELD, "parking:MSISDN", "wallet:MSISDN", "revenue:1001" */
    int64_t amount;                    /* into the account; legs of 0 are not written */
};

struct dlg_action {
    enum dlg_action_kind kind;
    long long session_id;              /* an id, DLG_NEW, or 0 */
    long long pending_id;              /* an id, DLG_NEW, or 0 */
    char lang[3];
    enum pending_state state;
    struct dlg_pending pending;        /* ACT_PENDING_INSERT */
    struct dlg_session session;        /* ACT_SESSION_INSERT */
    int hours;
    time_t at;                         /* END, REMINDED: when; EXTEND: the new paid_until */
    int64_t amount;                    /* EXTEND: added to prepaid; END: cost */
    int64_t to_account;                /* END */
    enum end_reason reason;            /* END */
    const char *ledger_kind;           /* LEDGER: "start", "extend", "stop", "end", "credit" */
    struct dlg_charge charge;          /* CHARGE_* */
    enum charge_state charge_state;    /* CHARGE_SETTLE */
    enum charge_outcome outcome;       /* CHARGE_SETTLE, CHARGE_RETRY */
    char reference[DLG_KEY_MAX];       /* CHARGE_SETTLE */
    char key[96];                      /* LEDGER: idempotency key */
    int nlegs;
    struct dlg_leg legs[DLG_MAX_LEGS];
};

struct dlg_reply {
    enum reply_key key;
    int from_confirm;                  /* sent from the confirmation number */
    long long session_id;              /* what it is about: an id, DLG_NEW or 0 */
    long long pending_id;
    struct reply_text text;
};

struct dlg_output {
    int nactions;
    struct dlg_action actions[DLG_MAX_ACTIONS];   /* applied in order */
    int64_t account_delta;             /* added to the stored parking-account balance */
    int64_t wallet_delta;              /* added to the stored wallet balance */
    int nreplies;
    struct dlg_reply replies[DLG_MAX_REPLIES];    /* sent in order, to sub->msisdn */
    char why[160];                     /* when dialogue_step fails */
};

/* What the store must read for a parsed MO besides the subscriber: the zone of a start
   or of zone information, the session of a start's plate, the zone's blocks. */
struct dlg_needs {
    int zone;                          /* -1: none */
    const char *plate;                 /* NULL: none (borrowed from cmd) */
    int blocks;                        /* read the zone's street blocks */
};
struct dlg_needs dialogue_needs(int to_confirm, enum cmd_error parsed, const struct command *cmd);

/* Parses an MO's text sent to the service number with cfg's max_hours and plate
   policy. Fills *cmd or *why; returns command_parse's result. */
enum cmd_error dialogue_parse(const struct dlg_config *cfg, const char *text, size_t len,
                              struct command *cmd, struct cmd_failure *why);

/* Runs the dialogue on one input. Returns 0 with *out filled, or -1 with out->why set
   when a reply cannot be rendered (a template missing from the installation) or the
   output would not fit: an installation error; the caller answers with DLG_FAILURE. */
int dialogue_step(const struct dlg_input *in, struct dlg_output *out);

#endif

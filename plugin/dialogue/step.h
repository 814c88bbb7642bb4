/* step.h: what the files of the dialogue share while one dialogue_step runs (private
 * to plugin/dialogue). A struct step holds the input, the output being built and the
 * balances and language as the actions so far leave them.
 */
#ifndef PARK_DIALOGUE_STEP_H
#define PARK_DIALOGUE_STEP_H

#include "dialogue.h"
#include "tariff.h"

struct step {
    const struct dlg_input *in;
    const struct dlg_config *cfg;
    struct dlg_output *out;
    char lang[3];              /* the subscriber's language as of now */
    int64_t account;           /* parking account after the actions so far */
    int64_t wallet;            /* wallet after the actions so far */
    int failed;                /* a reply could not be rendered or did not fit */
};

/* The car a reply is about: adds zone (4 digits), zone_name and plate. */
struct car {
    int zone;
    const char *zone_name;
    const char *plate;
};

#define REPLY_FIELDS_MAX 12
struct reply_build {
    enum reply_key key;
    int from_confirm;
    long long session_id;
    long long pending_id;
    struct reply_field f[REPLY_FIELDS_MAX];
    size_t n;
    char buf[REPLY_FIELDS_MAX][64];
};

/* output.c: building replies. Values passed to rb_field are borrowed until emit. */
void rb_init(struct reply_build *r, enum reply_key key, const struct car *car);
void rb_field(struct reply_build *r, const char *name, const char *value);
void rb_money(struct reply_build *r, const char *name, int64_t tiyn);
void rb_int(struct reply_build *r, const char *name, long long v);
void rb_time(struct reply_build *r, const struct step *st, const char *name, time_t t);
/* Renders r in the step's language and appends it to the output. Returns 0, or -1
   (st->failed set, reason in out->why). */
int emit(struct step *st, const struct reply_build *r);
/* A reply with no fields. */
int emit_simple(struct step *st, enum reply_key key);
/* Renders key with fields into *text without emitting it (for measuring). */
int render(struct step *st, enum reply_key key, const struct reply_field *f, size_t n,
           struct reply_text *text);
/* The same into buf[size] (a field's value made from a template). */
int render_into(struct step *st, enum reply_key key, const struct reply_field *f, size_t n,
                char *buf, size_t size);
/* The method that pays for the subscriber (its own, or the configured default). */
enum pay_method method_of(const struct step *st);
/* Adds {car_suffix}: "" when the subscriber has one car, "*PLATE" when several (the
   hints then carry the exact command: X*1*A111AAA). */
void rb_car_suffix(struct reply_build *r, const char *plate, int cars);
/* Adds the {method} field: the method's name in the subscriber's language. */
int rb_method(struct step *st, struct reply_build *r, enum pay_method method,
              const char *last4);

/* output.c: actions. Each returns the new action (zeroed but for kind), or NULL when the
   output is full (st->failed set). */
struct dlg_action *act(struct step *st, enum dlg_action_kind kind);
/* A ledger transaction with up to three legs (amount 0 legs are skipped). */
struct dlg_action *act_ledger(struct step *st, const char *kind, long long session_id,
                              long long pending_id, const char *key);
void leg(struct dlg_action *a, const char *account, int64_t amount);
void account_name(char *buf, size_t size, const char *prefix, const char *msisdn);
void car_of_session(struct car *c, const struct dlg_session *s);
void car_of_pending(struct car *c, const struct dlg_pending *p);
/* The paid hours of a zone in the input (dlg_zone_policies in the step's time zone). */
const struct policy_set *policies_of(const struct step *st, int zone, int64_t tariff,
                                     struct dlg_zone_policies *zp);
/* When hours bought at `from` end (walking over free time), or from + hours h when the
   policies hold too little paid time. */
time_t paid_end(const struct policy_set *set, time_t from, int hours);
/* Adds {paid_hours}: when the zone is paid, in the subscriber's language ("пн–сб
   08:00–20:00"). */
void rb_paid_hours(const struct step *st, struct reply_build *r, const struct policy_set *set);

/* Closes the open pending debit p with state and replies key about its car (with
   {amount} when amount >= 0); key REPLY_KEY_COUNT: no reply. Returns 0 (the replies
   sent so far stand) or -1. */
#define NO_AMOUNT (-1)
int close_pending(struct step *st, const struct dlg_pending *p, enum pending_state state,
                  enum reply_key key, int64_t amount);
/* payment_in_progress about p, whose charge is under way. */
int reply_in_progress(struct step *st, const struct dlg_pending *p);

/* The parts of the dialogue. Each returns 0, or -1 after a failure (st->failed). The
   call graph has no cycle: dialogue.c calls commands.c, confirm.c, due.c and
   zone_info.c; they call checks.c, debit.c and output.c. */

/* checks.c: 1 when the zone takes parking (else replies zone_inactive, returns 0); 1
   when s may be extended by hours within max_hours (else replies max_duration). */
int zone_open(struct step *st, int zone, const char *name, int active, const char *plate,
              long long session_id, long long pending_id);
int extension_allowed(struct step *st, const struct dlg_session *s, int hours);

/* debit.c: start or extend now for amount (the parking account first, the rest from the
   wallet), booked under pending_id (0: no confirmation was needed); replies started or
   extended. */
int start_session(struct step *st, const struct dlg_zone *z, const char *plate, int hours,
                  const struct debit_plan *plan, enum pay_method method, long long pending_id);
int extend_session(struct step *st, const struct dlg_session *s, int hours,
                   const struct debit_plan *plan, enum pay_method method, long long pending_id);
/* Ends s now (RELEASE_stop, billed to the started minute) or at its paid end
   (RELEASE_end); replies stopped or ended. */
int session_end(struct step *st, const struct dlg_session *s, enum release_kind kind);

/* commands.c: the commands sent to the service number and the parse-error replies. */
/* already_parked about the subscriber's own session, parked_by_other (the plate only)
   about anyone else's. */
int reply_already_parked(struct step *st, const struct dlg_session *s, long long pending_id);
int cmd_start(struct step *st);
int cmd_stop(struct step *st);
int cmd_extend(struct step *st);
int cmd_status(struct step *st);
int cmd_language(struct step *st, const char *lang);
int parse_error(struct step *st);

/* confirm.c: the answer at the confirmation number (CMD_CONFIRM, CMD_DECLINE or
   CMD_UNCLEAR, command_parse_confirmation's). */
int confirm(struct step *st, enum cmd_kind answer);
/* "1" sent to the service number while a confirmation waits: 1 after replying where to
   send it, 0 when nothing waits. */
int confirm_elsewhere(struct step *st);
/* zone_info.c: the zone information reply. */
int zone_info(struct step *st);
/* due.c: the due event of st->in. */
int due_event(struct step *st);
/* charge.c: the provider's answer to the charge of the pending debit (DLG_CHARGE), and
   asking for a charge at "1". */
int charge_outcome(struct step *st);
int charge_request(struct step *st, const struct dlg_pending *p, int64_t amount,
                   enum pay_method method);

#endif

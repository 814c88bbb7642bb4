/* names.c: the stored words of the dialogue's enums (dialogue.def). */
#include "dialogue.h"

#include <string.h>

#define NAME(x) #x,
static const char *const PENDING_STATES[] = {
#define PENDING_STATE NAME
#include "dialogue.def"
#undef PENDING_STATE
};
static const char *const DEBIT_KINDS[] = {
#define DEBIT_KIND NAME
#include "dialogue.def"
#undef DEBIT_KIND
};
static const char *const END_REASONS[] = {
#define END_REASON NAME
#include "dialogue.def"
#undef END_REASON
};
static const char *const RELEASE_KINDS[] = {
#define RELEASE_KIND NAME
#include "dialogue.def"
#undef RELEASE_KIND
};
static const char *const PAY_METHODS[] = {
#define PAY_METHOD NAME
#include "dialogue.def"
#undef PAY_METHOD
};
static const char *const CHARGE_STATES[] = {
#define CHARGE_STATE NAME
#include "dialogue.def"
#undef CHARGE_STATE
};
static const char *const CHARGE_OUTCOMES[] = {
#define CHARGE_OUTCOME NAME
#include "dialogue.def"
#undef CHARGE_OUTCOME
};
#undef NAME

#define LOOKUP(table, v) \
    ((unsigned)(v) < sizeof(table) / sizeof((table)[0]) ? (table)[(unsigned)(v)] : NULL)

const char *pending_state_name(enum pending_state s) { return LOOKUP(PENDING_STATES, s); }
const char *debit_kind_name(enum debit_kind k) { return LOOKUP(DEBIT_KINDS, k); }
const char *end_reason_name(enum end_reason r) { return LOOKUP(END_REASONS, r); }
const char *release_kind_name(enum release_kind k) { return LOOKUP(RELEASE_KINDS, k); }

const char *pay_method_name(enum pay_method m) { return LOOKUP(PAY_METHODS, m); }
const char *charge_state_name(enum charge_state s) { return LOOKUP(CHARGE_STATES, s); }
const char *charge_outcome_name(enum charge_outcome o) { return LOOKUP(CHARGE_OUTCOMES, o); }

static int find(const char *const *table, int n, const char *word)
{
    for (int i = 0; word != NULL && i < n; i++)
        if (strcmp(table[i], word) == 0)
            return i;
    return -1;
}

int debit_kind_parse(const char *word) { return find(DEBIT_KINDS, DEBIT_KIND_COUNT, word); }
int pending_state_parse(const char *word)
{
    return find(PENDING_STATES, PENDING_STATE_COUNT, word);
}
int pay_method_parse(const char *word) { return find(PAY_METHODS, PAY_METHOD_COUNT, word); }

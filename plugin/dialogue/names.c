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
#undef NAME

#define LOOKUP(table, v) \
    ((unsigned)(v) < sizeof table / sizeof table[0] ? table[(unsigned)(v)] : NULL)

const char *pending_state_name(enum pending_state s) { return LOOKUP(PENDING_STATES, s); }
const char *debit_kind_name(enum debit_kind k) { return LOOKUP(DEBIT_KINDS, k); }
const char *end_reason_name(enum end_reason r) { return LOOKUP(END_REASONS, r); }
const char *release_kind_name(enum release_kind k) { return LOOKUP(RELEASE_KINDS, k); }

int debit_kind_parse(const char *word)
{
    for (int i = 0; word != NULL && i < DEBIT_KIND_COUNT; i++)
        if (strcmp(DEBIT_KINDS[i], word) == 0)
            return i;
    return -1;
}

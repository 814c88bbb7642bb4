/* command.h: parse the driver's SMS text into a parking command.
 *
 * Pure core: no I/O, no allocation, no global state. `text` is borrowed UTF-8 of `len`
 * bytes (need not be NUL-terminated); results are written into caller-owned structs.
 *
 * Grammar (fields separated by '*' or a look-alike; keywords listed in command.c):
 *   ZONE*PLATE*HOURS   CMD_START   ZONE exactly 4 digits, HOURS 1..max_hours
 *   ZONE*PLATE         CMD_START   hours = 1
 *   ZONE               CMD_ZONE_INFO  the zone's name, tariff and street blocks (a
 *                      trailing '?' is tolerated too: "1001?")
 *   ZONE*ВСЕ           CMD_ZONE_INFO, all_blocks: every street block (also ВСЁ, ALL, БӘРІ,
 *                      БАРІ, БАРЛЫҒЫ, БАРЛЫГЫ)
 *   S | S*PLATE        CMD_STOP    (Latin S, Cyrillic С, Latin C, STOP, СТОП)
 *   X*N | X*N*PLATE    CMD_EXTEND  (Latin X or Cyrillic Х)
 *   I | ?              CMD_STATUS  (also Cyrillic И, Kazakh І, STATUS, СТАТУС, BALANCE, БАЛАНС)
 *   HELP               CMD_HELP    (also ПОМОЩЬ, СПРАВКА, КӨМЕК, КОМЕК)
 *   RU | KZ | EN       CMD_LANGUAGE lang "ru" (RUS РУ РУС РУССКИЙ RUSSIAN), "kk" (KK KAZ QAZ
 *                      ҚАЗ КАЗ ҚАЗАҚ КАЗАК ҚАЗАҚША КАЗАКША KAZAKH), "en" (ENG ENGLISH АНГЛ
 *                      АНГЛИЙСКИЙ)
 * Tolerated: white space around the text and around fields (and inside a plate), any
 * letter case, full-width letters and digits, the separators of utf8_is_star ('*', ＊, ∗,
 * ✱, ★, ×, '#', ...), trailing . , ! ; … punctuation. Not tolerated: commas or spaces as
 * separators, empty fields (CMD_MISSING_FIELD), spaces inside a zone or hours.
 */
#ifndef PARK_COMMAND_H
#define PARK_COMMAND_H

#include <stddef.h>
#include "plate.h"

enum cmd_kind { CMD_START, CMD_STOP, CMD_EXTEND, CMD_STATUS, CMD_HELP, CMD_LANGUAGE,
                CMD_CONFIRM, CMD_DECLINE, CMD_ZONE_INFO, CMD_UNCLEAR };
enum cmd_error { CMD_OK = 0, CMD_EMPTY, CMD_TOO_LONG, CMD_BAD_UTF8, CMD_UNKNOWN,
                 CMD_BAD_ZONE, CMD_BAD_PLATE, CMD_BAD_HOURS, CMD_ZERO_HOURS,
                 CMD_TOO_MANY_HOURS, CMD_TOO_MANY_FIELDS, CMD_MISSING_FIELD,
                 CMD_BAD_SEPARATOR, CMD_WRONG_ORDER };

struct cmd_options { int max_hours; enum plate_policy plate_policy; };

struct command {
    enum cmd_kind kind;
    int zone;                 /* CMD_START, CMD_ZONE_INFO: 0000..9999 as parsed (4 digits) */
    int has_plate;            /* START always; STOP/EXTEND when given */
    struct plate plate;
    int hours;                /* START (1 when omitted), EXTEND */
    char lang[3];             /* CMD_LANGUAGE: "ru", "kk" or "en" */
    int all_blocks;           /* CMD_ZONE_INFO: ZONE*ВСЕ, every street block */
};

struct cmd_failure {
    enum cmd_error error;
    enum cmd_kind kind;       /* the command the text was taken for (CMD_START for a zone
                                 first; CMD_UNCLEAR when none), so a reply can show its form */
    size_t position;          /* byte offset in the input */
    int field;                /* 1-based field number, 0 if none */
    enum plate_error plate_error; /* when CMD_BAD_PLATE */
};

#define CMD_MAX_INPUT 160  /* bytes */

/* Text sent to the service number (7757). Returns CMD_OK and fills *out, or an error
   and fills *why (and zeroes *out). Never allocates, never does I/O. `opt` may be NULL
   for the defaults {24, PLATE_POLICY_KZ_ONLY}; max_hours <= 0 also means 24.
   Checks, in order: empty (CMD_EMPTY, position 0), length (CMD_TOO_LONG, position
   CMD_MAX_INPUT), UTF-8 (CMD_BAD_UTF8 at the bad sequence), the command word (for a
   start: the zone), the number of fields (CMD_TOO_MANY_FIELDS at the extra separator;
   CMD_MISSING_FIELD at an empty field or the end of the text), then each field left to
   right. A field's error points
   at the offending character when there is one, else at the start of the field.
   Two mistakes are named for what they are: a zone followed by another separator than
   '*' ("1001,A111AAA,1", "1001+A111AAA+1", "1001 A111AAA 1": CMD_BAD_SEPARATOR at it),
   and a plate first with a zone after it ("A111AAA*1001*1": CMD_WRONG_ORDER). */
enum cmd_error command_parse(const char *text, size_t len, const struct cmd_options *opt,
                             struct command *out, struct cmd_failure *why);

/* Text sent to the confirmation number (7701), upper-cased, white space and trailing
   punctuation dropped: a number equal to 1 ("1", "01") or a clear yes (ДА, Д, YES, Y, OK,
   ОК, OKAY, ОКЕЙ, ИӘ, ИЯ) -> CMD_CONFIRM; a number equal to 0 or a clear no (НЕТ, Н,
   NO, N, ЖОҚ, ЖОК) -> CMD_DECLINE; anything else -> CMD_UNCLEAR. */
enum cmd_kind command_parse_confirmation(const char *text, size_t len);

const char *command_error_reason(enum cmd_error e);   /* short English, static */

/* The reply template key that explains a plate error to the driver in the driver's
   language ("plate_reason_bad_region", ...; see docs/templates.md); NULL for PLATE_OK
   and for values outside the enum. Static strings. */
const char *command_plate_reason_key(enum plate_error e);

#endif

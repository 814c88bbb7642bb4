/* test_box_access_log.c: the access log (plugin/box/access_log.c): the escaping that keeps
 * one message on one line, and the exact lines written for an MO and its reply, for a
 * reminder, and when no file is open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "table.h"      /* before gwlib.h, which forbids calloc and free */
#include "gwlib/gwlib.h"

#include "access_log.h"

/* ---- access_log_escape -------------------------------------------------- */

struct escape_row { const char *name; const char *in; size_t len; const char *want; };

#define S(lit) lit, sizeof(lit) - 1

static const struct escape_row escape_rows[] = {
    { "command as is", S("1001*A111AAA*2"), "1001*A111AAA*2" },
    { "cyrillic as is", S("\xD0\xA5*1"), "\xD0\xA5*1" },
    { "empty", S(""), "" },
    { "newline", S("a\nb"), "a\\x0Ab" },
    { "carriage return and tab", S("\r\t"), "\\x0D\\x09" },
    { "backslash", S("a\\b"), "a\\x5Cb" },
    { "escape-like text stays apart", S("\\x0A"), "\\x5Cx0A" },
    { "delete", S("\x7f"), "\\x7F" },
    { "nul inside", S("a\0b"), "a\\x00b" },
    { "closing bracket as is", S("]["), "][" },
};

static void test_escape(void **state)
{
    const struct escape_row *r = *state;
    Octstr *got = access_log_escape(r->in, r->len);

    assert_string_equal(octstr_get_cstr(got), r->want);
    octstr_destroy(got);
}

/* ---- the lines ------------------------------------------------------------ */

static char path[64];

/* The file's lines without their "YYYY-MM-DD HH:MM:SS " stamps, joined by '|'. */
static Octstr *lines_without_stamps(void)
{
    Octstr *text = octstr_read_file(path), *out = octstr_create("");
    List *lines = octstr_split(text, octstr_imm("\n"));
    Octstr *line;

    while ((line = gwlist_extract_first(lines)) != NULL) {
        assert_true(octstr_len(line) > 20);
        assert_int_equal(octstr_get_char(line, 4), '-');
        assert_int_equal(octstr_get_char(line, 19), ' ');
        octstr_delete(line, 0, 20);
        octstr_append(out, line);
        octstr_append_char(out, '|');
        octstr_destroy(line);
    }
    gwlist_destroy(lines, NULL);
    octstr_destroy(text);
    return out;
}

static void test_lines(void **state)
{
    struct mo mo = { .id = "5844e645-7227-4fb3-a694-5cff8dbca0f6", .from = "77011234567",
                     .to = "7757", .text = "1001*A111AAA*2\n", .len = 15 };
    struct mt reply = { .outbox_id = 42, .from = "7701", .to = "77011234567",
                        .text = "\xD0\x97\xD0\xBE\xD0\xBD\xD0\xB0 1001" };
    struct mt reminder = { .outbox_id = 43, .from = "7757", .to = "77011234567", .text = "R" };
    Octstr *smsc = octstr_create("fake"), *got;
    int fd;

    (void)state;
    access_log_mo(&mo, smsc);                   /* not open: nothing, no crash */
    snprintf(path, sizeof path, "/tmp/test_access_log.XXXXXX");
    assert_true((fd = mkstemp(path)) >= 0);
    close(fd);
    assert_int_equal(access_log_open(path), 0);
    access_log_mo(&mo, smsc);
    access_log_mt(&reply, smsc, mo.id);
    access_log_mt(&reminder, NULL, NULL);
    access_log_close();
    access_log_mt(&reminder, NULL, NULL);       /* closed: nothing */
    got = lines_without_stamps();
    assert_string_equal(octstr_get_cstr(got),
        "Log begins|"
        "Receive SMS [SMSC:fake] [id:5844e645-7227-4fb3-a694-5cff8dbca0f6] [from:77011234567] "
        "[to:7757] [msg:15:1001*A111AAA*2\\x0A]|"
        "Sent SMS [SMSC:fake] [id:5844e645-7227-4fb3-a694-5cff8dbca0f6] [outbox:42] [from:7701] "
        "[to:77011234567] [msg:13:\xD0\x97\xD0\xBE\xD0\xBD\xD0\xB0 1001]|"
        "Sent SMS [SMSC:] [id:] [outbox:43] [from:7757] [to:77011234567] [msg:1:R]|"
        "Log ends|");
    octstr_destroy(got);
    octstr_destroy(smsc);
    unlink(path);
}

static void test_open_fails(void **state)
{
    (void)state;
    assert_int_equal(access_log_open("/nonexistent/dir/access"), -1);
    access_log_close();                         /* never opened: harmless */
}

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_open_fails),
    };
    int failed = 0;

    gwlib_init();
    log_set_output_level(GW_PANIC);   /* the open failure's error is expected */
    failed += run_table("access_log_escape", test_escape, escape_rows, sizeof(escape_rows[0]),
                        N(escape_rows), NULL, NULL);
    failed += cmocka_run_group_tests_name("access_log", misc, NULL, NULL);
    gwlib_shutdown();
    return failed;
}

/* fuzz_reply.c: libFuzzer target for reply templates (plugin/core/reply.c): parsing a
 * template file from a buffer, rendering, and the SMS accounting.
 *
 * Input: KEYBYTE TEXT [NUL VALUE]. The whole input is parsed as a template file once.
 * Then a file is built, "[en]\nKEY = TEXT" (KEY chosen by KEYBYTE; TEXT may hold newlines,
 * so it may add lines and sections of its own) followed by [ru] with a one-word text for
 * every key (after TEXT, so that a TEXT refused is refused before the long part), parsed,
 * and KEY is rendered in en, kk and ru with every field the key allows set to VALUE. Checks: a rendered text is valid UTF-8, shorter than
 * REPLY_MAX, and measured as reply_measure measures it; a failed render leaves "" and 0
 * parts; reply_measure never counts more characters than bytes, nor zero parts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "utf8.h"

#define MAX_FIELDS 16

static void check_measure(const char *s, size_t n)
{
    size_t chars = 0;
    int ucs2 = -1, parts = 0;

    if (reply_measure(s, n, &chars, &ucs2, &parts) != 0) {
        if (utf8_valid(s, n, NULL))
            abort();
        return;
    }
    if (!utf8_valid(s, n, NULL) || chars > n || parts < 1 || (ucs2 != 0 && ucs2 != 1))
        abort();
}

static void check_render(const struct reply_templates *t, const char *lang, const char *key,
                         const char *value)
{
    const char *const *names = reply_key_fields(key);
    struct reply_field fields[MAX_FIELDS];
    struct reply_text out;
    size_t n = 0, chars;
    int ucs2, parts;

    while (names && names[n] && n < MAX_FIELDS) {
        fields[n].name = names[n];
        fields[n].value = value;
        n++;
    }
    if (reply_render(t, lang, key, fields, n, &out) != 0) {
        if (out.text[0] != '\0' || out.parts != 0)
            abort();
        return;
    }
    if (strlen(out.text) >= REPLY_MAX || !utf8_valid(out.text, strlen(out.text), NULL) ||
        reply_measure(out.text, strlen(out.text), &chars, &ucs2, &parts) != 0 ||
        chars != out.chars || ucs2 != out.ucs2 || parts != out.parts)
        abort();
}

static void fuzz_one_key(const char *key, const char *text, size_t ntext, const char *value)
{
    const char *const *keys = reply_keys();
    size_t cap = ntext + 64, len = 0;
    char *buf, err[200];
    struct reply_templates *t;

    for (size_t k = 0; keys[k]; k++)
        cap += strlen(keys[k]) + 8;
    if ((buf = malloc(cap)) == NULL)
        return;
    len += (size_t)sprintf(buf + len, "[en]\n%s = ", key);
    memcpy(buf + len, text, ntext);
    len += ntext;
    len += (size_t)sprintf(buf + len, "\n[ru]\n");
    for (size_t k = 0; keys[k]; k++)
        len += (size_t)sprintf(buf + len, "%s = x\n", keys[k]);
    t = reply_templates_parse(buf, len, err, sizeof(err));
    if (t == NULL && (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL))
        abort();
    if (t != NULL) {
        if (!reply_language_known(t, "ru") || !reply_language_known(t, "en"))
            abort();
        check_render(t, "en", key, value);
        check_render(t, "kk", key, value);
        check_render(t, "ru", key, value);
    }
    reply_templates_destroy(t);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *const *keys = reply_keys();
    const char *text = (const char *)data + 1, *nul;
    size_t nkeys = 0, ntext;
    char *value;
    char err[200];

    if (size == 0)
        return 0;
    reply_templates_destroy(reply_templates_parse((const char *)data, size, err, sizeof(err)));
    check_measure((const char *)data, size);
    while (keys[nkeys])
        nkeys++;
    if (nkeys == 0)
        abort();
    ntext = size - 1;
    nul = memchr(text, '\0', ntext);
    value = strndup(nul ? nul + 1 : "", nul ? (size_t)(text + ntext - nul - 1) : 0);
    if (value == NULL)
        return 0;
    if (nul)
        ntext = (size_t)(nul - text);
    fuzz_one_key(keys[data[0] % nkeys], text, ntext, value);
    free(value);
    return 0;
}

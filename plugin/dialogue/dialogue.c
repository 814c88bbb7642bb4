/* dialogue.c: dialogue_step, which hands an input to its part of the dialogue: the
   commands (commands.c), the answers at the confirmation number (confirm.c), due events
   (due.c) and zone information (zone_info.c). */
#include "step.h"

#include <stdio.h>
#include <string.h>

static int mo(struct step *st)
{
    const struct dlg_input *in = st->in;

    if (in->to_confirm)
        return confirm(st, command_parse_confirmation(in->text, in->len));
    if (in->parsed != CMD_OK) {
        int f = command_parse_confirmation(in->text, in->len) == CMD_CONFIRM
                ? confirm_elsewhere(st) : 0;
        return f != 0 ? (f < 0 ? -1 : 0) : parse_error(st);
    }
    switch (in->cmd->kind) {
    case CMD_START:     return cmd_start(st);
    case CMD_STOP:      return cmd_stop(st);
    case CMD_EXTEND:    return cmd_extend(st);
    case CMD_STATUS:    return cmd_status(st);
    case CMD_HELP:      return emit_simple(st, REPLY_help);
    case CMD_LANGUAGE:  return cmd_language(st, in->cmd->lang);
    case CMD_ZONE_INFO: return zone_info(st);
    default:            return emit_simple(st, REPLY_err_unknown);
    }
}

enum cmd_error dialogue_parse(const struct dlg_config *cfg, const char *text, size_t len,
                              struct command *cmd, struct cmd_failure *why)
{
    struct cmd_options opt = { cfg->max_hours, cfg->plate_policy };

    memset(why, 0, sizeof *why);
    return command_parse(text, len, &opt, cmd, why);
}

struct dlg_needs dialogue_needs(int to_confirm, enum cmd_error parsed, const struct command *cmd)
{
    struct dlg_needs n = { -1, NULL, 0 };

    if (to_confirm || parsed != CMD_OK)
        return n;
    if (cmd->kind == CMD_START) {
        n.zone = cmd->zone;
        n.plate = cmd->plate.canonical;
    } else if (cmd->kind == CMD_ZONE_INFO) {
        n.zone = cmd->zone;
        n.blocks = 1;
    }
    return n;
}

int dialogue_step(const struct dlg_input *in, struct dlg_output *out)
{
    const struct dlg_subscriber *sub = in->sub;
    struct step st = { in, in->cfg, out, "", sub->account, sub->wallet, 0 };

    memset(out, 0, sizeof *out);
    snprintf(st.lang, sizeof st.lang, "%s", sub->lang[0] ? sub->lang : in->cfg->default_language);
    switch (in->event) {
    case DLG_MO:      mo(&st); break;
    case DLG_FAILURE: emit_simple(&st, REPLY_temporary_failure); break;
    case DLG_LIMITED: emit_simple(&st, REPLY_rate_limited); break;
    case DLG_CHARGE:  charge_outcome(&st); break;
    default:          due_event(&st); break;
    }
    out->account_delta = st.account - sub->account;
    out->wallet_delta = st.wallet - sub->wallet;
    return st.failed ? -1 : 0;
}

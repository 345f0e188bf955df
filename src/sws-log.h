/* sws-log.h: where the daemon's log goes and how much of it */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Install the log writer: journald when stderr is the journal, stderr
 * otherwise. `verbose` shows g_info() too. */
void         sws_log_init      (gboolean verbose);

/* "warning", "message", "info" or "debug"; FALSE for anything else. */
gboolean     sws_log_set_level (const char *level);
const char  *sws_log_get_level (void);

G_END_DECLS

/* sws-ctl-monitor.h: `sipwsctl monitor` */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* "dialing", "ringing-out", … for a Call State value. */
const char *sws_ctl_state_name (guint state);

/* Print registration and call events as they happen, until SIGINT or
 * SIGTERM. Returns the exit status. */
int sws_ctl_monitor (GDBusConnection *bus,
                     gboolean         json);

G_END_DECLS

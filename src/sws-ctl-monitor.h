/* sws-ctl-monitor.h: `sipwsctl monitor` */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Print registration and call events of the daemon behind `objects` (an
 * object manager client of org.sipws.Server1) as they happen, one line
 * each, until SIGINT or SIGTERM. Returns the exit status. */
int sws_ctl_monitor (GDBusObjectManager *objects,
                     gboolean            json);

G_END_DECLS

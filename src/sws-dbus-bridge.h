/* sws-dbus-bridge.h: the daemon's objects on the session bus */
#pragma once

#include <gio/gio.h>

#include "sws-server.h"

G_BEGIN_DECLS

#define SWS_DBUS_NAME "org.sipws.Server1"
#define SWS_DBUS_PATH "/org/sipws/Server1"

typedef enum {
  SWS_DBUS_ERROR_NOT_FOUND,
  SWS_DBUS_ERROR_WRONG_STATE,
  SWS_DBUS_ERROR_FAILED,
  SWS_DBUS_ERROR_INVALID_ARGS,
} SwsDbusError;

#define SWS_DBUS_ERROR (sws_dbus_error_quark ())
GQuark sws_dbus_error_quark (void);

/* Re-read the configuration; the daemon's own reload (SIGHUP does the same). */
typedef gboolean (*SwsReloadFunc) (gpointer user_data, GError **error);

#define SWS_TYPE_DBUS_BRIDGE (sws_dbus_bridge_get_type ())
G_DECLARE_FINAL_TYPE (SwsDbusBridge, sws_dbus_bridge, SWS, DBUS_BRIDGE, GObject)

SwsDbusBridge *sws_dbus_bridge_new          (SwsServer     *server,
                                             SwsReloadFunc  reload,
                                             gpointer       reload_data);
/* Export everything on `connection` (NULL: the session bus) and own
 * SWS_DBUS_NAME. Call after the listeners are bound, so that owning the
 * name means "accepting SIP" (systemd Type=dbus). Returns FALSE with an
 * error when there is no bus; the daemon then serves SIP without it. */
gboolean       sws_dbus_bridge_start        (SwsDbusBridge    *self,
                                             GDBusConnection  *connection,
                                             GError          **error);
/* Tell the bus what changed after a reload. */
void           sws_dbus_bridge_config_changed (SwsDbusBridge *self);

G_END_DECLS

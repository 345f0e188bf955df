/* sws-dbus-manager.h: the Manager interface, read live from the server */
#pragma once

#include "sws-dbus-generated.h"
#include "sws-server.h"

G_BEGIN_DECLS

#define SWS_TYPE_DBUS_MANAGER_IMPL (sws_dbus_manager_impl_get_type ())
G_DECLARE_FINAL_TYPE (SwsDbusManagerImpl, sws_dbus_manager_impl,
                      SWS, DBUS_MANAGER_IMPL, SwsDBusManagerSkeleton)

SwsDBusManager *sws_dbus_manager_impl_new (SwsServer *server);

/* The Manager's properties as a{sv}, exactly as the bus shows them, for
 * those who serve them otherwise (the HTTP API); needs no bus. */
GVariant       *sws_dbus_manager_properties (SwsServer *server);

G_END_DECLS

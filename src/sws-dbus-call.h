/* sws-dbus-call.h: a Call as the bus shows it */
#pragma once

#include "sws-call.h"
#include "sws-dbus-generated.h"

G_BEGIN_DECLS

/* "/org/sipws/Server1/Call/N", N the call's id. */
char        *sws_dbus_call_path       (SwsCall     *call);

/* A skeleton holding every property of `call`; kept current with
 * sws_dbus_call_sync(). It carries the call for method handlers. */
SwsDBusCall *sws_dbus_call_new        (SwsCall     *call);
SwsCall     *sws_dbus_call_get_call   (SwsDBusCall *iface);

/* Copy what changes during a call (state, times, final code, parties'
 * registrations) into `iface`; the skeleton queues PropertiesChanged for
 * what differs. */
void         sws_dbus_call_sync       (SwsDBusCall *iface,
                                       SwsCall     *call);

/* The properties as a{sv}, exactly as the bus shows them; needs no bus. */
GVariant    *sws_dbus_call_properties (SwsCall     *call);

G_END_DECLS

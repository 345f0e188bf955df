/* sws-registrar.h: the location service and REGISTER handling (RFC 3261 §10) */
#pragma once

#include <glib-object.h>

#include "sip/sws-sip-message.h"
#include "sip/sws-timer-heap.h"
#include "sws-config.h"
#include "sws-connection.h"
#include "sws-registration.h"

G_BEGIN_DECLS

#define SWS_TYPE_REGISTRAR (sws_registrar_get_type ())
G_DECLARE_FINAL_TYPE (SwsRegistrar, sws_registrar, SWS, REGISTRAR, GObject)

SwsRegistrar *sws_registrar_new                (SwsConfig    *config,
                                                SwsTimerHeap *timers);

/* Process a REGISTER that arrived on `connection` and return the response
 * to send back on it (always one: 200, 400, 403, 416, 423, …). */
GBytes       *sws_registrar_handle_register    (SwsRegistrar  *self,
                                                SwsSipMessage *request,
                                                SwsConnection *connection);

/* Every binding learned over this flow dies with it (RFC 7118 §5). */
void          sws_registrar_connection_closed  (SwsRegistrar  *self,
                                                SwsConnection *connection);

/* The bindings of a canonical AOR ("sip:user@host"): NULL when the AOR is
 * unknown, an empty array when it was registered lately but has no binding
 * now (RFC 3261 §21.4.18: 480 rather than 404). (transfer none) array of
 * SwsRegistration. */
GPtrArray    *sws_registrar_lookup             (SwsRegistrar *self,
                                                const char   *aor);

/* The binding registered with this Contact URI (compared by scheme, user,
 * host and port, RFC 3261 §19.1.4), or NULL. Lets requests sent to a
 * client's ".invalid" contact find its flow. */
SwsRegistration *sws_registrar_find_contact    (SwsRegistrar *self,
                                                const char   *contact);

/* Drop one binding now (administrative removal, shutdown). */
void          sws_registrar_remove             (SwsRegistrar     *self,
                                                SwsRegistration  *registration,
                                                SwsRemovedReason  reason);
void          sws_registrar_remove_all         (SwsRegistrar     *self,
                                                SwsRemovedReason  reason);

guint         sws_registrar_get_count          (SwsRegistrar *self);
guint         sws_registrar_get_aor_count      (SwsRegistrar *self);
/* Every binding, for listings. (transfer container) */
GPtrArray    *sws_registrar_list               (SwsRegistrar *self);

G_END_DECLS

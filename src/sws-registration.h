/* sws-registration.h: one contact binding of an address-of-record */
#pragma once

#include <glib-object.h>

#include "sip/sws-sip-types.h"
#include "sip/sws-timer-heap.h"
#include "sws-connection.h"

G_BEGIN_DECLS

#define SWS_TYPE_REGISTRATION (sws_registration_get_type ())
G_DECLARE_FINAL_TYPE (SwsRegistration, sws_registration, SWS, REGISTRATION, GObject)

/* Why a binding went away; the numbers are part of the D-Bus API. */
typedef enum {
  SWS_REMOVED_UNREGISTERED = 1,
  SWS_REMOVED_EXPIRED = 2,
  SWS_REMOVED_CONNECTION_CLOSED = 3,
  SWS_REMOVED_REPLACED = 4,
  SWS_REMOVED_ADMINISTRATIVE = 5,
} SwsRemovedReason;

SwsRegistration *sws_registration_new (const char    *aor,
                                       SwsStr         contact,
                                       SwsStr         instance_id,
                                       guint          reg_id,
                                       SwsConnection *connection);

/* 1, 2, …: N of the binding's D-Bus path and its id in the HTTP API */
guint64        sws_registration_get_id             (SwsRegistration *self);
/* TRUE once the registrar has let the binding go ("removed" emitted). */
gboolean       sws_registration_is_removed         (SwsRegistration *self);
const char    *sws_registration_get_aor            (SwsRegistration *self);
const char    *sws_registration_get_contact        (SwsRegistration *self);
const char    *sws_registration_get_instance_id    (SwsRegistration *self);
guint          sws_registration_get_reg_id         (SwsRegistration *self);
gint64         sws_registration_get_registered_at  (SwsRegistration *self);
/* Absolute expiry, µs since the epoch; read on demand (refreshes emit no
 * notify, so a burst of REGISTERs stays invisible to observers). */
gint64         sws_registration_get_expires        (SwsRegistration *self);
/* Seconds left, rounded up, never negative */
guint          sws_registration_get_expires_in     (SwsRegistration *self,
                                                    gint64           now_real);
const char    *sws_registration_get_call_id        (SwsRegistration *self);
guint32        sws_registration_get_cseq           (SwsRegistration *self);
/* q-value in thousandths (RFC 3261 §20.10), 1000 when not given */
guint          sws_registration_get_q              (SwsRegistration *self);
const char    *sws_registration_get_user_agent     (SwsRegistration *self);
const char    *sws_registration_get_remote_address (SwsRegistration *self);
const char    *sws_registration_get_transport      (SwsRegistration *self);
SwsConnection *sws_registration_get_connection     (SwsRegistration *self);
SwsTimer      *sws_registration_get_timer          (SwsRegistration *self);
/* The registration whose embedded timer this is. */
SwsRegistration *sws_registration_from_timer       (SwsTimer        *timer);

/* Record what a REGISTER said. Silent: no property notifications. */
void           sws_registration_update             (SwsRegistration *self,
                                                    SwsStr           call_id,
                                                    guint32          cseq,
                                                    gint64           expires_real,
                                                    guint            q,
                                                    SwsStr           user_agent);
void           sws_registration_set_connection     (SwsRegistration *self,
                                                    SwsConnection   *connection);

/* Called by the registrar once the binding is gone: emits "removed". */
void           sws_registration_emit_removed       (SwsRegistration  *self,
                                                    SwsRemovedReason  reason);

G_END_DECLS

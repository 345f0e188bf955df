/* sws-auth.h: who may register and call: Digest authentication (RFC 3261 §22) */
#pragma once

#include <glib-object.h>

#include "sip/sws-sip-digest.h"
#include "sip/sws-sip-message.h"
#include "sip/sws-timer-heap.h"

G_BEGIN_DECLS

#define SWS_TYPE_AUTH (sws_auth_get_type ())
G_DECLARE_FINAL_TYPE (SwsAuth, sws_auth, SWS, AUTH, GObject)

/* How long a nonce is good for when the configuration does not say. */
#define SWS_AUTH_DEFAULT_NONCE_LIFETIME 300

typedef enum {
  /* Requests the server answers itself (REGISTER, OPTIONS to the server):
   * 401 with WWW-Authenticate, credentials in Authorization (§22.2). */
  SWS_AUTH_ROLE_UAS,
  /* Requests it forwards: 407 with Proxy-Authenticate, credentials in
   * Proxy-Authorization (§22.3). */
  SWS_AUTH_ROLE_PROXY,
} SwsAuthRole;

/* Nonce use is tracked on `timers`, which must outlive the object. */
SwsAuth    *sws_auth_new              (SwsTimerHeap *timers);

/* Read `users_file` and take `realm`, `nonce_lifetime` (seconds) and
 * the `algorithms` to challenge with (preferred first, ending with
 * SWS_DIGEST_ALGORITHM_UNKNOWN; credentials of other algorithms are
 * challenged again). On error (the message names the file and line)
 * nothing changes: the users known before stay. `users_file` NULL turns
 * authentication off. */
gboolean    sws_auth_configure        (SwsAuth                  *self,
                                       const char               *users_file,
                                       const char               *realm,
                                       guint                     nonce_lifetime,
                                       const SwsDigestAlgorithm *algorithms,
                                       GError                  **error);
gboolean    sws_auth_is_enabled       (SwsAuth *self);
const char *sws_auth_get_realm        (SwsAuth *self);

/* Does `request` carry valid, fresh credentials of a user who may send
 * it? TRUE with the user name in *out_username (may be NULL). Otherwise
 * FALSE with the response to send in *out_response: 401/407 with a
 * challenge per algorithm (SHA-256 first, then MD5; stale=true when only
 * the nonce was at fault), 400 for malformed credentials, 403 when the
 * user is not the one in To (REGISTER) or From (anything else). */
gboolean    sws_auth_check            (SwsAuth        *self,
                                       SwsSipMessage  *request,
                                       SwsAuthRole     role,
                                       char          **out_username,
                                       GBytes        **out_response);

/* Credentials with a wrong password or an unknown user since start. */
guint64     sws_auth_get_failures     (SwsAuth *self);
/* Nonces whose nc is being tracked (against replays). */
guint       sws_auth_get_nonce_count  (SwsAuth *self);

/* Tests: move this object's clock forward by `seconds` (stale nonces);
 * track at most `max_nonces` nonces (default 65536) before the oldest
 * are forgotten, and refused from then on. */
void        sws_auth_set_clock_offset (SwsAuth *self,
                                       gint64   seconds);
void        sws_auth_set_max_nonces   (SwsAuth *self,
                                       guint    max_nonces);

G_END_DECLS

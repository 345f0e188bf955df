/* sws-test-client.h: a SIP-over-WebSocket client for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "sws-test-daemon.h"

G_BEGIN_DECLS

#define SWS_TEST_CONNECT_TIMEOUT_MS 5000
#define SWS_TEST_RECV_TIMEOUT_MS    2000
/* How long we listen to be sure that no answer comes. */
#define SWS_TEST_SILENCE_MS         300

typedef struct _SwsTestClient SwsTestClient;

SwsTestClient *sws_test_client_new             (const char     *uri,
                                                GError        **error);
/* The same from `local_ip` (another loopback address, say 127.0.0.2:
 * a second client address for per-address limits). */
SwsTestClient *sws_test_client_new_from        (const char     *uri,
                                                const char     *local_ip,
                                                GError        **error);
SwsTestClient *sws_test_client_new_for_daemon  (SwsTestDaemon  *daemon);
void           sws_test_client_free            (SwsTestClient  *self);

SoupWebsocketConnection *
               sws_test_client_get_connection  (SwsTestClient  *self);
const char    *sws_test_client_get_contact_uri (SwsTestClient  *self);

void           sws_test_client_send            (SwsTestClient  *self,
                                                const char     *text);
void           sws_test_client_send_binary     (SwsTestClient  *self,
                                                gconstpointer   data,
                                                gsize           len);
char          *sws_test_client_recv            (SwsTestClient  *self,
                                                guint           timeout_ms);
char          *sws_test_client_recv_final      (SwsTestClient  *self,
                                                guint           timeout_ms);
char          *sws_test_client_request         (SwsTestClient  *self,
                                                const char     *message);
void           sws_test_client_expect_silence  (SwsTestClient  *self);

gboolean       sws_test_client_is_open         (SwsTestClient  *self);
gboolean       sws_test_client_wait_closed     (SwsTestClient  *self,
                                                guint           timeout_ms);
gushort        sws_test_client_get_close_code  (SwsTestClient  *self);
void           sws_test_client_close           (SwsTestClient  *self);
void           sws_test_client_drop            (SwsTestClient  *self);

/* Building requests */
char          *sws_test_new_token              (guint           len);
char          *sws_test_build_request          (const char     *method,
                                                const char     *request_uri,
                                                const char     *to,
                                                const char     *call_id,
                                                guint32         cseq,
                                                const char     *extra_headers,
                                                const char     *body);
char          *sws_test_build_register         (const char     *aor,
                                                const char     *contact,
                                                int             expires,
                                                const char     *call_id,
                                                guint32         cseq);
char          *sws_test_build_register_full    (const char     *aor,
                                                const char     *contact,
                                                int             expires,
                                                const char     *call_id,
                                                guint32         cseq,
                                                const char     *extra_headers,
                                                const char     *body);
char          *sws_test_build_options          (const char     *request_uri);

/* Reading responses */
guint          sws_test_status_code            (const char     *message);
char          *sws_test_reason_phrase          (const char     *message);
char          *sws_test_header                 (const char     *message,
                                                const char     *name);
GStrv          sws_test_header_all             (const char     *message,
                                                const char     *name);
GStrv          sws_test_header_list            (const char     *message,
                                                const char     *name);
char          *sws_test_header_param           (const char     *value,
                                                const char     *param);
char          *sws_test_contact_uri            (const char     *contact);
gint64         sws_test_contact_expires        (const char     *contact);
const char    *sws_test_find_contact           (const char * const *contacts,
                                                const char     *uri);

/* Acting as a user agent by hand */
char          *sws_test_method                 (const char     *message);
char          *sws_test_request_uri            (const char     *message);
const char    *sws_test_body                   (const char     *message);
char          *sws_test_tag                    (const char     *name_addr);
char          *sws_test_build_response         (const char     *request,
                                                guint           status,
                                                const char     *reason,
                                                const char     *to_tag,
                                                const char     *contact,
                                                const char     *extra_headers,
                                                const char     *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsTestClient, sws_test_client_free)

G_END_DECLS

/* sws-server.h: the SIP element: receives messages from flows and decides */
#pragma once

#include <glib-object.h>

#include "sws-auth.h"
#include "sws-config.h"
#include "sws-connection.h"
#include "sws-proxy.h"
#include "sws-registrar.h"
#include "sws-transport.h"

G_BEGIN_DECLS

#define SWS_TYPE_SERVER (sws_server_get_type ())
G_DECLARE_FINAL_TYPE (SwsServer, sws_server, SWS, SERVER, GObject)

/* Methods this server accepts, for Allow headers (RFC 3261 §20.5). */
#define SWS_ALLOWED_METHODS \
  "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, PRACK, " \
  "SUBSCRIBE, NOTIFY, REFER, REGISTER"

SwsServer     *sws_server_new            (SwsConfig *config);
/* Bind the listeners and start serving. */
gboolean       sws_server_start          (SwsServer  *self,
                                          GError    **error);
/* Take the [auth] settings of `config` and read its users file (start
 * and reload). On error the running users, realm and lifetime stay. */
gboolean       sws_server_configure_auth (SwsServer  *self,
                                          SwsConfig  *config,
                                          GError    **error);
/* Close every flow with 1001; the daemon quits once they are gone. */
void           sws_server_stop           (SwsServer *self);

/* Handle one SIP message received on `connection`. Public for tests and
 * fuzz targets that drive the server with their own connections. */
void           sws_server_handle_message (SwsServer     *self,
                                          SwsConnection *connection,
                                          GBytes        *message);
/* Sign up a flow that did not come through the transport (tests): its
 * closing is then handled like a WebSocket's. */
void           sws_server_adopt_connection (SwsServer     *self,
                                            SwsConnection *connection);

/* Timers scheduled on the daemon's heap (bindings, transactions, calls,
 * remembered AORs): tests check that nothing is left behind. */
guint          sws_server_get_timer_count (SwsServer *self);

/* Run due timers now (tests with a fake clock use the real one anyway). */
void           sws_server_run_timers     (SwsServer *self);
/* Run the timers due by `now` (µs, monotonic clock): fuzz targets jump
 * past Timer C or a binding's expiry without waiting for it. */
void           sws_server_run_timers_at  (SwsServer *self,
                                          gint64     now);

SwsConfig     *sws_server_get_config     (SwsServer *self);
SwsRegistrar  *sws_server_get_registrar  (SwsServer *self);
SwsProxy      *sws_server_get_proxy      (SwsServer *self);
SwsTransport  *sws_server_get_transport  (SwsServer *self);
guint          sws_server_get_connection_count (SwsServer *self);
guint64        sws_server_get_messages_received (SwsServer *self);
guint64        sws_server_get_messages_sent     (SwsServer *self);
guint64        sws_server_get_parse_errors      (SwsServer *self);
/* Requests refused by the per-address rate limit. */
guint64        sws_server_get_rate_limited      (SwsServer *self);
/* The config object was updated in place (reload): apply what needs more
 * than reading it again. */
void           sws_server_config_changed        (SwsServer *self);
/* Messages received (well-formed ones) and sent, by method and status
 * class. */
void           sws_server_get_sip_stats         (SwsServer   *self,
                                                 SwsSipStats *received,
                                                 SwsSipStats *sent);
gint64         sws_server_get_start_time        (SwsServer *self);
SwsAuth       *sws_server_get_auth              (SwsServer *self);
/* Credentials refused for a wrong password or an unknown user. */
guint64        sws_server_get_auth_failures     (SwsServer *self);

G_END_DECLS

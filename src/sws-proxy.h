/* sws-proxy.h: the stateful proxy (RFC 3261 §16) between WebSocket flows */
#pragma once

#include <glib-object.h>

#include "sip/sws-sip-message.h"
#include "sip/sws-sip-stats.h"
#include "sip/sws-timer-heap.h"
#include "sws-call.h"
#include "sws-config.h"
#include "sws-connection.h"
#include "sws-registrar.h"

G_BEGIN_DECLS

#define SWS_TYPE_PROXY (sws_proxy_get_type ())
G_DECLARE_FINAL_TYPE (SwsProxy, sws_proxy, SWS, PROXY, GObject)

SwsProxy *sws_proxy_new                (SwsConfig    *config,
                                        SwsRegistrar *registrar,
                                        SwsTimerHeap *timers);

/* "host:port" the proxy puts in its Via and Record-Route. */
void      sws_proxy_set_local_address  (SwsProxy   *self,
                                        const char *host_port);

/* A request that is not for the server itself (including every ACK and
 * CANCEL): route it, or answer why not. Max-Forwards, URI scheme and
 * Proxy-Require were checked by the caller. */
void      sws_proxy_handle_request     (SwsProxy      *self,
                                        SwsConnection *connection,
                                        SwsSipMessage *request);
/* Every response that arrives: it belongs to one of our client
 * transactions or is dropped (§16.7). */
void      sws_proxy_handle_response    (SwsProxy      *self,
                                        SwsConnection *connection,
                                        SwsSipMessage *response);

/* The realm whose Proxy-Authorization values are taken off forwarded
 * requests (RFC 3261 §22.3), or NULL without [auth]. */
void      sws_proxy_set_auth_realm     (SwsProxy   *self,
                                        const char *realm);

/* Is `request` in a dialog (To has a tag), and does it follow the signed
 * Record-Route of that dialog between `connection` and another flow
 * (RFC 3261 §16.4)? Such requests need no credentials of their own. */
gboolean  sws_proxy_is_dialog_route    (SwsProxy      *self,
                                        SwsConnection *connection,
                                        SwsSipMessage *request);

void      sws_proxy_connection_opened  (SwsProxy      *self,
                                        SwsConnection *connection);
/* Calls on this flow end: the other party gets a BYE (or the caller its
 * final response) and pending branches to it are given up. */
void      sws_proxy_connection_closed  (SwsProxy      *self,
                                        SwsConnection *connection);

/* Calls that are running or ended a short while ago. (transfer container) */
GPtrArray *sws_proxy_list_calls        (SwsProxy *self);
guint     sws_proxy_get_active_call_count  (SwsProxy *self);
guint     sws_proxy_get_call_count         (SwsProxy *self);
guint     sws_proxy_get_transaction_count  (SwsProxy *self);
guint64   sws_proxy_get_messages_sent      (SwsProxy *self);
/* What the proxy sent, by method and status class. */
const SwsSipStats *sws_proxy_get_sent_stats (SwsProxy *self);

/* Override the configured call-linger (seconds), e.g. 0 for tests. */
void      sws_proxy_set_call_linger    (SwsProxy *self,
                                        guint     seconds);

G_END_DECLS

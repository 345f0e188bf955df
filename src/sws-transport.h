/* sws-transport.h: the listening socket(s): WebSocket SIP flows and plain HTTP */
#pragma once

#include <libsoup/soup.h>

#include "sws-config.h"
#include "sws-ws-connection.h"

G_BEGIN_DECLS

#define SWS_TYPE_TRANSPORT (sws_transport_get_type ())
G_DECLARE_FINAL_TYPE (SwsTransport, sws_transport, SWS, TRANSPORT, GObject)

SwsTransport *sws_transport_new          (SwsConfig      *config,
                                          SwsMessageFunc  func,
                                          gpointer        user_data);
/* Bind every listen URI of the config. Port 0 picks a free port; the
 * actual URIs are then in sws_transport_get_listen_uris(). */
gboolean      sws_transport_start        (SwsTransport  *self,
                                          GError       **error);
/* Close every flow with 1001 (RFC 6455 §7.4.1 "going away") and stop
 * accepting new ones. */
void          sws_transport_stop         (SwsTransport *self);

/* Load the configured certificate again for wss:// listeners (reload);
 * on failure the one in use stays and a warning says why. */
void          sws_transport_reload_certificate (SwsTransport *self);

const char * const *sws_transport_get_listen_uris (SwsTransport *self);
guint         sws_transport_get_connection_count (SwsTransport *self);
guint64       sws_transport_get_rejected_count   (SwsTransport *self);
SoupServer   *sws_transport_get_soup_server      (SwsTransport *self);

/* Plain HTTP requests (not upgrades) go here when set; otherwise "/" gets
 * a short text and everything else 404. */
void          sws_transport_set_http_handler (SwsTransport          *self,
                                              SoupServerCallback     callback,
                                              gpointer               user_data);

G_END_DECLS

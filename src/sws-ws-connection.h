/* sws-ws-connection.h: a SIP flow over a libsoup WebSocket (RFC 7118) */
#pragma once

#include <libsoup/soup.h>

#include "sws-connection.h"

G_BEGIN_DECLS

/* Largest single frame libsoup accepts (it closes with 1009 above), and
 * the most a peer may send without finishing a message. Both are above the
 * 64 KiB SIP limit so that an oversized message still reaches the parser
 * and gets its 513 (RFC 3261 §21.5.14) rather than a bare close. */
#define SWS_WS_MAX_FRAME_PAYLOAD (128 * 1024)
#define SWS_WS_MAX_PENDING (SWS_WS_MAX_FRAME_PAYLOAD + 16 * 1024)
/* Bytes that may wait to be sent to one peer before the flow is closed:
 * a few hundred SIP messages, far more than a live client ever lags. */
#define SWS_WS_MAX_OUTGOING (1024 * 1024)

#define SWS_TYPE_WS_CONNECTION (sws_ws_connection_get_type ())
G_DECLARE_FINAL_TYPE (SwsWsConnection, sws_ws_connection, SWS, WS_CONNECTION, SwsConnection)

/* Called for every WebSocket message (text or binary): one SIP message. */
typedef void (*SwsMessageFunc) (SwsConnection *connection,
                                GBytes        *message,
                                gpointer       user_data);

SwsConnection *sws_ws_connection_new (SoupWebsocketConnection *websocket,
                                      const char              *remote_ip,
                                      guint16                  remote_port,
                                      gboolean                 secure,
                                      guint                    keepalive_interval,
                                      SwsMessageFunc           func,
                                      gpointer                 user_data);

G_END_DECLS

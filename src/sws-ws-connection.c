/* sws-ws-connection.c: a SIP flow over a libsoup WebSocket
 *
 * RFC 7118 §5: one SIP message per WebSocket message, text or binary. The
 * connection only unframes; parsing and policy live elsewhere.
 */

#define G_LOG_DOMAIN "sws-transport"

#include "config.h"

#include "sip/sws-sip-message.h"
#include "sws-guard-stream.h"
#include "sws-ws-connection.h"

struct _SwsWsConnection
{
  SwsConnection parent_instance;

  SoupWebsocketConnection *websocket;
  SwsGuardStream *guard;   /* unowned: the websocket holds it */
  guint64 queued;          /* frame bytes handed to libsoup */
  gboolean stalled;
  SwsMessageFunc func;
  gpointer user_data;
};

G_DEFINE_FINAL_TYPE (SwsWsConnection, sws_ws_connection, SWS_TYPE_CONNECTION)

static void
on_message (SoupWebsocketConnection *websocket,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  SwsWsConnection *self = user_data;

  if (self->guard != NULL)
    sws_guard_stream_reset (self->guard);
  sws_connection_touch (SWS_CONNECTION (self), g_get_monotonic_time ());
  self->func (SWS_CONNECTION (self), message, self->user_data);
}

static void
on_pong (SoupWebsocketConnection *websocket,
         GBytes                  *message,
         gpointer                 user_data)
{
  SwsWsConnection *self = user_data;

  /* Alive, but the guard is not reset: a pong may come between the
   * fragments of a message, and resetting there would let a peer grow
   * an endless message past the cap (RFC 6455 §5.4 allows control frames
   * between fragments). */
  sws_connection_touch (SWS_CONNECTION (self), g_get_monotonic_time ());
}

static void
on_error (SoupWebsocketConnection *websocket,
          GError                  *error,
          gpointer                 user_data)
{
  SwsConnection *conn = user_data;

  /* May repeat for one connection; "closed" follows. */
  g_debug ("flow %" G_GUINT64_FORMAT " (%s): %s", sws_connection_get_id (conn),
           sws_connection_get_remote_address (conn), error->message);
}

static void
on_closed (SoupWebsocketConnection *websocket,
           gpointer                 user_data)
{
  SwsWsConnection *self = user_data;

  g_debug ("flow %" G_GUINT64_FORMAT " (%s) closed, code %u",
           sws_connection_get_id (SWS_CONNECTION (self)),
           sws_connection_get_remote_address (SWS_CONNECTION (self)),
           soup_websocket_connection_get_close_code (websocket));
  g_object_ref (self);
  sws_connection_emit_closed (SWS_CONNECTION (self));
  g_signal_handlers_disconnect_by_data (self->websocket, self);
  g_object_unref (self);
}

static gboolean
is_ascii (const char *data,
          gsize       len)
{
  guint64 acc = 0, word;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      memcpy (&word, data + i, 8);
      acc |= word;
    }
  for (; i < len; i++)
    acc |= (guchar) data[i];
  return (acc & G_GUINT64_CONSTANT (0x8080808080808080)) == 0;
}

/* What libsoup holds for this peer: frames handed over minus bytes that
 * reached the socket (libsoup's own pings and pongs make it a slight
 * underestimate). A peer that stops reading would otherwise make every
 * message to it stay in memory; past SWS_WS_MAX_OUTGOING the flow is
 * closed, like one that stopped answering pings. */
static gboolean
account_outgoing (SwsWsConnection *self,
                  gsize            len)
{
  guint64 written = self->guard ? sws_guard_stream_get_written (self->guard) : self->queued;
  guint64 backlog = self->queued > written ? self->queued - written : 0;

  if (backlog + len > SWS_WS_MAX_OUTGOING)
    {
      self->stalled = TRUE;
      g_message ("flow %" G_GUINT64_FORMAT " from %s does not read: %" G_GUINT64_FORMAT
                 " bytes wait for it; closing it",
                 sws_connection_get_id (SWS_CONNECTION (self)),
                 sws_connection_get_remote_address (SWS_CONNECTION (self)), backlog);
      sws_connection_close (SWS_CONNECTION (self), SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                            "not reading");
      return FALSE;
    }
  /* RFC 6455 §5.2: 2 header bytes, +2 or +8 for the length; a server
   * does not mask. */
  self->queued += len + (len < 126 ? 2 : len < 65536 ? 4 : 10);
  return TRUE;
}

static gboolean
sws_ws_connection_send (SwsConnection *conn,
                        GBytes        *message)
{
  SwsWsConnection *self = SWS_WS_CONNECTION (conn);
  gsize len;
  const char *data;

  if (self->websocket == NULL || self->stalled ||
      soup_websocket_connection_get_state (self->websocket) != SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;

  if (!account_outgoing (self, g_bytes_get_size (message)))
    return FALSE;

  /* Text frames must be UTF-8 (RFC 6455 §5.6); a SIP message with a binary
   * body goes in a binary frame (RFC 7118 §5). Almost every message is
   * plain ASCII, which a word at a time tells quickly. */
  data = g_bytes_get_data (message, &len);
  soup_websocket_connection_send_message (self->websocket,
                                          is_ascii (data, len) ||
                                          g_utf8_validate_len (data, len, NULL)
                                            ? SOUP_WEBSOCKET_DATA_TEXT
                                            : SOUP_WEBSOCKET_DATA_BINARY,
                                          message);
  return TRUE;
}

static void
sws_ws_connection_close (SwsConnection *conn,
                         gushort        code,
                         const char    *reason)
{
  SwsWsConnection *self = SWS_WS_CONNECTION (conn);
  SoupWebsocketState state;

  if (self->websocket == NULL)
    return;
  state = soup_websocket_connection_get_state (self->websocket);
  if (state == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->websocket, code, reason);
}

static void
sws_ws_connection_dispose (GObject *object)
{
  SwsWsConnection *self = SWS_WS_CONNECTION (object);

  if (self->websocket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->websocket, self);
      g_clear_object (&self->websocket);
    }

  G_OBJECT_CLASS (sws_ws_connection_parent_class)->dispose (object);
}

static void
sws_ws_connection_class_init (SwsWsConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SwsConnectionClass *conn_class = SWS_CONNECTION_CLASS (klass);

  object_class->dispose = sws_ws_connection_dispose;
  conn_class->send = sws_ws_connection_send;
  conn_class->close = sws_ws_connection_close;
}

static void
sws_ws_connection_init (SwsWsConnection *self)
{
}

SwsConnection *
sws_ws_connection_new (SoupWebsocketConnection *websocket,
                       const char              *remote_ip,
                       guint16                  remote_port,
                       gboolean                 secure,
                       guint                    keepalive_interval,
                       SwsMessageFunc           func,
                       gpointer                 user_data)
{
  SwsWsConnection *self;

  g_return_val_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (websocket), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (SWS_TYPE_WS_CONNECTION,
                       "remote-ip", remote_ip,
                       "remote-port", (guint) remote_port,
                       "transport", secure ? "WSS" : "WS",
                       NULL);
  self->websocket = g_object_ref (websocket);
  if (SWS_IS_GUARD_STREAM (soup_websocket_connection_get_io_stream (websocket)))
    self->guard = SWS_GUARD_STREAM (soup_websocket_connection_get_io_stream (websocket));
  self->func = func;
  self->user_data = user_data;

  soup_websocket_connection_set_max_incoming_payload_size (websocket, SWS_WS_MAX_FRAME_PAYLOAD);
  /* libsoup 3.2 only sends the pings; the transport's sweep closes flows
   * that stopped answering them. */
  if (keepalive_interval > 0)
    soup_websocket_connection_set_keepalive_interval (websocket, keepalive_interval);

  g_signal_connect (websocket, "message", G_CALLBACK (on_message), self);
  g_signal_connect (websocket, "pong", G_CALLBACK (on_pong), self);
  g_signal_connect (websocket, "error", G_CALLBACK (on_error), self);
  g_signal_connect (websocket, "closed", G_CALLBACK (on_closed), self);

  return SWS_CONNECTION (self);
}
